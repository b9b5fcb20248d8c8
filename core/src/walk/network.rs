//! The walking network: the pack's street lines as a graph, snapping a position to it, shortest paths.
//!
//! Coordinates are projected once to local metres (equirectangular around the network's centre: over the
//! 2 km of a neighbourhood the error is far below GPS noise), so the hot paths are plain arithmetic.
//! Only the largest connected part of the street data is kept for routing: a walker snapped to a
//! fragment that does not connect (a car park's lane, a cut at the data's edge) could be routed nowhere.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};

use geo::{Distance, Haversine, Point};
use serde::{Deserialize, Serialize};

use crate::pack::MapLayer;

/// A point in local metres: `x` east, `y` north of the network's origin.
#[derive(Clone, Copy, PartialEq, Debug, Default, Serialize, Deserialize)]
pub struct Xy {
    pub x: f64,
    pub y: f64,
}

impl Xy {
    pub fn dist(self, other: Xy) -> f64 {
        (self.x - other.x).hypot(self.y - other.y)
    }
}

/// Latitude/longitude ↔ local metres.
#[derive(Clone, Copy, PartialEq, Debug, Serialize, Deserialize)]
pub struct Projection {
    lat0: f64,
    lon0: f64,
    /// Metres per degree of longitude and of latitude at `lat0`.
    kx: f64,
    ky: f64,
}

impl Projection {
    pub fn new(lat0: f64, lon0: f64) -> Projection {
        let phi = lat0.to_radians();
        // Metres per degree on the WGS84 ellipsoid (series of the meridian and parallel arcs).
        let ky = 111_132.92 - 559.82 * (2.0 * phi).cos() + 1.175 * (4.0 * phi).cos();
        let kx = 111_412.84 * phi.cos() - 93.5 * (3.0 * phi).cos();
        Projection { lat0, lon0, kx, ky }
    }

    pub fn to_xy(&self, lat: f64, lon: f64) -> Xy {
        Xy { x: (lon - self.lon0) * self.kx, y: (lat - self.lat0) * self.ky }
    }

    /// `[lat, lon]`, the order Leaflet takes.
    pub fn to_lat_lon(&self, p: Xy) -> [f64; 2] {
        [self.lat0 + p.y / self.ky, self.lon0 + p.x / self.kx]
    }
}

/// Great-circle distance in metres (what a person means by "as the crow flies").
pub fn straight_m(a: [f64; 2], b: [f64; 2]) -> f64 {
    Haversine.distance(Point::new(a[1], a[0]), Point::new(b[1], b[0]))
}

/// Where a position meets the network: on edge `edge`, at fraction `t` from its first node.
#[derive(Clone, Copy, PartialEq, Debug, Serialize, Deserialize)]
pub struct Snap {
    pub edge: u32,
    pub t: f64,
    /// The point on the edge, and the straight distance from the position to it.
    pub point: Xy,
    pub offset_m: f64,
}

#[derive(Clone, Copy, PartialEq, Debug)]
struct Edge {
    a: u32,
    b: u32,
    len: f64,
    /// Index in [`Network::names`] of the street's name (0: no name).
    name: u32,
}

/// Uniform grid over the edges, for nearest-edge queries in a few microseconds.
#[derive(Clone, Debug)]
struct Grid {
    min: Xy,
    cell: f64,
    cols: usize,
    rows: usize,
    cells: Vec<Vec<u32>>,
}

impl Grid {
    fn cell_of(&self, p: Xy) -> (isize, isize) {
        (((p.x - self.min.x) / self.cell).floor() as isize, ((p.y - self.min.y) / self.cell).floor() as isize)
    }

    fn get(&self, c: isize, r: isize) -> &[u32] {
        if c < 0 || r < 0 || c as usize >= self.cols || r as usize >= self.rows {
            return &[];
        }
        &self.cells[r as usize * self.cols + c as usize]
    }
}

/// Facts about the street data, for `pack check` and the "ready for offline" view.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct NetworkStats {
    pub nodes: usize,
    pub edges: usize,
    pub components: usize,
    /// Nodes and edges of the largest component, the one used for routing.
    pub kept_nodes: usize,
    pub kept_edges: usize,
}

/// The street graph. Build it once per pack ([`Network::from_layers`]); every query is read-only.
#[derive(Clone, Debug)]
pub struct Network {
    pub projection: Projection,
    nodes: Vec<Xy>,
    edges: Vec<Edge>,
    /// Per node: (neighbour, edge index).
    adjacency: Vec<Vec<(u32, u32)>>,
    grid: Grid,
    /// The streets' names (`properties.name` of their lines); the first is "" (a line with no name).
    names: Vec<String>,
    pub stats: NetworkStats,
}

