//! Dossiers taken in at the counter and their status changes, each queued
//! for central in the same commit.

use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::{OptionalExtension, params};

use super::{Payload, Store, StoreError};
use motcua_api::model::{PaymentIn, StatusUpdate};

impl Store {
    /// The next dossier number from this counter's own block, for codes
    /// made while central is out of reach.
    pub fn next_offline_dossier_number(&mut self, day: Date, slot: u32) -> Result<u32, StoreError> {
        self.write(|tx| {
            tx.query_row(
                "INSERT INTO sequences (day, grp, slot, last) VALUES (?1, '#dossier', ?2, 1)
                 ON CONFLICT (day, grp, slot) DO UPDATE SET last = last + 1 RETURNING last",
                params![day.to_string(), slot],
                |r| r.get(0),
            )
        })
    }

    /// Keeps a dossier taken in and queues it for central, in one commit.
    pub fn take_in(
        &mut self,
        code: &str,
        dossier: &serde_json::Value,
        status: u8,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        self.take_in_with(code, dossier, status, at, &[], None)
    }

    /// Keeps a dossier taken in with the documents scanned at intake, and
    /// queues it and each document for central, in one commit: all of it
    /// or nothing (a full disk leaves no dossier without its files, nor a
    /// file without its dossier).
    pub fn take_in_with(
        &mut self,
        code: &str,
        dossier: &serde_json::Value,
        status: u8,
        at: Timestamp,
        documents: &[super::NewDocument],
        officer: Option<&str>,
    ) -> Result<(), StoreError> {
        let at_s = at.to_string();
        self.write(|tx| {
            tx.execute(
                "INSERT INTO dossiers (code, body, status, received_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)",
                params![code, dossier.to_string(), status, at_s],
            )?;
            // Kept as the counter gave it; read back typed (see `Payload`).
            let body = serde_json::json!({ "code": code, "dossier": dossier });
            tx.enqueue(
                "dossier",
                &format!("dossier-{}-{code}", tx.instance),
                &body.to_string(),
                &at_s,
            )?;
            tx.add_documents(code, documents, officer, &at_s)?;
            Ok(())
        })
    }

    /// Records a status change of a dossier and queues it for central.
    pub fn set_dossier_status(&mut self, code: &str, status: u8, note: &str, at: Timestamp) -> Result<(), StoreError> {
        let at_s = at.to_string();
        self.write(|tx| {
            tx.execute(
                "UPDATE dossiers SET status = ?2, updated_at = ?3 WHERE code = ?1",
                params![code, status, at_s],
            )?;
            let update = Payload::Status {
                code: code.to_string(),
                update: StatusUpdate {
                    status,
                    note: Some(note.to_string()),
                },
            };
            let key = format!("status-{}-{code}-{status}-{}", tx.instance, at.as_millisecond());
            tx.enqueue_payload(&key, &update, &at_s)?;
            Ok(())
        })
    }

    /// Queues a fee payment of a dossier (asked for, or made) for central,
    /// which keeps it and moves the dossier's status (6 while asked for).
    /// Sent once, however often it is retried.
    pub fn record_payment(&mut self, code: &str, payment: &PaymentIn, at: Timestamp) -> Result<(), StoreError> {
        let at_s = at.to_string();
        self.write(|tx| {
            let record = Payload::Payment {
                code: code.to_string(),
                payment: payment.clone(),
            };
            let key = format!("payment-{}-{code}-{}", tx.instance, at.as_millisecond());
            tx.enqueue_payload(&key, &record, &at_s)?;
            Ok(())
        })
    }

    /// A dossier kept here, as taken in (JSON) with its status.
    pub fn dossier(&self, code: &str) -> Result<Option<(serde_json::Value, u8)>, StoreError> {
        self.conn
            .query_row("SELECT body, status FROM dossiers WHERE code = ?1", [code], |r| {
                Ok((r.get::<_, String>(0)?, r.get(1)?))
            })
            .optional()
            .map_err(self.err())
            .map(|row| row.map(|(body, status)| (serde_json::from_str(&body).unwrap_or_default(), status)))
    }
}
