//! The outbox's payloads, typed with the wire contract's models
//! (`motcua_api::model`): what each kind of record carries, read back from
//! the stored JSON, and the JSON stored and sent for it.
//!
//! The stored JSON is as it always was (an object with sorted keys; the
//! rating's optional fields left out when empty), so older rows read and a
//! record sent again after an upgrade carries the same bytes, which central
//! compares for its idempotency check.

use motcua_api::documents::DocumentIn;
use motcua_api::evaluation::DossierRatingIn;
use motcua_api::model::{DossierIn, OfflineTicket, PaymentIn, RatingIn, StatusUpdate, VoidTicket};
use serde::{Deserialize, Serialize};

/// What an outbox record carries to central.
#[derive(Debug, Clone)]
pub enum Payload {
    /// A ticket this kiosk numbered while central was out of reach.
    Ticket(OfflineTicket),
    /// A ticket request whose answer never came, to cancel.
    Void(VoidTicket),
    Rating(RatingIn),
    /// A dossier taken in at a counter.
    Dossier {
        code: String,
        dossier: Box<DossierIn>,
    },
    /// A dossier's status change.
    Status {
        code: String,
        update: StatusUpdate,
    },
    /// A fee payment recorded with a dossier (asked for, or made).
    Payment {
        code: String,
        payment: PaymentIn,
    },
    /// A dossier's evaluation (the national criteria).
    Evaluation(DossierRatingIn),
    /// A scanned document of a dossier; the file itself is in the store's
    /// `documents` table and goes up in chunks
    /// ([`crate::sync::client::Client::upload_document`]).
    Document {
        code: String,
        document: DocumentIn,
    },
}

/// Why a stored record cannot be read as a payload.
#[derive(Debug, thiserror::Error)]
pub enum PayloadError {
    #[error("the outbox record does not parse: {0}")]
    Parse(#[from] serde_json::Error),
    #[error("unknown outbox record kind `{0}`")]
    UnknownKind(String),
}

/// A dossier record as stored.
#[derive(Serialize, Deserialize)]
struct DossierBody {
    code: String,
    dossier: DossierIn,
}

/// A status record as stored.
#[derive(Serialize, Deserialize)]
struct StatusBody {
    code: String,
    update: StatusUpdate,
}

/// A document record as stored.
#[derive(Serialize, Deserialize)]
struct DocumentBody {
    code: String,
    document: DocumentIn,
}

/// A payment record as stored.
#[derive(Serialize, Deserialize)]
struct PaymentBody {
    code: String,
    payment: PaymentIn,
}

impl Payload {
    /// The record's kind, as stored in the outbox's `kind` column.
    pub fn kind(&self) -> &'static str {
        match self {
            Payload::Ticket(_) => "ticket",
            Payload::Void(_) => "void",
            Payload::Rating(_) => "rating",
            Payload::Dossier { .. } => "dossier",
            Payload::Status { .. } => "status",
            Payload::Payment { .. } => "payment",
            Payload::Evaluation(_) => "evaluation",
            Payload::Document { .. } => "document",
        }
    }

    /// Reads a stored record of `kind`.
    pub fn parse(kind: &str, body: &str) -> Result<Self, PayloadError> {
        Ok(match kind {
            "ticket" => Payload::Ticket(serde_json::from_str(body)?),
            "void" => Payload::Void(serde_json::from_str(body)?),
            "rating" => Payload::Rating(serde_json::from_str(body)?),
            "dossier" => {
                let b: DossierBody = serde_json::from_str(body)?;
                Payload::Dossier {
                    code: b.code,
                    dossier: Box::new(b.dossier),
                }
            }
            "status" => {
                let b: StatusBody = serde_json::from_str(body)?;
                Payload::Status {
                    code: b.code,
                    update: b.update,
                }
            }
            "payment" => {
                let b: PaymentBody = serde_json::from_str(body)?;
                Payload::Payment {
                    code: b.code,
                    payment: b.payment,
                }
            }
            "evaluation" => Payload::Evaluation(serde_json::from_str(body)?),
            "document" => {
                let b: DocumentBody = serde_json::from_str(body)?;
                Payload::Document {
                    code: b.code,
                    document: b.document,
                }
            }
            other => return Err(PayloadError::UnknownKind(other.to_string())),
        })
    }

    /// The JSON stored for the record.
    pub fn body(&self) -> String {
        let value = match self {
            Payload::Ticket(t) => json(t),
            Payload::Void(v) => json(v),
            Payload::Rating(r) => {
                let mut v = json(r);
                strip(&mut v, &["ticket_id", "comment"]);
                if r.criteria.is_empty() {
                    v.as_object_mut().map(|o| o.remove("criteria"));
                }
                v
            }
            Payload::Dossier { code, dossier } => serde_json::json!({ "code": code, "dossier": json(dossier) }),
            Payload::Status { code, update } => {
                let mut update = json(update);
                strip(&mut update, &["note"]);
                serde_json::json!({ "code": code, "update": update })
            }
            Payload::Payment { code, payment } => serde_json::json!({ "code": code, "payment": json(payment) }),
            Payload::Evaluation(e) => json(e),
            Payload::Document { code, document } => serde_json::json!({ "code": code, "document": json(document) }),
        };
        value.to_string()
    }

    /// What central is sent for it: the method's name, the path, the body.
    pub fn request(&self) -> (&'static str, String, String) {
        match self {
            Payload::Ticket(_) => ("POST", "/v1/tickets/offline".into(), self.body()),
            Payload::Void(_) => ("POST", "/v1/tickets/void".into(), self.body()),
            Payload::Rating(_) => ("POST", "/v1/ratings".into(), self.body()),
            Payload::Dossier { code, dossier } => ("PUT", format!("/v1/dossiers/{code}"), json(dossier).to_string()),
            Payload::Status { code, update } => {
                let mut update = json(update);
                strip(&mut update, &["note"]);
                ("POST", format!("/v1/dossiers/{code}/status"), update.to_string())
            }
            Payload::Payment { code, payment } => (
                "POST",
                format!("/v1/dossiers/{code}/payment"),
                json(payment).to_string(),
            ),
            Payload::Evaluation(e) => ("POST", format!("/v1/dossiers/{}/evaluation", e.code), self.body()),
            // The announce; the chunks follow it.
            Payload::Document { code, document } => (
                "POST",
                format!("/v1/dossiers/{code}/documents"),
                json(document).to_string(),
            ),
        }
    }
}

/// A model as a JSON value (an object with sorted keys).
fn json<T: Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).expect("a model serializes")
}

/// Leaves out the fields of `keys` that are null.
fn strip(value: &mut serde_json::Value, keys: &[&str]) {
    if let Some(o) = value.as_object_mut() {
        for k in keys {
            if o.get(*k).is_some_and(serde_json::Value::is_null) {
                o.remove(*k);
            }
        }
    }
}