/// A walking path: the points to draw and its length.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct WalkPath {
    /// Local metres, from start to end (the start and end positions themselves included).
    pub points: Vec<Xy>,
    pub length_m: f64,
}

const GRID_CELL_M: f64 = 60.0;

impl Network {
    /// The network of every `streets` layer's lines (LineString and MultiLineString). Lines meet where they
    /// share a vertex, as in OpenStreetMap data. Returns `None` when there is no usable line.
    /// Each line keeps its feature's `properties.name` (the way in words names the streets).
    pub fn from_layers(layers: &[MapLayer]) -> Option<Network> {
        Network::from_named_lines(&crate::pack::street_lines(layers))
    }

    /// The network of lines given as `[lon, lat]` vertices (GeoJSON order), with no street names.
    pub fn from_lines(lines: &[Vec<[f64; 2]>]) -> Option<Network> {
        let named: Vec<(String, Vec<[f64; 2]>)> = lines.iter().map(|l| (String::new(), l.clone())).collect();
        Network::from_named_lines(&named)
    }

    /// The network of named lines (`""`: no name), `[lon, lat]` vertices.
    pub fn from_named_lines(named: &[(String, Vec<[f64; 2]>)]) -> Option<Network> {
        let lines: Vec<&Vec<[f64; 2]>> = named.iter().map(|(_, l)| l).collect();
        let mut names: Vec<String> = vec![String::new()];
        let mut name_of: HashMap<&str, u32> = HashMap::from([("", 0)]);
        let (mut min_lat, mut max_lat, mut min_lon, mut max_lon) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for &[lon, lat] in lines.iter().copied().flatten() {
            min_lat = min_lat.min(lat);
            max_lat = max_lat.max(lat);
            min_lon = min_lon.min(lon);
            max_lon = max_lon.max(lon);
        }
        if min_lat > max_lat {
            return None;
        }
        let projection = Projection::new((min_lat + max_lat) / 2.0, (min_lon + max_lon) / 2.0);

        // Vertices are shared by exact coordinates (to 1e-7°, about 1 cm).
        let mut index: HashMap<(i64, i64), u32> = HashMap::new();
        let mut nodes: Vec<Xy> = Vec::new();
        let mut edges: Vec<(u32, u32)> = Vec::new();
        let mut edge_names: Vec<u32> = Vec::new();
        for (name, line) in named {
            let name = *name_of.entry(name.as_str()).or_insert_with(|| {
                names.push(name.clone());
                (names.len() - 1) as u32
            });
            let mut previous: Option<u32> = None;
            for &[lon, lat] in line {
                let key = ((lon * 1e7).round() as i64, (lat * 1e7).round() as i64);
                let id = *index.entry(key).or_insert_with(|| {
                    nodes.push(projection.to_xy(lat, lon));
                    (nodes.len() - 1) as u32
                });
                if let Some(prev) = previous
                    && prev != id
                {
                    edges.push((prev, id));
                    edge_names.push(name);
                }
                previous = Some(id);
            }
        }

        // Connected components (union-find); keep the largest.
        let mut parent: Vec<u32> = (0..nodes.len() as u32).collect();
        fn find(parent: &mut [u32], mut x: u32) -> u32 {
            while parent[x as usize] != x {
                parent[x as usize] = parent[parent[x as usize] as usize];
                x = parent[x as usize];
            }
            x
        }
        for &(a, b) in &edges {
            let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
            if ra != rb {
                parent[ra as usize] = rb;
            }
        }
        let mut sizes: HashMap<u32, usize> = HashMap::new();
        for &(a, _) in &edges {
            let root = find(&mut parent, a);
            *sizes.entry(root).or_default() += 1;
        }
        let components = {
            let mut roots: Vec<u32> = (0..nodes.len() as u32).map(|n| find(&mut parent, n)).collect();
            roots.sort_unstable();
            roots.dedup();
            roots.len()
        };
        let (&main, _) = sizes.iter().max_by_key(|&(root, size)| (*size, std::cmp::Reverse(*root)))?;

        let mut remap = vec![u32::MAX; nodes.len()];
        let mut kept_nodes = Vec::new();
        for (i, p) in nodes.iter().enumerate() {
            if find(&mut parent, i as u32) == main {
                remap[i] = kept_nodes.len() as u32;
                kept_nodes.push(*p);
            }
        }
        let mut kept_edges = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (&(a, b), &name) in edges.iter().zip(&edge_names) {
            let (a, b) = (remap[a as usize], remap[b as usize]);
            if a == u32::MAX || !seen.insert((a.min(b), a.max(b))) {
                continue;
            }
            kept_edges.push(Edge { a, b, len: kept_nodes[a as usize].dist(kept_nodes[b as usize]), name });
        }
        let mut adjacency = vec![Vec::new(); kept_nodes.len()];
        for (i, e) in kept_edges.iter().enumerate() {
            adjacency[e.a as usize].push((e.b, i as u32));
            adjacency[e.b as usize].push((e.a, i as u32));
        }

        let grid = build_grid(&kept_nodes, &kept_edges);
        let stats = NetworkStats {
            nodes: nodes.len(),
            edges: edges.len(),
            components,
            kept_nodes: kept_nodes.len(),
            kept_edges: kept_edges.len(),
        };
        Some(Network { projection, nodes: kept_nodes, edges: kept_edges, adjacency, grid, names, stats })
    }

