//! Speed of the walking engine on the real Bayonne pack: `cargo bench -p parcours-core --bench walk`
//! (or `cargo xtask bench`). Targets: ≤ 2 µs per position fix, ≤ 0.5 ms per walking route.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)]

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use parcours_core::walk::simulate::{Excursion, SimOptions, simulate};
use parcours_core::walk::{Course, FollowState, Network};

fn pack() -> parcours_core::pack::Pack {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../assets/packs/bayonne-2024");
    let (source, problems) = parcours_core::store::read_source(&dir);
    assert!(problems.is_empty());
    parcours_core::pack::load(&source).unwrap()
}

fn walk(c: &mut Criterion) {
    let pack = pack();
    let net = Network::from_layers(&pack.map).unwrap();
    let route = pack.route("pink").unwrap();
    let course = Course::new(&pack, &net, route);
    let mut opts = SimOptions::planned(&pack, route);
    opts.excursion = Some(Excursion { to: 0, metres: 150.0 });
    opts.outliers = 10;
    let trace = simulate(&course, &net, &opts);

    let mut group = c.benchmark_group("follow");
    group.throughput(Throughput::Elements(trace.fixes.len() as u64));
    group.bench_function("step, whole pink walk (per element = per fix)", |b| {
        b.iter(|| {
            let mut state = FollowState::new(&course);
            for fix in &trace.fixes {
                black_box(state.step(&course, &net, black_box(fix)));
            }
        })
    });
    group.finish();

    let nodes = net.sample_nodes(37);
    let pairs: Vec<_> = nodes.iter().flat_map(|&a| nodes.iter().map(move |&b| (a, b))).take(400).collect();
    let mut group = c.benchmark_group("route");
    group.throughput(Throughput::Elements(pairs.len() as u64));
    group.bench_function("A* walking route (per element = per query)", |b| {
        b.iter(|| {
            for &(from, to) in &pairs {
                black_box(net.route(black_box(from), black_box(to)));
            }
        })
    });
    group.finish();

    c.bench_function("network from the pack's streets", |b| b.iter(|| Network::from_layers(black_box(&pack.map))));
    c.bench_function("course (distance fields of 4 stops)", |b| b.iter(|| Course::new(&pack, &net, route)));
}

criterion_group!(benches, walk);
criterion_main!(benches);
