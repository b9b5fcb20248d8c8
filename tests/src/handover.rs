//! The hand-over in the browser: a worksheet's code on screen, photographed (a screenshot: what a camera
//! pointed at the screen sees), and read back from the photo through the page's file input — the
//! browser decodes the picture, the picture reader (`photo.js`) reads its pixels.

use std::path::Path;
use std::time::Duration;

use super::webdriver::{Result, Session};
use super::{TITLE_TEXT, my_worksheets_say, tab};

/// Mes fiches → Transmettre: the worksheet's one code on screen.
pub fn code_shown(s: &Session) -> Result {
    my_worksheets_say(s, TITLE_TEXT)?;
    s.click_css("#send-all")?;
    s.wait_text("h1", "Transmettre")?;
    s.wait(".qr[data-code] svg")?;
    s.wait_text(".code-count", "Code 1 sur 1").map(|_| ())
}

/// The code on screen as a camera pointed at it would see it: the whole screen, the code in the middle.
pub fn code_photographed(s: &Session, picture: &Path) -> Result {
    s.script("document.querySelector('.qr[data-code]').scrollIntoView({block: 'center'}); return true")?;
    s.settled()?;
    s.screenshot(picture)
}

/// Plus → Banque de projets → Recevoir des fiches: the photo chosen, its one code read, the worksheet
/// it carries named.
pub fn read_from_photo(s: &Session, picture: &Path) -> Result {
    tab(s, 4)?;
    s.click_css("#to-bank")?;
    s.click_css("#to-receive")?;
    s.wait_text("h1", "Recevoir des fiches")?;
    let photo = s.wait("#qr-photo")?;
    s.type_text(&photo, &picture.canonicalize().map_err(|e| e.to_string())?.display().to_string())?;
    s.wait_text_within("#receive-status", "Codes lus : 1 sur 1", Duration::from_secs(60))?;
    s.wait_text("#receive-status", TITLE_TEXT).map(|_| ())
}

/// On Recevoir des fiches: three photos that are not what they claim, each refused with its name and
/// why — a text file (not a picture), a PNG whose header claims 60,000 × 60,000 pixels (refused before
/// the browser decodes anything) and a PNG of 100 × 100 pixels whose pixels are noise (the browser's
/// decoder says no).
pub fn bad_photos_refused(s: &Session, dir: &Path) -> Result {
    let png = |side: u32, rest: &[u8]| {
        let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        bytes.extend(side.to_be_bytes());
        bytes.extend(side.to_be_bytes());
        bytes.extend([8, 2, 0, 0, 0, 0, 0, 0, 0]);
        bytes.extend(rest);
        bytes
    };
    let files = [
        ("pas-une-photo.png", b"une liste de courses".to_vec(), "not a picture"),
        ("bombe.png", png(60_000, b""), "too large to read"),
        ("bruit.png", png(100, &[0x5a; 300]), "not a picture"),
    ];
    for (name, bytes, why) in files {
        let path = dir.join(name);
        std::fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        let photo = s.wait("#qr-photo")?;
        s.type_text(&photo, &path.canonicalize().map_err(|e| e.to_string())?.display().to_string())?;
        let said = s.wait_text("#receive-status", name)?;
        if !said.contains("Cette image n'a pas pu être lue.") || !said.contains(why) {
            return Err(format!("{name}: the receive screen says {said:?}"));
        }
    }
    Ok(())
}
