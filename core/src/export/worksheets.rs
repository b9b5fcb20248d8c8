//! Worksheets as one self-contained HTML page to print (A4, a worksheet per page), with the QR codes
//! that hand them over, so a printed sheet can still be scanned into another phone. Built with maud,
//! as the booklet is: every value escaped.

use maud::{DOCTYPE, PreEscaped, html};

use crate::pack::Pack;
use crate::userdata::{document_title, readable};
use crate::worksheet::WorksheetDoc;

const CSS: &str = "body{font-family:system-ui,sans-serif;font-size:12pt;line-height:1.4;margin:1.5cm;color:#000}\
h1{font-size:18pt}h2{font-size:15pt;border-bottom:1px solid #000}article+article{break-before:page}\
h3{font-size:12pt;margin:0.8em 0 0.2em}p.text{white-space:pre-wrap;margin:0}\
dl{display:grid;grid-template-columns:auto 1fr;gap:0 1em}dt{font-weight:700}dd{margin:0}\
figure{display:inline-block;width:7cm;margin:0 1em 1em 0;text-align:center}figure svg{width:100%;height:auto}";

/// The page, in `lang` (a language tag: only a known language's tag gets into the page), with `codes`
/// (SVG, made by the core's `handover`) first.
pub fn worksheets_html(worksheets: &[WorksheetDoc], pack: Option<&Pack>, lang: &str, codes: &[String]) -> String {
    let (heading, event) = document_title(pack, lang);
    let language = parcours_i18n::Lang::from_tag(lang);
    let w = language.words();
    let n = codes.len();
    html! {
        (DOCTYPE)
        html lang=(language.tag()) {
            head {
                meta charset="utf-8";
                meta http-equiv="Content-Security-Policy" content=(crate::PAGE_CSP);
                title { (heading) }
                style { (PreEscaped(CSS)) }
            }
            body {
                h1 { (heading) }
                @if let Some(event) = &event { p { (event) } }
                @if !codes.is_empty() {
                    section.codes {
                        @for (i, svg) in codes.iter().enumerate() {
                            // The codes' SVG is the core's own drawing (from `qrcode`), not a value.
                            figure {
                                (PreEscaped(svg.find("<svg").map_or(svg.as_str(), |at| &svg[at..])))
                                figcaption { (w.code_count(&(i + 1), &n)) }
                            }
                        }
                    }
                }
                @for ws in worksheets {
                    @let r = readable(ws, pack, lang);
                    article {
                        h2 { (r.title) }
                        dl { @for (label, value) in &r.facts { dt { (label) } dd { (value) } } }
                        @for (label, text) in &r.columns {
                            h3 { (label) }
                            p.text { @if text.is_empty() { "—" } @else { (text) } }
                        }
                    }
                }
            }
        }
    }
    .into_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_printed_page_takes_only_a_known_language_tag_for_its_language() {
        let page = worksheets_html(&[], None, "fr\"><script>alert(1)</script>", &[]);
        assert!(page.contains("<html lang=\"fr\">") && !page.contains("<script>"), "{page}");
        assert!(worksheets_html(&[], None, "en", &[]).contains("<html lang=\"en\">"));
    }
}
