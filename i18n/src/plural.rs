//! Each language's plural rule, from the Unicode CLDR (`plurals.xml`): a number's category, which
//! chooses among the cases of a message's choice (`{ $count -> [one] … *[other] … }`). One function per
//! language code named in `build.rs`'s `PLURAL_RULES`; only the categories its messages use matter
//! (a category with no case falls to `other`).

/// French: `one` for 0 and 1 and what lies between (i = 0, 1: "0 fiche", "1,5 kilomètre"), else `other`.
pub fn fr(n: f64) -> &'static str {
    if n.abs() < 2.0 { "one" } else { "other" }
}

/// English: `one` for exactly 1 ("1 worksheet"), else `other` ("0 worksheets").
pub fn en(n: f64) -> &'static str {
    if n == 1.0 { "one" } else { "other" }
}
