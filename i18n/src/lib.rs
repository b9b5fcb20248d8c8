//! Every sentence of Parcours in every language, as data: the message files `locales/<language>/*.ftl`
//! (Project Fluent's syntax), compiled into Rust by `build.rs`. A translator adds a language by adding a
//! folder of files; the build refuses a language with a message missing, one too many, or other
//! variables. French typography is set at build time too; the pseudo-locales (`en-XA` accented and
//! longer, `ar-XB` right to left) are made from English when first chosen (`pseudo.rs`). Nothing here
//! depends on anything: the core, the command layer, the interface and the CLI can all read it.

/// A piece of a message with variables: text, the n-th variable, or a choice made on one.
#[derive(Clone, Copy, Debug)]
pub enum Piece {
    Text(&'static str),
    Arg(usize),
    Select(&'static Select),
}

/// A choice inside a message (Fluent's select expression), made on the variable `arg`: the case whose
/// key is its value (an exact number, or a word such as a gender), else the case of its plural category
/// in the language (`one`, `other`, …), else `other`.
#[derive(Debug)]
pub struct Select {
    pub arg: usize,
    pub cases: &'static [(&'static str, &'static [Piece])],
    pub other: &'static [Piece],
}

mod plural;

use std::fmt::{Display, Write as _};

/// A message's pieces with its variables written in (any value that displays: a text, a number),
/// its choices made by the language's `plural` rule.
fn fill(pieces: &[Piece], args: &[&dyn Display], plural: fn(i64) -> &'static str) -> String {
    let mut out = String::new();
    fill_into(&mut out, pieces, args, plural);
    out
}

fn fill_into(out: &mut String, pieces: &[Piece], args: &[&dyn Display], plural: fn(i64) -> &'static str) {
    for piece in pieces {
        match piece {
            Piece::Text(t) => out.push_str(t),
            Piece::Arg(i) => {
                if let Some(arg) = args.get(*i) {
                    let _ = write!(out, "{arg}");
                }
            }
            Piece::Select(choice) => {
                let value = args.get(choice.arg).map(|a| a.to_string()).unwrap_or_default();
                let category = value.trim().parse::<i64>().ok().map(plural);
                let case = |key: &str| choice.cases.iter().find(|(k, _)| *k == key).map(|(_, c)| *c);
                let chosen = case(value.trim()).or_else(|| category.and_then(case)).unwrap_or(choice.other);
                fill_into(out, chosen, args, plural);
            }
        }
    }
}

fn text_of(pieces: &[Piece], plural: fn(i64) -> &'static str) -> String {
    fill(pieces, &[], plural)
}

fn leak(text: String) -> &'static str {
    Box::leak(text.into_boxed_str())
}

/// `pieces` with every text made by `f` (see [`Words::transformed`]).
fn leak_pieces(pieces: &[Piece], f: &dyn Fn(&str, bool, bool) -> String) -> &'static [Piece] {
    let end = pieces.len().saturating_sub(1);
    let mut out: Vec<Piece> = pieces
        .iter()
        .enumerate()
        .map(|(i, p)| match p {
            Piece::Text(t) => Piece::Text(leak(f(t, i == 0, i == end))),
            Piece::Arg(n) => Piece::Arg(*n),
            // Inside a choice, the texts only: the message's marks are at its ends.
            Piece::Select(choice) => {
                let inner = |t: &str, _: bool, _: bool| f(t, false, false);
                let cases: Vec<(&'static str, &'static [Piece])> =
                    choice.cases.iter().map(|(k, c)| (*k, leak_pieces_within(c, &inner))).collect();
                Piece::Select(Box::leak(Box::new(Select {
                    arg: choice.arg,
                    cases: Box::leak(cases.into_boxed_slice()),
                    other: leak_pieces_within(choice.other, &inner),
                })))
            }
        })
        .collect();
    // A message that starts or ends with a variable still gets its marks.
    if !matches!(out.first(), Some(Piece::Text(_))) {
        out.insert(0, Piece::Text(leak(f("", true, false))));
    }
    if !matches!(out.last(), Some(Piece::Text(_))) {
        out.push(Piece::Text(leak(f("", false, true))));
    }
    Box::leak(out.into_boxed_slice())
}

/// [`leak_pieces`] inside a choice: no marks added at the ends.
fn leak_pieces_within(pieces: &[Piece], f: &dyn Fn(&str, bool, bool) -> String) -> &'static [Piece] {
    let out: Vec<Piece> = pieces
        .iter()
        .map(|p| match p {
            Piece::Text(t) => Piece::Text(leak(f(t, false, false))),
            other => *other,
        })
        .collect();
    Box::leak(out.into_boxed_slice())
}

mod pseudo;

/// The language a visit's own texts (and recordings) are read in for the interface's language `tag`:
/// the tag itself, but a pseudo-locale reads English, which its words are made from (a visit has no
/// text in `en-XA`). Any other tag is given back as it is.
pub fn content_language(tag: &str) -> &str {
    match LANGS.iter().find(|l| l.tag() == tag) {
        Some(l) if l.is_pseudo() => Lang::En.tag(),
        _ => tag,
    }
}

include!(concat!(env!("OUT_DIR"), "/words.rs"));

impl Lang {
    /// The reference language (French).
    pub const REFERENCE: Lang = LANGS[0];

    /// The language of `tag`, or the reference language for any other.
    pub fn from_tag(tag: &str) -> Lang {
        LANGS.iter().copied().find(|l| l.tag() == tag).unwrap_or(Lang::REFERENCE)
    }

    /// Written right to left.
    pub fn is_rtl(self) -> bool {
        let tag = self.tag();
        matches!(tag.split('-').next().unwrap_or(tag), "ar" | "he" | "fa" | "ur")
    }

