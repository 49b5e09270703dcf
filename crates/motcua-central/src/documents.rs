//! Scanned documents at central (the contract is
//! [`motcua_api::documents`]): who may send and read them, the caps, and
//! the files on disk.
//!
//! The files are content-addressed under central's data directory:
//! `documents/ab/abcdef….pdf` once complete and checked, stored once
//! however many dossiers name the same bytes. An upload grows in
//! `documents/partial/<sha256>`, each chunk appended and synced to disk
//! before it is answered, so a central restarted mid-upload resumes from
//! what it had. The file is the truth of how far an upload has come; the
//! rows ([`crate::repo::documents`]) follow it on every touch.
//!
//! Whose documents they are: the dossier's office's. A counter of another
//! office is refused (403), as every other role is by the table of roles.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use crate::sql::Conn;
use axum::http::StatusCode;
use sha2::{Digest, Sha256};

use crate::error::{ApiError, CentralError};
use crate::repo;
use motcua_api::documents::{CHUNK_MAX, DOSSIER_MAX, DocumentIn, DocumentProblem, FILE_MAX, Upload};

/// The directory under central's data directory.
pub const DIR: &str = "documents";

/// How much central takes: per file and per dossier. The contract's caps
/// by default; an office may set them lower.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caps {
    pub file_max: u64,
    pub dossier_max: u64,
}

impl Default for Caps {
    fn default() -> Self {
        Self {
            file_max: FILE_MAX,
            dossier_max: DOSSIER_MAX,
        }
    }
}

/// How far the upload of one file has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub received: u64,
    pub complete: bool,
}

impl Progress {
    pub fn upload(self, sha256: &str, size: u64) -> Upload {
        Upload {
            sha256: sha256.to_string(),
            size,
            received: self.received,
            complete: self.complete,
        }
    }
}

/// What a chunk did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chunk {
    /// Appended, or had already: how far the upload is now.
    Took(Progress),
    /// It starts past what central has: resume from here.
    Gap(Progress),
    /// The whole file's hash is not the one announced: the partial file
    /// is gone.
    Mismatch,
}

/// Uploads of one file are taken one at a time, under one of these locks
/// picked by the file's hash.
const LOCKS: usize = 64;

/// The files of scanned documents.
pub struct Store {
    root: PathBuf,
    pub caps: Caps,
    locks: Vec<tokio::sync::Mutex<()>>,
}

fn private_dir(path: &Path) -> io::Result<()> {
    fs::DirBuilder::new().recursive(true).mode(0o700).create(path)
}

/// Syncs a directory, so that a file created or renamed in it stays.
fn sync_dir(path: &Path) -> io::Result<()> {
    File::open(path)?.sync_all()
}

impl Store {
    /// The store under central's data directory `dir`, created if new.
    pub fn open(dir: &Path, caps: Caps) -> Result<Self, CentralError> {
        let root = dir.join(DIR);
        let partial = root.join("partial");
        private_dir(&partial).map_err(|source| CentralError::Io { path: partial, source })?;
        Ok(Self {
            root,
            caps,
            locks: (0..LOCKS).map(|_| tokio::sync::Mutex::new(())).collect(),
        })
    }

    /// Where the complete file `sha256` is kept.
    pub fn path(&self, sha256: &str) -> PathBuf {
        self.root.join(&sha256[..2]).join(format!("{sha256}.pdf"))
    }

    /// Where the upload of `sha256` grows.
    pub fn partial(&self, sha256: &str) -> PathBuf {
        self.root.join("partial").join(sha256)
    }

