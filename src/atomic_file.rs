//! The one way motcua replaces a file on disk: a fresh temporary file in
//! the same directory (its mode set when it is created, its name unique, so
//! two writers never share one), written, synced, renamed over the target,
//! and the directory synced, so a crash or a power cut leaves the old file
//! or the new one, never half of one and never a lost rename.

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

/// Readable by its owner only: credentials, keys.
pub const OWNER_ONLY: u32 = 0o600;
/// Readable by everyone on the machine: caches, print jobs.
pub const SHARED: u32 = 0o644;

/// Replaces `path` with `bytes`, the new file created with `mode`.
pub fn write(path: &Path, bytes: &[u8], mode: u32) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".part")
        .permissions(std::fs::Permissions::from_mode(mode))
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    // The rename lives in the directory: sync it too.
    std::fs::File::open(dir)?.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_file_with_its_mode_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("catalog.json");
        write(&path, b"one", SHARED).unwrap();
        write(&path, b"two", OWNER_ONLY).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, OWNER_ONLY);
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("catalog.json")]);
    }

    #[test]
    fn two_files_of_one_stem_do_not_share_a_temporary() {
        // catalog.json and catalog.etag once both wrote catalog.part.
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("catalog.json");
        let b = dir.path().join("catalog.etag");
        std::thread::scope(|s| {
            s.spawn(|| {
                for i in 0..200 {
                    write(&a, format!("{{\"n\":{i}}}").as_bytes(), SHARED).unwrap();
                }
            });
            s.spawn(|| {
                for i in 0..200 {
                    write(&b, format!("etag-{i}").as_bytes(), SHARED).unwrap();
                }
            });
        });
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "{\"n\":199}");
        assert_eq!(std::fs::read_to_string(&b).unwrap(), "etag-199");
    }

    #[test]
    fn a_missing_directory_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        assert!(write(&dir.path().join("no/such/file"), b"x", SHARED).is_err());
    }
}
