//! The two pseudo-locales Android uses, made from English when first chosen: they show in a test what a
//! translation would break. `en-XA`: every letter accented, each message in [brackets] (a cut end
//! shows) and about 40 % longer (a layout too tight shows). `ar-XB`: each word right to left (between
//! RIGHT-TO-LEFT OVERRIDE and POP DIRECTIONAL FORMATTING), each message marked right to left; the page
//! itself turns right to left (`Lang::is_rtl`).

use std::sync::OnceLock;

use crate::{Lang, Words};

static EN_XA: OnceLock<Words> = OnceLock::new();
static AR_XB: OnceLock<Words> = OnceLock::new();

/// The words of the pseudo-locale `lang`, made from `english` once.
pub(crate) fn words(lang: Lang, english: &'static Words) -> &'static Words {
    if lang.is_rtl() {
        AR_XB.get_or_init(|| english.transformed(&mirrored))
    } else {
        EN_XA.get_or_init(|| english.transformed(&accented))
    }
}

const PLAIN: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const ACCENTED: &str = "åƀçðéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÅƁÇÐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ";
const PADDING: &str = " one two three four five six seven eight nine ten eleven twelve thirteen fourteen";

/// One piece of a message, accented; `[` before the first piece, the padding and `]` after the last.
fn accented(text: &str, first: bool, last: bool) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    if first {
        out.push('[');
    }
    for c in text.chars() {
        out.push(PLAIN.find(c).and_then(|i| ACCENTED.chars().nth(i)).unwrap_or(c));
    }
    if last {
        // 40 % of the piece's length, in whole words of the padding.
        let want = text.chars().count() * 2 / 5;
        out.push_str(PADDING.get(..want.min(PADDING.len())).unwrap_or_default().trim_end());
        out.push(']');
    }
    out
}

/// One piece of a message, each word right to left; the message starts with a RIGHT-TO-LEFT MARK.
fn mirrored(text: &str, first: bool, _last: bool) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    if first {
        out.push('\u{200f}');
    }
    let mut word = String::new();
    let flush = |out: &mut String, word: &mut String| {
        if !word.is_empty() {
            out.push('\u{202e}');
            out.push_str(word);
            out.push('\u{202c}');
            word.clear();
        }
    };
    for c in text.chars() {
        if c.is_alphanumeric() {
            word.push(c);
        } else {
            flush(&mut out, &mut word);
            out.push(c);
        }
    }
    flush(&mut out, &mut word);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accented_and_mirrored_pieces() {
        assert_eq!(accented("Did you know?", true, true), "[Ðîð ýöû ķñöŵ? one]");
        assert_eq!(accented("ab", false, false), "åƀ");
        assert_eq!(mirrored("Go on!", true, true), "\u{200f}\u{202e}Go\u{202c} \u{202e}on\u{202c}!");
    }
}
