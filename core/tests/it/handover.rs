//! Handing worksheets over as QR codes: through real pictures (PNG, JPEG, a photo holding several codes)
//! and back, exactly; broken, mixed and foreign codes refused with a reason; no input panics.

use std::collections::BTreeMap;
use std::io::Cursor;

use image::{GrayImage, ImageFormat, Luma};
use parcours_core::handover::{self, Assembler, HandoverError, PART_CHARS};
use parcours_core::picture::{self, PictureError};
use parcours_core::userdata::UserData;
use parcours_core::walk::simulate::Rng;
use parcours_core::worksheet::WorksheetDoc;
use proptest::prelude::*;

/// The worksheets of a real export made by the app (the CLI's fixture).
fn group_a() -> Vec<WorksheetDoc> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../cli/tests/fixtures/group-a-worksheets.json");
    let data = UserData::parse(&std::fs::read(path).unwrap()).unwrap();
    assert!(data.worksheets.len() >= 2);
    data.worksheets.iter().map(|w| w.to_doc()).collect()
}

/// Draws codes side by side, `scale` pixels a module, with a 4-module white margin.
fn draw(codes: &[String], scale: u32) -> GrayImage {
    let drawn: Vec<(usize, Vec<bool>)> = codes.iter().map(|c| handover::modules(c).unwrap()).collect();
    let side = drawn.iter().map(|(w, _)| *w as u32 + 8).max().unwrap() * scale;
    let mut img = GrayImage::from_pixel(side * drawn.len() as u32, side, Luma([255]));
    for (k, (width, dark)) in drawn.iter().enumerate() {
        for (i, &d) in dark.iter().enumerate() {
            if !d {
                continue;
            }
            let (x, y) = ((i % width) as u32 + 4, (i / width) as u32 + 4);
            for dx in 0..scale {
                for dy in 0..scale {
                    img.put_pixel(k as u32 * side + x * scale + dx, y * scale + dy, Luma([0]));
                }
            }
        }
    }
    img
}

fn encode_as(img: &GrayImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, format).unwrap();
    out.into_inner()
}

fn long_worksheets(n: usize, seed: u64) -> Vec<WorksheetDoc> {
    let mut rng = Rng::new(seed);
    let words = ["médiation", "habitants", "tablette", "bailleur", "café", "« relais »", "démarches", "CAF", "ÉTÉ"];
    (0..n)
        .map(|k| {
            let mut fields = BTreeMap::new();
            for col in ["enjeu", "titre", "objectifs", "actions", "gouvernance", "ressources", "freins"] {
                let len = 5 + (rng.unit() * 40.0) as usize;
                let text: Vec<&str> = (0..len).map(|_| words[(rng.unit() * words.len() as f64) as usize % 9]).collect();
                fields.insert(col.to_owned(), text.join(" "));
            }
            let at = chrono::NaiveDate::from_ymd_opt(2024, 10, 3).unwrap().and_hms_opt(12, k as u32 % 60, 0).unwrap();
            WorksheetDoc {
                id: format!("cafe0042-{k}"),
                pack: "bayonne-2024".into(),
                workshop: ["aller-vers", "cooperation", "formation", "lieux"][k % 4].into(),
                fields,
                rating: [None, Some("vert".to_owned()), Some("rouge".to_owned())][k % 3].clone(),
                created_at: at,
                updated_at: at,
            }
        })
        .collect()
}

#[test]
fn a_groups_worksheets_go_through_png_pictures_and_back_exactly() {
    let sheets = group_a();
    let codes = handover::encode(&sheets, Some("5eed0001")).unwrap();
    assert!(codes.iter().all(|c| c.starts_with("PCR1:")));
    let mut a = Assembler::new();
    for code in codes.iter().rev() {
        let png = encode_as(&draw(std::slice::from_ref(code), 4), ImageFormat::Png);
        let read = handover::read_image(&png).unwrap();
        assert_eq!(read, vec![code.clone()], "the picture gives back the code's text");
        a.add(&read[0]).unwrap();
    }
    let back = a.finish().unwrap();
    assert_eq!(back.worksheets, sheets);
    assert_eq!(back.device.as_deref(), Some("5eed0001"));
}

#[test]
fn many_worksheets_split_over_several_codes_read_from_one_jpeg_photo() {
    let sheets = long_worksheets(12, 7);
    let codes = handover::encode(&sheets, None).unwrap();
    assert!(codes.len() >= 2, "{} codes", codes.len());
    assert!(codes.iter().all(|c| c.len() <= PART_CHARS + 24), "each code stays small enough to scan");
    let width = handover::modules(&codes[0]).unwrap().0;
    eprintln!("a full code: {} characters, {width} modules wide", codes[0].len());
    assert!(width <= 81, "version 16 at most: about 4 px a module across a 360 px screen");
    // Two codes on one (lossy) photo, a third on another; the first one read twice.
    let photo = encode_as(&draw(&codes[..2], 3), ImageFormat::Jpeg);
    let mut read = handover::read_image(&photo).unwrap();
    read.sort();
    let mut want = codes[..2].to_vec();
    want.sort();
    assert_eq!(read, want);
    let mut a = Assembler::new();
    for c in read.iter().chain(&codes[..1]) {
        a.add(c).unwrap();
    }
    if codes.len() > 2 {
        match a.finish() {
            Err(HandoverError::Incomplete { missing, total }) => {
                assert_eq!(total, codes.len());
                assert_eq!(missing, (3..=codes.len()).collect::<Vec<_>>());
            }
            other => panic!("{other:?}"),
        }
    }
    for c in &codes[2..] {
        a.add(c).unwrap();
    }
    assert_eq!(a.progress().have, codes.len());
    assert_eq!(a.finish().unwrap().worksheets, sheets);
}

