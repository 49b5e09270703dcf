//! `motcua counter`: the receiving officer's station. Sign in with an ID
//! and a PIN; call tickets from central's queue; take a dossier in
//! (prefilled from the citizen ID card's QR, checked, with the appointment
//! from working days) and print its signed receipt; scan a receipt to
//! verify it and return the result.
//!
//! As in the kiosk, `update` does no I/O: it returns a [`Job`] that runs on
//! the link's runtime (or in place, in tests).

mod intake;
mod view;

use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use iced::widget::qr_code;
use iced::{Element, Size, Subscription, Task, Theme};
use jiff::Timestamp;

use crate::branding::Brand;
use crate::counter::{Desk, TakenIn};
use crate::i18n::{Arg, I18n, Lang};
use crate::print::device::{PrintError, Printer};
use crate::receipt::{Payload, ReceiptError};
use crate::store::{Officer, SignInError};
use crate::sync::Status as SyncStatus;
use motcua_api::model::{GroupWaiting, StatusChange, Ticket};
use motcua_core::catalog::Catalog;

pub use intake::{Edit, Form};

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
    pub print: Option<Result<(), PrintError>>,
}

/// A scanned receipt and what it says.
#[derive(Debug, Clone, Default)]
pub struct VerifyView {
    pub input: String,
    pub result: Option<Result<Payload, ReceiptError>>,
    pub history: Vec<StatusChange>,
    pub returned: bool,
    /// Why returning the result failed, if it did.
    pub error: Option<String>,
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
    Queue(Result<Option<Ticket>, String>),
    Waiting(Vec<GroupWaiting>),
    ShowIntake,
    ShowVerify,
    Form(intake::Edit),
    TakeIn,
    TakenIn(Result<Box<TakenIn>, String>),
    PrintReceipt,
    Printed(Result<(), PrintError>),
    VerifyInput(String),
    Verify,
    Verified(Result<Payload, ReceiptError>, Vec<StatusChange>),
    ReturnResult,
    Returned(Result<(), String>),
    /// From central's event stream.
    Event(crate::sync::events::Event),
}

/// Work with side effects. Jobs that stamp a time carry the counter's
/// clock ([`Counter::now`]), so tests run at any hour with a fixed one.
#[derive(Debug, Clone)]
pub enum Job {
    None,
    SignIn(String, String, Timestamp),
    /// Call the next ticket, as this officer.
    Call(String),
    Act(i64, &'static str),
    Transfer(i64, crate::sync::client::Transfer),
    CallNumber(String),
    Waiting,
    TakeIn(Box<crate::counter::Intake>, Officer, Timestamp),
    Print(Box<TakenIn>),
    Verify(String),
    Return(String, Timestamp),
}

pub struct Counter {
    pub look: Look,
    pub brand: Brand,
    pub i18n: Arc<I18n>,
    pub catalog: Arc<Catalog>,
    pub desk: Arc<Desk>,
    pub printer: Printer,
    pub settings: Settings,
    pub lang: Lang,
    pub stage: Stage,
    pub current: Option<Ticket>,
    pub waiting: Vec<GroupWaiting>,
    /// A ticket number to call out of turn, as typed.
    pub call_number: String,
    /// A counter to transfer to, as typed.
    pub transfer_counter: String,
    pub queue_error: Option<String>,
    /// The counter's clock: set at start and by every [`Message::Tick`];
    /// what the jobs stamp their records with.
    pub now: Timestamp,
    pub sync: Option<SyncStatus>,
    pub viewport: Size,
}

impl Counter {
    pub fn new(
        desk: Arc<Desk>,
        catalog: Arc<Catalog>,
        brand: Brand,
        printer: Printer,
        settings: Settings,
        now: Timestamp,
    ) -> Self {
        Self {
            look: Look::from_brand(&brand),
            brand,
            i18n: Arc::new(I18n::new()),
            catalog,
            sync: desk.link.as_ref().map(|l| l.status()),
            desk,
            printer,
            settings,
            lang: Lang::Vi,
            stage: Stage::SignIn {
                id: String::new(),
                pin: String::new(),
                error: None,
            },
            current: None,
            waiting: Vec::new(),
            call_number: String::new(),
            transfer_counter: String::new(),
            queue_error: None,
            now,
            viewport: SIZE,
        }
    }

