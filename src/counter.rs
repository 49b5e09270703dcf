//! The receiving officer's work, without the screen: taking a dossier in
//! (code, appointment, signed receipt, durable record queued for central),
//! verifying a receipt a citizen brings back, and returning the result.

mod forms;
pub mod pages;

pub use forms::{FormError, FormRequest};

use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use jiff::Timestamp;
use jiff::civil::{Date, Time};

use crate::i18n::{Lang, group_thousands, say};
use crate::print::receipt::{FeeQrDoc, Item, ReceiptDoc};
use crate::receipt::keys::{Keyring, Merged, Signer};
use crate::receipt::{Payload, ReceiptError, Verified, new_secret, secret_text};
use crate::setup::SharedStore;
use crate::store::{Officer, StoreError};
use crate::sync::Link;
use motcua_api::documents::DocumentOut;
use motcua_api::model::{Applicant, Delivery, DossierDocument, DossierIn, Principal, StatusChange};
use motcua_core::calendar::Calendar;
use motcua_core::catalog::Procedure;
use motcua_core::dossier::{Status, format_code, offline_number};
use motcua_core::forms::Layouts;
use motcua_core::time::local;
use motcua_core::vietqr::VietQrError;

/// National status codes used at the counter.
pub const STATUS_ACCEPTED: u8 = Status::Accepted as u8;
pub const STATUS_RETURNED: u8 = Status::Returned as u8;

/// Why the counter could not take a dossier in, return a result or make
/// its receipt key. The dossier is never half kept: the store writes it
/// with its outbox record in one transaction or not at all.
#[derive(Debug, thiserror::Error)]
pub enum CounterError {
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error(transparent)]
    Key(#[from] crate::receipt::keys::KeyError),
    #[error(transparent)]
    Receipt(#[from] ReceiptError),
    #[error("the receipt key could not be registered with central: {0}")]
    Register(crate::sync::SyncError),
    #[error("the time {0}")]
    Time(#[from] jiff::Error),
    #[error("the dossier could not be written: {0}")]
    Encode(#[from] serde_json::Error),
    #[error("a background task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
}

/// A checked intake form.
#[derive(Debug, Clone, PartialEq)]
pub struct Intake {
    pub procedure: Procedure,
    pub applicant: Applicant,
    /// The documents handed in, from the procedure's checklist.
    pub documents: Vec<DossierDocument>,
    pub sets: u8,
    pub notes: Option<String>,
    /// Whose dossier it is, when filed under an authorisation.
    pub principal: Option<Principal>,
    /// Where the result is collected.
    pub delivery: Delivery,
    /// The documents scanned at intake, one PDF per checklist item.
    pub scans: Vec<crate::store::NewDocument>,
}

/// A dossier taken in, with its receipt.
#[derive(Debug, Clone, PartialEq)]
pub struct TakenIn {
    pub code: String,
    pub appointment: Date,
    pub qr_text: String,
    pub doc: ReceiptDoc,
    /// The fee due, in đồng (0: none).
    pub fee: u64,
    /// Why the fee due has no VietQR (no account configured, a code too
    /// long for the transfer content); the fee is then taken at the counter.
    pub fee_problem: Option<VietQrError>,
    /// The checklist items whose scans could not be kept (a full disk):
    /// the dossier was taken in without them, the items not digitised.
    pub undigitised: Vec<String>,
}

/// Names printed on receipts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letterhead {
    pub agency: String,
    pub unit: String,
    pub place: String,
    pub collect_at: String,
    /// The register book ("Sổ theo dõi hồ sơ") the office keeps, e.g.
    /// "01/2026"; `None` when it keeps none.
    pub register_book: Option<String>,
    /// The wording and layout of the forms it prints.
    pub layouts: Arc<Layouts>,
    /// The office's account for fees paid by VietQR (`[payment]`).
    pub payment: Option<motcua_core::vietqr::Payment>,
}

impl Default for Letterhead {
    fn default() -> Self {
        Self {
            agency: String::new(),
            unit: "Bộ phận tiếp nhận và trả kết quả".into(),
            place: "Hà Nội".into(),
            collect_at: "Bộ phận tiếp nhận và trả kết quả".into(),
            register_book: None,
            layouts: Arc::new(Layouts::builtin()),
            payment: None,
        }
    }
}

/// A counter's desk: what it needs to take dossiers in and check receipts.
pub struct Desk {
    pub store: SharedStore,
    pub link: Option<Arc<Link>>,
    pub office: String,
    /// The numbering block for dossier codes made offline.
    pub slot: u32,
    pub signer: Signer,
    pub keyring: RwLock<Keyring>,
    pub calendar: Calendar,
    pub cutoff: Time,
    pub letterhead: Letterhead,
    pub data_dir: PathBuf,
    /// The scanner the documents handed in are digitised with, and how
    /// it scans by default (`[scanner]`).
    pub scanner: crate::scan::Scanner,
    pub scan_defaults: crate::scan::ScanRequest,
}

impl std::fmt::Debug for Desk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Desk")
            .field("office", &self.office)
            .field("slot", &self.slot)
            .finish()
    }
}

