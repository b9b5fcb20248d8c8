//! The accessibility audit both end-to-end runs share (the WebKitGTK app, the web app in Chromium): on
//! every screen a person can reach, axe-core (npm, pinned in package.json) with the WCAG 2.0, 2.1 and 2.2
//! A and AA rules, then what axe cannot check: every control reachable by the keyboard, a focused field
//! in full view (not under the header or the tab bar), no sideways scrolling.
//!
//! A finding is `screen: rule — what axe says (the element)`. The run fails on any finding not in
//! [`KNOWN`], the findings still to fix, each said in the closing note; a known finding that is gone
//! fails the run too, so the list only shrinks.

use std::sync::OnceLock;

use crate::webdriver::{Result, Session};

/// axe-core's script, read once from node_modules (installed by `cargo xtask setup`).
fn axe_source() -> Result<&'static str> {
    static AXE: OnceLock<std::result::Result<String, String>> = OnceLock::new();
    AXE.get_or_init(|| {
        std::fs::read_to_string("node_modules/axe-core/axe.min.js")
            .map_err(|e| format!("node_modules/axe-core/axe.min.js: {e} (cargo xtask setup installs it)"))
    })
    .as_deref()
    .map_err(|e| e.to_owned())
}

/// The findings still to fix: `(screen, rule)`. Empty when the app passes.
pub const KNOWN: &[(&str, &str)] = &[];

/// The WCAG rules axe runs: A and AA of 2.0, 2.1 and 2.2.
const TAGS: &str = "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa']";

/// axe on the screen shown: its findings, `rule — help (element)`.
pub fn axe(s: &Session) -> Result<Vec<(String, String)>> {
    if s.script("return typeof window.axe")? != "object" {
        s.script(&format!("{}\n;return typeof window.axe", axe_source()?))?;
    }
    let found = s.script_async(&format!(
        "axe.run(document, {{ runOnly: {{ type: 'tag', values: {TAGS} }}, resultTypes: ['violations'] }})\
         .then((r) => done(r.violations.map((v) => [v.id, v.help + ' (' + v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ') + \
         (v.nodes.length > 3 ? ', … ' + v.nodes.length + ' in all' : '') + ')'])))\
         .catch((e) => done([['axe', String(e)]]))"
    ))?;
    let found = found.as_array().ok_or_else(|| format!("axe: {found}"))?;
    Ok(found
        .iter()
        .filter_map(|v| Some((v[0].as_str()?.to_owned(), v[1].as_str().unwrap_or_default().to_owned())))
        .collect())
}

