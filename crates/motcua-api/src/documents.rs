//! Scanned documents of a dossier (Decree 118/2025: digitising is part of
//! receiving). A counter scans each document handed in, keeps one PDF per
//! checklist item, and sends it to central in chunks that resume after a
//! drop:
//!
//! 1. `POST /v1/dossiers/{code}/documents` with a [`DocumentIn`] announces
//!    the file; central answers an [`Upload`] saying how many bytes it
//!    already has (0 the first time, all of them when it is complete).
//!    Announcing again is harmless: the same answer.
//! 2. `PUT /v1/dossiers/{code}/documents/{sha256}?offset=N` with at most
//!    [`CHUNK_MAX`] bytes (`application/octet-stream`) appends them when
//!    `N` is what central has. A chunk it already has is answered as is
//!    (idempotent); one past what it has is 409 with the [`Upload`] to
//!    resume from. The last chunk makes central check the whole file's
//!    SHA-256: equal, the file is kept content-addressed and complete;
//!    not, 422 and the partial file is dropped (the next announce starts
//!    at 0).
//! 3. `GET /v1/dossiers/{code}/documents` lists a dossier's documents
//!    ([`DocumentList`]); `GET /v1/dossiers/{code}/documents/{sha256}`
//!    serves a complete one (`application/pdf`). Both to counters of the
//!    dossier's office only.
//!
//! Caps: a file of more than [`FILE_MAX`] bytes, or one that would take a
//! dossier's documents past [`DOSSIER_MAX`], is refused at the announce
//! with 413 (central may be configured lower; the counter refuses the same
//! before it stores anything).
//!
//! No personal data travels here beyond the file itself: the item is the
//! checklist's wording, the code is the dossier's.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The most bytes one `PUT` carries.
pub const CHUNK_MAX: usize = 1024 * 1024;
/// The largest file (one document's PDF).
pub const FILE_MAX: u64 = 20 * 1024 * 1024;
/// The most a dossier's documents may weigh together.
pub const DOSSIER_MAX: u64 = 100 * 1024 * 1024;

/// What a document is to its dossier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// Handed in with the dossier and scanned at intake.
    Intake,
    /// The result, scanned when it was returned to the citizen.
    Result,
}

impl DocumentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Intake => "intake",
            Self::Result => "result",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "intake" => Some(Self::Intake),
            "result" => Some(Self::Result),
            _ => None,
        }
    }
}

/// A scanned document announced for upload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentIn {
    /// SHA-256 of the whole file, 64 lowercase hex digits.
    pub sha256: String,
    /// The file's size in bytes, 1 to [`FILE_MAX`].
    pub size: u64,
    /// Pages (images) in the PDF, at least 1.
    pub pages: u32,
    /// The checklist item it belongs to, as the procedure words it (at most
    /// 300 characters), or the result's name.
    pub item: String,
    pub kind: DocumentKind,
    /// When it was scanned, RFC 3339.
    pub scanned_at: String,
    /// The id of the officer who scanned it (digitising is reported per
    /// officer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub officer: Option<String>,
}

/// How far an upload has come.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Upload {
    pub sha256: String,
    pub size: u64,
    /// Bytes central has, from the start of the file.
    pub received: u64,
    /// The whole file is there and its hash checked.
    pub complete: bool,
}

/// A document of a dossier, as central lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DocumentOut {
    pub sha256: String,
    pub size: u64,
    pub pages: u32,
    pub item: String,
    pub kind: DocumentKind,
    pub scanned_at: String,
    /// Bytes central has; the file is served once `complete`.
    pub received: u64,
    pub complete: bool,
}

/// A dossier's documents, in the order they were announced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DocumentList {
    pub code: String,
    pub documents: Vec<DocumentOut>,
}

/// Why an announced document is refused before any byte is sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocumentProblem {
    #[error("sha256 must be 64 lowercase hex digits")]
    BadHash,
    #[error("the file is empty")]
    Empty,
    #[error("the file is {size} bytes, more than the {max} a document may have")]
    FileTooLarge { size: u64, max: u64 },
    #[error("pages must be at least 1")]
    NoPages,
    #[error("the item must be 1 to 300 characters")]
    BadItem,
    #[error("scanned_at is not an RFC 3339 time")]
    BadTime,
}

impl DocumentIn {
    /// Checks what can be checked without central's state (the dossier's
    /// total is central's to check).
    pub fn check(&self, file_max: u64) -> Result<(), DocumentProblem> {
        if !is_sha256(&self.sha256) {
            return Err(DocumentProblem::BadHash);
        }
        if self.size == 0 {
            return Err(DocumentProblem::Empty);
        }
        if self.size > file_max {
            return Err(DocumentProblem::FileTooLarge {
                size: self.size,
                max: file_max,
            });
        }
        if self.pages == 0 {
            return Err(DocumentProblem::NoPages);
        }
        let n = self.item.trim().chars().count();
        if n == 0 || n > 300 {
            return Err(DocumentProblem::BadItem);
        }
        if self.scanned_at.parse::<jiff::Timestamp>().is_err() {
            return Err(DocumentProblem::BadTime);
        }
        Ok(())
    }
}

/// 64 lowercase hex digits.
pub fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> DocumentIn {
        DocumentIn {
            sha256: "ab".repeat(32),
            size: 1000,
            pages: 2,
            item: "Tờ khai đăng ký khai sinh".into(),
            kind: DocumentKind::Intake,
            scanned_at: "2026-12-01T02:00:00Z".into(),
            officer: None,
        }
    }

    #[test]
    fn a_document_is_checked_before_any_byte_is_sent() {
        assert_eq!(doc().check(FILE_MAX), Ok(()));
        let bad = |f: fn(&mut DocumentIn)| {
            let mut d = doc();
            f(&mut d);
            d.check(FILE_MAX).unwrap_err()
        };
        assert_eq!(bad(|d| d.sha256 = "AB".repeat(32)), DocumentProblem::BadHash);
        assert_eq!(
            bad(|d| d.sha256.pop().map(drop).unwrap_or(())),
            DocumentProblem::BadHash
        );
        assert_eq!(bad(|d| d.size = 0), DocumentProblem::Empty);
        assert_eq!(
            bad(|d| d.size = FILE_MAX + 1),
            DocumentProblem::FileTooLarge {
                size: FILE_MAX + 1,
                max: FILE_MAX
            }
        );
        assert_eq!(bad(|d| d.pages = 0), DocumentProblem::NoPages);
        assert_eq!(bad(|d| d.item = "  ".into()), DocumentProblem::BadItem);
        assert_eq!(bad(|d| d.item = "x".repeat(301)), DocumentProblem::BadItem);
        assert_eq!(bad(|d| d.scanned_at = "hôm qua".into()), DocumentProblem::BadTime);
    }

    #[test]
    fn kinds_read_back() {
        for k in [DocumentKind::Intake, DocumentKind::Result] {
            assert_eq!(DocumentKind::parse(k.as_str()), Some(k));
            assert_eq!(serde_json::to_string(&k).unwrap(), format!("\"{}\"", k.as_str()));
        }
        assert_eq!(DocumentKind::parse("other"), None);
    }
}