/// The store, even if a task panicked while holding it (the database
/// itself is consistent: every write is one transaction).
pub(crate) fn lock(store: &SharedStore) -> std::sync::MutexGuard<'_, crate::store::Store> {
    store.lock().unwrap_or_else(|p| p.into_inner())
}

impl Desk {
    /// The appointment day for a dossier of `procedure` received at `at`.
    pub fn appointment(&self, procedure: &Procedure, at: Timestamp) -> Date {
        self.calendar
            .appointment(local(at).datetime(), u32::from(procedure.processing_days), self.cutoff)
    }

    /// A new dossier code: the office's next from central, or this
    /// counter's own block while central is out of reach.
    pub async fn new_code(&self, at: Timestamp) -> Result<String, CounterError> {
        if let Some(link) = &self.link
            && link.online()
        {
            match link.client().dossier_code(&motcua_core::ids::random_hex(16)).await {
                Ok(code) => return Ok(code),
                Err(e) => tracing::warn!(error = %e, "no dossier code from central; using this counter's block"),
            }
        }
        let day = local(at).date();
        let store = self.store.clone();
        let n = tokio::task::spawn_blocking(move || lock(&store).next_offline_dossier_number(day, 0)).await??;
        Ok(format_code(&self.office, day, offline_number(self.slot, n)))
    }

