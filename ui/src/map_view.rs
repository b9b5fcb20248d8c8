//! `MapView`: the one component that owns the Leaflet map. It draws the pack's streets as vectors (canvas
//! renderer, nothing fetched), the chosen route in its colour and pattern, the stops numbered in the
//! route's order, approximate positions as zones; it shows the OpenStreetMap attribution.

use std::sync::Arc;

use leaflet::{
    Circle, CircleOptions, DivIconOptions, LatLng, LatLngBounds, Map, MapOptions, Marker, MarkerOptions, MouseEvents,
    Point, Polyline, PolylineOptions,
};
use leptos::html::Div;
use leptos::prelude::*;
use parcours_core::pack::{Confidence, Pack, Route};
use wasm_bindgen::prelude::*;

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

fn build(el: &web_sys::HtmlElement, pack: &Pack, route: &Route, on_stop: Callback<String>) -> Result<Map, JsValue> {
    let options = MapOptions::new();
    options.set_prefer_canvas(true);
    options.set_attribution_control(false);
    options.set_zoom_control(true);
    let map = Map::new_with_element(el, &options)?;
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

    // Streets: the pack's GeoJSON, drawn as grey lines.
    for layer in &pack.map {
        let data = js_sys::JSON::parse(&serde_json::to_string(&layer.geojson).unwrap_or_default())?;
        let style = js_sys::JSON::parse(
            r##"{"style": {"color": "#8d99a6", "weight": 3, "opacity": 0.9}, "interactive": false}"##,
        )?;
        geo_json(&data, &style).add_to(&map);
    }

    // The route: straight lines between the known stops (walking paths come with the street graph).
    let line = js_sys::Array::new();
    for (_, _, p) in &stops {
        line.push(&LatLng::new(p.lat, p.lon));
    }
    let line_options = PolylineOptions::new();
    line_options.set_color(route.colour.clone());
    line_options.set_weight(5.0);
    line_options.set_opacity(0.9);
    line_options.set_interactive(false);
    if route.id.as_str() != "green" {
        line_options.set_dash_array("10 8".into());
    }
    Polyline::new_with_options(&line, &line_options).add_to(&map);

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
        icon.set_html(format!("<span>{n}</span>"));
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
        marker.on_click(Box::new(move |_| on_stop.run(id.clone())));
        marker.add_to(&map);
        if let Some(el) = marker_element(&marker) {
            let _ = el.set_attribute("data-stop", stop.id.as_str());
        }
    }

    Ok(map)
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
) -> impl IntoView {
    let node = NodeRef::<Div>::new();
    let map = StoredValue::new_local(None::<Map>);
    Effect::new(move |_| {
        let Some(el) = node.get() else { return };
        if map.with_value(Option::is_some) {
            return;
        }
        match build(&el, &pack, &route, on_stop) {
            Ok(m) => map.set_value(Some(m)),
            Err(e) => web_sys::console::error_1(&e),
        }
    });
    on_cleanup(move || {
        if let Some(Some(m)) = map.try_get_value() {
            m.remove();
        }
    });
    view! {
        <div class="map-wrap">
            <div class="map" node_ref=node role="region" aria-label=move || label.get()></div>
            <p class="map-attribution">{attribution}</p>
        </div>
    }
}
