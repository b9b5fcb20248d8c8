//! The paper booklet, made from the pack: one source of truth for the phone and for paper (people without
//! a smartphone still walk with the booklet).
//!
//! One HTML document, laid out for print with CSS (`booklet.css`: A4 or A5 pages, no stop cut across two
//! pages): the programme, each route with its map (an SVG drawn here from the pack's streets, the route
//! and its numbered stops — no tiles, nothing fetched), the way in words from stop to stop, each stop's
//! theme, speakers, description and "le saviez-vous", the workshops, the blank worksheet form, the
//! initiatives, contacts and sources, and the QR code to the web app when its address is known. The
//! browser prints it (or saves it as PDF). Markup through `maud`, which escapes every text of the pack.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::pack::{Localized, OrganisationRole, Pack, Route, Stop};
use crate::text::{Block, long_date, markdown, spoken_time};
use crate::walk::network::Projection;
use crate::walk::{Network, directions};

/// The booklet's print rules, also used by the app's print (its screen "Livret").
pub const CSS: &str = include_str!("booklet.css");

/// The paper the booklet is laid out for.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum Paper {
    #[default]
    A4,
    A5,
}

impl Paper {
    pub fn parse(text: &str) -> Option<Paper> {
        match text.to_ascii_lowercase().as_str() {
            "a4" => Some(Paper::A4),
            "a5" => Some(Paper::A5),
            _ => None,
        }
    }

    fn css(self) -> &'static str {
        match self {
            Paper::A4 => "@page { size: A4; margin: 15mm 15mm 18mm; }",
            Paper::A5 => {
                "@page { size: A5; margin: 10mm 10mm 13mm; } .booklet { font-size: 10pt; } .booklet .route-map svg { max-height: 85mm; }"
            }
        }
    }
}

/// `url` if it is a web address people can open: `https://…` (or `http://…`, a test on this machine)
/// with a host and no space; the booklet's QR code carries it.
pub fn web_address(url: &str) -> Option<&str> {
    let (secure, rest) = match url.strip_prefix("https://") {
        Some(rest) => (true, rest),
        None => (false, url.strip_prefix("http://")?),
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    // The host without its port (`[::1]:8000` keeps its brackets).
    let name = match host.rfind(':') {
        Some(i) if !host[i..].contains(']') => &host[..i],
        _ => host,
    };
    let shown = !host.is_empty() && !url.chars().any(|c| c.is_whitespace() || c.is_control()) && url.len() <= 2000;
    (shown && (secure || crate::links::on_this_machine(name))).then_some(url)
}

/// `text` made safe inside HTML (the same escaping as the booklet's).
pub fn escape(text: &str) -> String {
    html! { (text) }.into_string()
}

/// The words of the booklet itself (the pack gives the rest): the message files' `booklet-*`.
fn words(lang: &str) -> &'static parcours_i18n::Words {
    parcours_i18n::Lang::from_tag(lang).words()
}

/// The three steps to keep the web app on a phone.
fn on_phone_steps(w: &parcours_i18n::Words) -> [&'static str; 3] {
    [w.booklet_on_phone_1(), w.booklet_on_phone_2(), w.booklet_on_phone_3()]
}

/// The whole booklet as an HTML document to open in a browser and print.
pub fn document(pack: &Pack, lang: &str, url: Option<&str>, paper: Paper) -> String {
    let title = pack.event.title.get(lang);
    html! {
        (DOCTYPE)
        html lang=(parcours_i18n::Lang::from_tag(lang).tag()) {
            head {
                meta charset="utf-8";
                meta http-equiv="Content-Security-Policy" content=(crate::PAGE_CSP);
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " — " (long_date(pack.event.date, lang)) }
                style { (PreEscaped(CSS)) (PreEscaped(paper.css())) }
            }
            body { (body(pack, lang, url)) }
        }
    }
    .into_string()
}

