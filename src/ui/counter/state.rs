//! The counter's state and how its messages change it: signing in, the
//! ticket being served, the intake form, the receipt and its verification.
//! No I/O: what needs the disk or central is a [`Job`].

use std::time::Duration;

use super::*;
use motcua_api::model::TicketStatus;

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

    pub(super) fn panel(&mut self) -> Option<&mut Panel> {
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
            Message::TakenIn(result) => return self.taken_in(result),
            Message::PrintReceipt => return self.print(),
            Message::Printed(result) => self.printed(result),
            Message::VerifyInput(v) => self.verify_input(v),
            Message::Verify => return self.verify(),
            Message::Verified(result, history) => return self.verified(result, history),
            Message::ReturnResult => return self.return_result(),
            Message::Returned(result) => return self.returned(result),
            Message::Documents(code, result) => {
                if let Some(Panel::Verify(view)) = self.panel()
                    && view
                        .result
                        .as_ref()
                        .is_some_and(|r| r.as_ref().is_ok_and(|v| v.payload.dossier_code == code))
                {
                    view.documents = Some(result.map_err(|e| e.to_string()));
                }
            }
            Message::Scan(msg) => return self.scan(msg),
            Message::ShowDocument(sha) => {
                if let Some(Panel::Verify(view)) = self.panel() {
                    let code = view
                        .result
                        .as_ref()
                        .and_then(|r| r.as_ref().ok())
                        .map(|v| v.payload.dossier_code.clone());
                    let line = sha.as_ref().and_then(|sha| {
                        view.documents
                            .as_ref()?
                            .as_ref()
                            .ok()?
                            .iter()
                            .find(|d| &d.sha256 == sha)
                            .cloned()
                    });
                    match (code, line) {
                        (Some(code), Some(line)) => {
                            view.viewing = Some(Viewing {
                                sha256: line.sha256.clone(),
                                item: line.item.clone(),
                                pages: None,
                            });
                            return Job::ShowDocument(code, line.sha256);
                        }
                        _ => view.viewing = None,
                    }
                }
            }
            Message::DocumentShown(sha, pages) => {
                // Only the document still on screen takes its pages.
                if let Some(Panel::Verify(view)) = self.panel()
                    && let Some(viewing) = &mut view.viewing
                    && viewing.sha256 == sha
                {
                    viewing.pages = Some(pages);
                }
            }
            Message::OpenForm(kind) => return self.open_form(kind),
            Message::Refuse => return self.refuse(),
            Message::Fee(way) => {
                let now = self.now;
                if let Some(Panel::Receipt(r)) = self.panel()
                    && r.taken.fee > 0
                {
                    let reference = r.taken.doc.fee_qr.as_ref().map(|f| f.reference.clone());
                    return Job::Fee {
                        code: r.taken.code.clone(),
                        amount: r.taken.fee,
                        way,
                        reference: reference.filter(|_| way == FeeWay::VietQr),
                        at: now,
                    };
                }
            }
            Message::FeeRecorded(way, result) => {
                if let Some(Panel::Receipt(r)) = self.panel() {
                    r.payment = Some(result.map(|()| way).map_err(|e| e.to_string()));
                }
            }
            Message::Refused(result) => {
                if let Some(Panel::Intake(form)) = self.panel() {
                    form.refused = Some(Printed::of(result));
                }
            }
            Message::Draft(edit) => self.edit_draft(edit),
            Message::PrintForm => return self.print_draft(),
            Message::FormPrinted(result) => self.form_printed(result),
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
                if self.current.as_ref().is_some_and(|t| t.id == e.ticket.id) && e.ticket.status != TicketStatus::Called
                {
                    self.current = None;
                }
            }
            Event::Disconnected { .. } | Event::Evaluate(_) => {}
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

    fn queue_answer(&mut self, result: Result<Option<Ticket>, QueueProblem>) -> Job {
        match result {
            Ok(ticket) => {
                let new_citizen = ticket.as_ref().map(|t| t.id) != self.current.as_ref().map(|t| t.id);
                // A ticket that is done, absent or sent on leaves the desk.
                self.current = ticket.filter(|t| t.status == TicketStatus::Called);
                self.queue_error = None;
                if new_citizen {
                    self.next_citizen();
                }
            }
            Err(problem) => {
                self.queue_error = Some(match problem {
                    QueueProblem::Unreachable => self.t("queue-unreachable"),
                    QueueProblem::Refused { reason, .. } => self.ta("queue-refused", &[("reason", reason.into())]),
                    QueueProblem::Invalid(reason) => self.ta("queue-error", &[("reason", reason.into())]),
                })
            }
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

    /// The dossier on the form is refused: form 03 says why. Nothing is
    /// kept but the form itself.
    fn refuse(&mut self) -> Job {
        let now = self.now;
        let Stage::Desk { officer, panel } = &mut self.stage else {
            return Job::None;
        };
        let Panel::Intake(form) = panel else {
            return Job::None;
        };
        form.refused = None;
        match form.refusal() {
            Ok(request) => Job::Refuse {
                request: Box::new(request),
                officer: officer.clone(),
                at: now,
            },
            Err(problems) => {
                form.problems = problems;
                Job::None
            }
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

    /// The dossier is in: its receipt on screen, and the citizen display
    /// asked to put the national questions.
    fn taken_in(&mut self, result: Result<Box<TakenIn>, Arc<CounterError>>) -> Job {
        use motcua_api::evaluation::Occasion;
        let Some(panel) = self.panel() else { return Job::None };
        match result {
            Ok(taken) => {
                let ask = Job::AskEvaluation(taken.code.clone(), Occasion::Intake);
                let qr =
                    qr_code::Data::with_error_correction(taken.qr_text.as_bytes(), qr_code::ErrorCorrection::Quartile)
                        .expect("a receipt fits a QR code");
                let fee_qr = taken.doc.fee_qr.as_ref().and_then(|f| {
                    qr_code::Data::with_error_correction(f.payload.as_bytes(), qr_code::ErrorCorrection::Medium)
                        .ok()
                        .map(Rc::new)
                });
                *panel = Panel::Receipt(Box::new(ReceiptView {
                    taken: *taken,
                    qr: Rc::new(qr),
                    fee_qr,
                    print: None,
                    payment: None,
                }));
                return ask;
            }
            Err(reason) => {
                if let Panel::Intake(form) = panel {
                    form.saving = false;
                    form.failure = Some(reason.to_string());
                }
            }
        }
        Job::None
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

    /// A receipt was checked: its dossier's documents are listed next.
    fn verified(&mut self, result: Result<Verified, ReceiptError>, history: Vec<StatusChange>) -> Job {
        if let Some(Panel::Verify(view)) = self.panel() {
            if let Err(e) = &result {
                tracing::warn!(reason = %e, "receipt refused");
            }
            let job = match &result {
                Ok(v) => Job::Documents(v.payload.dossier_code.clone()),
                Err(_) => Job::None,
            };
            view.result = Some(result);
            view.history = history;
            view.documents = None;
            view.viewing = None;
            view.result_scan = None;
            view.scan_desk = None;
            return job;
        }
        Job::None
    }

    fn return_result(&mut self) -> Job {
        let now = self.now;
        let Stage::Desk { officer, panel } = &mut self.stage else {
            return Job::None;
        };
        match panel {
            Panel::Verify(view) if !view.returned && view.scan_desk.is_none() => match &view.result {
                Some(Ok(v)) => {
                    let scan = view.result_scan.as_ref().map(|d| {
                        Box::new(crate::store::NewDocument {
                            item: d.title.clone(),
                            kind: motcua_api::documents::DocumentKind::Result,
                            pdf: d.pdf.clone(),
                            scanned_at: d.at,
                        })
                    });
                    Job::Return(v.payload.dossier_code.clone(), now, scan, Some(officer.id.clone()))
                }
                _ => Job::None,
            },
            _ => Job::None,
        }
    }

    /// The result is handed over: the citizen display asked to put the
    /// national questions.
    fn returned(&mut self, result: Result<crate::counter::ScanKept, Arc<CounterError>>) -> Job {
        let now = self.now;
        if let Some(Panel::Verify(view)) = self.panel() {
            match result {
                Ok(kept) => {
                    view.returned = true;
                    view.scan_lost = kept == crate::counter::ScanKept::DiskFull;
                    view.history.push(StatusChange {
                        status: crate::counter::STATUS_RETURNED,
                        at: now.to_string(),
                        note: String::new(),
                    });
                    if let Some(Ok(v)) = &view.result {
                        let code = v.payload.dossier_code.clone();
                        return Job::AskEvaluation(code, motcua_api::evaluation::Occasion::Return);
                    }
                }
                Err(reason) => view.error = Some(reason.to_string()),
            }
        }
        Job::None
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