    /// Holds the uploads of `sha256` (and of the few others sharing its
    /// lock) while the guard lives.
    pub async fn lock(&self, sha256: &str) -> tokio::sync::MutexGuard<'_, ()> {
        let slot = u8::from_str_radix(&sha256[..2], 16).map_or(0, usize::from) % LOCKS;
        self.locks[slot].lock().await
    }

    /// How far the upload of `sha256` (of `size` bytes) has come, on disk.
    /// A partial file longer than the file can be is dropped.
    pub fn progress(&self, sha256: &str, size: u64) -> io::Result<Progress> {
        if self.path(sha256).is_file() {
            return Ok(Progress {
                received: size,
                complete: true,
            });
        }
        let partial = self.partial(sha256);
        let received = match fs::metadata(&partial) {
            Ok(m) if m.len() > size => {
                fs::remove_file(&partial)?;
                0
            }
            Ok(m) => m.len(),
            Err(e) if e.kind() == io::ErrorKind::NotFound => 0,
            Err(e) => return Err(e),
        };
        Ok(Progress {
            received,
            complete: false,
        })
    }

    /// Takes `bytes` at `offset` of the file `sha256` of `size` bytes
    /// (the caller holds [`Self::lock`] and checked that the chunk ends
    /// within the file). What central already has is not written again;
    /// the last byte makes the whole file checked against its hash.
    pub fn append(&self, sha256: &str, size: u64, offset: u64, bytes: &[u8]) -> io::Result<Chunk> {
        let now = self.progress(sha256, size)?;
        if now.complete {
            return Ok(Chunk::Took(now));
        }
        if offset > now.received {
            return Ok(Chunk::Gap(now));
        }
        let end = offset + bytes.len() as u64;
        if end <= now.received {
            return Ok(Chunk::Took(now));
        }
        let partial = self.partial(sha256);
        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .open(&partial)?;
        file.write_all(&bytes[(now.received - offset) as usize..])?;
        file.sync_data()?;
        if now.received == 0 {
            sync_dir(partial.parent().unwrap_or(&self.root))?;
        }
        if end < size {
            return Ok(Chunk::Took(Progress {
                received: end,
                complete: false,
            }));
        }
        if hash_file(&partial)? != sha256 {
            fs::remove_file(&partial)?;
            return Ok(Chunk::Mismatch);
        }
        let path = self.path(sha256);
        let dir = path.parent().unwrap_or(&self.root);
        private_dir(dir)?;
        fs::rename(&partial, &path)?;
        sync_dir(dir)?;
        Ok(Chunk::Took(Progress {
            received: size,
            complete: true,
        }))
    }
}

/// The SHA-256 of a file, as lowercase hex.
pub fn hash_file(path: &Path) -> io::Result<String> {
    let mut file = File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0; 64 * 1024];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(motcua_core::ids::hex(&hasher.finalize()))
}

/// A size for people: whole MiB when it is one, else to a tenth.
pub fn mib(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else {
        format!("{:.1} MiB", bytes as f64 / MIB as f64)
    }
}

/// The refusal of an announce [`DocumentIn::check`] found wrong, naming
/// the field.
pub fn refusal(p: &DocumentProblem) -> ApiError {
    let (status, code, field) = match p {
        DocumentProblem::BadHash => (StatusCode::UNPROCESSABLE_ENTITY, "document_hash", "sha256"),
        DocumentProblem::Empty => (StatusCode::UNPROCESSABLE_ENTITY, "document_empty", "size"),
        DocumentProblem::FileTooLarge { size, max } => {
            return ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "document_too_large",
                format!(
                    "size: the file is {} ({size} bytes), more than the {} a document may have \
                     / tệp {} vượt quá {} cho phép của một tài liệu",
                    mib(*size),
                    mib(*max),
                    mib(*size),
                    mib(*max)
                ),
            );
        }
        DocumentProblem::NoPages => (StatusCode::UNPROCESSABLE_ENTITY, "document_pages", "pages"),
        DocumentProblem::BadItem => (StatusCode::UNPROCESSABLE_ENTITY, "document_item", "item"),
        DocumentProblem::BadTime => (StatusCode::UNPROCESSABLE_ENTITY, "document_time", "scanned_at"),
    };
    ApiError::new(
        status,
        code,
        format!("{field}: {p} / {}", motcua_api::error::message_vi(code)),
    )
}

