//! `MapView`: the one component that owns the Leaflet map. It draws the pack's streets as vectors (canvas
//! renderer, nothing fetched; a layer of lines as one shape), the chosen route in its colour and pattern,
//! the stops numbered in the route's order, approximate positions as zones, and the street names a frame
//! after the rest (the map is usable without them); it shows the OpenStreetMap attribution. Two layer groups
//! change after building: the route's walking path along the streets (when the shell has computed it) and
//! the live layer (the walker's position, its accuracy, the dotted way to the next stop).
//!
//! A walk sends a position a second for two hours: the live layer has a renderer of its own (SVG), so
//! that moving the dot never redraws the streets' canvas, and its three shapes are moved, not remade;
//! the way to the next stop is redrawn only when it changed.

use std::cell::RefCell;
use std::sync::Arc;

use leaflet::{
    Circle, CircleMarker, CircleOptions, DivIconOptions, LatLng, LatLngBounds, LayerGroup, Map, MapOptions, Marker,
    MarkerOptions, MouseEvents, Point, Polyline, PolylineOptions, Zoom, ZoomOptions,
};
use leptos::html::Div;
use leptos::prelude::*;
use parcours_core::pack::{Confidence, LineStyle, Pack, Route};
use parcours_core::walk::{Correction, FollowView, RoutePath};
use wasm_bindgen::prelude::*;

use crate::i18n::{Lang, Words};

#[wasm_bindgen]
extern "C" {
    /// `L.divIcon(options)`. (The `leaflet` crate's `DivIcon::new` builds an `L.Icon`, which needs an
    /// image URL; a div icon is what numbered markers need.)
    #[wasm_bindgen(js_namespace = L, js_name = divIcon)]
    fn div_icon(options: &JsValue) -> leaflet::Icon;

    /// `L.geoJSON(data, options)` (not exported by the `leaflet` crate).
    #[wasm_bindgen(js_namespace = L, js_name = geoJSON)]
    fn geo_json(data: &JsValue, options: &JsValue) -> leaflet::Layer;
}

/// Stops whose position is known, in the route's order, with their number (1-based) in that order.
fn placed<'a>(
    pack: &'a Pack,
    route: &'a Route,
) -> Vec<(usize, &'a parcours_core::pack::Stop, &'a parcours_core::pack::Position)> {
    route
        .stops
        .iter()
        .enumerate()
        .filter_map(|(i, id)| pack.stop(id).and_then(|s| s.position.as_ref().map(|p| (i + 1, s, p))))
        .collect()
}

/// The map and its two changing layer groups.
struct Built {
    map: Map,
    route: LayerGroup,
    live: Live,
    recorded: LayerGroup,
}

/// The walker on the map: the way to the next stop, the accuracy zone and the dot, each made once and
/// then moved; on an SVG renderer of their own, above the streets' canvas.
struct Live {
    group: LayerGroup,
    renderer: leaflet::Svg,
    path: RefCell<Option<(Polyline, Vec<[f64; 2]>)>>,
    zone: RefCell<Option<Circle>>,
    dot: RefCell<Option<CircleMarker>>,
}

/// `options.renderer = renderer` (the `leaflet` crate's shape options have no setter for it).
fn on_renderer(options: &JsValue, renderer: &leaflet::Svg) {
    let _ = js_sys::Reflect::set(options, &JsValue::from_str("renderer"), renderer);
}

/// Positions recorded on site by a guide: small squares, named in their tooltip.
fn draw_recorded(built: &Built, pack: &Pack, list: &[Correction], words: &Words) {
    built.recorded.clear_layers();
    for c in list {
        let name = pack.stops.iter().find(|s| s.id.as_str() == c.stop).map_or(c.stop.as_str(), |s| s.name.as_str());
        let icon = DivIconOptions::new();
        icon.set_class_name("recorded-pin".into());
        icon.set_icon_size(Point::new(18.0, 18.0));
        icon.set_icon_anchor(Point::new(9.0, 9.0));
        let options = MarkerOptions::new();
        options.set_icon(div_icon(icon.as_ref()));
        let said = words.recorded_marker(&name);
        options.set_title(said.clone());
        options.set_alt(said);
        options.set_interactive(false);
        // Shown, not operated: no focus stop, no target (Leaflet makes markers focusable buttons).
        options.set_keyboard(false);
        built.recorded.add_layer(&Marker::new_with_options(&LatLng::new(c.lat, c.lon), &options));
    }
}

