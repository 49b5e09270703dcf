//! Documents scanned at the counter: one PDF per checklist item (or the
//! result at its return), kept with the dossier in one commit and queued
//! for central, which takes each in chunks.

use jiff::Timestamp;
use motcua_api::documents::{DocumentIn, DocumentKind};
use rusqlite::{OptionalExtension, params};

use super::{Payload, Store, StoreError, Tx};

/// A scanned document to keep: its PDF and what it is.
#[derive(Clone, PartialEq, Eq)]
pub struct NewDocument {
    /// The checklist item, as the procedure words it (or the result's name).
    pub item: String,
    pub kind: DocumentKind,
    pub pdf: std::sync::Arc<crate::scan::Pdf>,
    pub scanned_at: Timestamp,
}

impl std::fmt::Debug for NewDocument {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewDocument")
            .field("kind", &self.kind)
            .field("pdf", &self.pdf)
            .finish_non_exhaustive()
    }
}

/// A document the store keeps (or kept) for a dossier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDocument {
    pub sha256: String,
    pub item: String,
    pub kind: DocumentKind,
    pub pages: u32,
    pub size: u64,
    pub scanned_at: String,
    /// The file is still here (not yet past retention).
    pub kept: bool,
    /// Central acknowledged the whole file.
    pub uploaded: bool,
}

impl StoredDocument {
    /// As central lists a dossier's documents: complete once central
    /// acknowledged the whole file.
    pub fn listed(self) -> motcua_api::documents::DocumentOut {
        motcua_api::documents::DocumentOut {
            received: if self.uploaded { self.size } else { 0 },
            complete: self.uploaded,
            sha256: self.sha256,
            size: self.size,
            pages: self.pages,
            item: self.item,
            kind: self.kind,
            scanned_at: self.scanned_at,
        }
    }
}

impl Store {
    /// Keeps scanned documents of dossier `code` and queues each for
    /// central, in one commit (a result scanned at its return).
    pub fn add_documents(
        &mut self,
        code: &str,
        documents: &[NewDocument],
        officer: Option<&str>,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let at_s = at.to_string();
        self.write(|tx| tx.add_documents(code, documents, officer, &at_s))
    }

    /// The file of a document of `code`, while the store keeps it.
    pub fn document_pdf(&self, code: &str, sha256: &str) -> Result<Option<Vec<u8>>, StoreError> {
        self.conn
            .query_row(
                "SELECT pdf FROM documents WHERE code = ?1 AND sha256 = ?2",
                params![code, sha256],
                |r| r.get::<_, Option<Vec<u8>>>(0),
            )
            .optional()
            .map(Option::flatten)
            .map_err(self.err())
    }

    /// The documents of `code` this store has kept, in the order scanned.
    pub fn documents(&self, code: &str) -> Result<Vec<StoredDocument>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT d.sha256, d.item, d.kind, d.pages, d.size, d.scanned_at, d.pdf IS NOT NULL,
                        EXISTS (SELECT 1 FROM outbox o WHERE o.kind = 'document' AND o.state = 'sent'
                                AND json_extract(o.body, '$.code') = d.code
                                AND json_extract(o.body, '$.document.sha256') = d.sha256)
                 FROM documents d WHERE d.code = ?1 ORDER BY d.id",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map([code], |r| {
                let kind: String = r.get(2)?;
                Ok(StoredDocument {
                    sha256: r.get(0)?,
                    item: r.get(1)?,
                    kind: DocumentKind::parse(&kind).unwrap_or(DocumentKind::Intake),
                    pages: r.get(3)?,
                    size: r.get(4)?,
                    scanned_at: r.get(5)?,
                    kept: r.get(6)?,
                    uploaded: r.get(7)?,
                })
            })
            .map_err(self.err())?;
        rows.collect::<Result<_, _>>().map_err(self.err())
    }
}

impl Tx<'_> {
    /// Inserts the documents and queues one record for each, after what
    /// was queued before in this write (the dossier itself at intake), so
    /// central has the dossier when its documents arrive.
    pub(super) fn add_documents(
        &self,
        code: &str,
        documents: &[NewDocument],
        officer: Option<&str>,
        at: &str,
    ) -> rusqlite::Result<()> {
        for d in documents {
            let scanned_at = d.scanned_at.to_string();
            let size = d.pdf.bytes.len() as u64;
            self.execute(
                "INSERT INTO documents (code, sha256, item, kind, pages, size, pdf, scanned_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT (code, sha256) DO NOTHING",
                params![
                    code,
                    d.pdf.sha256,
                    d.item,
                    d.kind.as_str(),
                    d.pdf.pages,
                    size,
                    d.pdf.bytes,
                    scanned_at
                ],
            )?;
            let record = Payload::Document {
                code: code.to_string(),
                document: DocumentIn {
                    sha256: d.pdf.sha256.clone(),
                    size,
                    pages: d.pdf.pages,
                    item: d.item.clone(),
                    kind: d.kind,
                    scanned_at,
                    officer: officer.map(str::to_string),
                },
            };
            let key = format!("document-{}-{code}-{}", self.instance, d.pdf.sha256);
            // The same file again for the same dossier is one record.
            self.execute(
                "INSERT INTO outbox (kind, idempotency_key, body, created_at, device) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (idempotency_key) DO NOTHING",
                params![record.kind(), key, record.body(), at, self.device],
            )?;
        }
        Ok(())
    }
}