/// The web app's first screen, written into its page (`parcours site seal`): the visit's name, day and
/// place, and each route with its stops in order, with the home screen's classes (the interface then
/// draws the same screen, to be used). The routes are `p.route-preview`, drawn like the buttons that
/// replace them. Text only, escaped by maud.
pub fn first_screen(pack: &Pack, lang: &str) -> String {
    let event = &pack.event;
    html! {
        section.event {
            h1 { (event.title.get(lang)) }
            p.subtitle { (event.subtitle.get(lang)) }
            p.when { (event.when(lang)) }
            p.where { (event.place()) }
        }
        section.routes {
            @for route in &pack.routes {
                p class={ "route-preview route-" (route.id.as_str()) } {
                    span.route-name { (route.name.get(lang)) }
                    " "
                    span.route-order { (pack.route_order(route)) }
                }
            }
        }
    }
    .into_string()
}

/// The poster to put up where the visit's people pass (`affiche.html`, one A4 page): the visit's title,
/// date, times and place, a large QR code to the web app, the three steps to keep it on the phone, the
/// address in letters, and that the paper booklet is there for those without a phone.
pub fn poster(pack: &Pack, lang: &str, url: &str) -> String {
    let w = words(lang);
    let event = &pack.event;
    let title = event.title.get(lang);
    html! {
        (DOCTYPE)
        html lang=(parcours_i18n::Lang::from_tag(lang).tag()) {
            head {
                meta charset="utf-8";
                meta http-equiv="Content-Security-Policy" content=(crate::PAGE_CSP);
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " — " (w.booklet_poster()) }
                style { (PreEscaped(POSTER_CSS)) }
            }
            body {
                main.poster {
                    h1 { (title) }
                    p.when { (long_date(event.date, lang)) ", " (spoken_time(event.start, lang)) " – " (spoken_time(event.end, lang)) }
                    p.where_ { (event.venue) ", " (event.city) }
                    (qr(url, "poster-qr"))
                    h2 { (w.booklet_poster_heading()) }
                    ol { @for step in on_phone_steps(w) { li { (step) } } }
                    p.url { (url) }
                    p.paper { (w.booklet_no_phone()) }
                }
            }
        }
    }
    .into_string()
}