fn route_style(route: &Route) -> PolylineOptions {
    let line_options = PolylineOptions::new();
    line_options.set_color(route.colour.clone());
    line_options.set_weight(5.0);
    line_options.set_opacity(0.9);
    line_options.set_interactive(false);
    if route.line == LineStyle::Dashed {
        line_options.set_dash_array("10 8".into());
    }
    line_options
}

fn lat_lngs(points: &[[f64; 2]]) -> js_sys::Array {
    let line = js_sys::Array::new();
    for [lat, lon] in points {
        line.push(&LatLng::new(*lat, *lon));
    }
    line
}

/// Arrows along a leg, in the route's colour: the way it is walked (the core places them). They take
/// no pointer and no focus and are hidden from screen readers (the list and the way in words say it).
fn add_arrows(group: &LayerGroup, leg: &[[f64; 2]], colour: &str) {
    for arrow in parcours_core::labels::arrows(leg, ARROW_EVERY_M) {
        let icon = DivIconOptions::new();
        icon.set_class_name("route-arrow".into());
        // Built with DOM calls, never as HTML text: the colour is only ever an attribute's value.
        if let Some(svg) = arrow_svg(colour, arrow.angle_deg) {
            let _ = js_sys::Reflect::set(icon.as_ref(), &"html".into(), &svg);
        }
        icon.set_icon_size(Point::new(18.0, 18.0));
        icon.set_icon_anchor(Point::new(9.0, 9.0));
        let marker = shown_marker(group, arrow.at, &icon);
        if let Some(el) = marker_element(&marker) {
            let _ = el.set_attribute("aria-hidden", "true");
        }
    }
}

/// An arrow pointing `angle_deg` clockwise from east, filled with `colour`, outlined in white.
pub fn arrow_svg(colour: &str, angle_deg: f64) -> Option<web_sys::Element> {
    const SVG: &str = "http://www.w3.org/2000/svg";
    let document = web_sys::window()?.document()?;
    let svg = document.create_element_ns(Some(SVG), "svg").ok()?;
    let path = document.create_element_ns(Some(SVG), "path").ok()?;
    let rotate = format!("rotate({angle_deg:.0} 8 8)");
    let attributes: [(&web_sys::Element, &str, &str); 9] = [
        (&svg, "viewBox", "0 0 16 16"),
        (&svg, "width", "18"),
        (&svg, "height", "18"),
        (&path, "d", "M3 2.5 14 8 3 13.5 6 8z"),
        (&path, "transform", &rotate),
        (&path, "fill", colour),
        (&path, "stroke", "#ffffff"),
        (&path, "stroke-width", "1.5"),
        (&path, "stroke-linejoin", "round"),
    ];
    for (element, name, value) in attributes {
        element.set_attribute(name, value).ok()?;
    }
    svg.append_child(&path).ok()?;
    Some(svg)
}

/// A marker that is shown, not operated: no pointer, no focus stop (Leaflet makes markers focusable
/// buttons otherwise), added to `group`.
fn shown_marker(group: &LayerGroup, at: [f64; 2], icon: &DivIconOptions) -> Marker {
    let options = MarkerOptions::new();
    options.set_icon(div_icon(icon.as_ref()));
    options.set_interactive(false);
    options.set_keyboard(false);
    let marker = Marker::new_with_options(&LatLng::new(at[0], at[1]), &options);
    group.add_layer(&marker);
    marker
}

/// The spacing of the walking-direction arrows, in metres.
const ARROW_EVERY_M: f64 = 140.0;

/// Replaces the straight lines by the walking path along the streets.
fn draw_plan(built: &Built, route: &Route, plan: &RoutePath) {
    built.route.clear_layers();
    for leg in &plan.legs {
        built.route.add_layer(&Polyline::new_with_options(&lat_lngs(leg), &route_style(route)));
    }
    for leg in &plan.legs {
        add_arrows(&built.route, leg, &route.colour);
    }
}

/// A change of the walker's drawing smaller than this, on screen, is not drawn: no one sees 2 px, and
/// each position drawn is a frame the phone paints (positions come every second, and a walker moves
/// about a pixel a second at the map's zooms).
const UNSEEN_PX: f64 = 2.0;

/// Web Mercator's metres per screen pixel at latitude `lat` and `zoom` (256-pixel tiles).
fn metres_per_px(lat: f64, zoom: f64) -> f64 {
    156_543.03 * lat.to_radians().cos() / 2f64.powf(zoom)
}

