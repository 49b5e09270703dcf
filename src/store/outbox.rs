//! The outbox: writes waiting for central, which device sends them, and
//! what became of each.

use std::fs;
use std::path::Path;

use rusqlite::{OptionalExtension, params};

use super::{Payload, PayloadError, Store, StoreError, Tx, io_error};

/// A write waiting in the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxRecord {
    pub id: i64,
    /// ticket, void, rating or dossier.
    pub kind: String,
    /// The Idempotency-Key it is sent with, every time.
    pub key: String,
    pub body: String,
    pub attempts: u32,
}

impl OutboxRecord {
    /// What the record carries, typed.
    pub fn payload(&self) -> Result<Payload, PayloadError> {
        Payload::parse(&self.kind, &self.body)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OutboxCounts {
    pub pending: u64,
    pub failed: u64,
}

impl Store {
    /// Puts a write for central in the outbox (dossiers, and anything else
    /// not tied to a ticket or rating).
    pub fn enqueue(&mut self, kind: &str, key: &str, body: &str) -> Result<i64, StoreError> {
        let at = self.clock.now().to_string();
        self.write(|tx| tx.enqueue(kind, key, body, &at))
    }

    /// Makes this store write its records as `device` (central's id of the
    /// device this process is), and takes the records of `kinds` that an
    /// older motcua wrote without a device. With `adopt_others` (a machine
    /// enrolled as one device) it also takes records another device wrote
    /// on this data directory: a replaced machine's, copied over, which
    /// central accepts from its successor. Returns how many it took.
    pub fn set_device(&mut self, device: i64, kinds: &[&str], adopt_others: bool) -> Result<usize, StoreError> {
        self.device = Some(device);
        let kinds = serde_json::to_string(kinds).expect("strings serialize");
        let (mut taken, others) = self.write(|tx| {
            let taken = tx.execute(
                "UPDATE outbox SET device = ?1 WHERE device IS NULL AND state = 'pending'
                   AND kind IN (SELECT value FROM json_each(?2))",
                params![device, kinds],
            )?;
            let others = if adopt_others {
                tx.execute(
                    "UPDATE outbox SET device = ?1 WHERE device IS NOT ?1 AND state = 'pending'",
                    params![device],
                )?
            } else {
                0
            };
            Ok((taken, others))
        })?;
        if adopt_others {
            if others > 0 {
                tracing::warn!(
                    records = others,
                    device,
                    "records another device wrote on this data directory will be sent by this one; \
                     central accepts them if this device was enrolled as its successor"
                );
            }
            taken += others;
        }
        Ok(taken)
    }

    /// Makes this process the one that sends its device's records from this
    /// data directory (a lock file per device, let go when the process
    /// ends). False while another process holds it.
    pub fn claim_sending(&mut self) -> Result<bool, StoreError> {
        if self.sending.is_some() {
            return Ok(true);
        }
        let (Some(device), Some(dir)) = (self.device, self.path.parent()) else {
            // A store on its own (tests, tools) or in memory: no one else.
            return Ok(true);
        };
        if self.path == Path::new(":memory:") {
            return Ok(true);
        }
        let path = dir.join(format!("outbox-{device}.lock"));
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| io_error(&path, &e))?;
        match file.try_lock() {
            Ok(()) => {
                self.sending = Some(file);
                Ok(true)
            }
            Err(fs::TryLockError::WouldBlock) => Ok(false),
            Err(fs::TryLockError::Error(e)) => Err(io_error(&path, &e)),
        }
    }

    /// The oldest record of this store's device still to send.
    pub fn next_pending(&self) -> Result<Option<OutboxRecord>, StoreError> {
        self.conn
            .prepare_cached(
                "SELECT id, kind, idempotency_key, body, attempts FROM outbox
                 WHERE state = 'pending' AND device IS ?1 ORDER BY id LIMIT 1",
            )
            .and_then(|mut s| {
                s.query_row([self.device], |r| {
                    Ok(OutboxRecord {
                        id: r.get(0)?,
                        kind: r.get(1)?,
                        key: r.get(2)?,
                        body: r.get(3)?,
                        attempts: r.get(4)?,
                    })
                })
                .optional()
            })
            .map_err(self.err())
    }

    /// Central has the record.
    pub fn mark_sent(&mut self, id: i64) -> Result<(), StoreError> {
        let at = self.clock.now().to_string();
        self.write(|tx| {
            tx.prepare_cached("UPDATE outbox SET state = 'sent', sent_at = ?2, attempts = attempts + 1 WHERE id = ?1")?
                .execute(params![id, at])
                .map(|_| ())
        })
    }

    /// Central refused the record for good: kept, with the reason, for IT staff.
    pub fn mark_failed(&mut self, id: i64, reason: &str) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.prepare_cached(
                "UPDATE outbox SET state = 'failed', last_error = ?2, attempts = attempts + 1 WHERE id = ?1",
            )?
            .execute(params![id, reason])
            .map(|_| ())
        })
    }

    /// A try that will be repeated.
    pub fn note_attempt(&mut self, id: i64, error: &str) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.prepare_cached("UPDATE outbox SET attempts = attempts + 1, last_error = ?2 WHERE id = ?1")?
                .execute(params![id, error])
                .map(|_| ())
        })
    }

    /// What waits and what central refused: this store's device's records,
    /// or every device's when the store writes as none (tools, doctor).
    pub fn outbox_counts(&self) -> Result<OutboxCounts, StoreError> {
        self.conn
            .query_row(
                "SELECT count(*) FILTER (WHERE state = 'pending'), count(*) FILTER (WHERE state = 'failed')
                 FROM outbox WHERE ?1 IS NULL OR device IS ?1",
                [self.device],
                |r| {
                    Ok(OutboxCounts {
                        pending: r.get(0)?,
                        failed: r.get(1)?,
                    })
                },
            )
            .map_err(self.err())
    }

    /// Puts the records central refused back in line (after IT staff fixed
    /// the cause, such as naming this device a broken one's successor).
    /// Returns how many.
    pub fn retry_failed(&mut self) -> Result<usize, StoreError> {
        self.write(|tx| {
            tx.execute(
                "UPDATE outbox SET state = 'pending', last_error = NULL WHERE state = 'failed'",
                [],
            )
        })
    }

    /// Records central refused, with their reasons.
    pub fn failed_records(&self) -> Result<Vec<(i64, String, String)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, kind, coalesce(last_error, '') FROM outbox WHERE state = 'failed' ORDER BY id")
            .map_err(self.err())?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .and_then(|rows| rows.collect())
            .map_err(self.err())
    }
}

impl Tx<'_> {
    /// Queues a record for central in this write, as the store's device.
    pub(super) fn enqueue(&self, kind: &str, key: &str, body: &str, at: &str) -> rusqlite::Result<i64> {
        self.prepare_cached(
            "INSERT INTO outbox (kind, idempotency_key, body, created_at, device) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![kind, key, body, at, self.device])?;
        Ok(self.last_insert_rowid())
    }

    /// Queues `payload` for central in this write.
    pub(super) fn enqueue_payload(&self, key: &str, payload: &Payload, at: &str) -> rusqlite::Result<i64> {
        self.enqueue(payload.kind(), key, &payload.body(), at)
    }
}