const POSTER_CSS: &str = "@page { size: A4; margin: 15mm; }
body { margin: 0; background: #ffffff; color: #000000; font-family: \"Atkinson Hyperlegible\", Verdana, Arial, sans-serif; }
.poster { max-width: 180mm; margin: 0 auto; text-align: center; font-size: 16pt; line-height: 1.35; }
.poster h1 { font-size: 30pt; margin: 0 0 6mm; line-height: 1.1; }
.poster .when, .poster .where_ { font-size: 18pt; font-weight: bold; margin: 2mm 0; }
.poster-qr { width: 95mm; margin: 8mm auto; }
.poster-qr svg { width: 100%; height: auto; display: block; }
.poster h2 { font-size: 18pt; margin: 4mm 0; }
.poster ol { text-align: left; display: inline-block; margin: 0; padding-left: 1.4em; }
.poster li { margin: 2mm 0; }
.poster .url { font-family: monospace; font-size: 14pt; overflow-wrap: anywhere; margin-top: 6mm; }
.poster .paper { margin-top: 6mm; font-size: 14pt; }";

/// The booklet's content alone (an `<article class="booklet">`), for the app to show and print under its
/// own page (with [`CSS`] in its style sheet).
pub fn fragment(pack: &Pack, lang: &str, url: Option<&str>) -> String {
    body(pack, lang, url).into_string()
}

fn body(pack: &Pack, lang: &str, url: Option<&str>) -> Markup {
    let w = words(lang);
    let t = |l: &Localized| l.get(lang).to_owned();
    let event = &pack.event;
    let network = Network::from_layers(&pack.map);
    html! {
        article.booklet lang=(parcours_i18n::Lang::from_tag(lang).tag()) {
            section.cover {
                h1 { (t(&event.title)) }
                @if !t(&event.subtitle).is_empty() { p.subtitle { (t(&event.subtitle)) } }
                p.when {
                    (long_date(event.date, lang)) ", " (spoken_time(event.start, lang)) " – " (spoken_time(event.end, lang))
                }
                p.where_ { (event.venue) ", " (event.address) " — " (event.neighbourhood) ", " (event.city) }
                (text(&t(&event.introduction)))
                @if !event.key_figures.is_empty() {
                    h2 { (w.booklet_key_figures()) }
                    ul.figures {
                        @for f in &event.key_figures {
                            li { strong { (f.value) } " " (t(&f.label)) span.source { " (" (f.source) ")" } }
                        }
                    }
                }
                @if let Some(url) = url { (on_phone(w, url)) }
            }
            section.chapter.programme {
                h2 { (w.booklet_programme()) }
                table {
                    tbody {
                        @for item in &pack.timetable {
                            tr {
                                th scope="row" { (spoken_time(item.start, lang)) @if let Some(end) = item.end { " – " (spoken_time(end, lang)) } }
                                td {
                                    strong { (t(&item.title)) }
                                    @if let Some(place) = &item.place { br; span.place { (t(place)) } }
                                    @if let Some(d) = &item.description { (text(&t(d))) }
                                }
                            }
                        }
                    }
                }
            }
            section.chapter.routes {
                h2 { (w.booklet_routes()) }
                @for route in &pack.routes { (route_section(pack, network.as_ref(), route, lang)) }
            }
            section.chapter.stops {
                h2 { (w.booklet_stops()) }
                @for stop in &pack.stops { (stop_section(pack, stop, lang)) }
            }
            @if !pack.workshops.is_empty() {
                section.chapter.workshops {
                    h2 { (w.booklet_workshops()) }
                    @for wk in &pack.workshops {
                        section.workshop {
                            h3 { (w.workshop_titled(&wk.number, &t(&wk.title))) }
                            p.question { (t(&wk.question)) }
                            @for q in &wk.more_questions { p.question { (t(q)) } }
                            @if let Some(topics) = &wk.topics { (text(&t(topics))) }
                        }
                    }
                }
            }
            (form(pack, lang))
            @if !pack.initiatives.is_empty() {
                section.chapter.initiatives {
                    h2 { (w.booklet_initiatives()) }
                    @for wk in &pack.workshops {
                        @let these: Vec<_> = pack.initiatives.iter().filter(|i| i.workshop == wk.id).collect();
                        @if !these.is_empty() {
                            h3 { (w.workshop_titled(&wk.number, &t(&wk.title))) }
                            @for i in these {
                                section.initiative {
                                    h4 { (t(&i.title)) }
                                    p.meta { (w.booklet_holder_line(&i.holder, &i.territory)) }
                                    p.meta { (w.booklet_acts_on(&t(&i.acts_on))) }
                                    (text(&t(&i.description)))
                                }
                            }
                        }
                    }
                }
            }
            (contacts(pack, lang))
        }
    }
}

/// Pack texts are the small Markdown of [`markdown`]: paragraphs, lists, bold.
fn text(source: &str) -> Markup {
    let spans = |spans: &[crate::text::Span]| {
        html! { @for s in spans { @if s.bold { strong { (s.text) } } @else { (s.text) } } }
    };
    html! {
        @for block in markdown(source) {
            @match block {
                Block::Paragraph(p) => p { (spans(&p)) },
                Block::List(items) => ul { @for item in items { li { (spans(&item)) } } },
            }
        }
    }
}

/// The QR code of `url`, drawn in SVG, in a `div` of class `class` named by the address.
fn qr(url: &str, class: &str) -> Markup {
    let svg = qrcode::QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::M).ok().map(|qr| {
        let svg = qr
            .render::<qrcode::render::svg::Color<'_>>()
            .quiet_zone(true)
            .dark_color(qrcode::render::svg::Color("#000000"))
            .light_color(qrcode::render::svg::Color("#ffffff"))
            .build();
        // Inside an HTML page: the picture without its XML declaration.
        svg.find("<svg").map_or(svg.clone(), |at| svg[at..].to_owned())
    });
    html! { @if let Some(svg) = svg { div class=(class) role="img" aria-label=(url) { (PreEscaped(svg)) } } }
}

