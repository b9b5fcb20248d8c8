//! How the screens say things about the visit: a route's mark, a stop's planned times and status, a
//! walking distance, an approximate position. Words only: what is true comes from the core.

use parcours_core::pack::{Confidence, Pack, Route, Stop};
use parcours_core::text::spoken_time;
use parcours_core::walk::StopStatus;
use parcours_core::worksheet::WorksheetDoc;

use crate::i18n::Words;

/// The marker of a route beside its name (the pack's): colour is never the only signal.
pub(crate) fn route_symbol(route: &Route) -> String {
    route.symbol.clone()
}

/// "Prévu : 10 h 25 – 10 h 45", the planned times of the route's `index`-th stop.
pub(crate) fn planned_line(route: &Route, index: usize, lang: &str, w: &Words) -> String {
    route
        .schedule
        .get(index)
        .map_or_else(String::new, |v| w.planned_times(&spoken_time(v.arrive, lang), &spoken_time(v.depart, lang)))
}

pub(crate) fn position_note(stop: &Stop, w: &Words) -> Option<String> {
    match &stop.position {
        None => Some(w.position_unknown().to_owned()),
        Some(p) if p.confidence == Confidence::Low => Some(w.position_approx(&p.accuracy_m)),
        Some(_) => None,
    }
}

pub(crate) fn status_word(status: StopStatus, w: &Words) -> &'static str {
    match status {
        StopStatus::Pending => w.status_pending(),
        StopStatus::Here => w.status_here(),
        StopStatus::Done => w.status_done(),
        StopStatus::Skipped => w.status_skipped(),
        StopStatus::Unconfirmed => w.status_unconfirmed(),
    }
}

/// "Atelier 2 — title" for a worksheet's workshop, or that the workshop is unknown to this visit.
pub(crate) fn workshop_line(pack: &Pack, doc: &WorksheetDoc, lang: &str, w: &Words) -> String {
    pack.workshops
        .iter()
        .find(|k| k.id.as_str() == doc.workshop)
        .map_or_else(|| w.unknown_workshop().to_owned(), |k| w.workshop_titled(&k.number, &k.title.get(lang)))
}

/// A worksheet's title, or "Fiche sans titre".
pub(crate) fn title_of(pack: &Pack, doc: &WorksheetDoc, w: &Words) -> String {
    let t = doc.title(&pack.worksheet);
    if t.is_empty() { w.untitled().to_owned() } else { t }
}

/// A failure said to the person: the sentence for its code in their language (`errors.ftl`), then the
/// detail the command layer gave (a file's name, a line, the technical reason), if it has one.
pub(crate) fn failed(e: &parcours_core::wire::AppError, w: &Words) -> String {
    let id = format!("error-{}", e.code.to_string().replace('_', "-"));
    let sentence = w.by_id(&id).unwrap_or(w.error_other());
    if e.message.trim().is_empty() { sentence.to_owned() } else { w.error_detail(&sentence, &e.message) }
}

#[cfg(test)]
mod tests {
    use parcours_core::wire::{AppError, ErrorCode};

    use super::failed;

    #[test]
    fn every_error_code_has_a_sentence_in_every_language() {
        for lang in parcours_i18n::LANGS {
            let w = lang.words();
            for code in ErrorCode::ALL {
                let id = format!("error-{}", code.to_string().replace('_', "-"));
                assert!(w.by_id(&id).is_some(), "{lang:?}: no message `{id}`");
            }
        }
        let fr = parcours_i18n::Lang::Fr.words();
        let said = failed(&AppError::new(ErrorCode::DiskFull, "disk full: 0 bytes left"), fr);
        assert!(
            said.starts_with("La mémoire de l'appareil est pleine.") && said.ends_with("(disk full: 0 bytes left)"),
            "{said}"
        );
        assert_eq!(failed(&AppError::new(ErrorCode::Busy, ""), fr), fr.error_busy());
    }
}
