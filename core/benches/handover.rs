//! Speed of the worksheet hand-over on an old phone's budget: `cargo bench -p parcours-core --bench
//! handover` (or `cargo xtask bench`). Making the codes of a group's worksheets, drawing one, and reading
//! the codes back from a phone-sized screenshot (1080 × 2340, the code in the middle).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)]

use std::hint::black_box;
use std::io::Cursor;

use criterion::{Criterion, criterion_group, criterion_main};
use parcours_core::handover;
use parcours_core::userdata::UserData;

fn handover(c: &mut Criterion) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../cli/tests/fixtures/group-a-worksheets.json");
    let data = UserData::parse(&std::fs::read(path).unwrap()).unwrap();
    let docs: Vec<_> = data.worksheets.iter().map(|w| w.to_doc()).collect();
    let codes = handover::encode(&docs, Some("5eed0001")).unwrap();

    // A screenshot: 1080 × 2340, the first code drawn 1000 px wide in the middle.
    let (width, dark) = handover::modules(&codes[0]).unwrap();
    let scale = 1000 / (width as u32 + 8);
    let img = image::GrayImage::from_fn(1080, 2340, |x, y| {
        let (ox, oy) = (40 + 4 * scale, 670 + 4 * scale);
        let inside = x >= ox && y >= oy && (x - ox) / scale < width as u32 && (y - oy) / scale < width as u32;
        let on = inside && dark[((y - oy) / scale) as usize * width + ((x - ox) / scale) as usize];
        image::Luma([if on { 0 } else { 250 }])
    });
    let mut png = Cursor::new(Vec::new());
    img.write_to(&mut png, image::ImageFormat::Png).unwrap();
    let png = png.into_inner();
    assert_eq!(handover::read_image(&png).unwrap(), vec![codes[0].clone()]);

    let mut group = c.benchmark_group("handover");
    group.sample_size(20);
    group.bench_function("encode a group's worksheets", |b| b.iter(|| handover::encode(black_box(&docs), None)));
    group.bench_function("draw one code (SVG)", |b| b.iter(|| handover::svg(black_box(&codes[0]))));
    group.bench_function("read a 1080x2340 screenshot (PNG)", |b| b.iter(|| handover::read_image(black_box(&png))));
    group.bench_function("decode a set", |b| b.iter(|| handover::decode(black_box(&codes))));
    group.finish();
}

criterion_group!(benches, handover);
criterion_main!(benches);