fn on_phone(w: &parcours_i18n::Words, url: &str) -> Markup {
    html! {
        aside.on-phone {
            (qr(url, "qr"))
            div {
                h2 { (w.booklet_on_phone()) }
                ol { @for step in on_phone_steps(w) { li { (step) } } }
                p.url { (url) }
            }
        }
    }
}

fn route_section(pack: &Pack, network: Option<&Network>, route: &Route, lang: &str) -> Markup {
    let w = words(lang);
    let name = route.name.get(lang);
    let path = network.map(|net| crate::walk::route_path(pack, net, route));
    html! {
        section.route {
            h3 { span.symbol style=(format!("color:{}", route.colour)) aria-hidden="true" { (route.symbol) } " " (name) }
            p { (w.booklet_route_window(&spoken_time(route.start, lang), &spoken_time(route.end, lang))) }
            (map(pack, route, path.as_ref(), lang))
            ol.timeline {
                @for (n, id) in route.stops.iter().enumerate() {
                    @if let Some(stop) = pack.stop(id) {
                        li value=(n + 1) {
                            @if let Some(v) = route.schedule.iter().find(|v| &v.stop == id) {
                                span.time { (spoken_time(v.arrive, lang)) " – " (spoken_time(v.depart, lang)) }
                                " "
                            }
                            strong { (stop.name) }
                            " — " (stop.theme.get(lang))
                            @if let Some(leg) = path.as_ref().and_then(|p| p.leg_to(id.as_str())) {
                                @let from = pack.stop(&crate::pack::StopId(leg.from.clone())).map_or("", |s| s.name.as_str());
                                p.way { span.way-from { (w.booklet_way_from(&from)) " " } (directions::say(&leg.directions, lang)) }
                            }
                            @if stop.position.is_none() { p.way { (w.booklet_unplaced()) } }
                        }
                    }
                }
                @if let Some(back) = route.back_to.as_ref().and_then(|b| pack.stop(b)) {
                    li.back {
                        span.time { (spoken_time(route.end, lang)) } " "
                        strong { (w.booklet_back_to(&back.name)) }
                        @if let Some(leg) = path.as_ref().and_then(|p| p.way_back()) {
                            @let from = pack.stop(&crate::pack::StopId(leg.from.clone())).map_or("", |s| s.name.as_str());
                            p.way { span.way-from { (w.booklet_way_from(&from)) " " } (directions::say(&leg.directions, lang)) }
                        }
                    }
                }
            }
        }
    }
}