    pub fn t(&self, key: &str) -> String {
        self.i18n.t(self.lang, key)
    }

    pub fn ta(&self, key: &str, args: &[(&str, Arg)]) -> String {
        self.i18n.ta(self.lang, key, args)
    }

    fn fresh_form(&self) -> Form {
        let procedure = self
            .current
            .as_ref()
            .and_then(|t| t.procedure.clone())
            .and_then(|c| self.catalog.procedure(&c).cloned());
        Form::new(procedure)
    }

    fn panel(&mut self) -> Option<&mut Panel> {
        match &mut self.stage {
            Stage::Desk { panel, .. } => Some(panel),
            Stage::SignIn { .. } => None,
        }
    }

    /// Clears what the last citizen left on screen.
    fn next_citizen(&mut self) {
        let form = Box::new(self.fresh_form());
        if let Some(panel) = self.panel() {
            *panel = Panel::Intake(form);
        }
    }

    pub fn update(&mut self, message: Message) -> Job {
        match message {
            Message::Tick(now) => {
                crate::service::alive();
                self.tick(now)
            }
            Message::SignInId(v) => self.sign_in_field(Some(v), None),
            Message::SignInPin(v) => self.sign_in_field(None, Some(v)),
            Message::SignIn => return self.sign_in(),
            Message::SignedIn(result) => return self.signed_in(result),
            Message::SignOut => self.sign_out(),
            Message::CallNext => {
                if let Stage::Desk { officer, .. } = &self.stage {
                    return Job::Call(officer.id.clone());
                }
            }
            Message::Recall => return self.act("recall"),
            Message::Skip => return self.act("skip"),
            Message::Complete => return self.act("complete"),
            Message::TransferTo(group) => return self.transfer(crate::sync::client::Transfer::Group(group)),
            Message::CallNumberInput(v) => self.call_number = v.trim().to_uppercase().chars().take(12).collect(),
            Message::CallNumber => return self.call_out_of_turn(),
            Message::TransferCounterInput(v) => self.transfer_counter = v.trim().chars().take(8).collect(),
            Message::TransferToCounter => {
                let to = std::mem::take(&mut self.transfer_counter);
                if to.is_empty() {
                    return Job::None;
                }
                return self.transfer(crate::sync::client::Transfer::Counter(to));
            }
            Message::Queue(result) => return self.queue_answer(result),
            Message::Waiting(w) => self.waiting = w,
            Message::ShowIntake => self.next_citizen(),
            Message::ShowVerify => self.show_verify(),
            Message::Form(edit) => self.edit(edit),
            Message::TakeIn => return self.take_in(),
            Message::TakenIn(result) => self.taken_in(result),
            Message::PrintReceipt => return self.print(),
            Message::Printed(result) => self.printed(result),
            Message::VerifyInput(v) => self.verify_input(v),
            Message::Verify => return self.verify(),
            Message::Verified(result, history) => self.verified(result, history),
            Message::ReturnResult => return self.return_result(),
            Message::Returned(result) => self.returned(result),
            Message::Event(event) => return self.event(event),
        }
        Job::None
    }

    /// The queue changed somewhere in the office.
    fn event(&mut self, event: crate::sync::events::Event) -> Job {
        use crate::sync::events::Event;
        match event {
            // Missed events: the counts are fetched again.
            Event::Connected | Event::Lagged => return Job::Waiting,
            Event::Queue(e) => {
                self.waiting = e.waiting.clone();
                // Another counter may have acted on our ticket (a transfer).
                if self.current.as_ref().is_some_and(|t| t.id == e.ticket.id) && e.ticket.status != "called" {
                    self.current = None;
                }
            }
            Event::Disconnected { .. } => {}
        }
        Job::None
    }