    /// Takes a dossier in: allocates its code, fixes the appointment, keeps
    /// it durably with its outbox record, and signs the receipt.
    pub async fn take_in(&self, intake: Intake, officer: &Officer, at: Timestamp) -> Result<TakenIn, CounterError> {
        let at = Timestamp::from_second(at.as_second())?;
        let code = self.new_code(at).await?;
        let appointment = self.appointment(&intake.procedure, at);
        let secret = new_secret();
        let z = local(at);
        let due = appointment
            .to_datetime(self.cutoff)
            .to_zoned(motcua_core::time::vietnam())?
            .timestamp();
        // The first fee is the usual case; the receipt lists them all.
        let fees: u64 = intake.procedure.fees.first().map(|f| f.amount).unwrap_or(0);
        // The book's entry is the code's daily sequence: the book lists the
        // day's dossiers in code order.
        let register = self.letterhead.register_book.as_ref().map(|book| {
            let n = code.rsplit_once('-').map(|(_, n)| n).unwrap_or_default();
            format!("Quyển số {book}, số {n}")
        });
        let dossier = DossierIn {
            procedure_code: intake.procedure.code.clone(),
            procedure_name: intake.procedure.name.clone(),
            applicant: intake.applicant.clone(),
            received_at: at.to_string(),
            due_at: due.to_string(),
            status: STATUS_ACCEPTED,
            channel: 1,
            documents: intake.documents.clone(),
            sets: intake.sets,
            fees,
            notes: intake.notes.clone(),
            lookup_secret: Some(secret_text(&secret)),
            principal: intake.principal.clone(),
            delivery: intake.delivery.clone(),
            register: register.clone(),
            officer: Some(officer.id.clone()),
        };
        let json = serde_json::to_value(&dossier)?;
        let store = self.store.clone();
        let c = code.clone();
        let (scans, officer_id) = (intake.scans.clone(), officer.id.clone());
        // The scans go in the dossier's own commit. Where they cannot be
        // kept (a full disk) the dossier still is, without them: its code
        // is given already, and the citizen is at the counter.
        let undigitised = tokio::task::spawn_blocking(move || {
            let mut store = lock(&store);
            match store.take_in_with(&c, &json, STATUS_ACCEPTED, at, &scans, Some(&officer_id)) {
                Err(StoreError::Full { .. }) if !scans.is_empty() => {
                    tracing::warn!(code = %c, documents = scans.len(), "disk full: the dossier is taken in without its scans");
                    store.take_in(&c, &json, STATUS_ACCEPTED, at)?;
                    Ok(scans.iter().map(|d| d.item.clone()).collect())
                }
                other => other.map(|()| Vec::new()),
            }
        })
        .await??;
        if let Some(link) = &self.link {
            link.wake();
        }
        let payload = Payload {
            key_id: self.signer.key_id,
            office: self.office.clone(),
            dossier_code: code.clone(),
            procedure: intake.procedure.code.clone(),
            received: at,
            appointment,
            secret,
        };
        let qr_text = payload.sign(&self.signer.key()?)?;
        // A fee due is asked for by VietQR into the office's account, the
        // dossier code as the transfer content.
        let (fee_qr, fee_problem) = if fees == 0 {
            (None, None)
        } else {
            match motcua_core::vietqr::fee_qr(self.letterhead.payment.as_ref(), fees, &code) {
                Ok(q) => {
                    let payment = self.letterhead.payment.as_ref();
                    let fee = FeeQrDoc {
                        payload: q.payload,
                        reference: q.reference,
                        amount: fees,
                        account_name: payment.map(|p| p.account_name.clone()).unwrap_or_default(),
                        bank_name: payment.and_then(|p| p.bank_name.clone()),
                    };
                    (Some(fee), None)
                }
                Err(e) => {
                    tracing::warn!(code = %code, error = %e, "no VietQR for the fee");
                    (None, Some(e))
                }
            }
        };
        // The legal receipt is in Vietnamese, whatever the screen's language.
        let legal_time = match intake.procedure.processing_days {
            0 => say(Lang::Vi, "receipt-form-same-day", &[]),
            d => say(Lang::Vi, "receipt-form-working-days", &[("days", format!("{d:02}"))]),
        };
        let doc = ReceiptDoc {
            agency: self.letterhead.agency.clone(),
            unit: self.letterhead.unit.clone(),
            place: self.letterhead.place.clone(),
            dossier_code: code.clone(),
            qr_text: qr_text.clone(),
            lookup_secret: secret_text(&secret),
            applicant: intake.applicant.name.clone(),
            id_number: intake.applicant.id_number.clone(),
            phone: intake.applicant.phone.clone(),
            email: intake.applicant.email.clone(),
            address: intake.applicant.address.clone(),
            principal: intake.principal.clone(),
            request: intake.procedure.name.clone(),
            documents: intake
                .documents
                .iter()
                .map(|d| Item {
                    name: d.name.clone(),
                    originals: d.originals,
                    copies: d.copies,
                })
                .collect(),
            sets: intake.sets,
            legal_time,
            received_time: z.strftime("%H:%M").to_string(),
            received_date: z.strftime("%d/%m/%Y").to_string(),
            appointment: appointment.strftime("%d/%m/%Y").to_string(),
            appointment_time: self.cutoff.strftime("%H:%M").to_string(),
            collect_at: match &intake.delivery {
                Delivery::Counter => self.letterhead.collect_at.clone(),
                Delivery::Post { address } => format!("Dịch vụ bưu chính công ích, gửi đến: {address}"),
            },
            fees: fee_summary(&intake.procedure),
            register,
            officer: officer.name.clone(),
            layouts: self.letterhead.layouts.clone(),
            fee_qr,
        };
        // The log says that a dossier came in, never who brought it.
        tracing::info!(code = %code, procedure = %intake.procedure.code, "dossier taken in");
        Ok(TakenIn {
            code,
            appointment,
            qr_text,
            doc,
            fee: fees,
            fee_problem,
            undigitised,
        })
    }