/// A route's map in SVG, in metres east and north of the route's middle (north up): the streets of the
/// pack, the route along them, a numbered disc per placed stop, a scale bar and the map data's credit.
fn map(pack: &Pack, route: &Route, path: Option<&crate::walk::RoutePath>, lang: &str) -> Markup {
    let w = words(lang);
    let placed: Vec<(usize, &Stop, [f64; 2])> = route
        .stops
        .iter()
        .enumerate()
        .filter_map(|(n, id)| pack.stop(id).map(|s| (n + 1, s)))
        .filter_map(|(n, s)| s.position.as_ref().map(|p| (n, s, [p.lat, p.lon])))
        .collect();
    let line: Vec<[f64; 2]> = match path {
        Some(p) if !p.legs.is_empty() => p.legs.iter().flatten().copied().collect(),
        _ => placed.iter().map(|(_, _, p)| *p).collect(),
    };
    let everything: Vec<[f64; 2]> = line.iter().chain(placed.iter().map(|(_, _, p)| p)).copied().collect();
    if everything.is_empty() {
        return html! {};
    }
    let (mut south, mut north, mut west, mut east) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for [lat, lon] in &everything {
        (south, north, west, east) = (south.min(*lat), north.max(*lat), west.min(*lon), east.max(*lon));
    }
    let projection = Projection::new((south + north) / 2.0, (west + east) / 2.0);
    let xy = |[lat, lon]: [f64; 2]| {
        let p = projection.to_xy(lat, lon);
        (p.x, -p.y)
    };
    let (x0, y0) = xy([north, west]);
    let (x1, y1) = xy([south, east]);
    // A margin of 70 m, and at least 300 m across, wider than high at 4:3 when it can.
    let margin = 70.0;
    let (mut width, mut height) = (x1 - x0 + 2.0 * margin, y1 - y0 + 2.0 * margin);
    width = width.max(300.0).max(height * 4.0 / 3.0);
    height = height.max(width * 3.0 / 4.0).min(width * 1.4);
    let (left, top) = ((x0 + x1) / 2.0 - width / 2.0, (y0 + y1) / 2.0 - height / 2.0);
    let unit = width / 600.0; // strokes and labels in a 600-wide picture
    let d = |points: &[[f64; 2]]| {
        let mut d = String::new();
        for (i, p) in points.iter().enumerate() {
            let (x, y) = xy(*p);
            d.push_str(&format!("{}{:.1} {:.1}", if i == 0 { "M" } else { "L" }, x, y));
        }
        d
    };
    let streets: String = crate::pack::street_lines(&pack.map)
        .iter()
        .map(|(_, l)| d(&l.iter().map(|&[lon, lat]| [lat, lon]).collect::<Vec<_>>()))
        .collect();
    let scale = [50.0, 100.0, 200.0, 500.0, 1000.0].into_iter().rfind(|m| *m <= width / 4.0).unwrap_or(50.0);
    let credit: Vec<String> =
        pack.map.iter().filter(|l| l.kind == "streets").map(|l| format!("{} ({})", l.attribution, l.licence)).collect();
    let stops: Vec<String> = placed.iter().map(|(n, s, _)| format!("{n}. {}", s.name)).collect();
    let label = w.booklet_map_label(&route.name.get(lang).to_lowercase(), &stops.join(w.list_and()));
    let dash = match route.line {
        crate::pack::LineStyle::Dashed => format!("{:.1} {:.1}", 12.0 * unit, 7.0 * unit),
        crate::pack::LineStyle::Solid => "none".to_owned(),
    };
    html! {
        figure.route-map {
            svg xmlns="http://www.w3.org/2000/svg" viewBox=(format!("{left:.1} {top:.1} {width:.1} {height:.1}"))
                role="img" aria-label=(label) preserveAspectRatio="xMidYMid meet" {
                rect x=(format!("{left:.1}")) y=(format!("{top:.1}")) width=(format!("{width:.1}")) height=(format!("{height:.1}")) fill="#ffffff" {}
                path d=(streets) fill="none" stroke="#9e9e9e" stroke-width=(format!("{:.1}", 3.0 * unit))
                    stroke-linecap="round" stroke-linejoin="round" {}
                path d=(d(&line)) fill="none" stroke=(route.colour) stroke-width=(format!("{:.1}", 6.0 * unit))
                    stroke-dasharray=(dash) stroke-linecap="round" stroke-linejoin="round" {}
                @for (n, _, p) in &placed {
                    @let (x, y) = xy(*p);
                    circle cx=(format!("{x:.1}")) cy=(format!("{y:.1}")) r=(format!("{:.1}", 13.0 * unit)) fill="#ffffff"
                        stroke=(route.colour) stroke-width=(format!("{:.1}", 4.0 * unit)) {}
                    text x=(format!("{x:.1}")) y=(format!("{:.1}", y + 6.0 * unit)) text-anchor="middle"
                        font-size=(format!("{:.1}", 17.0 * unit)) font-weight="bold" fill="#000000" { (n) }
                }
                @let (bx, by) = (left + 20.0 * unit, top + height - 20.0 * unit);
                path d=(format!("M{bx:.1} {:.1}V{by:.1}H{:.1}V{:.1}", by - 6.0 * unit, bx + scale, by - 6.0 * unit))
                    fill="none" stroke="#000000" stroke-width=(format!("{:.1}", 2.0 * unit)) {}
                text x=(format!("{:.1}", bx + scale + 8.0 * unit)) y=(format!("{by:.1}")) font-size=(format!("{:.1}", 14.0 * unit)) fill="#000000" {
                    (scale) " m"
                }
                @let (nx, ny) = (left + width - 25.0 * unit, top + 40.0 * unit);
                path d=(format!("M{nx:.1} {:.1}L{:.1} {ny:.1}H{:.1}Z", ny - 25.0 * unit, nx - 8.0 * unit, nx + 8.0 * unit)) fill="#000000" {}
                text x=(format!("{nx:.1}")) y=(format!("{:.1}", ny + 18.0 * unit)) text-anchor="middle" font-size=(format!("{:.1}", 14.0 * unit)) fill="#000000" { (w.booklet_north()) }
            }
            @if !credit.is_empty() { figcaption { (w.booklet_map_credit(&credit.join(w.list_separator()))) } }
        }
    }
}

