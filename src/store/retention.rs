//! Retention: the personal data central has had long enough leaves the
//! store.

use jiff::Timestamp;

use super::{Store, StoreError};

impl Store {
    /// Deletes personal data that central has had for at least `days`:
    /// the applicant, notes and lookup secret of dossiers whose every
    /// record central acknowledged before the cut-off, the bodies of such
    /// acknowledged records, and rating comments. Records central has not
    /// acknowledged (pending or failed) keep everything.
    pub fn purge_personal(&mut self, now: Timestamp, days: u32) -> Result<Purged, StoreError> {
        let cutoff = now
            .checked_sub(jiff::SignedDuration::from_hours(24 * i64::from(days)))
            .unwrap_or(now)
            .to_string();
        let (dossiers, records, comments, documents) = self.write(|tx| {
            // A dossier is done with when nothing about it waits or failed,
            // and its last record reached central before the cut-off.
            let dossiers = tx.execute(PURGE_DOSSIERS, [&cutoff])?;
            let records = tx
                .execute(
                    "WITH cleared (id, body) AS (
                         SELECT id, CASE kind
                             WHEN 'dossier' THEN json_remove(body, '$.dossier.applicant', '$.dossier.notes', '$.dossier.lookup_secret', '$.dossier.principal', '$.dossier.delivery')
                             WHEN 'status' THEN json_remove(body, '$.update.note')
                             ELSE json_remove(body, '$.comment') END
                         FROM outbox WHERE state = 'sent' AND sent_at < ?1 AND kind IN ('dossier', 'status', 'rating'))
                     UPDATE outbox SET body = cleared.body FROM cleared
                     WHERE outbox.id = cleared.id AND outbox.body <> cleared.body",
                    [&cutoff],
                )
                ?;
            let comments = tx
                .execute(
                    "UPDATE ratings SET comment = '' WHERE comment <> '' AND rated_at < ?1
                       AND NOT EXISTS (SELECT 1 FROM outbox WHERE kind = 'rating' AND state <> 'sent')",
                    [&cutoff],
                )
                ?;
            // A scanned document is the citizen's papers: its file leaves
            // once central acknowledged the whole of it, the row stays to
            // say what there was.
            let documents = tx.execute(
                "UPDATE documents SET pdf = NULL WHERE pdf IS NOT NULL
                   AND EXISTS (SELECT 1 FROM outbox o WHERE o.kind = 'document' AND o.state = 'sent'
                        AND o.sent_at < ?1 AND json_extract(o.body, '$.code') = +documents.code
                        AND json_extract(o.body, '$.document.sha256') = documents.sha256)",
                [&cutoff],
            )?;
            Ok((dossiers, records, comments, documents))
        })?;
        Ok(Purged {
            dossiers,
            records,
            comments,
            documents,
        })
    }

    /// Whether this store still holds the personal data of dossier `code`
    /// (not yet past retention, or not yet acknowledged by central).
    pub fn holds_personal_data(&self, code: &str) -> Result<bool, StoreError> {
        self.conn
            .query_row(HOLDS_PERSONAL_DATA, [code], |r| r.get(0))
            .map_err(self.err())
    }
}

/// Clears the personal data of dossiers done with (see
/// [`Store::purge_personal`]). Their records are looked up through the
/// `outbox_code` index: `+dossiers.code` drops the column's text affinity,
/// which would otherwise keep SQLite from comparing through the index and
/// have it read the whole outbox once per dossier.
pub(super) const PURGE_DOSSIERS: &str =
    "UPDATE dossiers SET body = json_remove(body, '$.applicant', '$.notes', '$.lookup_secret', '$.principal', '$.delivery')
     WHERE json_type(body, '$.applicant') IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.kind IN ('dossier', 'status')
            AND json_extract(o.body, '$.code') = +dossiers.code
            AND (o.state <> 'sent' OR o.sent_at >= ?1))
       AND EXISTS (SELECT 1 FROM outbox o WHERE o.kind = 'dossier'
            AND json_extract(o.body, '$.code') = +dossiers.code)";

/// Whether a dossier's personal data is still here (one question per
/// receipt file at each purge; answered through `outbox_code`).
pub(super) const HOLDS_PERSONAL_DATA: &str =
    "SELECT EXISTS (SELECT 1 FROM dossiers WHERE code = ?1 AND json_type(body, '$.applicant') IS NOT NULL)
     OR EXISTS (SELECT 1 FROM outbox WHERE kind IN ('dossier', 'status') AND state <> 'sent'
                AND json_extract(body, '$.code') = ?1)
     OR EXISTS (SELECT 1 FROM documents WHERE code = ?1 AND pdf IS NOT NULL)";

/// What a retention purge cleared.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Purged {
    pub dossiers: usize,
    pub records: usize,
    pub comments: usize,
    /// Scanned documents whose file was let go.
    pub documents: usize,
}
