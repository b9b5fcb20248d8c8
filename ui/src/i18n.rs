//! The interface's words: every language's, from the message files of `parcours-i18n`
//! (`i18n/locales/<language>/*.ftl`). Content texts come from the pack.

pub use parcours_i18n::{Lang, Words, content_language};

#[cfg(test)]
mod tests {
    use parcours_core::pack::easy::{MAX_WORDS, sentences, words};

    /// The interface's own words keep the easy-read rules a program can check, as the pack's easy
    /// texts do: short sentences, no ";" (labels may keep a bracket: "Exporter (CSV)"). The list
    /// separator (" ; ", no word in it) is not a sentence.
    #[test]
    fn the_interfaces_words_are_short_sentences() {
        for lang in parcours_i18n::LANGS.iter().filter(|l| !l.is_pseudo()) {
            for text in lang.words().every_text() {
                for sentence in sentences(&text) {
                    assert!(words(&sentence) <= MAX_WORDS, "{} words: {sentence}", words(&sentence));
                }
                assert!(!text.contains(';') || !text.chars().any(char::is_alphabetic), "{text}");
            }
        }
    }
}