/// What axe cannot see: controls the keyboard cannot reach (a click handler on something that takes no
/// focus), a field that, once focused, is not fully in view between the header and the tab bar, and a
/// page wider than the screen.
pub fn keyboard_and_layout(s: &Session) -> Result<Vec<(String, String)>> {
    // Each field is focused, then measured two frames later (once the page has scrolled it into view).
    let found = s.script_async(
        "const out = [];
         const main = document.getElementById('main') || document.querySelector('main');
         const bar = document.querySelector('nav.tabs');
         const scroller = document.getElementById('scroller') || main || document.body;
         const name = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : '');
         const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
         const fields = [...document.querySelectorAll('main textarea, main input:not([type=hidden]):not([type=file]), main select')]
           .filter((f) => f.offsetParent !== null);
         (async () => {
           for (const f of fields) {
             f.focus();
             await frames();
             const top = Math.max(0, scroller.getBoundingClientRect().top);
             const bottom = bar ? bar.getBoundingClientRect().top : window.innerHeight;
             const r = f.getBoundingClientRect();
             const shown = Math.max(0, Math.min(r.bottom, bottom) - Math.max(r.top, top));
             const need = Math.min(r.height, bottom - top);
             if (shown + 1 < need) out.push(['focus-in-view', name(f) + ': ' + Math.round(100 * shown / need) + ' % in view once focused']);
           }
           if (document.activeElement) document.activeElement.blur();
           // A field's edge against its own background: 3:1 at least (WCAG 1.4.11).
           const rgb = (c) => (c.match(/[\\d.]+/g) || []).slice(0, 3).map(Number);
           const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); })
             .reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i], 0);
           const ratio = (a, b) => { const [x, y] = [lum(rgb(a)), lum(rgb(b))].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
           for (const f of fields) {
             const st = getComputedStyle(f);
             const r = ratio(st.borderTopColor, st.backgroundColor);
             if (parseFloat(st.borderTopWidth) > 0 && r < 3) out.push(['field-edge-contrast', name(f) + ': edge ' + r.toFixed(2) + ':1']);
           }
           // One title per screen: the heading's, in the screen's language.
           const h1 = document.getElementById('page-heading');
           if (h1 && document.title !== h1.textContent.trim() + ' · Parcours')
             out.push(['page-title', 'the window says ' + JSON.stringify(document.title) + ' on ' + JSON.stringify(h1.textContent.trim())]);
           // The chosen route says so in words, not by its border alone.
           for (const r of document.querySelectorAll('.route-choice[aria-pressed=true]'))
             if (!r.textContent.includes('✓')) out.push(['route-in-words', name(r) + ' is chosen, in its border only']);
           const wide = document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth;
           if (wide > 1) {
             const over = [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > document.scrollingElement.clientWidth + 1
               || (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'visible'));
             const inner = over.filter((e) => !over.some((o) => o !== e && e.contains(o))).slice(0, 3).map(name);
             out.push(['no-sideways-scroll', 'the page is ' + wide + ' px wider than the screen (' + inner.join(', ') + '; window ' + window.innerWidth + ', body ' + document.body.scrollWidth + ')']);
           }
           if (main && scroller.scrollHeight > scroller.clientHeight + 1 && main.tabIndex < 0)
             out.push(['scroll-by-keyboard', name(scroller) + ' scrolls but ' + name(main) + ' cannot take the focus']);
           done(out);
         })().catch((e) => done([['keyboard-checks', String(e)]]));",
    )?;
    let found = found.as_array().ok_or_else(|| format!("keyboard checks: {found}"))?;
    Ok(found
        .iter()
        .filter_map(|v| Some((v[0].as_str()?.to_owned(), v[1].as_str().unwrap_or_default().to_owned())))
        .collect())
}

/// One screen audited: its findings, each `screen: rule — details`.
pub fn screen(s: &Session, name: &str) -> Result<Vec<(String, String, String)>> {
    s.settled()?;
    let mut found = axe(s)?;
    found.extend(keyboard_and_layout(s)?);
    Ok(found.into_iter().map(|(rule, what)| (name.to_owned(), rule, what)).collect())
}

fn tab(s: &Session, n: usize) -> Result {
    s.click_css(&format!("nav.tabs button:nth-child({n})"))?;
    s.settled()
}

fn menu(s: &Session, css: &str) -> Result {
    tab(s, 4)?;
    s.click_css(css)?;
    s.settled()
}

