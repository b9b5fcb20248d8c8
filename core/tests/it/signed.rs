//! Signed packs: the signature of a pack's content is checked at opening, both ways; any change made
//! after signing is refused by name; SQLite reorganising the file changes nothing.

use parcours_core::store::sign::SigningKey;
use parcours_core::store::{PackFile, build_signed_pack_file};

fn signed(dir: &std::path::Path, seed: u8) -> std::path::PathBuf {
    let file = dir.join("signed.parcours");
    build_signed_pack_file(&super::real_pack(), &file, Some(&SigningKey::from_seed([seed; 32]))).unwrap();
    file
}

#[test]
fn a_signed_pack_opens_with_its_signer_both_ways_even_vacuumed() {
    let dir = tempfile::tempdir().unwrap();
    let file = signed(dir.path(), 1);
    let key = SigningKey::from_seed([1; 32]).public_hex();
    assert_eq!(PackFile::open(&file).unwrap().signer(), Some(key.as_str()));
    let bytes = std::fs::read(&file).unwrap();
    assert_eq!(PackFile::from_bytes("s.parcours", &bytes).unwrap().signer(), Some(key.as_str()));
    rusqlite::Connection::open(&file).unwrap().execute_batch("VACUUM").unwrap();
    assert_eq!(PackFile::open(&file).unwrap().signer(), Some(key.as_str()));
    // Unsigned, it says so.
    let (_d, plain) = super::built();
    assert_eq!(PackFile::open(&plain).unwrap().signer(), None);
}

#[test]
fn a_signed_pack_changed_afterwards_or_half_signed_is_refused() {
    let other = SigningKey::from_seed([3; 32]).public_hex();
    let another_key = format!("UPDATE pack_info SET value = '{other}' WHERE key = 'signing_key';");
    let changes = [
        ("UPDATE stops SET name = 'Ailleurs' WHERE ord = 0;", "changed after it was signed"),
        ("UPDATE search SET body = 'une autre adresse' WHERE rowid = 1;", "changed after it was signed"),
        ("UPDATE pack_info SET value = '9.9.9' WHERE key = 'version';", "changed after it was signed"),
        ("DELETE FROM pack_info WHERE key = 'signature';", "half a signature"),
        // Another organiser's key put in its place: the signature is not that key's.
        (another_key.as_str(), "changed after it was signed"),
        ("UPDATE pack_info SET value = 'aa' WHERE key = 'signing_key';", "its signing key is not a key"),
    ];
    for (sql, reason) in changes {
        let dir = tempfile::tempdir().unwrap();
        let file = signed(dir.path(), 2);
        rusqlite::Connection::open(&file).unwrap().execute_batch(sql).unwrap();
        let error = PackFile::open(&file).map(|_| ()).expect_err(sql);
        assert!(error.to_string().contains(reason), "{sql}: {error}");
        let bytes = std::fs::read(&file).unwrap();
        assert!(PackFile::from_bytes("s.parcours", &bytes).is_err(), "{sql}");
    }
}