    fn tick(&mut self, now: Timestamp) {
        self.now = now;
        if let Some(link) = &self.desk.link {
            self.sync = Some(link.status());
        }
    }

    fn sign_in_field(&mut self, id: Option<String>, pin: Option<String>) {
        if let Stage::SignIn { id: i, pin: p, .. } = &mut self.stage {
            if let Some(id) = id {
                *i = id.chars().filter(|c| !c.is_control()).take(32).collect();
            }
            if let Some(pin) = pin {
                *p = pin.chars().filter(char::is_ascii_digit).take(12).collect();
            }
        }
    }

    fn sign_in(&mut self) -> Job {
        match &self.stage {
            Stage::SignIn { id, pin, .. } if !id.trim().is_empty() && !pin.is_empty() => {
                Job::SignIn(id.clone(), pin.clone(), self.now)
            }
            _ => Job::None,
        }
    }

    fn signed_in(&mut self, result: Result<Officer, SignInError>) -> Job {
        match result {
            Ok(officer) => {
                tracing::info!(officer = %officer.id, counter = %self.settings.number, "officer signed in");
                self.stage = Stage::Desk {
                    officer,
                    panel: Panel::Intake(Box::new(self.fresh_form())),
                };
                Job::Waiting
            }
            Err(e) => {
                let message = match &e {
                    SignInError::Refused { tries_left } => {
                        self.ta("signin-refused", &[("tries", (*tries_left).into())])
                    }
                    SignInError::Locked { until } => self.ta(
                        "signin-locked",
                        &[(
                            "time",
                            motcua_core::time::local(*until).strftime("%H:%M").to_string().into(),
                        )],
                    ),
                    SignInError::Store(e) => e.to_string(),
                };
                if let Stage::SignIn { pin, error, .. } = &mut self.stage {
                    pin.clear();
                    *error = Some(message);
                }
                Job::None
            }
        }
    }

    fn sign_out(&mut self) {
        self.stage = Stage::SignIn {
            id: String::new(),
            pin: String::new(),
            error: None,
        };
        self.current = None;
    }

    fn act(&mut self, action: &'static str) -> Job {
        match &self.current {
            Some(t) => Job::Act(t.id, action),
            None => Job::None,
        }
    }

    fn transfer(&mut self, to: crate::sync::client::Transfer) -> Job {
        match &self.current {
            Some(t) => Job::Transfer(t.id, to),
            None => Job::None,
        }
    }

    fn call_out_of_turn(&mut self) -> Job {
        let number = std::mem::take(&mut self.call_number);
        if number.is_empty() {
            Job::None
        } else {
            Job::CallNumber(number)
        }
    }

    fn queue_answer(&mut self, result: Result<Option<Ticket>, String>) -> Job {
        match result {
            Ok(ticket) => {
                let new_citizen = ticket.as_ref().map(|t| t.id) != self.current.as_ref().map(|t| t.id);
                // A ticket that is done, absent or sent on leaves the desk.
                self.current = ticket.filter(|t| t.status == "called");
                self.queue_error = None;
                if new_citizen {
                    self.next_citizen();
                }
            }
            Err(reason) => self.queue_error = Some(self.ta("queue-error", &[("reason", reason.into())])),
        }
        Job::Waiting
    }

    fn show_verify(&mut self) {
        if let Some(panel) = self.panel() {
            *panel = Panel::Verify(Box::default());
        }
    }

    fn edit(&mut self, edit: intake::Edit) {
        let today = motcua_core::time::local(self.now).date();
        let catalog = self.catalog.clone();
        if let Some(Panel::Intake(form)) = self.panel() {
            form.apply(edit, &catalog, today);
        }
    }