/// Every screen a person reaches, in the order a tour of the app meets them; `web`: the web app (its
/// install page). A worksheet is made if there is none (the worksheet and hand-over screens need one).
pub fn tour(s: &Session, web: bool, size: &str) -> Result<Vec<(String, String, String)>> {
    let mut found = Vec::new();
    let at = |name: &str, found: &mut Vec<_>| -> Result {
        found.extend(screen(s, &format!("{name} ({size})"))?);
        Ok(())
    };
    tab(s, 1)?;
    s.wait(".route-choice")?;
    at("Accueil", &mut found)?;
    tab(s, 2)?;
    s.wait(".stop-item")?;
    at("Carte", &mut found)?;
    s.click_css(".stop-item[data-stop='collectif-social-web']")?;
    s.wait(".did-you-know")?;
    at("Étape", &mut found)?;
    tab(s, 3)?;
    s.wait("li.current")?;
    at("Programme", &mut found)?;
    tab(s, 4)?;
    s.wait("ul.menu")?;
    at("Plus", &mut found)?;
    menu(s, "ul.menu li:nth-child(1) button")?;
    s.wait("[data-new-worksheet]")?;
    at("Ateliers", &mut found)?;
    if s.find_all("#send-all")?.is_empty() {
        s.click_css("[data-new-worksheet]")?;
        s.wait("textarea[data-field]")?;
        menu(s, "ul.menu li:nth-child(1) button")?;
    }
    s.click_css(".my-worksheets [data-worksheet]")?;
    s.wait("textarea[data-field]")?;
    at("Fiche chantier", &mut found)?;
    menu(s, "ul.menu li:nth-child(1) button")?;
    s.click_css("#send-all")?;
    s.wait(".qr[data-code] svg")?;
    at("Transmettre", &mut found)?;
    menu(s, "ul.menu li:nth-child(2) button")?;
    s.wait("#search-input")?;
    at("Initiatives", &mut found)?;
    menu(s, "ul.menu li:nth-child(3) button")?;
    at("À propos", &mut found)?;
    menu(s, "ul.menu li:nth-child(4) button")?;
    s.wait(".run-sheet")?;
    at("Mode guide", &mut found)?;
    menu(s, "#to-bank")?;
    at("Banque de projets", &mut found)?;
    s.click_css("#to-receive")?;
    s.wait("#qr-photo")?;
    at("Recevoir", &mut found)?;
    menu(s, "#to-ready")?;
    s.wait(".readiness")?;
    at("Prêt pour la visite", &mut found)?;
    menu(s, "#to-visits")?;
    s.wait(".visit-current")?;
    at("Mes visites", &mut found)?;
    menu(s, "#to-booklet")?;
    s.wait(".booklet section.stop")?;
    at("Livret", &mut found)?;
    if web {
        menu(s, "#to-install")?;
        at("Installer", &mut found)?;
    }
    tab(s, 1)?;
    Ok(found)
}

/// The tour at phone and tablet size, and on a 320 px screen with the text at 200 %; the findings not
/// known (or known and gone) as one error.
pub fn audit(s: &Session, web: bool) -> Result {
    audit_at(s, web, &[(360, 780, 100), (1024, 768, 100), (320, 780, 200)])
}

/// [`audit`] at the sizes given: (width, height, text size in %).
pub fn audit_at(s: &Session, web: bool, sizes: &[(u32, u32, u32)]) -> Result {
    // First, that the audit can fail: an image with no text alternative, put in the page for a moment.
    s.script("const img = document.createElement('img'); img.id = 'axe-canary'; img.src = 'data:,'; document.getElementById('main').prepend(img); return true")?;
    let canary = axe(s);
    s.script("document.getElementById('axe-canary')?.remove(); return true")?;
    let canary = canary?;
    if !canary.iter().any(|(rule, what)| rule == "image-alt" && what.contains("axe-canary")) {
        return Err(format!("axe did not see an image with no alt (it found {canary:?}): the audit cannot be trusted"));
    }
    let mut found = Vec::new();
    for &(w, h, text) in sizes {
        s.set_size(w, h)?;
        s.script(&format!("document.documentElement.style.fontSize = '{text}%'; return true"))?;
        let size = if text == 100 { format!("{w}×{h}") } else { format!("{w}×{h}, text {text} %") };
        let tour = tour(s, web, &size);
        s.script("document.documentElement.style.fontSize = ''; return true")?;
        found.extend(tour?);
    }
    s.set_size(360, 780)?;
    let screen_of = |name: &str| name.split(" (").next().unwrap_or(name).to_owned();
    let new: Vec<String> = found
        .iter()
        .filter(|(screen, rule, _)| !KNOWN.iter().any(|(k, r)| *k == screen_of(screen) && r == rule))
        .map(|(screen, rule, what)| format!("{screen}: {rule} — {what}"))
        .collect();
    let gone: Vec<String> = KNOWN
        .iter()
        .filter(|(k, r)| !found.iter().any(|(screen, rule, _)| screen_of(screen) == *k && rule == r))
        .map(|(k, r)| format!("{k}: {r}"))
        .collect();
    if !new.is_empty() || !gone.is_empty() {
        return Err(format!(
            "accessibility: {} finding(s){}\n      {}",
            new.len(),
            if gone.is_empty() { String::new() } else { format!("; fixed, to strike from KNOWN: {}", gone.join(", ")) },
            new.join("\n      ")
        ));
    }
    Ok(())
}

