//! Walks on generated street grids, regular and irregular: a group that takes any of the shortest ways
//! to the next stop (a grid has many of the same length, and the engine draws only one) is never told it
//! is off route; one that goes the wrong way is.

use chrono::{Duration, NaiveDateTime};
use parcours_core::pack::{Confidence, Pack, Position};
use parcours_core::walk::{Course, Fix, FollowState, Network};
use proptest::prelude::*;

use crate::real_pack;

const LAT0: f64 = 43.5;
const LON0: f64 = -1.45;
const M_PER_DEG: f64 = 111_320.0;

fn lat_lon(x: f64, y: f64) -> [f64; 2] {
    [LAT0 + y / M_PER_DEG, LON0 + x / (M_PER_DEG * LAT0.to_radians().cos())]
}

/// A grid of streets: columns at `xs`, rows at `ys` (metres east and north), each crossing moved by its
/// `jitter` (metres); every row and every column one street through the crossings they share.
struct Grid {
    nodes: Vec<Vec<(f64, f64)>>,
}

impl Grid {
    fn new(xs: &[f64], ys: &[f64], jitter: &[(f64, f64)]) -> Grid {
        let mut k = 0;
        let nodes = ys
            .iter()
            .map(|y| {
                xs.iter()
                    .map(|x| {
                        let (dx, dy) = jitter.get(k).copied().unwrap_or_default();
                        k += 1;
                        (x + dx, y + dy)
                    })
                    .collect()
            })
            .collect();
        Grid { nodes }
    }

    fn at(&self, c: usize, r: usize) -> (f64, f64) {
        self.nodes[r][c]
    }

    fn network(&self) -> Network {
        let lon_lat = |&(x, y): &(f64, f64)| {
            let [lat, lon] = lat_lon(x, y);
            [lon, lat]
        };
        let rows = self.nodes.iter().map(|row| row.iter().map(lon_lat).collect());
        let cols = (0..self.nodes[0].len()).map(|c| self.nodes.iter().map(|row| lon_lat(&row[c])).collect());
        let lines: Vec<Vec<[f64; 2]>> = rows.chain(cols).collect();
        Network::from_lines(&lines).unwrap()
    }

    /// The real pack's first route, on this grid: its first stops placed precisely at `stops`.
    fn pack(&self, stops: &[(usize, usize)]) -> Pack {
        let mut pack = real_pack();
        pack.stops.truncate(stops.len());
        for (stop, &(c, r)) in pack.stops.iter_mut().zip(stops) {
            let (x, y) = self.at(c, r);
            let [lat, lon] = lat_lon(x, y);
            stop.position = Some(Position {
                lat,
                lon,
                accuracy_m: 20.0,
                confidence: Confidence::High,
                source: "test".into(),
                licence: "test".into(),
            });
        }
        pack.routes.truncate(1);
        pack.routes[0].stops = pack.stops.iter().map(|s| s.id.clone()).collect();
        pack
    }
}

/// A walk: `dwell_s` at each stop, then along the streets from crossing to crossing (`ways`: the
/// crossings of each leg), at 1.3 m/s, a fix every 2 s, each moved by up to `noise` metres.
fn walk(grid: &Grid, ways: &[Vec<(usize, usize)>], dwell_s: usize, noise: f64, seed: u64) -> Vec<Fix> {
    // Where the walker is, every 2 s.
    let mut places: Vec<(f64, f64)> = Vec::new();
    for way in ways {
        places.extend(std::iter::repeat_n(grid.at(way[0].0, way[0].1), dwell_s / 2));
        let mut carry = 0.0;
        for pair in way.windows(2) {
            let (a, b) = (grid.at(pair[0].0, pair[0].1), grid.at(pair[1].0, pair[1].1));
            let length = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
            let mut along = carry;
            while along < length {
                let f = along / length;
                places.push((a.0 + f * (b.0 - a.0), a.1 + f * (b.1 - a.1)));
                along += 2.6;
            }
            carry = along - length;
        }
    }
    let last = ways.last().and_then(|w| w.last()).copied().unwrap();
    places.extend(std::iter::repeat_n(grid.at(last.0, last.1), dwell_s / 2));
    let t0: NaiveDateTime = chrono::NaiveDate::from_ymd_opt(2024, 10, 3).unwrap().and_hms_opt(10, 0, 0).unwrap();
    let mut rng = seed | 1;
    let mut jitter = move || {
        // xorshift: the walk's noise, the same for the same seed.
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        (rng % 2001) as f64 / 1000.0 - 1.0
    };
    places
        .iter()
        .enumerate()
        .map(|(i, &(x, y))| {
            let [lat, lon] = lat_lon(x + noise * jitter(), y + noise * jitter());
            Fix { time: t0 + Duration::seconds(2 * i as i64), lat, lon, accuracy_m: Some(8.0) }
        })
        .collect()
}