/// The accuracy drawn around the dot (metres), when the position is less sure than 5 m.
fn zone_m(view: &FollowView) -> Option<f64> {
    view.accuracy_m.filter(|a| *a > 5.0)
}

/// Whether `view` would draw what is drawn, give or take [`UNSEEN_PX`]: the dot, the accuracy zone's
/// edge and the start of the way to the next stop moved less, and the way goes by the same streets.
fn unseen(built: &Built, view: &FollowView) -> bool {
    let live = &built.live;
    let (Some(at), Some(dot)) = (view.position, live.dot.borrow().as_ref().map(|d| d.get_lat_lng())) else {
        return false;
    };
    // In metres, with Leaflet's own distance (its screen points are rounded to the pixel).
    let unseen_m = UNSEEN_PX * metres_per_px(at[0], built.map.get_zoom());
    let near = |a: &[f64; 2], b: &[f64; 2]| LatLng::new(a[0], a[1]).distance_to(&LatLng::new(b[0], b[1])) < unseen_m;
    let zone = match (live.zone.borrow().as_ref().map(Circle::get_radius), zone_m(view)) {
        (Some(drawn), Some(now)) => (drawn - now).abs() < unseen_m,
        (drawn, now) => drawn.is_none() && now.is_none(),
    };
    let way = match (live.path.borrow().as_ref(), view.path_to_next.as_ref().filter(|p| p.len() >= 2)) {
        (Some((_, drawn)), Some(now)) => {
            // The same streets to the stop; before them, the points that differ (where the walker is,
            // where they meet the street, one of them left out when both are the same) each near one of
            // the others.
            let same = drawn.iter().rev().zip(now.iter().rev()).take_while(|(a, b)| a == b).count();
            let (a, b) = (&drawn[..drawn.len() - same], &now[..now.len() - same]);
            let close = |a: &[[f64; 2]], b: &[[f64; 2]]| a.iter().all(|p| b.iter().any(|q| near(p, q)));
            same > 0 && close(a, b) && close(b, a)
        }
        (drawn, now) => drawn.is_none() && now.is_none(),
    };
    near(&[dot.lat(), dot.lng()], &at) && zone && way
}

/// The walker's position (a dot, its accuracy as a pale disc) and the dotted way to the next stop; not
/// redrawn for a change no one would see ([`unseen`]).
fn draw_live(built: &Built, view: &FollowView) {
    if unseen(built, view) {
        return;
    }
    let live = &built.live;
    // The way to the next stop: redrawn only when it is another way.
    let way = view.path_to_next.as_ref().filter(|p| p.len() >= 2);
    let mut path = live.path.borrow_mut();
    match (way, path.as_mut()) {
        (Some(way), Some((line, drawn))) if drawn != way => {
            line.set_lat_lngs(&lat_lngs(way));
            *drawn = way.clone();
        }
        (Some(_), Some(_)) => {}
        (Some(way), None) => {
            let style = PolylineOptions::new();
            style.set_color("#1f2933".into());
            style.set_weight(4.0);
            style.set_dash_array("2 9".into());
            style.set_line_cap("round".into());
            style.set_interactive(false);
            on_renderer(&style, &live.renderer);
            let line = Polyline::new_with_options(&lat_lngs(way), &style);
            live.group.add_layer(&line);
            *path = Some((line, way.clone()));
        }
        (None, _) => {
            if let Some((line, _)) = path.take() {
                live.group.remove_layer(&line);
            }
        }
    }
    let at = view.position.map(|[lat, lon]| LatLng::new(lat, lon));
    // The accuracy zone ([`zone_m`]).
    let mut zone = live.zone.borrow_mut();
    match (&at, zone_m(view), zone.as_ref()) {
        (Some(at), Some(accuracy), Some(circle)) => {
            circle.set_lat_lng(at);
            if circle.get_radius() != accuracy {
                circle.set_radius(accuracy);
            }
        }
        (Some(at), Some(accuracy), None) => {
            let options = CircleOptions::new();
            options.set_radius(accuracy);
            options.set_stroke(false);
            options.set_fill_color("#1565c0".into());
            options.set_fill_opacity(0.12);
            options.set_interactive(false);
            on_renderer(&options, &live.renderer);
            let circle = Circle::new_with_options(at, &options);
            live.group.add_layer(&circle);
            *zone = Some(circle);
        }
        (_, _, _) => {
            if let Some(circle) = zone.take() {
                live.group.remove_layer(&circle);
            }
        }
    }
    // The dot, on top.
    let mut dot = live.dot.borrow_mut();
    match (&at, dot.as_ref()) {
        (Some(at), Some(marker)) => marker.set_lat_lng(at),
        (Some(at), None) => {
            let options = CircleOptions::new();
            options.set_radius(9.0);
            options.set_color("#ffffff".into());
            options.set_weight(3.0);
            options.set_fill_color("#1565c0".into());
            options.set_fill_opacity(1.0);
            options.set_interactive(false);
            options.set_class_name("me".into());
            on_renderer(&options, &live.renderer);
            let marker = CircleMarker::new_with_options(at, options.as_ref());
            live.group.add_layer(&marker);
            *dot = Some(marker);
        }
        (None, _) => {
            if let Some(marker) = dot.take() {
                live.group.remove_layer(&marker);
            }
        }
    }
}

