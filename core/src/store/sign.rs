//! Signed visits. An organiser makes a key once (`parcours key new`), keeps its secret half, and signs
//! each pack it builds (`parcours pack build --sign KEY`): the public key and an ed25519 signature of the
//! pack's whole content go into `pack_info` (`signing_key`, `signature`). At opening, a pack that says
//! it is signed is checked against its own content; the app then trusts a key for a visit's id the first
//! time it keeps that visit, and only that key may bring it a new version (`commands::visits`).
//!
//! What is signed is the content, not the file's bytes: every row of every table of the pack (the search
//! index through its own table, not its internal ones), in the tables' name order and each table's key
//! order, each value with its type and length, less the `signature` row itself. The same visit read from
//! a file that SQLite has reorganised (`VACUUM`) still verifies; a single changed value does not.

use ed25519_dalek::{Signer, Verifier};
use rusqlite::Connection;
use rusqlite::types::ValueRef;
use sha2::{Digest, Sha512};

/// The first line of a secret key file.
const KEY_HEADER: &str = "parcours-signing-key-v1";
/// `pack_info` keys: the public key (64 hex digits) and the signature (128).
pub(crate) const SIGNING_KEY: &str = "signing_key";
pub(crate) const SIGNATURE: &str = "signature";

/// An organiser's secret key.
pub struct SigningKey(ed25519_dalek::SigningKey);

impl SigningKey {
    /// The key made from 32 random bytes (the caller draws them: the core draws no random number).
    pub fn from_seed(seed: [u8; 32]) -> SigningKey {
        SigningKey(ed25519_dalek::SigningKey::from_bytes(&seed))
    }

    /// The key as a file to keep secret: a header line, then its 32 bytes in hex.
    pub fn to_file(&self) -> String {
        format!("{KEY_HEADER}\n{}\n", hex(self.0.as_bytes()))
    }

    /// A key file read back; why not, in a sentence.
    pub fn from_file(text: &str) -> Result<SigningKey, String> {
        let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
        if lines.next() != Some(KEY_HEADER) {
            return Err(format!("not a Parcours signing key (its first line is not {KEY_HEADER})"));
        }
        let seed = lines.next().and_then(unhex::<32>).ok_or("its key is not 64 hexadecimal digits")?;
        Ok(SigningKey::from_seed(seed))
    }

    /// The public half, in hex: what a pack carries and what devices trust.
    pub fn public_hex(&self) -> String {
        hex(self.0.verifying_key().as_bytes())
    }
}

/// A public key said so a person can compare it: its first 16 hex digits in groups of four.
pub fn fingerprint(public_hex: &str) -> String {
    let short: Vec<&str> =
        public_hex.as_bytes().chunks(4).take(4).filter_map(|c| std::str::from_utf8(c).ok()).collect();
    short.join(" ")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex<const N: usize>(text: &str) -> Option<[u8; N]> {
    if text.len() != 2 * N || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let mut out = [0u8; N];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

/// The digest of everything the pack holds but its signature (see the module's notes).
fn digest(conn: &Connection) -> rusqlite::Result<[u8; 64]> {
    let mut hash = Sha512::new();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'search!_%' ESCAPE '!' ORDER BY name")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for table in tables {
        let quoted = format!("\"{}\"", table.replace('"', "\"\""));
        let sql = if table == "pack_info" {
            format!("SELECT * FROM {quoted} WHERE key <> '{SIGNATURE}'")
        } else {
            format!("SELECT * FROM {quoted}")
        };
        let mut stmt = conn.prepare(&sql)?;
        let columns = stmt.column_count();
        hash.update((table.len() as u64).to_le_bytes());
        hash.update(table.as_bytes());
        hash.update((columns as u64).to_le_bytes());
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            hash.update([0xFF]);
            for i in 0..columns {
                match row.get_ref(i)? {
                    ValueRef::Null => hash.update([0]),
                    ValueRef::Integer(v) => {
                        hash.update([1]);
                        hash.update(v.to_le_bytes());
                    }
                    ValueRef::Real(v) => {
                        hash.update([2]);
                        hash.update(v.to_le_bytes());
                    }
                    ValueRef::Text(bytes) => {
                        hash.update([3]);
                        hash.update((bytes.len() as u64).to_le_bytes());
                        hash.update(bytes);
                    }
                    ValueRef::Blob(bytes) => {
                        hash.update([4]);
                        hash.update((bytes.len() as u64).to_le_bytes());
                        hash.update(bytes);
                    }
                }
            }
        }
    }
    Ok(hash.finalize().into())
}

/// Signs the pack being written on `conn` (in its transaction): its public key, then the signature.
pub(crate) fn sign(conn: &Connection, key: &SigningKey) -> rusqlite::Result<()> {
    conn.execute("INSERT INTO pack_info (key, value) VALUES (?1, ?2)", [SIGNING_KEY, &key.public_hex()])?;
    let signature = key.0.sign(&digest(conn)?);
    conn.execute("INSERT INTO pack_info (key, value) VALUES (?1, ?2)", [SIGNATURE, &hex(&signature.to_bytes())])?;
    Ok(())
}

/// Whether the pack on `conn` is signed, and by whom: `Ok(Some(public key))`, `Ok(None)` when it says
/// nothing, `Err(reason)` when its signature does not hold.
pub(crate) fn verify(conn: &Connection) -> Result<Option<String>, String> {
    let value = |key: &str| -> Result<Option<String>, String> {
        conn.query_row("SELECT value FROM pack_info WHERE key = ?1", [key], |r| r.get(0))
            .map(Some)
            .or_else(|e| if matches!(e, rusqlite::Error::QueryReturnedNoRows) { Ok(None) } else { Err(e.to_string()) })
    };
    let (public, signature) = match (value(SIGNING_KEY)?, value(SIGNATURE)?) {
        (None, None) => return Ok(None),
        (Some(public), Some(signature)) => (public, signature),
        _ => return Err("it carries half a signature".into()),
    };
    let key = unhex::<32>(&public)
        .and_then(|k| ed25519_dalek::VerifyingKey::from_bytes(&k).ok())
        .ok_or("its signing key is not a key")?;
    let signature =
        unhex::<64>(&signature).map(|s| ed25519_dalek::Signature::from_bytes(&s)).ok_or("its signature is not one")?;
    let digest = digest(conn).map_err(|e| e.to_string())?;
    key.verify(&digest, &signature)
        .map_err(|_| "its signature does not match its content: it was changed after it was signed")?;
    Ok(Some(public))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_file_round_trips_and_a_wrong_one_is_refused() {
        let key = SigningKey::from_seed([7; 32]);
        let again = SigningKey::from_file(&key.to_file()).unwrap();
        assert_eq!(again.public_hex(), key.public_hex());
        assert_eq!(key.public_hex().len(), 64);
        assert!(SigningKey::from_file("hello\n00").is_err());
        assert!(SigningKey::from_file(&format!("{KEY_HEADER}\nzz")).is_err());
        assert_eq!(fingerprint("0123456789abcdef0123"), "0123 4567 89ab cdef");
    }
}
