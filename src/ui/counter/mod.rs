//! `motcua counter`: the receiving officer's station. Sign in with an ID
//! and a PIN; call tickets from central's queue; take a dossier in
//! (prefilled from the citizen ID card's QR, checked, with the appointment
//! from working days) and print its signed receipt; scan a receipt to
//! verify it and return the result.
//!
//! As in the kiosk, `update` does no I/O: it returns a [`Job`] that runs on
//! the link's runtime (or in place, in tests).

mod forms;
mod intake;
mod jobs;
mod proxy;
mod scan;
mod state;
mod station;
mod view;

use std::rc::Rc;
use std::sync::Arc;

use iced::widget::qr_code;
use iced::{Element, Size, Subscription, Task, Theme};
use jiff::Timestamp;

use crate::branding::Brand;
use crate::counter::{CounterError, Desk, TakenIn};
use crate::i18n::{Arg, I18n, Lang};
use crate::print::device::{Print, PrintError, Printer};
use crate::receipt::{ReceiptError, Verified};
use crate::store::{Officer, SignInError};
use crate::sync::Status as SyncStatus;
use motcua_api::model::{GroupWaiting, StatusChange, Ticket};
use motcua_core::catalog::Catalog;

pub use forms::{Draft, DraftEdit, Printed};
pub use intake::{CardField, Edit, Form, Problem};
pub use jobs::Job;
pub use proxy::{Proxy, ProxyEdit};
pub use scan::{Busy, Digitised, Place, ScanDesk, ScanMsg, ScannedPage, Target};
pub use state::Counter;
pub use station::{DEMO_OFFICER, Station, demo_officer, run, station};

use super::style::Look;

/// The station's window.
pub const SIZE: Size = Size::new(1920.0, 1080.0);

/// Counter settings.
#[derive(Debug, Clone)]
pub struct Settings {
    pub number: String,
    pub groups: Vec<String>,
    /// Show the demo officer's ID and PIN: a demo standing alone only.
    pub demo_hint: bool,
}

/// What the officer works on, beside the queue.
#[derive(Debug, Clone)]
pub enum Panel {
    Intake(Box<Form>),
    Receipt(Box<ReceiptView>),
    Verify(Box<VerifyView>),
}

/// A dossier just taken in, with its receipt.
#[derive(Debug, Clone)]
pub struct ReceiptView {
    pub taken: TakenIn,
    pub qr: Rc<qr_code::Data>,
    /// The fee's VietQR, for the citizen's banking app, when one is due.
    pub fee_qr: Option<Rc<qr_code::Data>>,
    pub print: Option<Result<(), PrintError>>,
    /// The fee as recorded by the officer: how, or why it failed.
    pub payment: Option<Result<FeeWay, String>>,
}

/// How the officer records a dossier's fee.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeeWay {
    /// Paid by the VietQR transfer.
    VietQr,
    /// Paid in cash at the counter.
    Cash,
    /// Not paid yet: asked for (status 6 at central).
    Requested,
}

impl FeeWay {
    pub fn method(self) -> &'static str {
        match self {
            FeeWay::VietQr => "vietqr",
            FeeWay::Cash | FeeWay::Requested => "cash",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            FeeWay::VietQr => "fee-paid-vietqr",
            FeeWay::Cash => "fee-paid-cash",
            FeeWay::Requested => "fee-requested",
        }
    }
}

/// A document's pages read back to look at, or why they could not be.
pub type PagesShown = Result<Vec<ScannedPage>, String>;

/// A document of a scanned dossier being looked at.
#[derive(Debug, Clone)]
pub struct Viewing {
    pub sha256: String,
    pub item: String,
    /// Its pages, once read.
    pub pages: Option<PagesShown>,
}