    fn take_in(&mut self) -> Job {
        let Stage::Desk { officer, panel } = &mut self.stage else {
            return Job::None;
        };
        let Panel::Intake(form) = panel else {
            return Job::None;
        };
        if form.saving {
            return Job::None;
        }
        let today = motcua_core::time::local(self.now).date();
        match form.check(today) {
            Ok(intake) => {
                form.saving = true;
                form.failure = None;
                Job::TakeIn(Box::new(intake), officer.clone(), self.now)
            }
            Err(problems) => {
                form.problems = problems;
                Job::None
            }
        }
    }

    fn taken_in(&mut self, result: Result<Box<TakenIn>, String>) {
        let Some(panel) = self.panel() else { return };
        match result {
            Ok(taken) => {
                let qr =
                    qr_code::Data::with_error_correction(taken.qr_text.as_bytes(), qr_code::ErrorCorrection::Quartile)
                        .expect("a receipt fits a QR code");
                *panel = Panel::Receipt(Box::new(ReceiptView {
                    taken: *taken,
                    qr: Rc::new(qr),
                    print: None,
                }));
            }
            Err(reason) => {
                if let Panel::Intake(form) = panel {
                    form.saving = false;
                    form.failure = Some(reason);
                }
            }
        }
    }

    fn print(&mut self) -> Job {
        match self.panel() {
            Some(Panel::Receipt(r)) => Job::Print(Box::new(r.taken.clone())),
            _ => Job::None,
        }
    }

    fn printed(&mut self, result: Result<(), PrintError>) {
        if let Some(Panel::Receipt(r)) = self.panel() {
            r.print = Some(result);
        }
    }

    fn verify_input(&mut self, v: String) {
        if let Some(Panel::Verify(view)) = self.panel() {
            // A scanner types the whole text: keep it as typed, bounded.
            view.input = v.chars().take(512).collect();
            view.result = None;
            view.returned = false;
        }
    }

    fn verify(&mut self) -> Job {
        match self.panel() {
            Some(Panel::Verify(view)) if !view.input.trim().is_empty() => Job::Verify(view.input.clone()),
            _ => Job::None,
        }
    }

    fn verified(&mut self, result: Result<Payload, ReceiptError>, history: Vec<StatusChange>) {
        if let Some(Panel::Verify(view)) = self.panel() {
            if let Err(e) = &result {
                tracing::warn!(reason = %e, "receipt refused");
            }
            view.result = Some(result);
            view.history = history;
        }
    }

    fn return_result(&mut self) -> Job {
        match self.panel() {
            Some(Panel::Verify(view)) if !view.returned => match &view.result {
                Some(Ok(p)) => Job::Return(p.dossier_code.clone(), self.now),
                _ => Job::None,
            },
            _ => Job::None,
        }
    }

    fn returned(&mut self, result: Result<(), String>) {
        let now = self.now;
        if let Some(Panel::Verify(view)) = self.panel() {
            match result {
                Ok(()) => {
                    view.returned = true;
                    view.history.push(StatusChange {
                        status: crate::counter::STATUS_RETURNED,
                        at: now.to_string(),
                        note: String::new(),
                    });
                }
                Err(reason) => view.error = Some(reason),
            }
        }
    }

