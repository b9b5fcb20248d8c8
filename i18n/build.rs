//! Compiles the message files (`locales/<language>/*.ftl`, Project Fluent's syntax) into Rust: one
//! `Words` value per language, checked complete against the reference language (`fr`) — the build stops
//! and names every missing message, extra message or differing variable. French typography is set here,
//! and only here; the pseudo-locales are made from English at run time (`src/pseudo.rs`).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement, VariantKey};

/// The language every other is checked against.
const REFERENCE: &str = "fr";

/// The languages whose plural rule `src/plural.rs` has (CLDR's, by language code).
const PLURAL_RULES: &[&str] = &["fr", "en"];

/// A message: text and the variables between, in order; a choice by a variable's value (Fluent's
/// select expression: a number's plural category, an exact number, a word such as a gender).
#[derive(Clone, Debug)]
enum Piece {
    Text(String),
    Var(String),
    Select { var: String, cases: Vec<(String, Vec<Piece>)>, other: Vec<Piece> },
}

/// A message: its pieces, its file, and the values its comment says it leaves out (`# left out: $kind`).
type Messages = BTreeMap<String, (Vec<Piece>, String, Vec<String>)>;

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let locales = root.join("locales");
    println!("cargo::rerun-if-changed={}", locales.display());
    let mut languages: BTreeMap<String, Messages> = BTreeMap::new();
    let mut problems = Vec::new();
    let mut dirs: Vec<PathBuf> = read_dir(&locales).into_iter().filter(|p| p.is_dir()).collect();
    dirs.sort();
    for dir in dirs {
        let code = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        println!("cargo::rerun-if-changed={}", dir.display());
        let mut messages = Messages::new();
        let mut files: Vec<PathBuf> =
            read_dir(&dir).into_iter().filter(|p| p.extension().is_some_and(|e| e == "ftl")).collect();
        files.sort();
        for file in files {
            println!("cargo::rerun-if-changed={}", file.display());
            read_file(&file, &code, &mut messages, &mut problems);
        }
        languages.insert(code, messages);
    }
    let Some(reference) = languages.get(REFERENCE).cloned() else {
        fail(&[format!("{}: no folder `{REFERENCE}` (the reference language)", locales.display())]);
    };
    for (code, messages) in &languages {
        check_complete(code, messages, &reference, &mut problems);
        if !PLURAL_RULES.contains(&code.split('-').next().unwrap_or(code)) {
            problems.push(format!(
                "locales/{code}: no plural rule for `{code}`: add CLDR's rule for it to src/plural.rs and its code to PLURAL_RULES in build.rs"
            ));
        }
    }
    if !problems.is_empty() {
        fail(&problems);
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("words.rs");
    std::fs::write(&out, generate(&languages, &reference)).expect("OUT_DIR is writable");
}

fn fail(problems: &[String]) -> ! {
    for p in problems {
        println!("cargo::error={p}");
    }
    std::process::exit(1)
}

fn read_dir(dir: &Path) -> Vec<PathBuf> {
    match std::fs::read_dir(dir) {
        Ok(entries) => entries.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(e) => fail(&[format!("{}: {e}", dir.display())]),
    }
}

fn line_of(text: &str, at: usize) -> usize {
    text[..at.min(text.len())].matches('\n').count() + 1
}