/// On the map screen: the zoom buttons are named in French and 44 px; each stop marker is named
/// "Étape N : name"; Tab reaches a marker and Enter opens its stop, and Space does too.
pub fn map_by_keyboard(s: &Session) -> Result {
    s.wait(".stop-pin[data-stop]")?;
    s.settled()?;
    let zoom = s.script(
        "return [...document.querySelectorAll('.leaflet-control-zoom a')].map((a) => \
         [a.getAttribute('aria-label'), Math.round(a.getBoundingClientRect().width), Math.round(a.getBoundingClientRect().height)])",
    )?;
    let expected = serde_json::json!([["Rapprocher la carte", 44, 44], ["Éloigner la carte", 44, 44]]);
    if zoom != expected {
        return Err(format!("zoom buttons {zoom}, expected {expected}"));
    }
    let names = s.script(
        "return [...document.querySelectorAll('.stop-pin[data-stop]')].map((m) => m.getAttribute('aria-label'))",
    )?;
    let names: Vec<&str> = names.as_array().map(|a| a.iter().filter_map(|v| v.as_str()).collect()).unwrap_or_default();
    if names.is_empty() || !names.iter().all(|n| n.starts_with("Étape ") && n.replace('\u{202f}', " ").contains(" : "))
    {
        return Err(format!("stop markers named {names:?}"));
    }
    for key in ["\u{e007}", " "] {
        // From the top of the page, as a keyboard user arrives.
        s.script("document.getElementById('page-heading').focus(); return true")?;
        if !s.tab_to(".stop-pin[data-stop]", 30)? {
            return Err("30 presses of Tab never reached a stop marker".into());
        }
        let name = s.script("return document.activeElement.getAttribute('data-name')")?;
        let name = name.as_str().ok_or("the focused marker has no name")?.to_owned();
        s.press(key)?;
        s.wait_text("h1", &name)?;
        s.settled()?;
        s.click_css(".back")?;
        s.wait(".stop-pin[data-stop]")?;
        s.settled()?;
    }
    Ok(())
}

/// On the Collectif Social Web's page: the easy-read text first, "Lire le texte complet" shows the full
/// one and back; "Écouter" is there exactly when the system has a voice for `lang` (never a dead button),
/// and when it is there it reads and can be stopped.
pub fn easy_read_and_listen(s: &Session, lang: &str) -> Result {
    s.wait_text(".description .easy-read", "Nous sommes au Collectif Social Web.")?;
    s.wait_text(".easy-switch", "Lire le texte complet")?;
    s.click_css(".easy-switch")?;
    s.wait_text(".description", "Labellisé France Services depuis 2023")?;
    if !s.find_all(".description .easy-read")?.is_empty() {
        return Err("the easy text stays with the full one".into());
    }
    s.click_css(".easy-switch")?;
    s.wait_text(".description .easy-read", "Facile à lire")?;
    let voice = s.script(&format!(
        "return !!window.speechSynthesis && speechSynthesis.getVoices().some((v) => v.lang.toLowerCase().startsWith('{lang}'))"
    ))?;
    let button = !s.find_all("[data-listen='stop']")?.is_empty();
    if voice.as_bool() != Some(button) {
        return Err(format!("a voice for {lang}: {voice}; an Écouter button: {button}"));
    }
    if button {
        s.click_css("[data-listen='stop']")?;
        s.wait_text("[data-listen='stop']", "Arrêter la lecture")?;
        s.click_css("[data-listen='stop']")?;
        s.wait_text("[data-listen='stop']", "Écouter")?;
    }
    Ok(())
}