#[test]
fn mixed_damaged_and_foreign_codes_are_refused_with_a_reason() {
    let first = handover::encode(&long_worksheets(12, 1), None).unwrap();
    let second = handover::encode(&long_worksheets(12, 2), None).unwrap();
    let mut a = Assembler::new();
    a.add(&first[0]).unwrap();
    assert!(matches!(a.add(&second[1]), Err(HandoverError::OtherSet { .. })));
    assert!(matches!(a.add("https://example.org"), Err(HandoverError::NotParcours)));
    assert!(matches!(a.add("PCR2:1/1:00000000:AB"), Err(HandoverError::TooNew { .. })));
    assert!(matches!(a.add("PCR1:0/1:00000000:AB"), Err(HandoverError::Malformed(_))));
    assert!(matches!(a.add("PCR1:1/1:XYZ:AB"), Err(HandoverError::Malformed(_))));
    assert!(matches!(a.add("PCR1:1/1:00000000:ab"), Err(HandoverError::Malformed(_))));
    // One character changed in the data: the checksum catches it.
    let single = handover::encode(&group_a()[1..2], None).unwrap();
    assert_eq!(single.len(), 1);
    let code = &single[0];
    let pos = code.len() - 10;
    let swapped = if &code[pos..=pos] == "A" { "B" } else { "A" };
    let tampered = format!("{}{}{}", &code[..pos], swapped, &code[pos + 1..]);
    let err = handover::decode(&[tampered]).unwrap_err();
    assert!(matches!(err, HandoverError::Checksum | HandoverError::Malformed(_) | HandoverError::Content(_)), "{err}");
    // Pictures that are not pictures, or hold no code.
    assert!(handover::read_image(b"not an image").is_err());
    let blank = encode_as(&GrayImage::from_pixel(200, 200, Luma([255])), ImageFormat::Png);
    assert_eq!(handover::read_image(&blank).unwrap(), Vec::<String>::new());
}