    /// Runs a job to its message.
    pub async fn run(
        desk: Arc<Desk>,
        printer: Printer,
        number: String,
        groups: Vec<String>,
        job: Job,
    ) -> Option<Message> {
        let link = desk.link.clone();
        let key = || motcua_core::ids::random_hex(16);
        let unreachable = || "central is out of reach".to_string();
        match job {
            Job::None => None,
            Job::SignIn(id, pin, now) => {
                let store = desk.store.clone();
                let result = tokio::task::spawn_blocking(move || {
                    store.lock().unwrap_or_else(|p| p.into_inner()).sign_in(&id, &pin, now)
                })
                .await
                .unwrap_or_else(|e| {
                    Err(SignInError::Store(crate::store::StoreError::Sqlite {
                        path: Default::default(),
                        reason: e.to_string(),
                    }))
                });
                Some(Message::SignedIn(result))
            }
            Job::Call(officer) => {
                let Some(link) = link else {
                    return Some(Message::Queue(Err(unreachable())));
                };
                let r = link.client().call_next(&number, &groups, Some(&officer), &key()).await;
                Some(Message::Queue(r.map_err(|e| e.to_string())))
            }
            Job::Act(id, action) => {
                let Some(link) = link else {
                    return Some(Message::Queue(Err(unreachable())));
                };
                let r = link.client().ticket_action(id, action, &number, &key()).await;
                Some(Message::Queue(r.map(Some).map_err(|e| e.to_string())))
            }
            Job::CallNumber(ticket) => {
                let Some(link) = link else {
                    return Some(Message::Queue(Err(unreachable())));
                };
                let r = link.client().call_number(&number, &ticket, &key()).await;
                Some(Message::Queue(r.map(Some).map_err(|e| e.to_string())))
            }
            Job::Transfer(id, to) => {
                let Some(link) = link else {
                    return Some(Message::Queue(Err(unreachable())));
                };
                let r = link.client().transfer(id, &to, &key()).await;
                Some(Message::Queue(r.map(Some).map_err(|e| e.to_string())))
            }
            Job::Waiting => {
                let link = link?;
                link.client().waiting().await.ok().map(Message::Waiting)
            }
            Job::TakeIn(intake, officer, at) => Some(Message::TakenIn(
                desk.take_in(*intake, &officer, at).await.map(Box::new),
            )),
            Job::Print(taken) => {
                let dir = desk.data_dir.join("receipts");
                let result = tokio::task::spawn_blocking(move || print_receipt(&taken, &printer, &dir))
                    .await
                    .unwrap_or_else(|e| Err(PrintError::Io(e.to_string())));
                Some(Message::Printed(result))
            }
            Job::Verify(text) => {
                let result = desk.verify(&text).await;
                let history = match &result {
                    Ok(p) => desk.history(&p.dossier_code).await,
                    Err(_) => Vec::new(),
                };
                Some(Message::Verified(result, history))
            }
            Job::Return(code, at) => Some(Message::Returned(desk.return_result(&code, at).await)),
        }
    }

    /// Runs a job in place and returns its message (tests, tools).
    pub fn run_now(&self, job: Job) -> Option<Message> {
        let fut = Self::run(
            self.desk.clone(),
            self.printer.clone(),
            self.settings.number.clone(),
            self.settings.groups.clone(),
            job,
        );
        match &self.desk.link {
            Some(link) => link.block_on(fut),
            None => tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime")
                .block_on(fut),
        }
    }

    /// Runs a job off the UI thread.
    pub fn perform(&self, job: Job) -> Task<Message> {
        if matches!(job, Job::None) {
            return Task::none();
        }
        let fut = Self::run(
            self.desk.clone(),
            self.printer.clone(),
            self.settings.number.clone(),
            self.settings.groups.clone(),
            job,
        );
        match &self.desk.link {
            Some(link) => {
                let handle = link.spawn(fut);
                Task::future(async move { handle.await.ok().flatten() }).and_then(Task::done)
            }
            None => Task::future(fut).and_then(Task::done),
        }
    }

    pub fn subscription(&self) -> Subscription<Message> {
        let tick = iced::time::every(Duration::from_secs(2)).map(|_| Message::Tick(Timestamp::now()));
        let events = match (&self.desk.link, &self.stage) {
            // Signed in: follow the office's queue live.
            (Some(link), Stage::Desk { .. }) => {
                Subscription::run_with(link.client().clone(), |c| crate::sync::events::follow(c.clone()))
                    .map(Message::Event)
            }
            _ => Subscription::none(),
        };
        Subscription::batch([tick, events])
    }