/// The two pseudo-locales made from English (`en-XA`: accented, 40 % longer, in [brackets]; `ar-XB`:
/// right to left), chosen as a person's language is (kept on the device), then the page started again:
/// every screen passes the audit at 360×780; `ar-XB` turns the whole page right to left, the tab bar
/// and the map's controls with it. Screenshots of the home and map screens in `out`. French again after.
pub fn pseudo_locales(s: &Session, web: bool, out: &std::path::Path) -> Result {
    s.set_size(360, 780)?;
    let mut found = Vec::new();
    let toured = tour_pseudo(s, web, out, &mut found);
    // French again, whatever happened: the steps after this one read French.
    s.script("localStorage.setItem('parcours.lang', 'fr'); location.reload(); return true")?;
    s.wait("html[lang='fr'] nav.tabs")?;
    tab(s, 1)?;
    toured?;
    if !found.is_empty() {
        let list: Vec<String> = found.iter().map(|(screen, rule, what)| format!("{screen}: {rule} — {what}")).collect();
        return Err(format!("pseudo-locales: {} finding(s)\n      {}", list.len(), list.join("\n      ")));
    }
    Ok(())
}

fn tour_pseudo(s: &Session, web: bool, out: &std::path::Path, found: &mut Vec<(String, String, String)>) -> Result {
    for tag in ["en-XA", "ar-XB"] {
        s.script(&format!("localStorage.setItem('parcours.lang', '{tag}'); location.reload(); return true"))?;
        s.wait(&format!("html[lang='{tag}'] nav.tabs"))?;
        let brackets = s.script("return document.querySelector('nav.tabs button')?.textContent ?? ''")?;
        let brackets = brackets.as_str().unwrap_or_default().to_owned();
        if tag == "en-XA" && !(brackets.contains('[') && brackets.contains(']')) {
            return Err(format!("en-XA: the tab bar says {brackets:?}, not an accented word in brackets"));
        }
        // The visit's own texts in English, which a pseudo-locale is made from: never in French.
        let page = s.script("return document.body.innerText")?;
        let page = page.as_str().unwrap_or_default();
        let english = page.contains("Green route") || page.contains("Pink route");
        if !english || page.contains("Parcours vert") || page.contains("Parcours rose") {
            return Err(format!("{tag}: the route is not named in English on the home screen: {page:.300}"));
        }
        if tag == "ar-XB" {
            let laid = s.script(
                "const tabs = [...document.querySelectorAll('nav.tabs button')].map((b) => b.getBoundingClientRect().left);
                 return [document.documentElement.dir, getComputedStyle(document.body).direction, tabs[0] > tabs[tabs.length - 1]]",
            )?;
            if laid != serde_json::json!(["rtl", "rtl", true]) {
                return Err(format!("ar-XB: dir, direction and the first tab on the right: {laid}"));
            }
        }
        found.extend(tour(s, web, &format!("360×780, {tag}"))?);
        s.screenshot(&out.join(format!("pseudo-{tag}-home.png")))?;
        tab(s, 2)?;
        s.wait(".stop-item")?;
        if tag == "ar-XB" {
            let zoom = s.script(
                "const z = document.querySelector('.leaflet-control-zoom'); const m = document.querySelector('.leaflet-container');
                 return !!z && !!m && z.getBoundingClientRect().right > m.getBoundingClientRect().left + m.clientWidth / 2",
            )?;
            if zoom != true {
                return Err("ar-XB: the map's zoom buttons are not on the right-hand side".into());
            }
        }
        s.screenshot(&out.join(format!("pseudo-{tag}-map.png")))?;
        tab(s, 1)?;
    }
    Ok(())
}