/// A shortest way on the grid from `a` to `b` (crossing by crossing, never away from `b`): `turns[i]`
/// says whether the i-th block goes along the row (else along the column) while both are left.
fn staircase(a: (usize, usize), b: (usize, usize), turns: &[bool]) -> Vec<(usize, usize)> {
    let mut way = vec![a];
    let (mut c, mut r) = a;
    let mut i = 0;
    while (c, r) != b {
        let along_row = if c == b.0 {
            false
        } else if r == b.1 {
            true
        } else {
            turns.get(i).copied().unwrap_or(true)
        };
        if along_row {
            c = if b.0 > c { c + 1 } else { c - 1 };
        } else {
            r = if b.1 > r { r + 1 } else { r - 1 };
        }
        way.push((c, r));
        i += 1;
    }
    way
}

/// (fixes said to be off route, stops reached) for the walk `ways` on `grid`.
fn follow(grid: &Grid, stops: &[(usize, usize)], fixes: &[Fix]) -> (usize, usize) {
    let pack = grid.pack(stops);
    let net = grid.network();
    let course = Course::new(&pack, &net, &pack.routes[0]);
    let mut state = FollowState::new(&course);
    let steps: Vec<_> = fixes.iter().map(|f| state.step(&course, &net, f)).collect();
    (steps.iter().filter(|s| s.off_route).count(), steps.iter().filter(|s| s.arrived.is_some()).count())
}

fn spacings(n: usize) -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(45.0f64..140.0, n).prop_map(|gaps| {
        gaps.iter()
            .scan(0.0, |x, gap| {
                *x += gap;
                Some(*x)
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Any shortest way (and, with the crossings moved by a few metres, any nearly shortest one), with a
    /// few metres of noise: never off route, every stop reached.
    #[test]
    fn any_shortest_way_on_a_grid_is_on_route(
        (xs, ys) in (4usize..8, 4usize..8).prop_flat_map(|(c, r)| (spacings(c), spacings(r))),
        irregular in any::<bool>(),
        jitter in prop::collection::vec((-4.0f64..4.0, -4.0f64..4.0), 64),
        turns in prop::collection::vec(any::<bool>(), 3 * 16),
        seed in any::<u64>(),
    ) {
        let grid = Grid::new(&xs, &ys, if irregular { &jitter } else { &[] });
        let (c, r) = (xs.len() - 1, ys.len() - 1);
        // Across the grid, along its top, back across: two legs of many equally short ways.
        let stops = [(0, 0), (c, r), (0, r), (c, 0)];
        let ways: Vec<Vec<(usize, usize)>> = stops
            .windows(2)
            .enumerate()
            .map(|(i, w)| staircase(w[0], w[1], &turns[16 * i..16 * (i + 1)]))
            .collect();
        let fixes = walk(&grid, &ways, 90, 3.0, seed);
        let (off, reached) = follow(&grid, &stops, &fixes);
        prop_assert_eq!(off, 0, "fixes called off route on a shortest way");
        prop_assert_eq!(reached, stops.len());
    }
}

/// The control: the same kind of grid, a group that goes two blocks the wrong way and back is told.
#[test]
fn two_blocks_the_wrong_way_is_off_route() {
    let xs = [0.0, 100.0, 200.0, 300.0, 400.0, 500.0];
    let grid = Grid::new(&xs, &xs, &[]);
    let stops = [(0, 2), (5, 2)];
    // Along the row (the one shortest way: the engine's path), then two blocks down a side street,
    // away from the next stop, and back; then on.
    let mut way = staircase((0, 2), (2, 2), &[]);
    way.extend(staircase((2, 2), (2, 0), &[]).into_iter().skip(1));
    way.extend(staircase((2, 0), (2, 2), &[]).into_iter().skip(1));
    way.extend(staircase((2, 2), (5, 2), &[]).into_iter().skip(1));
    let fixes = walk(&grid, &[way], 90, 0.0, 1);
    let (off, reached) = follow(&grid, &stops, &fixes);
    assert!(off > 0, "a walk 200 m the wrong way and back was never off route");
    assert_eq!(reached, stops.len());
}
