//! Files that hold personal data beside the database: receipt PDFs
//! (`receipts/<code>.pdf`) and receipts waiting in the print spool
//! (`spool/receipt-<code>.png`, `.bin`). They follow the database's rule:
//! once the dossier's personal data is gone from the store (central has
//! had it for the retention period) and the file is older than that
//! period, the file goes too. A file whose dossier this store does not
//! know (another machine's, or its row long gone) goes once it is old.

use std::path::{Path, PathBuf};

use jiff::Timestamp;

use crate::store::{Store, StoreError};

/// The folders beside the database that hold receipts.
pub const RECEIPTS_DIR: &str = "receipts";
pub const SPOOL_DIR: &str = "spool";

/// The dossier code a receipt file is about, if it is one.
fn receipt_code(dir: &str, name: &str) -> Option<String> {
    let stem = match dir {
        RECEIPTS_DIR => name.strip_suffix(".pdf")?,
        _ => name
            .strip_prefix("receipt-")
            .and_then(|n| n.strip_suffix(".png").or_else(|| n.strip_suffix(".bin")))?,
    };
    (!stem.is_empty()).then(|| stem.to_string())
}

/// The receipt files past the retention period whose dossier no longer
/// holds personal data here: what [`purge_files`] deletes, and what an
/// audit expects to find none of.
pub fn overdue_files(store: &Store, data_dir: &Path, now: Timestamp, days: u32) -> Result<Vec<PathBuf>, StoreError> {
    let cutoff = now
        .checked_sub(jiff::SignedDuration::from_hours(24 * i64::from(days)))
        .unwrap_or(now);
    let mut overdue = Vec::new();
    for dir in [RECEIPTS_DIR, SPOOL_DIR] {
        let Ok(entries) = std::fs::read_dir(data_dir.join(dir)) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(code) = receipt_code(dir, &name) else {
                continue;
            };
            let old = entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| Timestamp::try_from(t).ok())
                .is_some_and(|t| t < cutoff);
            if old && !store.holds_personal_data(&code)? {
                overdue.push(entry.path());
            }
        }
    }
    Ok(overdue)
}

/// Deletes receipt files past the retention period whose dossier no
/// longer holds personal data here. Returns how many went.
pub fn purge_files(store: &Store, data_dir: &Path, now: Timestamp, days: u32) -> Result<usize, StoreError> {
    let mut gone = 0;
    for path in overdue_files(store, data_dir, now, days)? {
        match std::fs::remove_file(&path) {
            Ok(()) => gone += 1,
            Err(e) => tracing::warn!(file = %path.display(), error = %e, "receipt file past retention not deleted"),
        }
    }
    Ok(gone)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn touch(path: &Path, when: Timestamp) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, b"Nguyen Van An 001099012345").unwrap();
        let f = std::fs::File::options().write(true).open(path).unwrap();
        f.set_modified(std::time::SystemTime::from(when)).unwrap();
    }

    #[test]
    fn receipt_files_go_with_the_personal_data_of_their_dossier() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path();
        let mut store = Store::open(data).unwrap();
        let taken = at("2026-11-01T02:00:00Z");
        let dossier = serde_json::json!({"applicant": {"name": "Nguyễn Văn An"}, "status": 2});
        // Sent long ago and purged from the database: its files go.
        store.take_in("X-261101-0001", &dossier, 2, taken).unwrap();
        store.mark_all_sent_for_test(taken);
        // Still unsent: central has not got it, so its receipt stays.
        store.take_in("X-261101-0003", &dossier, 2, taken).unwrap();
        let now = at("2026-11-20T02:00:00Z");
        store.purge_personal(now, 7).unwrap();

        let files = [
            "receipts/X-261101-0001.pdf",
            "spool/receipt-X-261101-0001.png",
            "spool/receipt-X-261101-0001.bin",
            "receipts/X-261101-0003.pdf",
            "spool/receipt-X-261101-0003.bin",
            // Another machine's, or its row gone: old, so it goes.
            "receipts/X-250101-0042.pdf",
            // A ticket in the spool carries no personal data: not ours.
            "spool/ticket-A-001.png",
        ];
        for f in files {
            touch(&data.join(f), taken);
        }
        // A fresh receipt of a purged dossier's code stays until it is old.
        touch(&data.join("spool/receipt-X-261101-0001.pdf.png"), now);

        let gone = purge_files(&store, data, now, 7).unwrap();
        let left = |f: &str| data.join(f).exists();
        assert!(!left("receipts/X-261101-0001.pdf"));
        assert!(!left("spool/receipt-X-261101-0001.png"));
        assert!(!left("spool/receipt-X-261101-0001.bin"));
        assert!(!left("receipts/X-250101-0042.pdf"));
        assert!(left("receipts/X-261101-0003.pdf"), "central does not have it yet");
        assert!(left("spool/receipt-X-261101-0003.bin"));
        assert!(left("spool/ticket-A-001.png"));
        assert!(left("spool/receipt-X-261101-0001.pdf.png"), "not past the period");
        assert_eq!(gone, 4);
    }
}