fn build(el: &web_sys::HtmlElement, pack: &Pack, route: &Route, on_stop: Callback<String>) -> Result<Built, JsValue> {
    let options = MapOptions::new();
    options.set_prefer_canvas(true);
    options.set_attribution_control(false);
    // Leaflet's own zoom buttons are named in English; ours in the interface's language (see `name`).
    options.set_zoom_control(false);
    let map = Map::new_with_element(el, &options)?;
    leaflet::Control::add_to(&Zoom::new(&ZoomOptions::new()), &map);
    let stops = placed(pack, route);
    // Frame the route's stops, or the streets when no stop is placed. (Leaflet needs a view before layers.)
    let bounds = match (stops.first(), stops.len()) {
        (Some((_, _, p)), _) => {
            let b = LatLngBounds::new(&LatLng::new(p.lat, p.lon), &LatLng::new(p.lat, p.lon));
            for (_, _, p) in &stops {
                b.extend(&LatLng::new(p.lat, p.lon));
            }
            b
        }
        (None, _) => LatLngBounds::new(&LatLng::new(43.4937, -1.4623), &LatLng::new(43.5071, -1.4437)),
    };
    map.fit_bounds_with_options(&bounds, &js_sys::JSON::parse(r#"{"padding": [40, 40], "maxZoom": 17}"#)?);

    // Streets: the pack's map layers, drawn as grey lines at 3.2:1 against the map's ground (#eef0ea). A
    // layer of lines alone (streets) is one shape (one path on the canvas, not one Leaflet layer per
    // street); any other, as GeoJSON.
    let style = js_sys::JSON::parse(r##"{"color": "#7b8692", "weight": 3, "opacity": 1, "interactive": false}"##)?;
    for layer in &pack.map {
        match layer.lines_only() {
            Some(lines) => {
                let all: js_sys::Array = lines.iter().map(|line| lat_lngs(line)).collect();
                Polyline::new_with_options(&all, style.unchecked_ref()).add_to(&map);
            }
            None => {
                let data = js_sys::JSON::parse(&serde_json::to_string(&layer.geojson).unwrap_or_default())?;
                let options = js_sys::Object::new();
                js_sys::Reflect::set(&options, &"style".into(), &style)?;
                js_sys::Reflect::set(&options, &"interactive".into(), &false.into())?;
                geo_json(&data, &options).add_to(&map);
            }
        }
    }

    // The route: straight lines between the known stops until the walking path along the streets comes.
    let route_layer = LayerGroup::new();
    let straight: Vec<[f64; 2]> = stops.iter().map(|(_, _, p)| [p.lat, p.lon]).collect();
    route_layer.add_layer(&Polyline::new_with_options(&lat_lngs(&straight), &route_style(route)));
    route_layer.add_to(&map);
    add_arrows(&route_layer, &straight, &route.colour);
    let live = LayerGroup::new();

    let names = LayerGroup::new();
    names.add_to(&map);
    for (n, stop, p) in &stops {
        let at = LatLng::new(p.lat, p.lon);
        let approximate = p.confidence == Confidence::Low;
        if approximate {
            let zone = CircleOptions::new();
            zone.set_radius(p.accuracy_m);
            zone.set_color(route.colour.clone());
            zone.set_weight(2.0);
            zone.set_dash_array("4 6".into());
            zone.set_fill_color(route.colour.clone());
            zone.set_fill_opacity(0.08);
            zone.set_interactive(false);
            Circle::new_with_options(&at, &zone).add_to(&map);
        }
        let icon = DivIconOptions::new();
        // The number as an element built by DOM calls (Leaflet takes an element as the icon's content):
        // no markup is ever written from a string.
        let number = el.owner_document().ok_or_else(|| JsValue::from_str("no document"))?.create_element("span")?;
        number.set_text_content(Some(&n.to_string()));
        js_sys::Reflect::set(icon.as_ref(), &JsValue::from_str("html"), &number)?;
        icon.set_class_name(format!("stop-pin{}", if approximate { " approximate" } else { "" }));
        icon.set_icon_size(Point::new(44.0, 44.0));
        icon.set_icon_anchor(Point::new(22.0, 22.0));
        let marker_options = MarkerOptions::new();
        marker_options.set_icon(div_icon(icon.as_ref()));
        marker_options.set_title(format!("{n}. {}", stop.name));
        marker_options.set_alt(format!("{n}. {}", stop.name));
        marker_options.set_keyboard(true);
        let marker = Marker::new_with_options(&at, &marker_options);
        let id = stop.id.to_string();
        let open = id.clone();
        marker.on_click(Box::new(move |_| on_stop.run(id.clone())));
        marker.add_to(&map);
        if let Some(el) = marker_element(&marker) {
            let _ = el.set_attribute("data-stop", stop.id.as_str());
            let _ = el.set_attribute("data-n", &n.to_string());
            let _ = el.set_attribute("data-name", &stop.name);
            let role = if *n == 1 {
                "start"
            } else if *n == route.stops.len() {
                "end"
            } else {
                ""
            };
            let _ = el.set_attribute("data-role", role);
            // The name beside the number: a marker of its own (the button's visible text stays its
            // number, which its name "Étape 2 : …" contains), shown, not operated, not read twice.
            let label = DivIconOptions::new();
            label.set_class_name("pin-label".into());
            label.set_html("<b class=\"pin-name\"></b>".into());
            label.set_icon_size(Point::new(0.0, 0.0));
            label.set_icon_anchor(Point::new(-26.0, 0.0));
            let name_marker = shown_marker(&names, [p.lat, p.lon], &label);
            if let Some(label) = marker_element(&name_marker) {
                let _ = label.set_attribute("aria-hidden", "true");
                let _ = label.set_attribute("data-stop", stop.id.as_str());
                let _ = label.set_attribute("data-name", &stop.name);
                let _ = label.set_attribute("data-role", role);
            }
            // A button opens on Enter and Space (Leaflet sends markers a keypress, never a click).
            let keys = Closure::<dyn Fn(web_sys::KeyboardEvent)>::new(move |e: web_sys::KeyboardEvent| {
                if e.key() == "Enter" || e.key() == " " {
                    e.prevent_default();
                    on_stop.run(open.clone());
                }
            });
            let _ = el.add_event_listener_with_callback("keydown", keys.as_ref().unchecked_ref());
            // The marker lives as long as the map's page; so does its listener.
            keys.forget();
        }
    }

    // Recorded positions, then the live layer on top of everything.
    let recorded = LayerGroup::new();
    recorded.add_to(&map);
    live.add_to(&map);
    let again = map.clone();
    map.on_zoom_end(Box::new(move |_| declutter_names(&again)));
    // The map is usable, its stops drawn.
    crate::platform::browser::mark("parcours-map-ready");
    let live = Live {
        group: live,
        renderer: leaflet::Svg::new(),
        path: RefCell::new(None),
        zone: RefCell::new(None),
        dot: RefCell::new(None),
    };
    Ok(Built { map, route: route_layer, live, recorded })
}

/// Below this zoom the names would crowd the map: none is drawn.
const LABEL_MIN_ZOOM: f64 = 15.0;

/// The street names, written along their street ([`parcours_core::labels::street_labels`]), each a
/// marker that takes no pointer and no focus and is hidden from screen readers (the way in words says
/// the streets). At each zoom, a name is shown if its street piece holds it and it overlaps no name
/// already shown (longest streets first).
fn draw_street_labels(map: &Map, pack: &Pack) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let group = LayerGroup::new();
    let mut shown = Vec::new();
    for label in parcours_core::labels::street_labels(&pack.map) {
        // The name as an element built by DOM calls, its text as text: never HTML (it comes from a pack).
        let Ok(span) = document.create_element("span") else { continue };
        span.set_class_name("street-label");
        span.set_text_content(Some(&label.name));
        let _ =
            span.set_attribute("style", &format!("transform: translate(-50%, -50%) rotate({:.1}deg)", label.angle_deg));
        let icon = DivIconOptions::new();
        icon.set_class_name("street-label-icon".into());
        let _ = js_sys::Reflect::set(icon.as_ref(), &JsValue::from_str("html"), &span);
        icon.set_icon_size(Point::new(0.0, 0.0));
        let marker = shown_marker(&group, label.at, &icon);
        let Ok(span) = span.dyn_into::<web_sys::HtmlElement>() else { continue };
        shown.push((marker, span, label));
    }
    group.add_to(map);
    for (marker, _, _) in &shown {
        if let Some(el) = marker_element(marker) {
            let _ = el.set_attribute("aria-hidden", "true");
        }
    }
    // Each name's width, read once for all (one layout, not one per name; the map's zoom changes none).
    let shown: Vec<_> =
        shown.into_iter().map(|(_, span, label)| (f64::from(span.offset_width()), span, label)).collect();
    let shown = std::rc::Rc::new(shown);
    let declutter = {
        let (map, shown) = (map.clone(), shown.clone());
        move || {
            let zoom = map.get_zoom();
            let mut kept: Vec<(f64, f64, f64)> = Vec::new();
            for (width, span, label) in shown.iter() {
                let width = *width;
                let metres_per_px = metres_per_px(label.at[0], zoom);
                let p = map.lat_lng_to_container_point(&LatLng::new(label.at[0], label.at[1]));
                let (x, y) = (p.x(), p.y());
                let fits = zoom >= LABEL_MIN_ZOOM && width <= label.piece_m / metres_per_px * 1.2;
                let free = kept.iter().all(|&(kx, ky, kw)| (kx - x).hypot(ky - y) > (kw + width) / 2.0 + 4.0);
                let show = fits && free;
                if show {
                    kept.push((x, y, width));
                }
                let _ = span.style().set_property("visibility", if show { "visible" } else { "hidden" });
            }
        }
    };
    declutter();
    let again = declutter.clone();
    map.on_zoom_end(Box::new(move |_| again()));
}

/// Shows each stop's name beside its number where it fits: inside the map and over no other name
/// (the route's order first); hidden otherwise (the number and the marker's name stay).
fn declutter_names(map: &Map) {
    let Some(container) = js_sys::Reflect::get(map, &JsValue::from_str("_container"))
        .ok()
        .and_then(|c| c.dyn_into::<web_sys::Element>().ok())
    else {
        return;
    };
    let Ok(names) = container.query_selector_all(".pin-label .pin-name") else { return };
    let frame = container.get_bounding_client_rect();
    let mut kept: Vec<web_sys::DomRect> = Vec::new();
    for i in 0..names.length() {
        let Some(name) = names.item(i).and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok()) else { continue };
        let _ = name.style().set_property("visibility", "visible");
        let r = name.get_bounding_client_rect();
        let inside = r.left() >= frame.left()
            && r.right() <= frame.right()
            && r.top() >= frame.top()
            && r.bottom() <= frame.bottom();
        let free = kept
            .iter()
            .all(|k| r.right() < k.left() || r.left() > k.right() || r.bottom() < k.top() || r.top() > k.bottom());
        if inside && free {
            kept.push(r);
        } else {
            let _ = name.style().set_property("visibility", "hidden");
        }
    }
}

/// Names the map's controls for screen readers, in the interface's language: each stop marker (its
/// number alone otherwise), the zoom buttons (Leaflet's "+" and "−", named in English).
fn name(el: &web_sys::HtmlElement, words: &Words) {
    let Ok(markers) = el.query_selector_all(".stop-pin[data-stop]") else { return };
    for i in 0..markers.length() {
        let Some(marker) = markers.item(i).and_then(|m| m.dyn_into::<web_sys::Element>().ok()) else { continue };
        let n = marker.get_attribute("data-n").unwrap_or_default();
        let stop = marker.get_attribute("data-name").unwrap_or_default();
        let role = match marker.get_attribute("data-role").as_deref() {
            Some("start") => Some(words.route_start()),
            Some("end") => Some(words.route_end()),
            _ => None,
        };
        let label = match role {
            Some(role) => words.stop_marker_role(&n, &stop, &role),
            None => words.stop_marker(&n, &stop),
        };
        let _ = marker.set_attribute("aria-label", &label);
        let _ = marker.set_attribute("title", &label);
    }
    let Ok(labels) = el.query_selector_all(".pin-label[data-stop]") else { return };
    for i in 0..labels.length() {
        let Some(label) = labels.item(i).and_then(|m| m.dyn_into::<web_sys::Element>().ok()) else { continue };
        let stop = label.get_attribute("data-name").unwrap_or_default();
        let role = match label.get_attribute("data-role").as_deref() {
            Some("start") => Some(words.route_start()),
            Some("end") => Some(words.route_end()),
            _ => None,
        };
        if let Ok(Some(name)) = label.query_selector(".pin-name") {
            // Text, never HTML: the name comes from a pack.
            name.set_text_content(Some(&match role {
                Some(role) => words.pin_role(&role, &stop),
                None => stop,
            }));
        }
    }
    for (css, text) in [(".leaflet-control-zoom-in", words.zoom_in()), (".leaflet-control-zoom-out", words.zoom_out())]
    {
        if let Ok(Some(button)) = el.query_selector(css) {
            let _ = button.set_attribute("aria-label", text);
            let _ = button.set_attribute("title", text);
        }
    }
}

/// The marker's DOM element (Leaflet's `getElement()`), to tag it for tests and assistive tech.
fn marker_element(marker: &Marker) -> Option<web_sys::Element> {
    let get = js_sys::Reflect::get(marker, &JsValue::from_str("getElement")).ok()?;
    let get: js_sys::Function = get.dyn_into().ok()?;
    get.call0(marker).ok()?.dyn_into().ok()
}

#[component]
pub fn MapView(
    pack: Arc<Pack>,
    route: Route,
    on_stop: Callback<String>,
    #[prop(into)] label: Signal<&'static str>,
    attribution: String,
    #[prop(into)] plan: Signal<Option<RoutePath>>,
    #[prop(into)] live: Signal<Option<FollowView>>,
    #[prop(into)] recorded: Signal<Vec<Correction>>,
    #[prop(into)] lang: Signal<Lang>,
) -> impl IntoView {
    let node = NodeRef::<Div>::new();
    let map = StoredValue::new_local(None::<Built>);
    let ready = RwSignal::new(false);
    let r = route.clone();
    let p = pack.clone();
    Effect::new(move |_| {
        if ready.get() {
            let list = recorded.get();
            map.with_value(|b| b.as_ref().map(|b| draw_recorded(b, &p, &list, lang.get().words())));
        }
    });
    Effect::new(move |_| {
        let Some(el) = node.get() else { return };
        if map.with_value(Option::is_some) {
            return;
        }
        match build(&el, &pack, &r, on_stop) {
            Ok(m) => {
                map.set_value(Some(m));
                ready.set(true);
                // The streets' names along them (the core picks where), those that would not fit hidden:
                // once the map and its stops are on screen, a frame later.
                let pack = pack.clone();
                leptos::task::spawn_local(async move {
                    let _ = wasm_bindgen_futures::JsFuture::from(crate::platform::browser::after_paint()).await;
                    // Not on a map already left (removed with its page).
                    map.try_with_value(|b| {
                        b.as_ref()
                            .filter(|b| b.map.get_container().is_connected())
                            .map(|b| draw_street_labels(&b.map, &pack))
                    });
                });
            }
            Err(e) => web_sys::console::error_1(&e),
        }
    });
    Effect::new(move |_| {
        if ready.get()
            && let Some(el) = node.get()
        {
            name(&el, lang.get().words());
            map.with_value(|b| b.as_ref().map(|b| declutter_names(&b.map)));
        }
    });
    Effect::new(move |_| {
        if let (true, Some(plan)) = (ready.get(), plan.get()) {
            map.with_value(|b| b.as_ref().map(|b| draw_plan(b, &route, &plan)));
        }
    });
    Effect::new(move |_| {
        if let (true, Some(view)) = (ready.get(), live.get()) {
            map.with_value(|b| b.as_ref().map(|b| draw_live(b, &view)));
        }
    });
    on_cleanup(move || {
        map.try_with_value(|b| b.as_ref().map(|b| b.map.remove()));
    });
    view! {
        <div class="map-wrap">
            <div class="map" node_ref=node role="region" aria-label=move || label.get()></div>
            <p class="map-attribution">{attribution}</p>
        </div>
    }
}