fn read_file(file: &Path, code: &str, messages: &mut Messages, problems: &mut Vec<String>) {
    let name = file.display().to_string();
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| fail(&[format!("{name}: {e}")]));
    let resource = match fluent_syntax::parser::parse(text.as_str()) {
        Ok(r) => r,
        Err((r, errors)) => {
            for e in errors {
                problems.push(format!("{name}:{}: {:?}", line_of(&text, e.pos.start), e.kind));
            }
            r
        }
    };
    let mut terms: BTreeMap<String, String> = BTreeMap::new();
    for entry in &resource.body {
        match entry {
            Entry::Term(term) => {
                let pieces = pieces(&term.value, &terms, &name, problems);
                terms.insert(term.id.name.to_owned(), plain(&pieces));
            }
            Entry::Message(message) => {
                let id = message.id.name;
                let Some(value) = &message.value else {
                    problems.push(format!("{name}: `{id}` has no text"));
                    continue;
                };
                let mut pieces = pieces(value, &terms, &name, problems);
                if code == "fr" || code.starts_with("fr-") {
                    texts_of(&mut pieces, &french);
                }
                // A translation may leave out a value its language does not say, when its comment says so.
                let left_out: Vec<String> = message
                    .comment
                    .iter()
                    .flat_map(|c| c.content.iter())
                    .filter_map(|line| line.split_once("left out:").map(|(_, rest)| rest))
                    .flat_map(|rest| rest.split([' ', ',']).filter_map(|w| w.strip_prefix('$')).map(str::to_owned))
                    .collect();
                if messages.insert(id.to_owned(), (pieces, name.clone(), left_out)).is_some() {
                    problems.push(format!("{name}: `{id}` is written twice"));
                }
            }
            Entry::Junk { content } => {
                problems.push(format!("{name}: cannot read `{}`", content.lines().next().unwrap_or("")))
            }
            _ => {}
        }
    }
}

/// A pattern as text and variables; terms (`{ -name }`) are replaced by their text here.
fn pieces(
    pattern: &Pattern<&str>,
    terms: &BTreeMap<String, String>,
    file: &str,
    problems: &mut Vec<String>,
) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::new();
    let push_text = |out: &mut Vec<Piece>, t: &str| match out.last_mut() {
        Some(Piece::Text(last)) => last.push_str(t),
        _ => out.push(Piece::Text(t.to_owned())),
    };
    for element in &pattern.elements {
        match element {
            PatternElement::TextElement { value } => push_text(&mut out, value),
            PatternElement::Placeable { expression: Expression::Inline(inline) } => match inline {
                InlineExpression::StringLiteral { value } => push_text(&mut out, &unescape(value)),
                InlineExpression::NumberLiteral { value } => push_text(&mut out, value),
                InlineExpression::VariableReference { id } => out.push(Piece::Var(id.name.to_owned())),
                InlineExpression::TermReference { id, .. } => match terms.get(id.name) {
                    Some(t) => push_text(&mut out, t),
                    None => problems.push(format!("{file}: the term `-{}` is used before it is written", id.name)),
                },
                other => problems.push(format!("{file}: {other:?} is not supported here")),
            },
            PatternElement::Placeable { expression: Expression::Select { selector, variants } } => {
                let InlineExpression::VariableReference { id } = selector else {
                    problems.push(format!("{file}: a choice is made on a variable only ({selector:?})"));
                    continue;
                };
                let mut cases = Vec::new();
                let mut other = Vec::new();
                for v in variants {
                    let key = match &v.key {
                        VariantKey::Identifier { name } => (*name).to_owned(),
                        VariantKey::NumberLiteral { value } => (*value).to_owned(),
                    };
                    let value = pieces(&v.value, terms, file, problems);
                    if v.default {
                        other = value.clone();
                    }
                    cases.push((key, value));
                }
                out.push(Piece::Select { var: id.name.to_owned(), cases, other });
            }
        }
    }
    out
}

/// Every text of `pieces`, inside choices too, made by `f`.
fn texts_of(pieces: &mut [Piece], f: &dyn Fn(&str) -> String) {
    for piece in pieces {
        match piece {
            Piece::Text(t) => *t = f(t),
            Piece::Var(_) => {}
            Piece::Select { cases, other, .. } => {
                for (_, case) in cases {
                    texts_of(case, f);
                }
                texts_of(other, f);
            }
        }
    }
}

/// A string literal's escapes (`\"`, `\\`, `\u00A0`, `\U01F600`), as Fluent reads them.
fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some(u @ ('u' | 'U')) => {
                let hex: String = chars.by_ref().take(if u == 'u' { 4 } else { 6 }).collect();
                out.push(u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32).unwrap_or('\u{fffd}'));
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

