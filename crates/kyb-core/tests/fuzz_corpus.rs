//! Replays the committed fuzzing corpus (fuzz/corpus/<target>/) through exactly the code the
//! cargo-fuzz targets run (fuzz/src/targets.rs, included below), on stable Rust, as part of
//! `cargo test --workspace`: every input must go through without a panic.

include!("../../../fuzz/src/targets.rs");

use std::path::PathBuf;

fn corpus(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus").join(target);
    let mut inputs: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|err| panic!("read {}: {err}", dir.display()))
        .map(|entry| entry.expect("corpus entry").path())
        .filter(|path| path.is_file())
        .map(|path| {
            let bytes = std::fs::read(&path).unwrap_or_else(|err| panic!("read {}: {err}", path.display()));
            (path, bytes)
        })
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "the corpus {} is empty", dir.display());
    inputs
}

fn replay(target: &str, run: fn(&[u8])) {
    let inputs = corpus(target);
    let mut failed = Vec::new();
    for (path, bytes) in &inputs {
        if std::panic::catch_unwind(|| run(bytes)).is_err() {
            failed.push(path.display().to_string());
        }
    }
    assert!(failed.is_empty(), "{} of {} {target} inputs panicked: {failed:#?}", failed.len(), inputs.len());
}

#[test]
fn parse_validate_corpus_replays_without_panics() {
    replay("parse_validate", parse_validate);
}

#[test]
fn client_response_corpus_replays_without_panics() {
    replay("client_response", client_response);
}
