//! Plus → "Le livret à imprimer", in both shells: the visit's paper booklet on the page, made by the
//! command layer (the same as `parcours export booklet`).

use std::path::Path;
use std::process::Command;

use crate::webdriver::{Result, Session};

/// The booklet's screen, from the Plus menu: every stop of the Bayonne visit, both route maps drawn
/// from the streets, the blank worksheet; the print button ready.
pub fn open(s: &Session) -> Result {
    s.click_css("#to-booklet")?;
    s.wait_text("h1", "Le livret à imprimer")?;
    s.wait(".booklet section.stop")?;
    let count = |css: &str| -> Result<u64> {
        s.script(&format!("return document.querySelectorAll({css:?}).length")).map(|v| v.as_u64().unwrap_or(0))
    };
    let (stops, maps, streets) = (
        count(".booklet section.stop")?,
        count(".booklet figure.route-map svg")?,
        count(".booklet figure.route-map svg path")?,
    );
    if stops != 4 || maps != 2 || streets < 4 {
        return Err(format!("the booklet shows {stops} stops, {maps} maps, {streets} paths (4, 2, ≥ 4 wanted)"));
    }
    // French typography's narrow no-break spaces ("Le saviez-vous ?") read as spaces.
    let page = s.text(&s.wait(".booklet")?)?.replace('\u{202f}', " ");
    for wanted in ["Collectif Social Web", "10 h 30 – 10 h 45", "Le saviez-vous ?", "© OpenStreetMap contributors"] {
        if !page.contains(wanted) {
            return Err(format!("the booklet does not show {wanted:?}"));
        }
    }
    let disabled = s.script("return document.getElementById('print-booklet').disabled")?;
    if disabled != serde_json::Value::Bool(false) {
        return Err("the print button is not ready".into());
    }
    Ok(())
}

/// The page as the browser prints it (WebDriver's Print Page): the booklet, without the app around it.
pub fn printed(s: &Session, pdf: &Path) -> Result {
    s.print_pdf(pdf)?;
    let out = Command::new("pdftotext")
        .args([pdf.to_str().unwrap_or_default(), "-"])
        .output()
        .map_err(|e| format!("pdftotext (poppler-utils, `cargo xtask setup`): {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout).split_whitespace().collect::<Vec<_>>().join(" ");
    for wanted in ["Les étapes", "Collectif Social Web", "Fiche chantier", "Les initiatives"] {
        if !text.contains(wanted) {
            return Err(format!("the printed booklet lacks {wanted:?}"));
        }
    }
    for chrome in ["Imprimer le livret", "Pour les personnes sans téléphone"] {
        if text.contains(chrome) {
            return Err(format!("the app's own controls are printed: {chrome:?}"));
        }
    }
    Ok(())
}