    pub fn theme(&self) -> Theme {
        self.look.theme()
    }

    pub fn view(&self) -> Element<'_, Message> {
        view::view(self)
    }
}

/// Prints the thermal receipt and keeps the A4 copy as PDF.
fn print_receipt(taken: &TakenIn, printer: &Printer, dir: &std::path::Path) -> Result<(), PrintError> {
    use crate::print::receipt;
    std::fs::create_dir_all(dir).map_err(|e| PrintError::Io(e.to_string()))?;
    crate::print::write_atomically(&dir.join(format!("{}.pdf", taken.code)), &receipt::a4_pdf(&taken.doc))
        .map_err(|e| PrintError::Io(e.to_string()))?;
    let raster = receipt::thermal(&taken.doc);
    match printer {
        Printer::Folder { path } => {
            std::fs::create_dir_all(path).map_err(|e| PrintError::NoDevice(format!("{}: {e}", path.display())))?;
            let stem = format!("receipt-{}", taken.code);
            crate::print::write_atomically(&path.join(format!("{stem}.png")), &raster.to_png())
                .and_then(|_| crate::print::write_atomically(&path.join(format!("{stem}.bin")), &raster.to_escpos()))
                .map_err(|e| PrintError::Io(e.to_string()))
        }
        other => other.print(&format!("receipt-{}", taken.code), &raster.to_escpos()),
    }
}

/// The demo officer's ID and PIN, known to anyone who read the README.
pub const DEMO_OFFICER: (&str, &str) = ("CB01", "123456");

/// Gives a standalone demo its demo officer (when it has no officer yet)
/// and takes it from any other counter; says whether the sign-in screen
/// may show the demo officer's ID and PIN.
pub fn demo_officer(store: &crate::setup::SharedStore, demo_catalog: bool, standalone: bool) -> bool {
    let mut store = store.lock().unwrap_or_else(|p| p.into_inner());
    let (id, pin) = DEMO_OFFICER;
    if !standalone {
        match store.remove_officer_with_pin(id, pin) {
            Ok(true) => tracing::warn!("demo officer {id} removed: this counter is enrolled with a central"),
            Ok(false) => {}
            Err(e) => tracing::error!(error = %e, "the demo officer could not be removed"),
        }
        return false;
    }
    if !demo_catalog {
        return false;
    }
    if store.officer_count().unwrap_or(1) == 0 {
        // A demo on its own gets a demo officer, so the station can be tried.
        let _ = store.set_officer(id, "Cán bộ minh họa", pin);
        tracing::warn!("demo officer {id} created; add real officers with `motcua counter-officer`");
    }
    true
}

/// The counter, or why it cannot serve.
pub enum Station {
    Serving(Box<Counter>),
    Fault(Box<crate::ui::screen::fault::State>),
}