    /// The name of the street at `p` (the nearest edge within `within_m`), if it has one.
    pub fn street_at(&self, p: Xy, within_m: f64) -> Option<&str> {
        let snap = self.snap(p).filter(|s| s.offset_m <= within_m)?;
        let name = self.names.get(self.edges[snap.edge as usize].name as usize)?;
        (!name.is_empty()).then_some(name.as_str())
    }

    pub fn to_xy(&self, lat: f64, lon: f64) -> Xy {
        self.projection.to_xy(lat, lon)
    }

    /// The nearest point of the network to `p`.
    pub fn snap(&self, p: Xy) -> Option<Snap> {
        let g = &self.grid;
        let (c0, r0) = g.cell_of(p);
        let mut best: Option<Snap> = None;
        let max_ring = g.cols.max(g.rows) as isize + 1;
        // Rings of cells around p, until no unvisited cell can hold anything nearer than the best so far.
        let outside = {
            let dx = (g.min.x - p.x).max(p.x - (g.min.x + g.cols as f64 * g.cell)).max(0.0);
            let dy = (g.min.y - p.y).max(p.y - (g.min.y + g.rows as f64 * g.cell)).max(0.0);
            dx.hypot(dy)
        };
        if outside > 0.0 {
            // Far outside the data: look at every edge (rare, and still quick).
            for i in 0..self.edges.len() {
                self.consider(p, i as u32, &mut best);
            }
            return best;
        }
        for ring in 0..=max_ring {
            if let Some(b) = best
                && b.offset_m <= (ring - 1).max(0) as f64 * g.cell
            {
                break;
            }
            for c in c0 - ring..=c0 + ring {
                for r in r0 - ring..=r0 + ring {
                    if (c - c0).abs() != ring && (r - r0).abs() != ring {
                        continue;
                    }
                    for &e in g.get(c, r) {
                        self.consider(p, e, &mut best);
                    }
                }
            }
        }
        best
    }

    fn consider(&self, p: Xy, e: u32, best: &mut Option<Snap>) {
        let edge = self.edges[e as usize];
        let (t, q) = project(p, self.nodes[edge.a as usize], self.nodes[edge.b as usize]);
        let d = p.dist(q);
        if best.is_none_or(|b| d < b.offset_m) {
            *best = Some(Snap { edge: e, t, point: q, offset_m: d });
        }
    }

    /// Shortest walking distances from every node to `target` (Dijkstra over the whole network, once).
    pub fn field(&self, target: Xy) -> Option<DistanceField> {
        let snap = self.snap(target)?;
        let n = self.nodes.len();
        let mut dist = vec![f64::INFINITY; n];
        let mut next = vec![u32::MAX; n];
        let mut heap = BinaryHeap::new();
        let edge = self.edges[snap.edge as usize];
        for (node, cost) in [(edge.a, snap.t * edge.len), (edge.b, (1.0 - snap.t) * edge.len)] {
            if cost < dist[node as usize] {
                dist[node as usize] = cost;
                heap.push(Entry { cost, node });
            }
        }
        while let Some(Entry { cost, node }) = heap.pop() {
            if cost > dist[node as usize] {
                continue;
            }
            for &(other, e) in &self.adjacency[node as usize] {
                let c = cost + self.edges[e as usize].len;
                if c < dist[other as usize] {
                    dist[other as usize] = c;
                    next[other as usize] = node;
                    heap.push(Entry { cost: c, node: other });
                }
            }
        }
        Some(DistanceField { target, snap, dist, next })
    }

