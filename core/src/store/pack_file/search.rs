//! Full-text search in an open pack.

use super::PackFile;
use crate::search::SearchHit;
use crate::store::StoreError;
use rusqlite::params;

impl PackFile {
    /// Full-text search over stops, workshops and initiatives, accents and case ignored, every word of
    /// `query` required. Words match as prefixes through the FTS5 index; when that finds nothing, they
    /// match anywhere inside words ("harcelement" finds "cyberharcèlement"). `lang` limits to one
    /// language; otherwise each thing appears once, in its best-ranked language.
    pub fn search(&self, query: &str, lang: Option<&str>, limit: usize) -> Result<Vec<SearchHit>, StoreError> {
        let words = crate::text::query_words(query);
        let lang = lang.map(parcours_i18n::content_language);
        if words.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let fts_query: Vec<String> = words.iter().map(|w| format!("\"{w}\"*")).collect();
        self.budget();
        let mut hits = self.collect(
            "SELECT kind, ref, lang, title, snippet(search, 4, '[', ']', '…', 12) FROM search
             WHERE search MATCH ?1 AND (?2 IS NULL OR lang = ?2) ORDER BY rank",
            params![fts_query.join(" "), lang],
            limit,
            |_| true,
        )?;
        if hits.is_empty() {
            hits = self.collect(
                "SELECT kind, ref, lang, title, title || ' ' || body FROM search WHERE (?1 IS NULL OR lang = ?1) ORDER BY rowid",
                params![lang],
                limit,
                |hit| {
                    let text = crate::text::fold(&hit.snippet);
                    if !words.iter().all(|w| text.contains(w.as_str())) {
                        return false;
                    }
                    hit.snippet = snippet_around(&hit.snippet, &words[0]);
                    true
                },
            )?;
        }
        Ok(hits)
    }

    /// Runs a search query whose rows are (kind, ref, lang, title, snippet), keeping the hits `keep`
    /// accepts (it may rewrite them), each thing once, at most `limit`.
    fn collect(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
        limit: usize,
        mut keep: impl FnMut(&mut SearchHit) -> bool,
    ) -> Result<Vec<SearchHit>, StoreError> {
        let mut stmt = self.conn.prepare_cached(sql).map_err(|e| self.read_error(e))?;
        let rows = stmt
            .query_map(params, |row| {
                Ok(SearchHit {
                    kind: row.get(0)?,
                    id: row.get(1)?,
                    lang: row.get(2)?,
                    title: row.get(3)?,
                    snippet: row.get::<_, String>(4)?.replace('\n', " "),
                })
            })
            .map_err(|e| self.read_error(e))?;
        let mut hits: Vec<SearchHit> = Vec::new();
        for hit in rows {
            let mut hit = hit.map_err(|e| self.read_error(e))?;
            if hits.iter().any(|h| h.kind == hit.kind && h.id == hit.id) || !keep(&mut hit) {
                continue;
            }
            hits.push(hit);
            if hits.len() >= limit {
                break;
            }
        }
        Ok(hits)
    }
}

/// About twelve words of `text` around the first word containing `folded_word`, that word in `[` `]`,
/// like FTS5's `snippet()`.
fn snippet_around(text: &str, folded_word: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let Some(at) = words.iter().position(|w| crate::text::fold(w).contains(folded_word)) else {
        return words.iter().take(12).copied().collect::<Vec<_>>().join(" ");
    };
    let from = at.saturating_sub(5);
    let to = (at + 7).min(words.len());
    let mut out: Vec<String> = words[from..to].iter().map(|w| (*w).to_owned()).collect();
    let word = words[at];
    let core_end = word.trim_end_matches(|c: char| !c.is_alphanumeric()).len();
    out[at - from] = format!("[{}]{}", &word[..core_end], &word[core_end..]);
    let mut snippet = out.join(" ");
    if from > 0 {
        snippet.insert(0, '…');
    }
    if to < words.len() {
        snippet.push('…');
    }
    snippet
}