#[test]
fn no_worksheet_is_an_empty_but_valid_set() {
    let codes = handover::encode(&[], None).unwrap();
    assert_eq!(codes.len(), 1);
    assert_eq!(handover::decode(&codes).unwrap().worksheets, vec![]);
    assert!(handover::svg(&codes[0]).unwrap().starts_with("<?xml"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn no_code_text_panics(text in ".{0,200}", tail in "[0-9A-Z $%*+./:-]{0,60}") {
        let mut a = Assembler::new();
        let _ = a.add(&text);
        let _ = a.add(&format!("PCR1:1/1:0000ABCD:{tail}"));
        let _ = a.finish();
    }

    #[test]
    fn any_worksheets_round_trip(n in 0usize..6, seed in any::<u64>()) {
        let sheets = long_worksheets(n, seed);
        let codes = handover::encode(&sheets, Some("d")).unwrap();
        prop_assert_eq!(handover::decode(&codes).unwrap().worksheets, sheets);
    }
}

/// A PNG chunk: length, type, data, CRC-32 over type and data.
fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = (data.len() as u32).to_be_bytes().to_vec();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let mut crc = crc32fast::Hasher::new();
    crc.update(kind);
    crc.update(data);
    out.extend_from_slice(&crc.finalize().to_be_bytes());
    out
}

#[test]
fn a_decompression_bomb_is_refused_before_it_is_decoded_and_a_huge_file_before_it_is_read() {
    // 2 KB on disk, 60,000 × 60,000 grey pixels (3.6 GB) once decoded.
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&60_000u32.to_be_bytes());
    ihdr.extend_from_slice(&60_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
    let rows = miniz_oxide::deflate::compress_to_vec_zlib(&vec![0u8; 1_000_000], 10);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(chunk(b"IHDR", &ihdr));
    png.extend(chunk(b"IDAT", &rows));
    png.extend(chunk(b"IEND", &[]));
    assert!(png.len() < 4096, "{} bytes", png.len());
    let start = std::time::Instant::now();
    match handover::read_image(&png) {
        Err(HandoverError::Picture(PictureError(why))) => assert!(why.contains("too large to read"), "{why}"),
        other => panic!("a bomb was not refused: {other:?}"),
    }
    assert!(start.elapsed() < std::time::Duration::from_secs(5), "a hang guard: {:?}", start.elapsed());
    // The check the browser's path makes before the browser decodes anything says the same.
    assert_eq!(picture::check(&png), Err(PictureError::too_large()));
    let huge = vec![0u8; picture::MAX_PHOTO_BYTES + 1];
    match handover::read_image(&huge) {
        Err(HandoverError::Picture(PictureError(why))) => assert!(why.contains("send a smaller photo"), "{why}"),
        other => panic!("{other:?}"),
    }
    assert!(picture::check(&huge).is_err_and(|e| e.0.contains("send a smaller photo")));
}

/// A picture's pixels as a browser gives them (`getImageData`): RGBA, row after row.
fn rgba(img: &image::RgbImage) -> Vec<u8> {
    img.pixels().flat_map(|p| [p.0[0], p.0[1], p.0[2], 255]).collect()
}

#[test]
fn the_pixels_a_browser_decodes_give_the_codes_the_file_gives() {
    let codes = handover::encode(&long_worksheets(12, 7), None).unwrap();
    assert!(codes.len() >= 2);
    // Two codes drawn in colour (dark blue on cream): what a photo of a screen looks like, not pure grey.
    let grey = draw(&codes[..2], 3);
    let colour = image::RgbImage::from_fn(grey.width(), grey.height(), |x, y| {
        if grey.get_pixel(x, y).0[0] < 128 { image::Rgb([20, 30, 90]) } else { image::Rgb([250, 244, 225]) }
    });
    let mut png = Cursor::new(Vec::new());
    colour.write_to(&mut png, ImageFormat::Png).unwrap();
    let png = png.into_inner();
    let (w, h) = picture::check(&png).unwrap();
    assert_eq!((w, h), colour.dimensions(), "the size read from the header");
    assert_eq!(picture::reading_size(w, h), (w, h), "a picture this small is read as it is");
    let mut from_file = handover::read_image(&png).unwrap();
    let mut from_pixels = handover::read_pixels(w, h, &rgba(&colour)).unwrap();
    from_file.sort();
    from_pixels.sort();
    let mut want = codes[..2].to_vec();
    want.sort();
    assert_eq!(from_pixels, want);
    assert_eq!(from_file, want);
    // Pixels that do not make the picture they claim, or one bigger than the reading size: refused.
    let bytes = rgba(&colour);
    for (w2, h2, len) in [(w + 1, h, bytes.len()), (0, 0, 0), (w, h, bytes.len() - 1), (2_001, 1, 2_001 * 4)] {
        match handover::read_pixels(w2, h2, &bytes[..len.min(bytes.len())]) {
            Err(HandoverError::Picture(_)) => {}
            other => panic!("{w2} × {h2}, {len} bytes: {other:?}"),
        }
    }
    // Blank pixels: no code, and no error.
    assert_eq!(handover::read_pixels(3, 2, &[255; 24]).unwrap(), Vec::<String>::new());
}

#[test]
fn a_picture_is_read_at_two_thousand_pixels_on_its_longest_side_its_proportions_kept() {
    assert_eq!(picture::reading_size(4_000, 3_000), (2_000, 1_500));
    assert_eq!(picture::reading_size(3_000, 4_000), (1_500, 2_000));
    assert_eq!(picture::reading_size(2_000, 10), (2_000, 10));
    assert_eq!(picture::reading_size(10_000, 1), (2_000, 1), "never a side of no pixel");
    assert_eq!(picture::reading_size(640, 480), (640, 480));
    // Only PNG and JPEG, as the app's own decoders: a GIF is not read, whoever would decode it.
    assert!(picture::check(b"GIF89a\x01\x00\x01\x00").is_err_and(|e| e.0.contains("not a picture")));
    assert!(picture::check(b"").is_err());
}

#[test]
fn a_code_lit_from_one_side_is_read_though_its_shadow_is_darker_than_its_ink_in_the_light() {
    let codes = handover::encode(&long_worksheets(3, 7), None).unwrap();
    let flat = draw(&codes[..1], 4);
    let (w, h) = flat.dimensions();
    // Light from the top left, down to `least` of it in the far corner; the paper reflects all of it,
    // the ink 30 %. At 15 % of the light, the paper in the shadow (38) is far darker than the ink in
    // the light (77): no one grey splits the picture into paper and ink (the QR reader's own threshold,
    // one for the whole picture, reads it only down to 25 %).
    for least in [0.6, 0.3, 0.15] {
        let lit = GrayImage::from_fn(w, h, |x, y| {
            let light = 1.0 - (1.0 - least) * f64::from(x + y) / f64::from(w + h - 2);
            let reflects = if flat.get_pixel(x, y).0[0] < 128 { 0.3 } else { 1.0 };
            Luma([(255.0 * reflects * light).round() as u8])
        });
        let read = handover::read_image(&encode_as(&lit, ImageFormat::Png)).unwrap();
        assert_eq!(read, vec![codes[0].clone()], "{least} of the light in the far corner");
    }
}