    /// Shortest walking path between two positions (A*). `None` only for an empty network.
    pub fn route(&self, from: Xy, to: Xy) -> Option<WalkPath> {
        let (s, t) = (self.snap(from)?, self.snap(to)?);
        if from.dist(to) <= s.offset_m + t.offset_m {
            // Nearer to each other than to any street (a yard, a square): straight across.
            return Some(WalkPath { points: vec![from, to], length_m: from.dist(to) });
        }
        let (se, te) = (self.edges[s.edge as usize], self.edges[t.edge as usize]);
        let mut best_len = f64::INFINITY;
        let mut best_end: Option<u32> = None;
        if s.edge == t.edge {
            best_len = (s.t - t.t).abs() * se.len;
        }
        let n = self.nodes.len();
        let mut dist = vec![f64::INFINITY; n];
        let mut prev = vec![u32::MAX; n];
        let mut heap = BinaryHeap::new();
        let h = |node: u32| self.nodes[node as usize].dist(t.point);
        for (node, cost) in [(se.a, s.t * se.len), (se.b, (1.0 - s.t) * se.len)] {
            if cost < dist[node as usize] {
                dist[node as usize] = cost;
                heap.push(Entry { cost: cost + h(node), node });
            }
        }
        let exit = |node: u32| -> Option<f64> {
            if node == te.a {
                Some(t.t * te.len)
            } else if node == te.b {
                Some((1.0 - t.t) * te.len)
            } else {
                None
            }
        };
        while let Some(Entry { cost: f, node }) = heap.pop() {
            if f >= best_len {
                break;
            }
            let g = dist[node as usize];
            if f > g + h(node) + 1e-9 {
                continue;
            }
            if let Some(rest) = exit(node)
                && g + rest < best_len
            {
                best_len = g + rest;
                best_end = Some(node);
            }
            for &(other, e) in &self.adjacency[node as usize] {
                let c = g + self.edges[e as usize].len;
                if c < dist[other as usize] {
                    dist[other as usize] = c;
                    prev[other as usize] = node;
                    heap.push(Entry { cost: c + h(other), node: other });
                }
            }
        }
        if !best_len.is_finite() {
            return None;
        }
        let mut points = vec![from, s.point];
        if let Some(end) = best_end {
            let mut chain = vec![end];
            while let Some(&last) = chain.last() {
                let p = prev[last as usize];
                if p == u32::MAX {
                    break;
                }
                chain.push(p);
            }
            points.extend(chain.iter().rev().map(|&i| self.nodes[i as usize]));
        }
        points.push(t.point);
        points.push(to);
        dedup(&mut points);
        Some(WalkPath { length_m: s.offset_m + best_len + t.offset_m, points })
    }

    pub fn node(&self, i: u32) -> Xy {
        self.nodes[i as usize]
    }

    /// A few nodes spread over the network, for tests and benchmarks (every `step`-th node).
    pub fn sample_nodes(&self, step: usize) -> Vec<Xy> {
        self.nodes.iter().step_by(step.max(1)).copied().collect()
    }
}

/// Walking distances to one target from everywhere: built once per stop, read on every position fix.
#[derive(Clone, Debug)]
pub struct DistanceField {
    pub target: Xy,
    snap: Snap,
    dist: Vec<f64>,
    /// Per node, the next node towards the target (`u32::MAX` at the target's edge).
    next: Vec<u32>,
}

impl DistanceField {
    /// Walking distance from `p` to the target: to the network, along it, then to the target itself.
    pub fn distance_from(&self, net: &Network, p: Xy) -> Option<f64> {
        let s = net.snap(p)?;
        let direct = p.dist(self.target);
        if direct <= s.offset_m + self.snap.offset_m {
            return Some(direct);
        }
        Some(s.offset_m + self.along_from(net, &s)?.0 + self.snap.offset_m)
    }

    /// Distance along the network from a snapped point, and the node the path goes through (None when it
    /// stays on the target's own edge).
    fn along_from(&self, net: &Network, s: &Snap) -> Option<(f64, Option<u32>)> {
        let e = net.edges[s.edge as usize];
        let via_a = s.t * e.len + self.dist[e.a as usize];
        let via_b = (1.0 - s.t) * e.len + self.dist[e.b as usize];
        let mut best = if via_a <= via_b { (via_a, Some(e.a)) } else { (via_b, Some(e.b)) };
        if s.edge == self.snap.edge {
            let direct = (s.t - self.snap.t).abs() * e.len;
            if direct <= best.0 {
                best = (direct, None);
            }
        }
        best.0.is_finite().then_some(best)
    }

