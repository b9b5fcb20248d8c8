//! Component tests of the interface in headless Chromium (`wasm-bindgen-test`): cheaper than the full
//! app for what needs only a DOM. Run by `cargo xtask test`.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use leptos::prelude::*;
use parcours_ui::{Lang, Markdown};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn fresh_container() -> web_sys::HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let div = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&div).unwrap();
    div.dyn_into().unwrap()
}

#[wasm_bindgen_test]
fn markdown_renders_paragraphs_lists_and_bold_as_nodes() {
    let container = fresh_container();
    let text = "Depuis **2018**, <b>pas du HTML</b>.\n\n- un\n- **deux**".to_owned();
    let handle = leptos::mount::mount_to(container.clone(), move || view! { <Markdown text=text.clone() /> });
    // Leptos marks its dynamic places with empty comments; they are not content.
    let html = container.inner_html().replace("<!---->", "");
    assert!(html.contains("<p>Depuis <strong>2018</strong>, &lt;b&gt;pas du HTML&lt;/b&gt;.</p>"), "{html}");
    assert!(html.contains("<ul><li>un</li><li><strong>deux</strong></li></ul>"), "{html}");
    drop(handle);
}

#[wasm_bindgen_test]
fn a_map_arrow_holds_its_colour_as_a_value_never_as_markup() {
    // Refused at opening since (`pack::bounds`); drawn safely all the same.
    let hostile = "#000\"/></svg><style>body{display:none}</style><meta http-equiv=\"refresh\" content=\"0\">";
    let svg = parcours_ui::arrow_svg(hostile, 90.0).unwrap();
    assert_eq!(svg.child_element_count(), 1);
    let path = svg.first_element_child().unwrap();
    assert_eq!(path.tag_name(), "path");
    assert_eq!(path.get_attribute("fill").as_deref(), Some(hostile));
    assert_eq!(path.get_attribute("transform").as_deref(), Some("rotate(90 8 8)"));
    assert!(svg.query_selector("style, meta").unwrap().is_none());
    let container = fresh_container();
    container.append_child(&svg).unwrap();
    assert!(container.query_selector("style, meta").unwrap().is_none());
    assert_eq!(container.query_selector_all("path").unwrap().length(), 1);
}

#[wasm_bindgen_test]
fn every_interface_word_exists_in_both_languages() {
    // Completeness is the build's (parcours-i18n refuses a language with a message missing); here, that
    // the interface reads them. A message made only of values ("{ $mark } { $route }") has no text.
    for lang in [Lang::Fr, Lang::En] {
        let words = parcours_ui::all_words(lang);
        assert!(words.len() > 300, "{lang:?}: {}", words.len());
        assert!(words.iter().filter(|w| !w.trim().is_empty()).count() > 300, "{lang:?} has empty words");
    }
}