fn plain(pieces: &[Piece]) -> String {
    pieces
        .iter()
        .map(|p| match p {
            Piece::Text(t) => t.clone(),
            Piece::Var(_) => String::new(),
            Piece::Select { other, .. } => plain(other),
        })
        .collect()
}

/// The variables of `pieces` in the order they first come, those a choice is made on included.
fn variables(pieces: &[Piece]) -> Vec<String> {
    let mut seen = Vec::new();
    let add = |v: &String, seen: &mut Vec<String>| {
        if !seen.contains(v) {
            seen.push(v.clone());
        }
    };
    for p in pieces {
        match p {
            Piece::Text(_) => {}
            Piece::Var(v) => add(v, &mut seen),
            Piece::Select { var, cases, .. } => {
                add(var, &mut seen);
                for (_, case) in cases {
                    for v in variables(case) {
                        add(&v, &mut seen);
                    }
                }
            }
        }
    }
    seen
}

/// A message's pieces as Rust, its variables numbered in the reference's `order`.
fn emit(pieces: &[Piece], order: &[String]) -> String {
    let arg = |v: &String| order.iter().position(|o| o == v).unwrap_or(0);
    let list: Vec<String> = pieces
        .iter()
        .map(|p| match p {
            Piece::Text(t) => format!("Piece::Text({t:?})"),
            Piece::Var(v) => format!("Piece::Arg({})", arg(v)),
            Piece::Select { var, cases, other } => {
                let cases: Vec<String> =
                    cases.iter().map(|(key, case)| format!("({key:?}, {})", emit(case, order))).collect();
                format!(
                    "Piece::Select(&Select {{ arg: {}, cases: &[{}], other: {} }})",
                    arg(var),
                    cases.join(", "),
                    emit(other, order)
                )
            }
        })
        .collect();
    format!("&[{}]", list.join(", "))
}

fn check_complete(code: &str, messages: &Messages, reference: &Messages, problems: &mut Vec<String>) {
    let (ids, ref_ids): (BTreeSet<&String>, BTreeSet<&String>) =
        (messages.keys().collect(), reference.keys().collect());
    for missing in ref_ids.difference(&ids) {
        problems.push(format!("locales/{code}: `{missing}` is missing (it is in locales/{REFERENCE})"));
    }
    for extra in ids.difference(&ref_ids) {
        let file = &messages[*extra].1;
        problems.push(format!("{file}: `{extra}` is not in locales/{REFERENCE}"));
    }
    for (id, (pieces, file, left_out)) in messages {
        if let Some((ref_pieces, _, _)) = reference.get(id) {
            let (mut a, mut b) = (variables(pieces), variables(ref_pieces));
            let said: Vec<String> = left_out.iter().filter(|v| b.contains(v) && !a.contains(v)).cloned().collect();
            a.extend(said);
            a.sort();
            b.sort();
            if a != b {
                problems.push(format!("{file}: `{id}` has the variables {a:?}, locales/{REFERENCE} has {b:?}"));
            }
        }
    }
}

/// French typography: a narrow no-break space (U+202F) before « ? ! ; : » and inside « », so that a
/// line never starts with one. Written with an ordinary space (or none) in the files.
fn french(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let before = i.checked_sub(1).map(|j| chars[j]);
        let after = chars.get(i + 1).copied();
        match c {
            ' ' | '\u{a0}' if matches!(after, Some('?' | '!' | ';' | ':' | '»')) => out.push('\u{202f}'),
            ' ' | '\u{a0}' if before == Some('«') => out.push('\u{202f}'),
            '?' | '!' | ';' | ':' | '»' if before.is_some_and(|b| b.is_alphanumeric() || b == ')') => {
                // "vous?"; but "10:30" (a time) and "https://" stay as they are.
                if c == ':' && (before.is_some_and(|b| b.is_ascii_digit()) || after == Some('/')) {
                    out.push(c);
                } else {
                    out.push('\u{202f}');
                    out.push(c);
                }
            }
            '«' if after.is_some_and(|a| a != ' ' && a != '\u{a0}') => {
                out.push(c);
                out.push('\u{202f}');
            }
            _ => out.push(c),
        }
    }
    out
}