    /// The language the language button offers: the next language people read (not a pseudo-locale),
    /// round to the first; from a pseudo-locale, the reference.
    pub fn other(self) -> Lang {
        let people: Vec<Lang> = LANGS.iter().copied().filter(|l| !l.is_pseudo()).collect();
        match people.iter().position(|l| *l == self) {
            Some(i) => people[(i + 1) % people.len()],
            None => Lang::REFERENCE,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Messages that are the same in French and English (the rest must differ: the same text in both is
    /// a message not translated).
    const SAME_IN_BOTH: &[&str] = &[
        "tab-programme",
        // Values only (without them, both are empty).
        "way-street",
        "kind-initiative",
        "initiatives",
        "minutes",
        "code",
        "install-android",
        "install-firefox",
        "gap-minutes",
        "recorded-line",
        "recorded-line-within",
        "card-now",
        "kept-apart",
        "route-heading",
        "route-pattern",
        "pin-role",
        "position-known",
        "programme-heading",
        "error-detail",
        "long-date",
        "numeric-date",
        "numeric-date-time",
        "booklet-contacts",
        "booklet-north",
        "booklet-programme",
        "booklet-sources",
        "list-and",
        "distance-km",
        "distance-m",
        "way-leg-number",
        "way-only-end",
        "day-when",
    ];

    #[test]
    fn english_differs_from_french_except_where_the_same_is_right() {
        let (fr, en) = (Lang::Fr.words().every_text(), Lang::En.words().every_text());
        let same: Vec<&str> = Words::IDS
            .iter()
            .zip(fr.iter().zip(&en))
            .filter(|(id, (a, b))| a == b && !SAME_IN_BOTH.contains(id))
            .map(|(id, _)| *id)
            .collect();
        assert!(same.is_empty(), "the same in French and English, not translated? {same:?}");
        let listed_but_different: Vec<&&str> = SAME_IN_BOTH
            .iter()
            .filter(|id| Words::IDS.iter().position(|i| i == *id).is_none_or(|k| fr[k] != en[k]))
            .collect();
        assert!(listed_but_different.is_empty(), "listed as the same, but not (or gone): {listed_but_different:?}");
    }

    #[test]
    fn french_typography_is_kept_and_english_left_alone() {
        let fr = Lang::Fr.words();
        assert_eq!(fr.facts(), "Le saviez-vous\u{202f}?");
        assert_eq!(fr.photo_by(&"Mairie"), "Photo\u{202f}: Mairie");
        assert_eq!(fr.walk_time(&"10 h"), "Heure de la marche\u{202f}: 10 h");
        assert!(fr.no_backup().contains("«\u{202f}Sauvegarder mes données\u{202f}»"), "{}", fr.no_backup());
        assert_eq!(Lang::En.words().facts(), "Did you know?");
    }

    #[test]
    fn every_language_has_every_message_and_the_pseudo_locales_are_made_from_english() {
        let count = Lang::Fr.words().every_text().len();
        assert!(count > 300, "{count}");
        for lang in LANGS {
            // Every message without values has a text (Fluent would keep an empty one as a missing word).
            let empty: Vec<&&str> = Words::IDS
                .iter()
                .zip(lang.words().every_text())
                .filter(|(_, t)| t.trim().is_empty())
                .map(|(id, _)| id)
                .collect();
            // Values only: the route's mark and name, a date's parts, a street's name.
            let values_only = ["route-heading", "long-date", "way-street"];
            assert!(empty.iter().all(|id| values_only.contains(id)), "{lang:?}: empty {empty:?}");
        }
        for lang in LANGS {
            assert_eq!(lang.words().every_text().len(), count, "{lang:?}");
        }
        let xa = Lang::EnXa.words().facts();
        assert!(xa.starts_with("[Ðîð ýöû ķñöŵ?") && xa.ends_with(']'), "{xa}");
        let with_variable = Lang::EnXa.words().photo_by(&"Mairie");
        assert!(with_variable.starts_with("[Þĥöţö: Mairie") && with_variable.ends_with(']'), "{with_variable}");
        assert!(xa.chars().count() >= "Did you know?".len() * 13 / 10, "{xa}");
        assert!(Lang::ArXb.words().facts().starts_with('\u{200f}'));
        assert!(Lang::ArXb.is_rtl() && !Lang::EnXa.is_rtl() && Lang::EnXa.is_pseudo() && !Lang::En.is_pseudo());
        assert_eq!(["fr", "en", "en-XA", "ar-XB", "eu"].map(content_language), ["fr", "en", "en", "en", "eu"]);
        assert_eq!(Lang::from_tag("en-XA"), Lang::EnXa);
        assert_eq!(Lang::from_tag("xx"), Lang::Fr);
        // Choices by number: each language's plural rule, the case of the exact number first.
        let fr = Lang::Fr.words();
        assert_eq!(fr.copies_kept(&1), "1 gardée à part\u{202f}: elle portait le numéro d'une de vos fiches");
        assert!(fr.copies_kept(&0).starts_with("0 gardée à part"));
        assert!(fr.copies_kept(&2).starts_with("2 gardées à part"));
        assert_eq!(fr.import_line(&"a.json", &1, &3, &0), "a.json\u{202f}: 1 ajoutée, 3 mises à jour, 0 déjà là");
        let en = Lang::En.words();
        assert!(en.copies_kept(&1).contains("it carried") && en.copies_kept(&0).contains("they carried"));
        let xa = Lang::EnXa.words().copies_kept(&1);
        assert!(xa.starts_with("[1 ") && xa.ends_with(']') && xa.contains("îţ çåŕŕîéð"), "{xa}");
        assert_eq!(Lang::Fr.other(), Lang::En);
        assert_eq!(Lang::ArXb.other(), Lang::Fr);
    }
}