/// A scanned receipt and what it says.
#[derive(Debug, Clone, Default)]
pub struct VerifyView {
    pub input: String,
    pub result: Option<Result<Verified, ReceiptError>>,
    pub history: Vec<StatusChange>,
    pub returned: bool,
    /// Why returning the result failed, if it did.
    pub error: Option<String>,
    /// A form being filled in for this dossier.
    pub draft: Option<Draft>,
    /// What became of the last form printed.
    pub printed: Option<Printed>,
    /// The dossier's documents (central's list, or this counter's), or
    /// why they could not be listed.
    pub documents: Option<Result<Vec<motcua_api::documents::DocumentOut>, String>>,
    /// The result's scan, to keep with the return.
    pub result_scan: Option<Digitised>,
    /// The scan desk, while the officer scans the result.
    pub scan_desk: Option<ScanDesk>,
    /// The result's scan was not kept at the return (a full disk).
    pub scan_lost: bool,
    /// A document of the dossier on screen.
    pub viewing: Option<Viewing>,
}

#[derive(Debug, Clone)]
pub enum Stage {
    SignIn {
        id: String,
        pin: String,
        error: Option<String>,
    },
    Desk {
        officer: Officer,
        panel: Panel,
    },
}

/// Why a queue action (call, recall, transfer…) did not happen, as the
/// officer needs to know it: with no answer the action may not have
/// reached central and can be tried again; a refusal is central's word on
/// it and trying again changes nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueueProblem {
    /// Central could not be reached (or this counter has no central).
    Unreachable,
    /// Central answered no, with its reason.
    Refused { status: u16, reason: String },
    /// Central's answer could not be used.
    Invalid(String),
}

impl From<crate::sync::SyncError> for QueueProblem {
    fn from(e: crate::sync::SyncError) -> Self {
        use crate::sync::SyncError as E;
        use crate::sync::client::Failure;
        match e.failure() {
            Failure::Unreachable => QueueProblem::Unreachable,
            Failure::Refused { status } => QueueProblem::Refused {
                status,
                reason: match e {
                    E::Server { message, .. } | E::Rejected { message, .. } => message,
                    other => other.to_string(),
                },
            },
            Failure::Invalid => QueueProblem::Invalid(e.to_string()),
        }
    }
}

#[derive(Debug, Clone)]
pub enum Message {
    Tick(Timestamp),
    SignInId(String),
    SignInPin(String),
    SignIn,
    SignedIn(Result<Officer, SignInError>),
    SignOut,
    CallNext,
    Recall,
    Skip,
    Complete,
    TransferTo(String),
    /// Typing the number of a ticket to call out of turn.
    CallNumberInput(String),
    CallNumber,
    /// Typing the counter to send the ticket to.
    TransferCounterInput(String),
    TransferToCounter,
    /// A queue answer: the current ticket (none when nobody waits).
    Queue(Result<Option<Ticket>, QueueProblem>),
    Waiting(Vec<GroupWaiting>),
    ShowIntake,
    ShowVerify,
    Form(intake::Edit),
    TakeIn,
    /// Refuse the dossier on the form and print form 03.
    Refuse,
    Refused(Result<std::path::PathBuf, Arc<crate::counter::FormError>>),
    TakenIn(Result<Box<TakenIn>, Arc<CounterError>>),
    PrintReceipt,
    Printed(Result<(), PrintError>),
    /// The officer records the fee of the dossier just taken in.
    Fee(FeeWay),
    FeeRecorded(FeeWay, Result<(), Arc<CounterError>>),
    VerifyInput(String),
    Verify,
    Verified(Result<Verified, ReceiptError>, Vec<StatusChange>),
    ReturnResult,
    Returned(Result<crate::counter::ScanKept, Arc<CounterError>>),
    /// The scanned dossier's documents.
    Documents(
        String,
        Result<Vec<motcua_api::documents::DocumentOut>, Arc<CounterError>>,
    ),
    /// Scanning documents.
    Scan(ScanMsg),
    /// Look at a document of the scanned dossier (by its SHA-256), or
    /// stop looking (`None`).
    ShowDocument(Option<String>),
    DocumentShown(String, Result<Vec<ScannedPage>, String>),
    /// Print a form of the set for the scanned dossier (the slip at once,
    /// the others after a short draft).
    OpenForm(motcua_core::forms::FormKind),
    Draft(DraftEdit),
    PrintForm,
    FormPrinted(Result<std::path::PathBuf, Arc<crate::counter::FormError>>),
    /// From central's event stream.
    Event(crate::sync::events::Event),
}