fn stop_section(pack: &Pack, stop: &Stop, lang: &str) -> Markup {
    let w = words(lang);
    let t = |l: &Localized| l.get(lang).to_owned();
    let passes: Vec<String> = pack
        .routes
        .iter()
        .filter_map(|r| {
            let n = r.stops.iter().position(|s| s == &stop.id)? + 1;
            let route = r.name.get(lang);
            Some(match r.schedule.iter().find(|v| v.stop == stop.id) {
                Some(v) => w.booklet_pass_times(
                    &r.symbol,
                    &route,
                    &n,
                    &spoken_time(v.arrive, lang),
                    &spoken_time(v.depart, lang),
                    &v.arrive.minutes_until(v.depart),
                ),
                None => w.booklet_pass(&r.symbol, &route, &n),
            })
        })
        .collect();
    html! {
        section.stop id=(format!("stop-{}", stop.id)) {
            h3 { (stop.name) }
            p.theme { (t(&stop.theme)) }
            @if !passes.is_empty() { p.meta { (w.booklet_on_routes()) @for p in &passes { br; (p) } } }
            @if !stop.host.is_empty() { p.meta { (w.booklet_host(&stop.host)) } }
            @if !t(&stop.meeting_place).is_empty() { p.meta { (w.booklet_meeting(&t(&stop.meeting_place))) } }
            @if let Some(a) = &stop.access { p.meta.access { (w.booklet_access(&t(a))) } }
            @if !stop.speakers.is_empty() {
                p.meta { (w.booklet_speakers()) }
                ul.speakers {
                    @for s in &stop.speakers {
                        li { strong { (s.name) } @if !t(&s.role).is_empty() { ", " (t(&s.role)) } @if let Some(o) = &s.organisation { " (" (o) ")" } }
                    }
                }
            }
            (text(&t(&stop.description)))
            @if !stop.facts.is_empty() {
                aside.facts {
                    h4 { (w.booklet_did_you_know()) }
                    @for f in &stop.facts { (text(&t(f))) }
                }
            }
        }
    }
}