fn field(id: &str) -> String {
    const KEYWORDS: &[&str] = &[
        "as", "fn", "for", "if", "in", "let", "loop", "match", "mod", "move", "ref", "self", "type", "use", "where",
        "while",
    ];
    let name = id.replace('-', "_");
    if KEYWORDS.contains(&name.as_str()) { format!("r#{name}") } else { name }
}

fn variant(code: &str) -> String {
    code.split(['-', '_'])
        .map(|part| {
            let mut c = part.chars();
            c.next().map(|f| f.to_ascii_uppercase().to_string() + &c.as_str().to_ascii_lowercase()).unwrap_or_default()
        })
        .collect()
}

fn generate(languages: &BTreeMap<String, Messages>, reference: &Messages) -> String {
    // The reference first, then the others by code, then the pseudo-locales made from English.
    let mut all: Vec<(String, Messages, bool)> = vec![(REFERENCE.to_owned(), reference.clone(), false)];
    for (code, messages) in languages {
        if code != REFERENCE {
            all.push((code.clone(), messages.clone(), false));
        }
    }
    // The pseudo-locales have no table: they are made from English when first used (`pseudo.rs`).
    if languages.contains_key("en") {
        all.push(("en-XA".to_owned(), Messages::new(), true));
        all.push(("ar-XB".to_owned(), Messages::new(), true));
    }
    let mut out = String::from("// Generated by build.rs from locales/*/*.ftl: edit those files, not this one.\n\n");
    out.push_str("/// The languages of the interface: one per folder of `locales/` (the first is the reference), then\n/// the two pseudo-locales made from English for tests.\n");
    out.push_str("#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]\npub enum Lang {\n");
    for (code, _, _) in &all {
        writeln!(out, "    /// `{code}`\n    {},", variant(code)).ok();
    }
    out.push_str("}\n\n");
    out.push_str("/// Every language, the reference first.\npub const LANGS: &[Lang] = &[");
    out.push_str(&all.iter().map(|(c, _, _)| format!("Lang::{}", variant(c))).collect::<Vec<_>>().join(", "));
    out.push_str("];\n\nimpl Lang {\n");
    out.push_str("    /// Its language tag (BCP 47): `fr`, `en`, `en-XA`.\n    pub fn tag(self) -> &'static str {\n        match self {\n");
    for (code, _, _) in &all {
        writeln!(out, "            Lang::{} => {code:?},", variant(code)).ok();
    }
    out.push_str("        }\n    }\n\n");
    out.push_str("    /// A pseudo-locale, for tests (not offered to people).\n    pub fn is_pseudo(self) -> bool {\n        matches!(self, ");
    let pseudo: Vec<String> = all.iter().filter(|a| a.2).map(|(c, _, _)| format!("Lang::{}", variant(c))).collect();
    out.push_str(if pseudo.is_empty() { "_ if false" } else { "" });
    out.push_str(&pseudo.join(" | "));
    out.push_str(")\n    }\n\n");
    out.push_str("    /// Its words.\n    pub fn words(self) -> &'static Words {\n        match self {\n");
    for (code, _, pseudo) in &all {
        if *pseudo {
            writeln!(out, "            Lang::{} => crate::pseudo::words(self, &EN),", variant(code)).ok();
        } else {
            writeln!(out, "            Lang::{} => &{},", variant(code), variant(code).to_uppercase()).ok();
        }
    }
    out.push_str("        }\n    }\n}\n\n");

    // The words: every message without variables is one of `texts`, read by a method of its name; a
    // message with variables is one of `patterns`, filled by a method taking the variables in order.
    let plain_ids: Vec<&String> =
        reference.iter().filter(|(_, (p, _, _))| variables(p).is_empty()).map(|(id, _)| id).collect();
    let pattern_ids: Vec<&String> =
        reference.iter().filter(|(_, (p, _, _))| !variables(p).is_empty()).map(|(id, _)| id).collect();
    writeln!(out, "const TEXTS: usize = {};\nconst PATTERNS: usize = {};\n", plain_ids.len(), pattern_ids.len()).ok();
    out.push_str("/// Every message of one language.\npub struct Words {\n    texts: [&'static str; TEXTS],\n    patterns: [&'static [Piece]; PATTERNS],\n    /// The language's plural rule: a number's category (`one`, `other`, …).\n    plural: fn(i64) -> &'static str,\n}\n\nimpl Words {\n");
    for (k, id) in plain_ids.iter().enumerate() {
        writeln!(
            out,
            "    /// `{id}`\n    pub fn {}(&self) -> &'static str {{\n        self.texts[{k}]\n    }}\n",
            field(id)
        )
        .ok();
    }
    for (k, id) in pattern_ids.iter().enumerate() {
        let vars = variables(&reference[*id].0);
        let args: Vec<String> = vars.iter().map(|v| format!("{}: &dyn Display", field(v))).collect();
        let names: Vec<String> = vars.iter().map(|v| field(v)).collect();
        writeln!(
            out,
            "    /// `{id}` with its variables.\n    pub fn {}(&self, {}) -> String {{\n        fill(self.patterns[{k}], &[{}], self.plural)\n    }}\n",
            field(id),
            args.join(", "),
            names.join(", ")
        )
        .ok();
    }
    out.push_str("    /// An error's sentence by its id (`error-disk-full`): chosen by the error's code.\n    pub fn by_id(&self, id: &str) -> Option<&'static str> {\n        match id {\n");
    for (k, id) in plain_ids.iter().enumerate() {
        if id.starts_with("error-") {
            writeln!(out, "            {id:?} => Some(self.texts[{k}]),").ok();
        }
    }
    out.push_str("            _ => None,\n        }\n    }\n\n");
    out.push_str("    /// These words with every text made by `f` (text, is it a message's first piece, its last); for\n    /// the pseudo-locales. The new texts are leaked: made once per language, kept for the run.\n    pub fn transformed(&self, f: &dyn Fn(&str, bool, bool) -> String) -> Words {\n        Words {\n            texts: self.texts.map(|t| leak(f(t, true, true))),\n            patterns: self.patterns.map(|p| leak_pieces(p, f)),\n            plural: self.plural,\n        }\n    }\n\n");
    out.push_str("    /// The id of every message: those without variables, then those with.\n    pub const IDS: &'static [&'static str] = &[");
    out.push_str(&plain_ids.iter().chain(&pattern_ids).map(|id| format!("{id:?}")).collect::<Vec<_>>().join(", "));
    out.push_str("];\n\n");
    out.push_str("    /// The text of every message (variables left out), in the order of [`Words::IDS`]; for tests.\n    pub fn every_text(&self) -> Vec<String> {\n        self.texts.iter().map(|t| (*t).to_owned()).chain(self.patterns.iter().map(|p| text_of(p, self.plural))).collect()\n    }\n}\n\n");
    for (code, messages, _) in all.iter().filter(|a| !a.2) {
        let ref_vars: BTreeMap<&String, Vec<String>> =
            reference.iter().map(|(id, (p, _, _))| (id, variables(p))).collect();
        writeln!(out, "static {}: Words = Words {{\n    texts: [", variant(code).to_uppercase()).ok();
        for id in &plain_ids {
            writeln!(out, "        {:?},", plain(&messages[*id].0)).ok();
        }
        out.push_str("    ],\n    patterns: [\n");
        for id in &pattern_ids {
            writeln!(out, "        {},", emit(&messages[*id].0, &ref_vars[*id])).ok();
        }
        writeln!(out, "    ],\n    plural: crate::plural::{},\n}};\n", code.split('-').next().unwrap_or(code)).ok();
    }
    out
}
