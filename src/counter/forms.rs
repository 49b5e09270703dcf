//! The forms a counter prints beside the receipt (Circular 03/2025, Annex
//! I), filled from the dossier as central (or, out of reach, this counter)
//! knows it: 02 request to supplement, 03 refusal, 04 apology with a new
//! appointment, 05 notice of stopping at the citizen's request, 06 the
//! process-control slip. Each is an A4 PDF of real text kept under the
//! data directory's `forms/`, with the dossier's signed QR; a form that
//! moves the dossier on (02 to status 5, 05 to status 7) queues that for
//! central in the same step, so the paper and the record agree.

use std::path::PathBuf;

use jiff::Timestamp;
use jiff::civil::Date;

use super::{CounterError, Desk, lock};
use crate::print::form::{self, Letter};
use crate::print::forms::{self, Facts};
use crate::store::Officer;
use motcua_api::model::StatusChange;
use motcua_core::dossier::Status;
use motcua_core::forms::FormKind;

/// A form to print, with what only the officer can say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormRequest {
    /// 06: the handovers so far.
    Control,
    /// 02: what is missing, and why.
    Supplement { missing: Vec<String>, reason: String },
    /// 05: stopping at the citizen's request, and why.
    Stop { reason: String },
    /// 04: why it is late, and the new appointment.
    Apology { reason: String, new_due: Date },
    /// 03: refusing a dossier before it is taken in (no code yet).
    Refusal {
        applicant: String,
        id_number: String,
        procedure: String,
        reason: String,
    },
}

impl FormRequest {
    pub fn kind(&self) -> FormKind {
        match self {
            FormRequest::Control => FormKind::Control,
            FormRequest::Supplement { .. } => FormKind::Supplement,
            FormRequest::Stop { .. } => FormKind::Stop,
            FormRequest::Apology { .. } => FormKind::Apology,
            FormRequest::Refusal { .. } => FormKind::Refusal,
        }
    }

    /// The status the form moves the dossier to, if any.
    fn status(&self) -> Option<Status> {
        match self {
            FormRequest::Supplement { .. } => Some(Status::SupplementRequested),
            FormRequest::Stop { .. } => Some(Status::Withdrawn),
            _ => None,
        }
    }
}

