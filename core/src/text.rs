//! Small text helpers shared by search and, later, the UI's filters.

/// Lower case without diacritics, for matching what people type ("malegarie") against what is written
/// ("Malégarie"). Letters outside Latin-1 and Latin Extended-A are only lower-cased.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => out.push('a'),
            'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => out.push('c'),
            'ď' | 'đ' => out.push('d'),
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => out.push('e'),
            'ĝ' | 'ğ' | 'ġ' | 'ģ' => out.push('g'),
            'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => out.push('i'),
            'ñ' | 'ń' | 'ņ' | 'ň' => out.push('n'),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => out.push('o'),
            'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => out.push('u'),
            'ý' | 'ÿ' => out.push('y'),
            'ś' | 'ŝ' | 'ş' | 'š' => out.push('s'),
            'ź' | 'ż' | 'ž' => out.push('z'),
            'œ' => out.push_str("oe"),
            'æ' => out.push_str("ae"),
            '’' | 'ʼ' => out.push('\''),
            c => out.push(c),
        }
    }
    out
}

/// The words of a query, folded, at most 16.
pub fn query_words(query: &str) -> Vec<String> {
    query.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).take(16).map(fold).collect()
}

/// A date as people say it, in `lang` (a language tag): "jeudi 3 octobre 2024", "Thursday 3 October
/// 2024". The words and their order are the message files' (`dates.ftl`).
pub fn long_date(date: chrono::NaiveDate, lang: &str) -> String {
    use chrono::Datelike;
    let w = parcours_i18n::Lang::from_tag(lang).words();
    let weekday =
        [w.weekday_1(), w.weekday_2(), w.weekday_3(), w.weekday_4(), w.weekday_5(), w.weekday_6(), w.weekday_7()]
            [date.weekday().num_days_from_monday() as usize];
    let month = [
        w.month_1(),
        w.month_2(),
        w.month_3(),
        w.month_4(),
        w.month_5(),
        w.month_6(),
        w.month_7(),
        w.month_8(),
        w.month_9(),
        w.month_10(),
        w.month_11(),
        w.month_12(),
    ][date.month0() as usize];
    w.long_date(&weekday, &date.day(), &month, &date.year())
}

/// A date in figures: "03/10/2024".
pub fn numeric_date(date: chrono::NaiveDate, lang: &str) -> String {
    use chrono::Datelike;
    let w = parcours_i18n::Lang::from_tag(lang).words();
    w.numeric_date(&format_args!("{:02}", date.day()), &format_args!("{:02}", date.month()), &date.year())
}

/// A date and time in figures: "03/10/2024 10:30".
pub fn numeric_date_time(t: chrono::NaiveDateTime, lang: &str) -> String {
    use chrono::{Datelike, Timelike};
    let w = parcours_i18n::Lang::from_tag(lang).words();
    let two = |n: u32| format!("{n:02}");
    w.numeric_date_time(&two(t.day()), &two(t.month()), &t.year(), &two(t.hour()), &two(t.minute()))
}

/// A time as people say it: "9 h 50", "10 h" in French; "9:50", "10:00" in English. The French spaces
/// are non-breaking (U+00A0): a time never breaks across two lines ("11 /  h 45").
pub fn spoken_time(time: crate::pack::Hm, lang: &str) -> String {
    let w = parcours_i18n::Lang::from_tag(lang).words();
    match time.minute() {
        0 => w.time_on_the_hour(&time.hour()),
        m => w.time(&time.hour(), &format_args!("{m:02}")),
    }
}

/// A block of the small Markdown used in pack texts.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Block {
    Paragraph(Vec<Span>),
    List(Vec<Vec<Span>>),
}

/// A run of text, bold or not (`**bold**`).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Span {
    pub text: String,
    pub bold: bool,
}

/// Parses the Markdown that pack texts use: paragraphs separated by blank lines, `- ` list items and
/// `**bold**`. Anything else is kept as plain text, so no input is ever lost or refused.
pub fn markdown(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    for chunk in text.split("\n\n").map(str::trim).filter(|c| !c.is_empty()) {
        let lines: Vec<&str> = chunk.lines().map(str::trim).collect();
        if lines.iter().all(|l| l.starts_with("- ") || l.starts_with("* ")) {
            blocks.push(Block::List(lines.iter().map(|l| spans(&l[2..])).collect()));
        } else {
            blocks.push(Block::Paragraph(spans(&lines.join(" "))));
        }
    }
    blocks
}

fn spans(text: &str) -> Vec<Span> {
    let parts: Vec<&str> = text.split("**").collect();
    // An odd number of `**` leaves the last one as written.
    let closed = parts.len() % 2 == 1;
    let mut out: Vec<Span> = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        let bold = i % 2 == 1 && (closed || i + 1 < parts.len());
        let text = if i % 2 == 1 && !bold { format!("**{part}") } else { (*part).to_owned() };
        if !text.is_empty() {
            out.push(Span { text, bold });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_markdown() {
        let plain = |t: &str| Span { text: t.into(), bold: false };
        let bold = |t: &str| Span { text: t.into(), bold: true };
        assert_eq!(
            markdown("Depuis **2018**, la\nFibre.\n\n- un\n- **deux**\n\n"),
            [
                Block::Paragraph(vec![plain("Depuis "), bold("2018"), plain(", la Fibre.")]),
                Block::List(vec![vec![plain("un")], vec![bold("deux")]]),
            ]
        );
        assert_eq!(markdown("a ** b"), [Block::Paragraph(vec![plain("a "), plain("** b")])]);
        assert!(markdown("  \n\n ").is_empty());
    }

    #[test]
    fn dates_and_times_as_people_say_them() {
        let day = chrono::NaiveDate::from_ymd_opt(2024, 10, 3).unwrap();
        assert_eq!(long_date(day, "fr"), "jeudi 3 octobre 2024");
        assert_eq!(long_date(day, "en"), "Thursday 3 October 2024");
        let t = |s| crate::pack::Hm::parse(s).unwrap();
        assert_eq!(spoken_time(t("09:50"), "fr"), "9\u{a0}h\u{a0}50");
        assert_eq!(spoken_time(t("10:00"), "fr"), "10\u{a0}h");
        assert_eq!(spoken_time(t("09:05"), "en"), "9:05");
    }

    #[test]
    fn folds_french_accents_and_ligatures() {
        assert_eq!(fold("Malégarie"), "malegarie");
        assert_eq!(fold("CŒUR À L'ÉCOLE Ça"), "coeur a l'ecole ca");
        assert_eq!(fold("cyberharcèlement"), "cyberharcelement");
        assert_eq!(query_words("  cyber-harcèlement, Élèves! "), ["cyber", "harcelement", "eleves"]);
    }
}