    /// The walking path from `p` to the target.
    pub fn path_from(&self, net: &Network, p: Xy) -> Option<WalkPath> {
        let s = net.snap(p)?;
        if p.dist(self.target) <= s.offset_m + self.snap.offset_m {
            return Some(WalkPath { points: vec![p, self.target], length_m: p.dist(self.target) });
        }
        let (along, via) = self.along_from(net, &s)?;
        let mut points = vec![p, s.point];
        let mut node = via;
        while let Some(n) = node {
            points.push(net.nodes[n as usize]);
            let following = self.next[n as usize];
            node = (following != u32::MAX).then_some(following);
        }
        points.push(self.snap.point);
        points.push(self.target);
        dedup(&mut points);
        Some(WalkPath { points, length_m: s.offset_m + along + self.snap.offset_m })
    }
}

fn dedup(points: &mut Vec<Xy>) {
    points.dedup_by(|a, b| a.dist(*b) < 0.01);
}

/// Projection of `p` on the segment `a`–`b`: the fraction along it and the point.
pub fn project(p: Xy, a: Xy, b: Xy) -> (f64, Xy) {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 { (((p.x - a.x) * dx + (p.y - a.y) * dy) / len2).clamp(0.0, 1.0) } else { 0.0 };
    (t, Xy { x: a.x + t * dx, y: a.y + t * dy })
}

/// The most cells the nearest-edge grid may have (a few MB at most).
pub const MAX_GRID_CELLS: usize = 1 << 18;
/// The most edge entries in all its cells together (16 MB of ids at most).
const MAX_GRID_ENTRIES: usize = 4 << 20;

fn build_grid(nodes: &[Xy], edges: &[Edge]) -> Grid {
    let (mut min, mut max) = (Xy { x: f64::MAX, y: f64::MAX }, Xy { x: f64::MIN, y: f64::MIN });
    for p in nodes {
        min = Xy { x: min.x.min(p.x), y: min.y.min(p.y) };
        max = Xy { x: max.x.max(p.x), y: max.y.max(p.y) };
    }
    if nodes.is_empty() {
        min = Xy::default();
        max = Xy::default();
    }
    // Cells of GRID_CELL_M, or bigger when the streets spread so far that the grid would pass
    // MAX_GRID_CELLS: its memory is bounded whatever the data (a hostile pack's 1,000 km line).
    let (w, h) = ((max.x - min.x).max(0.0), (max.y - min.y).max(0.0));
    let cell = GRID_CELL_M.max(((w + GRID_CELL_M) * (h + GRID_CELL_M) / MAX_GRID_CELLS as f64).sqrt());
    let cols = ((w / cell).floor() as usize).saturating_add(1).min(MAX_GRID_CELLS);
    let rows = ((h / cell).floor() as usize).saturating_add(1).min(MAX_GRID_CELLS / cols);
    let mut grid = Grid { min, cell, cols, rows, cells: vec![Vec::new(); cols * rows] };
    // Each edge goes into the cells of its bounding box (a street segment is short: a cell or two);
    // past MAX_GRID_ENTRIES the rest is left out (only a hostile pack's long lines get there: its far
    // streets are then not snapped to, and memory stays bounded).
    let mut entries = 0usize;
    'edges: for (i, e) in edges.iter().enumerate() {
        let (a, b) = (nodes[e.a as usize], nodes[e.b as usize]);
        let (c1, r1) = grid.cell_of(Xy { x: a.x.min(b.x), y: a.y.min(b.y) });
        let (c2, r2) = grid.cell_of(Xy { x: a.x.max(b.x), y: a.y.max(b.y) });
        for c in c1.max(0)..=c2.min(cols as isize - 1) {
            for r in r1.max(0)..=r2.min(rows as isize - 1) {
                if entries >= MAX_GRID_ENTRIES {
                    break 'edges;
                }
                grid.cells[r as usize * cols + c as usize].push(i as u32);
                entries += 1;
            }
        }
    }
    grid
}

#[derive(Clone, Copy, PartialEq, Debug)]
struct Entry {
    cost: f64,
    node: u32,
}

impl Eq for Entry {}

impl Ord for Entry {
    /// Reversed: `BinaryHeap` is a max-heap, the search wants the smallest cost first.
    fn cmp(&self, other: &Self) -> Ordering {
        other.cost.total_cmp(&self.cost).then_with(|| other.node.cmp(&self.node))
    }
}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