/// Checks an announce before anything is kept.
pub fn check(d: &DocumentIn, caps: Caps) -> Result<(), ApiError> {
    d.check(caps.file_max).map_err(|p| refusal(&p))?;
    if let Some(officer) = &d.officer
        && !motcua_core::queue::officer_id_ok(officer)
    {
        return Err(ApiError::invalid_officer());
    }
    Ok(())
}

/// Whether `office` may see and send the documents of dossier `code`: its
/// own dossier, yes; another office's, 403; none, 404.
pub fn access(conn: &Conn, office: &str, code: &str) -> Result<(), ApiError> {
    let offices = repo::documents::offices_of(conn, code)?;
    if offices.iter().any(|o| o == office) {
        Ok(())
    } else if offices.is_empty() {
        Err(ApiError::not_found(format!("no dossier {code}")))
    } else {
        Err(ApiError::forbidden(format!(
            "dossier {code} is another office's; only its own office's counters send and read its documents"
        )))
    }
}

/// The refusal of a file not announced for the dossier.
pub fn not_announced(code: &str, sha256: &str) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "document_not_announced",
        format!("dossier {code} has no document {sha256}: announce it first (POST /v1/dossiers/{code}/documents)"),
    )
}

/// Keeps the announce `d` for dossier `code` of `office`, whose file is
/// at `now` on disk, unless the dossier's documents would weigh more than
/// the cap. Announcing again answers how far the upload is, and keeps
/// what the first announce said. Returns the answer and whether the
/// document is new to the dossier.
pub fn announce(
    conn: &Conn,
    office: &str,
    code: &str,
    d: &DocumentIn,
    now: Progress,
    caps: Caps,
    at: &str,
) -> Result<(Upload, bool), ApiError> {
    access(conn, office, code)?;
    if let Some(found) = repo::documents::find(conn, office, code, &d.sha256)? {
        if found.size != d.size {
            return Err(size_conflict(d, found.size));
        }
        if (found.received, found.complete) != (now.received, now.complete) {
            repo::documents::set_progress(conn, &d.sha256, now.received, now.complete)?;
        }
        return Ok((now.upload(&d.sha256, d.size), false));
    }
    if let Some(size) = repo::documents::other_size(conn, &d.sha256, d.size)? {
        return Err(size_conflict(d, size));
    }
    let total = repo::documents::total(conn, office, code)?;
    if total + d.size > caps.dossier_max {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "dossier_documents_too_large",
            format!(
                "size: dossier {code}'s documents weigh {} already; with this {} they would pass the {} a dossier may have \
                 / tài liệu quét của hồ sơ {code} đã có {}; thêm tệp {} này sẽ vượt quá {} cho phép của một hồ sơ",
                mib(total),
                mib(d.size),
                mib(caps.dossier_max),
                mib(total),
                mib(d.size),
                mib(caps.dossier_max)
            ),
        ));
    }
    repo::documents::insert(conn, office, code, d, now.received, now.complete, at)?;
    Ok((now.upload(&d.sha256, d.size), true))
}

fn size_conflict(d: &DocumentIn, size: u64) -> ApiError {
    ApiError::unprocessable(format!(
        "size: the file {} was announced before with {size} bytes, not {}; the same bytes have one size",
        d.sha256, d.size
    ))
}

/// Refuses a chunk that could not be part of a file of `size` bytes.
pub fn check_chunk(offset: u64, len: usize, size: u64) -> Result<(), ApiError> {
    if len > CHUNK_MAX {
        return Err(chunk_too_large());
    }
    if offset.checked_add(len as u64).is_none_or(|end| end > size) {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "chunk_past_end",
            format!(
                "offset: {len} bytes at offset {offset} go past the file's {size} bytes \
                 / phần tệp {len} byte từ vị trí {offset} vượt quá kích thước {size} byte đã báo"
            ),
        ));
    }
    Ok(())
}

