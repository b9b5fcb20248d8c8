//! Easy-read texts ("facile à lire et à comprendre", FALC): the rules the validator can check, and the
//! figures of a pack's easy-read texts.
//!
//! The rules of Inclusion Europe (*Information for all*, 2009) and UNAPEI (*L'information pour tous*) that
//! a program can check: short sentences ([`MAX_WORDS`] words at most), one sentence for one idea (no ";",
//! no brackets), no abbreviations ("etc.", "cf.", "ex." …), a short text ([`MAX_SENTENCES`]). The rest
//! (everyday words, explaining a hard word the first time, speaking to the reader) is the writer's.

use super::Pack;

/// The most words a sentence may have.
pub const MAX_WORDS: usize = 15;
/// The most sentences an easy-read text may have.
pub const MAX_SENTENCES: usize = 12;

/// Abbreviations FALC asks to write out (compared lower-case, trailing punctuation kept).
const ABBREVIATIONS: &[&str] = &["etc.", "etc", "cf.", "ex.", "env.", "e.g.", "i.e.", "n°", "p.ex.", "approx."];

/// The sentences of `text`: each line on its own (a list item is a sentence), cut after ".", "!" or "?"
/// when a space or the end follows; Markdown marks (`-`, `*`, `**`) are left out.
pub fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim().trim_start_matches(['-', '*', '•']).replace("**", "");
        let mut current = String::new();
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            current.push(c);
            if matches!(c, '.' | '!' | '?') && chars.peek().is_none_or(|n| n.is_whitespace()) {
                push_sentence(&mut out, &mut current);
            }
        }
        push_sentence(&mut out, &mut current);
    }
    out
}

fn push_sentence(out: &mut Vec<String>, current: &mut String) {
    let sentence = current.trim();
    if words(sentence) > 0 {
        out.push(sentence.to_owned());
    }
    current.clear();
}

/// The words of a sentence: the pieces between spaces with a letter or a digit in them ("l'école" is one).
pub fn words(sentence: &str) -> usize {
    sentence.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).count()
}

/// What breaks the checkable FALC rules in `text`, one message per finding.
pub fn problems(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let sentences = sentences(text);
    if sentences.is_empty() {
        found.push("it is empty".to_owned());
    }
    if sentences.len() > MAX_SENTENCES {
        found.push(format!("it has {} sentences, at most {MAX_SENTENCES}: keep what matters most", sentences.len()));
    }
    for sentence in &sentences {
        let n = words(sentence);
        if n > MAX_WORDS {
            let start: Vec<&str> = sentence.split_whitespace().take(6).collect();
            found.push(format!("a sentence has {n} words, at most {MAX_WORDS}: cut \"{} …\" in two", start.join(" ")));
        }
    }
    if text.contains(';') {
        found.push("it uses \";\": end the sentence and start a new one".to_owned());
    }
    if text.contains('(') {
        found.push("it uses brackets: say it in a sentence of its own".to_owned());
    }
    for word in text.split_whitespace() {
        let lower = word.to_lowercase();
        let bare = lower.trim_end_matches([',', ':', '!', '?']);
        if ABBREVIATIONS.contains(&bare) {
            found.push(format!("it uses the abbreviation \"{word}\": write the words out"));
        }
    }
    found
}

/// The figures of a pack's easy-read texts in one language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stats {
    pub texts: usize,
    pub sentences: usize,
    /// Words per sentence: the median (the lower middle for an even count) and the longest.
    pub median_words: usize,
    pub max_words: usize,
}

/// Every easy-read text of `pack` (stops, programme items, workshops) in `lang`.
pub fn texts<'a>(pack: &'a Pack, lang: &str) -> Vec<&'a str> {
    let stops = pack.stops.iter().filter_map(|s| s.easy_read.as_ref());
    let items = pack.timetable.iter().filter_map(|i| i.easy_read.as_ref());
    let workshops = pack.workshops.iter().filter_map(|w| w.easy_read.as_ref());
    stops.chain(items).chain(workshops).map(|t| t.get(lang)).collect()
}

/// [`Stats`] over [`texts`] in `lang`; `None` when the pack has none.
pub fn stats(pack: &Pack, lang: &str) -> Option<Stats> {
    let texts = texts(pack, lang);
    let mut lengths: Vec<usize> = texts.iter().flat_map(|t| sentences(t)).map(|s| words(&s)).collect();
    if lengths.is_empty() {
        return None;
    }
    lengths.sort_unstable();
    Some(Stats {
        texts: texts.len(),
        sentences: lengths.len(),
        median_words: lengths[(lengths.len() - 1) / 2],
        max_words: lengths[lengths.len() - 1],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_are_cut_at_full_stops_and_lines() {
        let text = "On se retrouve au collège. On boit un café !\n- Le thème : les écrans.\nÀ 9 h 50, on part";
        assert_eq!(
            sentences(text),
            ["On se retrouve au collège.", "On boit un café !", "Le thème : les écrans.", "À 9 h 50, on part"]
        );
        assert_eq!(words("L'école est à 1,2 km."), 5);
        assert_eq!(sentences("Il a 1.5 an. Oui."), ["Il a 1.5 an.", "Oui."]);
    }

    #[test]
    fn the_rules_find_what_they_say() {
        assert!(problems("Une phrase courte. Une autre.").is_empty());
        let long = "Un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize.";
        assert_eq!(
            problems(long),
            ["a sentence has 16 words, at most 15: cut \"Un deux trois quatre cinq six …\" in two"]
        );
        assert_eq!(problems("Oui ; non.").len(), 1);
        assert_eq!(problems("Le centre (ESCM) est ouvert.").len(), 1);
        assert_eq!(problems("Des écrans, des jeux, etc.").len(), 1);
        assert_eq!(problems("  ").len(), 1);
        let many = "Oui. ".repeat(MAX_SENTENCES + 1);
        assert_eq!(problems(&many).len(), 1);
    }
}