    /// Checks a receipt text, retirements of keys included. With central
    /// in reach the keyring is refreshed first, so a key retired since
    /// (its counter revoked) is known as such; out of reach, what this
    /// station knows decides, and an unknown key sends for the keyring once.
    pub async fn verify(&self, text: &str) -> Result<Verified, ReceiptError> {
        let online = self.link.as_ref().is_some_and(|l| l.online());
        if online {
            self.refresh_keyring().await;
        }
        let first = self.keyring.read().unwrap_or_else(|p| p.into_inner()).verify(text);
        match first {
            Err(ReceiptError::UnknownKey { .. }) if self.link.is_some() && !online => {
                self.refresh_keyring().await;
                self.keyring.read().unwrap_or_else(|p| p.into_inner()).verify(text)
            }
            other => other,
        }
    }

    /// Takes every office's public keys from central, with their
    /// retirement times, and keeps them on disk. A key id this station
    /// knows keeps the key it knows.
    pub async fn refresh_keyring(&self) {
        let Some(link) = &self.link else { return };
        match link.client().keys().await {
            Ok(keys) => {
                let mut ring = self.keyring.write().unwrap_or_else(|p| p.into_inner());
                let merged = ring.merge(&keys);
                if merged != Merged::default()
                    && let Err(e) = ring.save(&self.data_dir)
                {
                    tracing::warn!(error = %e, "keyring not saved");
                }
            }
            Err(e) => tracing::warn!(error = %e, "keyring not refreshed"),
        }
    }

    /// The status history of a dossier: from central when it answers, else
    /// what this counter knows.
    pub async fn history(&self, code: &str) -> Vec<StatusChange> {
        if let Some(link) = &self.link
            && let Ok(d) = link.client().dossier(code).await
        {
            return d.history;
        }
        let store = self.store.clone();
        let c = code.to_string();
        let local = tokio::task::spawn_blocking(move || lock(&store).dossier(&c))
            .await
            .ok()
            .and_then(Result::ok)
            .flatten();
        // Only the status now is known here, since the dossier came in.
        local
            .map(|(body, status)| {
                vec![StatusChange {
                    status,
                    at: body["received_at"].as_str().unwrap_or_default().to_string(),
                    note: String::new(),
                }]
            })
            .unwrap_or_default()
    }

    /// The officer records the fee of `code`: paid (by `method`: vietqr,
    /// cash, card), or asked for and not paid yet (central then holds the
    /// dossier at status 6). Queued for central, sent once.
    pub async fn record_payment(
        &self,
        code: &str,
        amount: u64,
        paid: bool,
        method: &str,
        reference: Option<String>,
        at: Timestamp,
    ) -> Result<(), CounterError> {
        let payment = motcua_api::model::PaymentIn {
            amount: i64::try_from(amount).unwrap_or(i64::MAX),
            paid,
            method: method.to_string(),
            reference,
            at: at.to_string(),
        };
        let store = self.store.clone();
        let c = code.to_string();
        tokio::task::spawn_blocking(move || lock(&store).record_payment(&c, &payment, at)).await??;
        if let Some(link) = &self.link {
            link.wake();
        }
        tracing::info!(code, paid, method, "fee recorded");
        Ok(())
    }

    /// The result is handed to the citizen: status 10, queued for central.
    pub async fn return_result(&self, code: &str, at: Timestamp) -> Result<(), CounterError> {
        self.return_with_scan(code, None, None, at).await.map(|_| ())
    }

    /// Returns the result, keeping its scan (if the officer made one) and
    /// queueing it for central first. A scan a full disk cannot keep does
    /// not stop the return: the answer says it was not kept.
    pub async fn return_with_scan(
        &self,
        code: &str,
        scan: Option<crate::store::NewDocument>,
        officer: Option<String>,
        at: Timestamp,
    ) -> Result<ScanKept, CounterError> {
        let store = self.store.clone();
        let c = code.to_string();
        let kept = tokio::task::spawn_blocking(move || {
            let mut store = lock(&store);
            let kept = match scan {
                None => ScanKept::NoScan,
                Some(doc) => match store.add_documents(&c, std::slice::from_ref(&doc), officer.as_deref(), at) {
                    Ok(()) => ScanKept::Kept,
                    Err(StoreError::Full { .. }) => {
                        tracing::warn!(code = %c, "disk full: the result is returned without its scan");
                        ScanKept::DiskFull
                    }
                    Err(e) => return Err(e),
                },
            };
            store.set_dossier_status(&c, STATUS_RETURNED, Status::Returned.name_vi(), at)?;
            Ok(kept)
        })
        .await??;
        if let Some(link) = &self.link {
            link.wake();
        }
        tracing::info!(code, "result returned");
        Ok(kept)
    }