pub fn chunk_too_large() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "chunk_too_large",
        format!(
            "a chunk carries at most {CHUNK_MAX} bytes / mỗi lần gửi tối đa {CHUNK_MAX} byte ({})",
            mib(CHUNK_MAX as u64)
        ),
    )
}

pub fn mismatch(sha256: &str) -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "document_hash_mismatch",
        format!(
            "sha256: the file received does not hash to {sha256}; it was dropped: announce it again and send it from offset 0 \
             / tệp nhận được không khớp mã băm đã báo và đã bị bỏ: hãy báo lại và gửi lại từ đầu"
        ),
    )
}

/// A file-system error while storing or reading a document: central may
/// take it once the disk is put right, so the client tries again later.
pub fn io_error(e: io::Error) -> ApiError {
    ApiError::unavailable(format!(
        "central could not store or read the document: {e} / máy chủ không ghi hoặc đọc được tài liệu"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sha(bytes: &[u8]) -> String {
        motcua_core::ids::hex(&Sha256::digest(bytes))
    }

    #[test]
    fn chunks_append_replay_and_resume_and_the_hash_decides() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), Caps::default()).unwrap();
        let file: Vec<u8> = (0..10_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let (h, size) = (sha(&file), file.len() as u64);
        let took = |received, complete| Chunk::Took(Progress { received, complete });
        assert_eq!(store.append(&h, size, 0, &file[..4000]).unwrap(), took(4000, false));
        // The same chunk again, or part of it: nothing written twice.
        assert_eq!(store.append(&h, size, 0, &file[..4000]).unwrap(), took(4000, false));
        assert_eq!(
            store.append(&h, size, 1000, &file[1000..3000]).unwrap(),
            took(4000, false)
        );
        // Past what central has: where to resume.
        assert_eq!(
            store.append(&h, size, 6000, &file[6000..]).unwrap(),
            Chunk::Gap(Progress {
                received: 4000,
                complete: false
            })
        );
        // Overlapping what it has: only the new bytes are kept.
        assert_eq!(
            store.append(&h, size, 2000, &file[2000..7000]).unwrap(),
            took(7000, false)
        );
        assert_eq!(fs::metadata(store.partial(&h)).unwrap().len(), 7000);
        assert_eq!(store.append(&h, size, 7000, &file[7000..]).unwrap(), took(size, true));
        assert_eq!(fs::read(store.path(&h)).unwrap(), file);
        assert!(!store.partial(&h).exists());
        assert_eq!(
            store.progress(&h, size).unwrap(),
            Progress {
                received: size,
                complete: true
            }
        );
        // A file whose bytes are not the hash announced is dropped whole.
        let wrong = sha(b"something else");
        assert_eq!(store.append(&wrong, size, 0, &file[..5000]).unwrap(), took(5000, false));
        assert_eq!(
            store.append(&wrong, size, 5000, &file[5000..]).unwrap(),
            Chunk::Mismatch
        );
        assert!(!store.partial(&wrong).exists() && !store.path(&wrong).exists());
        assert_eq!(store.progress(&wrong, size).unwrap().received, 0);
    }

    #[test]
    fn refusals_name_the_field_in_both_languages() {
        let e = refusal(&DocumentProblem::BadTime);
        assert_eq!((e.status.as_u16(), e.code), (422, "document_time"));
        assert!(e.message.starts_with("scanned_at: "), "{}", e.message);
        assert!(e.message.contains("Thời điểm quét"), "{}", e.message);
        let e = refusal(&DocumentProblem::FileTooLarge {
            size: 21 * 1024 * 1024,
            max: FILE_MAX,
        });
        assert_eq!((e.status.as_u16(), e.code), (413, "document_too_large"));
        assert!(
            e.message.contains("21 MiB") && e.message.contains("20 MiB"),
            "{}",
            e.message
        );
        assert_eq!(mib(1536 * 1024), "1.5 MiB");
    }
}
