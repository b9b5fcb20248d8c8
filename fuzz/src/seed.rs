//! What every fuzz check starts from: the real Bayonne pack (its source, its model, its compiled file),
//! scratch folders in memory, and the mutation of a pack file's bytes. Shared by `checks` (the core's
//! targets, replayed by core/tests/it/fuzz_replay.rs) and `visit_check` (the command layer's, replayed by
//! commands/tests/it/fuzz_replay.rs).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use parcours_core::pack::{Pack, Source, load};
use parcours_core::store::{build_pack_file, read_source};

/// The name every fuzzed pack file is opened under: a refusal must name it.
pub const PACK_NAME: &str = "fuzz.parcours";

pub fn source_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../assets/packs/bayonne-2024")
}

/// Scratch files go to memory when the machine has it (`/dev/shm`): thousands of runs a second.
pub fn scratch() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() { tempfile::tempdir_in(shm) } else { tempfile::tempdir() }.expect("a scratch folder")
}

pub struct Real {
    pub source: Source,
    pub pack: Pack,
    /// The compiled pack file's bytes.
    pub file: Vec<u8>,
}

pub fn real() -> &'static Real {
    static REAL: OnceLock<Real> = OnceLock::new();
    REAL.get_or_init(|| {
        let (source, problems) = read_source(&source_dir());
        assert!(problems.is_empty(), "the real source: {problems:?}");
        let pack = load(&source).unwrap_or_else(|p| panic!("the real pack: {p:?}"));
        let dir = scratch();
        let path = dir.path().join(PACK_NAME);
        build_pack_file(&pack, &path).expect("the real pack builds");
        let file = std::fs::read(&path).expect("the real pack file");
        Real { source, pack, file }
    })
}

/// The real pack file with up to 64 bytes changed: each 5 bytes of `data` are an offset (4 bytes, little
/// endian, taken modulo the file's length) and the byte to put there.
pub fn mutated(data: &[u8]) -> Vec<u8> {
    let mut bytes = real().file.clone();
    for change in data.chunks_exact(5).take(64) {
        let offset = u32::from_le_bytes([change[0], change[1], change[2], change[3]]) as usize;
        let len = bytes.len();
        bytes[offset % len] = change[4];
    }
    bytes
}
