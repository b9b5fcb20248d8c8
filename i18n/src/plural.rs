//! Each language's plural rule, from the Unicode CLDR (`plurals.xml`): a number's category, which
//! chooses among the cases of a message's choice (`{ $count -> [one] … *[other] … }`). One function per
//! language code named in `build.rs`'s `PLURAL_RULES`; only the categories its messages use matter
//! (a category with no case falls to `other`). Whole numbers only: a message counts things (a value
//! that is not a whole number takes the case of its exact text, else `other`).

/// French: `one` for 0 and 1 ("0 fiche", "1 fiche"), else `other`.
pub fn fr(n: i64) -> &'static str {
    if n == 0 || n == 1 { "one" } else { "other" }
}

/// English: `one` for 1 ("1 worksheet"), else `other` ("0 worksheets").
pub fn en(n: i64) -> &'static str {
    if n == 1 { "one" } else { "other" }
}
