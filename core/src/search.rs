//! Search results, shared by the pack file (which computes them) and the UI (which shows them).

use serde::{Deserialize, Serialize};

/// One search result.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct SearchHit {
    /// `stop`, `initiative` or `workshop`.
    pub kind: String,
    pub id: String,
    pub lang: String,
    pub title: String,
    /// A few words around the match, the matched words in `[` `]`.
    pub snippet: String,
}