/// Builds the counter's desk from start-up: its receipt key registered
/// with central, the keyring, and (for a demo standing alone) a demo
/// officer.
pub fn station(setup: crate::setup::Setup, now: Timestamp) -> Station {
    use crate::setup::Fault;
    let ready = match setup.ready {
        Ok(r) => r,
        Err(fault) => return Station::Fault(Box::new(crate::ui::screen::fault::State::new(fault, setup.brand))),
    };
    let config = &setup.config;
    let office = config.office_code.clone();
    let keys = {
        let link = ready.link.clone();
        let dir = ready.data_dir.clone();
        let fut = async move { crate::counter::prepare_keys(link.as_deref(), &dir, &office).await };
        match &ready.link {
            Some(link) => link.block_on(fut),
            None => tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime")
                .block_on(fut),
        }
    };
    let (signer, keyring) = match keys {
        Ok(k) => k,
        Err(reason) => {
            tracing::error!(reason, "receipt keys unavailable");
            return Station::Fault(Box::new(crate::ui::screen::fault::State::new(
                Fault::Central { reason },
                setup.brand,
            )));
        }
    };
    // Only a machine running the whole demo on its own (no central
    // configured, nor adopted from an enrollment) may have the demo
    // officer: central serves the demo catalog to any office without its
    // own, and a well-known PIN has no place on a real counter.
    let standalone = config.central.url.is_none();
    let demo_hint = demo_officer(&ready.store, ready.catalog.demo, standalone);
    let groups = if config.counter.groups.is_empty() {
        ready.catalog.groups.iter().map(|g| g.letter.clone()).collect()
    } else {
        config.counter.groups.clone()
    };
    let agency = if config.counter.agency.trim().is_empty() {
        setup.brand.identity.office.clone()
    } else {
        config.counter.agency.clone()
    };
    let desk = crate::counter::Desk {
        store: ready.store.clone(),
        link: ready.link.clone(),
        office: config.office_code.clone(),
        slot: ready.link.as_ref().map(|l| l.slot()).unwrap_or(1),
        signer,
        keyring: std::sync::RwLock::new(keyring),
        calendar: motcua_core::calendar::Calendar::builtin(),
        cutoff: config
            .counter
            .cutoff_time()
            .unwrap_or(jiff::civil::Time::constant(16, 0, 0, 0)),
        letterhead: crate::counter::Letterhead {
            agency,
            unit: "Bộ phận tiếp nhận và trả kết quả".into(),
            place: config.counter.place.clone(),
            collect_at: config.counter.collect_at.clone(),
        },
        data_dir: ready.data_dir.clone(),
    };
    let printer = config
        .printer
        .clone()
        .unwrap_or_else(|| Printer::default_for(&ready.data_dir));
    let settings = Settings {
        number: config.counter.number.clone(),
        groups,
        demo_hint,
    };
    Station::Serving(Box::new(Counter::new(
        Arc::new(desk),
        ready.catalog.clone(),
        setup.brand,
        printer,
        settings,
        now,
    )))
}

impl Station {
    pub fn update(&mut self, message: Message) -> Task<Message> {
        match self {
            Station::Serving(c) => {
                let job = c.update(message);
                c.perform(job)
            }
            Station::Fault(_) => {
                // Out of service on purpose: the screen still lives.
                crate::service::alive();
                Task::none()
            }
        }
    }

    pub fn view(&self) -> Element<'_, Message> {
        match self {
            Station::Serving(c) => c.view(),
            Station::Fault(f) => f.view(),
        }
    }

    pub fn theme(&self) -> Theme {
        match self {
            Station::Serving(c) => c.theme(),
            Station::Fault(f) => f.look.theme(),
        }
    }

    pub fn subscription(&self) -> Subscription<Message> {
        match self {
            Station::Serving(c) => c.subscription(),
            Station::Fault(_) => iced::time::every(crate::service::PING_EVERY).map(|_| Message::Tick(Timestamp::now())),
        }
    }
}

/// Opens the counter window.
pub fn run(setup: crate::setup::Setup, fullscreen: bool) -> iced::Result {
    let station = std::sync::Mutex::new(Some(station(setup, Timestamp::now())));
    let boot = move || {
        station
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
            .expect("the counter boots once")
    };
    iced::application(boot, Station::update, Station::view)
        .title(|_: &Station| "motcua — quầy tiếp nhận".to_string())
        .theme(Station::theme)
        .subscription(Station::subscription)
        .font(crate::ui::style::FONT_REGULAR_BYTES)
        .font(crate::ui::style::FONT_BOLD_BYTES)
        .default_font(crate::ui::style::FONT)
        .window(iced::window::Settings {
            size: SIZE,
            fullscreen,
            decorations: !fullscreen,
            ..iced::window::Settings::default()
        })
        .run()
}