/// The worksheet form, blank, to fill in by hand: one page.
fn form(pack: &Pack, lang: &str) -> Markup {
    let w = words(lang);
    let t = |l: &Localized| l.get(lang).to_owned();
    let sheet = &pack.worksheet;
    html! {
        section.chapter.form {
            h2 { @if t(&sheet.title).is_empty() { (w.booklet_worksheet()) } @else { (t(&sheet.title)) } }
            (text(&t(&sheet.instructions)))
            @if !sheet.objectives.is_empty() { ul { @for o in &sheet.objectives { li { (t(o)) } } } }
            p.fill { (w.booklet_name_line()) " " span.blank {} }
            @if !pack.workshops.is_empty() {
                p.fill { (w.booklet_which_workshop()) }
                ul.choices {
                    @for wk in &pack.workshops { li { span.box aria-hidden="true" { "☐" } " " (wk.number) ". " (t(&wk.title)) } }
                }
            }
            @for c in &sheet.columns {
                div.field {
                    h3 { (t(&c.label)) }
                    @if !t(&c.help).is_empty() { p.help { (t(&c.help)) } }
                    div.lines {}
                }
            }
            @if !sheet.ratings.is_empty() {
                div.field.ratings {
                    (text(&t(&sheet.rating_instructions)))
                    ul {
                        @for r in &sheet.ratings {
                            li {
                                span.box aria-hidden="true" { "☐" } " "
                                span.swatch style=(format!("background:{}", r.colour)) aria-hidden="true" {}
                                " " strong { (t(&r.label)) } " — " (t(&r.meaning))
                            }
                        }
                    }
                }
            }
        }
    }
}

fn contacts(pack: &Pack, lang: &str) -> Markup {
    let w = words(lang);
    let t = |l: &Localized| l.get(lang).to_owned();
    let org = |role: OrganisationRole| pack.event.organisations.iter().filter(move |o| o.role == role);
    let person = |o: &crate::pack::Organisation| {
        html! {
            li {
                strong { (o.name) }
                @if let Some(a) = &o.about { " — " (t(a)) }
                @for line in [&o.address, &o.phone, &o.email, &o.website].into_iter().flatten() { br; (line) }
            }
        }
    };
    let mut layers: Vec<String> =
        pack.map.iter().map(|l| format!("{} ({}) — {}", l.attribution, l.licence, l.source)).collect();
    layers.dedup();
    let mut positions: Vec<String> = pack
        .stops
        .iter()
        .filter_map(|s| {
            s.position.as_ref().map(|p| format!("{} — {}, {} (±{} m)", s.name, p.source, p.licence, p.accuracy_m))
        })
        .collect();
    positions.dedup();
    html! {
        section.chapter.contacts {
            h2 { (w.booklet_contacts()) }
            @if org(OrganisationRole::Organiser).next().is_some() {
                h3 { (w.booklet_organisers()) }
                ul.orgs { @for o in org(OrganisationRole::Organiser) { (person(o)) } }
            }
            @if org(OrganisationRole::Partner).next().is_some() {
                h3 { (w.booklet_partners()) }
                ul.orgs { @for o in org(OrganisationRole::Partner) { (person(o)) } }
            }
            h3 { (w.booklet_sources()) }
            @if !pack.event.key_figures.is_empty() {
                p.meta { (w.booklet_figures()) }
                ul.small { @for f in &pack.event.key_figures { li { (f.value) " " (t(&f.label)) " — " (f.source) } } }
            }
            @if !layers.is_empty() { ul.small { @for l in &layers { li { (w.booklet_map_credit(l)) } } } }
            @if !positions.is_empty() {
                p.meta { (w.booklet_positions()) }
                ul.small { @for p in &positions { li { (p) } } }
            }
            p.small { (pack.pack.id) " — version " (pack.pack.version) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::web_address;

    #[test]
    fn web_addresses() {
        assert_eq!(web_address("https://parcours.example.org/bayonne/"), Some("https://parcours.example.org/bayonne/"));
        assert_eq!(web_address("http://127.0.0.1:8080/"), Some("http://127.0.0.1:8080/"));
        assert_eq!(web_address("http://localhost/x/"), Some("http://localhost/x/"));
        assert_eq!(web_address("http://[::1]:8000/"), Some("http://[::1]:8000/"));
        for bad in [
            "parcours.example.org",
            "https://",
            "https:///x",
            "ftp://x.org",
            "https://a b.org",
            "javascript:alert(1)",
            "http://parcours.example.org/",
            "http://localhost.example.org/",
        ] {
            assert_eq!(web_address(bad), None, "{bad}");
        }
    }
}