/// Why a form was not made.
#[derive(Debug, thiserror::Error)]
pub enum FormError {
    #[error("{0} is required")]
    Missing(&'static str),
    #[error("the dossier {0} is not known to central nor to this counter")]
    Unknown(String),
    #[error(transparent)]
    Counter(#[from] CounterError),
    #[error("the form could not be saved: {0}")]
    Io(#[from] std::io::Error),
}

/// What a form is filled from: the dossier's stored body, its history and
/// its signed receipt text.
struct Known {
    applicant: String,
    id_number: String,
    procedure: String,
    received: Timestamp,
    due: Timestamp,
    history: Vec<StatusChange>,
}

impl Desk {
    /// Makes the form `request` for the dossier `code` (its signed receipt
    /// `qr_text`), as `officer` at `at`; returns the PDF's path. Bad input
    /// (no reason, nothing missing listed) saves nothing.
    pub async fn print_form(
        &self,
        code: Option<&str>,
        qr_text: Option<&str>,
        request: &FormRequest,
        officer: &Officer,
        at: Timestamp,
    ) -> Result<PathBuf, FormError> {
        check(request)?;
        let facts = |known: &Known, code: &str| Facts {
            agency: self.letterhead.agency.clone(),
            unit: self.letterhead.unit.clone(),
            place: self.letterhead.place.clone(),
            code: code.to_string(),
            qr_text: qr_text.map(str::to_string),
            applicant: known.applicant.clone(),
            id_number: known.id_number.clone(),
            procedure: known.procedure.clone(),
            received: known.received,
            due: known.due,
            officer: officer.name.clone(),
            at,
            sample: false,
        };
        let layouts = &self.letterhead.layouts;
        let (letter, stem): (Letter, String) = match (request, code) {
            (
                FormRequest::Refusal {
                    applicant,
                    id_number,
                    procedure,
                    reason,
                },
                code,
            ) => {
                let known = Known {
                    applicant: applicant.clone(),
                    id_number: id_number.clone(),
                    procedure: procedure.clone(),
                    received: at,
                    due: at,
                    history: Vec::new(),
                };
                let code = code.unwrap_or_default();
                let stem = if code.is_empty() {
                    format!("refusal-{}", motcua_core::time::local(at).strftime("%Y%m%d-%H%M%S"))
                } else {
                    format!("{code}-refusal")
                };
                (forms::refusal(&facts(&known, code), layouts, reason), stem)
            }
            (_, None) => return Err(FormError::Missing("the dossier code")),
            (request, Some(code)) => {
                let known = self.known(code).await?;
                let f = facts(&known, code);
                let letter = match request {
                    FormRequest::Control => forms::control(&f, layouts, &known.history),
                    FormRequest::Supplement { missing, reason } => forms::supplement(&f, layouts, missing, reason),
                    FormRequest::Stop { reason } => forms::stop(&f, layouts, reason),
                    FormRequest::Apology { reason, new_due } => {
                        let new_due = new_due
                            .to_datetime(self.cutoff)
                            .to_zoned(motcua_core::time::vietnam())
                            .map_err(CounterError::from)?
                            .timestamp();
                        forms::apology(&f, layouts, reason, new_due)
                    }
                    FormRequest::Refusal { .. } => unreachable!("matched above"),
                };
                (letter, format!("{code}-{}", request.kind().key()))
            }
        };
        let dir = self.data_dir.join("forms");
        let path = dir.join(format!("{stem}.pdf"));
        let target = path.clone();
        // Setting the text is work for a blocking thread, as writing it is.
        tokio::task::spawn_blocking(move || {
            let bytes = form::pdf(&letter);
            std::fs::create_dir_all(&dir)?;
            crate::print::write_atomically(&target, &bytes)
        })
        .await
        .map_err(CounterError::from)??;
        if let (Some(status), Some(code)) = (request.status(), code) {
            let store = self.store.clone();
            let c = code.to_string();
            tokio::task::spawn_blocking(move || {
                lock(&store).set_dossier_status(&c, status.code(), status.name_vi(), at)
            })
            .await
            .map_err(CounterError::from)?
            .map_err(CounterError::from)?;
            if let Some(link) = &self.link {
                link.wake();
            }
        }
        // Which form for which dossier; never who it is for.
        tracing::info!(code = code.unwrap_or(""), form = request.kind().key(), "form printed");
        Ok(path)
    }

    /// The dossier as central knows it, else as this counter does.
    async fn known(&self, code: &str) -> Result<Known, FormError> {
        let parse = |s: &str| s.parse::<Timestamp>().ok();
        if let Some(link) = &self.link
            && let Ok(d) = link.client().dossier(code).await
        {
            return Ok(Known {
                applicant: d.data.applicant.name.clone(),
                id_number: d.data.applicant.id_number.clone(),
                procedure: d.data.procedure_name.clone(),
                received: parse(&d.data.received_at).unwrap_or_default(),
                due: parse(&d.data.due_at).unwrap_or_default(),
                history: d.history,
            });
        }
        let store = self.store.clone();
        let c = code.to_string();
        let local = tokio::task::spawn_blocking(move || lock(&store).dossier(&c))
            .await
            .map_err(CounterError::from)?
            .map_err(CounterError::from)?;
        let Some((body, status)) = local else {
            return Err(FormError::Unknown(code.to_string()));
        };
        let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
        let received = text(&body["received_at"]);
        Ok(Known {
            applicant: text(&body["applicant"]["name"]),
            id_number: text(&body["applicant"]["id_number"]),
            procedure: text(&body["procedure_name"]),
            received: parse(&received).unwrap_or_default(),
            due: parse(&text(&body["due_at"])).unwrap_or_default(),
            history: vec![StatusChange {
                status,
                at: received,
                note: String::new(),
            }],
        })
    }
}

/// What the officer must say before a form is made.
fn check(request: &FormRequest) -> Result<(), FormError> {
    match request {
        FormRequest::Control => Ok(()),
        FormRequest::Supplement { missing, reason } => {
            if missing.iter().all(|m| m.trim().is_empty()) {
                return Err(FormError::Missing("what is missing"));
            }
            required(reason)
        }
        FormRequest::Stop { reason } | FormRequest::Apology { reason, .. } => required(reason),
        FormRequest::Refusal { reason, procedure, .. } => {
            if procedure.trim().is_empty() {
                return Err(FormError::Missing("the procedure"));
            }
            required(reason)
        }
    }
}

fn required(reason: &str) -> Result<(), FormError> {
    if reason.trim().is_empty() {
        Err(FormError::Missing("the reason"))
    } else {
        Ok(())
    }
}