    /// A dossier's documents: central's list when it answers, else what
    /// this counter keeps (not yet sent, or central out of reach).
    pub async fn documents(&self, code: &str) -> Result<Vec<DocumentOut>, CounterError> {
        if let Some(link) = &self.link
            && link.online()
        {
            match link.client().documents(code).await {
                Ok(list) => return Ok(list.documents),
                Err(e) => tracing::info!(code, error = %e, "documents not listed by central; this counter's own"),
            }
        }
        let store = self.store.clone();
        let c = code.to_string();
        let kept = tokio::task::spawn_blocking(move || lock(&store).documents(&c)).await??;
        Ok(kept.into_iter().map(crate::store::StoredDocument::listed).collect())
    }
}

/// What became of a result's scan at its return.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanKept {
    NoScan,
    Kept,
    /// The disk was full: returned without it.
    DiskFull,
}

impl Desk {
    /// A document's pages, to look at: from this counter's copy while it
    /// keeps one, else from central.
    pub async fn document_pages(&self, code: &str, sha256: &str) -> Result<Vec<crate::scan::Page>, String> {
        let store = self.store.clone();
        let (c, s) = (code.to_string(), sha256.to_string());
        let kept = tokio::task::spawn_blocking(move || lock(&store).document_pdf(&c, &s))
            .await
            .map_err(|e| e.to_string())?
            .map_err(|e| e.to_string())?;
        let file = match (kept, &self.link) {
            (Some(file), _) => file,
            (None, Some(link)) => link
                .client()
                .document_file(code, sha256)
                .await
                .map_err(|e| e.to_string())?,
            (None, None) => return Err("the file is not kept here and there is no central".into()),
        };
        tokio::task::spawn_blocking(move || pages::pages(&file))
            .await
            .map_err(|e| e.to_string())?
            .map_err(|e| e.to_string())
    }
}

/// The procedure's fees as the legal receipt prints them (in Vietnamese):
/// each case with its amount.
pub fn fee_summary(p: &Procedure) -> String {
    let lang = Lang::Vi;
    if p.fees.iter().all(|f| f.amount == 0) {
        return say(lang, "receipt-form-no-fee", &[]);
    }
    p.fees
        .iter()
        .map(|f| {
            let amount = if f.amount == 0 {
                say(lang, "receipt-form-fee-waived", &[])
            } else {
                say(lang, "receipt-form-amount", &[("amount", group_thousands(f.amount))])
            };
            format!("{}: {amount}", f.name)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Makes sure this counter has a receipt key registered with central, and
/// a keyring with every office's keys.
pub async fn prepare_keys(
    link: Option<&Link>,
    dir: &std::path::Path,
    office: &str,
) -> Result<(Signer, Keyring), CounterError> {
    let mut keyring = Keyring::load(dir);
    let signer = match Signer::load(dir)? {
        Some(s) => s,
        None => {
            let fresh = Signer::generate(office, 0);
            let key_id = match link {
                Some(link) => {
                    let public = fresh.public_hex()?;
                    link.client()
                        .add_key(&public, &motcua_core::ids::random_hex(16))
                        .await
                        .map_err(CounterError::Register)?
                        .key_id
                }
                // Standing alone: the only key of this office.
                None => 1,
            };
            let signer = fresh.with_key_id(key_id);
            signer.save(dir)?;
            signer
        }
    };
    keyring.add(&signer.office, signer.key_id, &signer.public_hex()?);
    if let Some(link) = link
        && let Ok(keys) = link.client().keys().await
    {
        keyring.merge(&keys);
    }
    keyring.save(dir)?;
    Ok((signer, keyring))
}
