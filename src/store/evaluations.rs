//! Dossier evaluations (the national criteria, keyed by dossier code):
//! queued for central through the outbox, one per dossier and occasion.

use rusqlite::params;

use super::{Payload, Store, StoreError};
use motcua_api::evaluation::DossierRatingIn;

impl Store {
    /// Queues a dossier's evaluation for central. False when this device
    /// queued one for the same dossier and occasion before: the first
    /// stands and nothing is written. No personal data: the code and the
    /// answers only.
    pub fn evaluate_dossier(&mut self, e: &DossierRatingIn) -> Result<bool, StoreError> {
        let key = format!("evaluation-{}-{}", e.occasion.as_str(), e.code);
        let payload = Payload::Evaluation(e.clone());
        let at = e.rated_at.clone();
        self.write(|tx| {
            let known: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM outbox WHERE idempotency_key = ?1)",
                params![key],
                |r| r.get(0),
            )?;
            if known {
                return Ok(false);
            }
            tx.enqueue_payload(&key, &payload, &at)?;
            Ok(true)
        })
    }
}
