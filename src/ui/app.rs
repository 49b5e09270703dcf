//! The citizen kiosk: state, messages and the dispatch between screens.
//!
//! `update` never touches the disk: it returns an [`Effect`] that the iced
//! runtime performs on a blocking thread ([`Kiosk::perform`]) and tests or
//! benchmarks run in place ([`Kiosk::run_now`]).

use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use iced::widget::{qr_code, svg};
use iced::{Element, Size, Subscription, Task, Theme};
use jiff::Timestamp;

use crate::branding::Brand;
use crate::config::Config;
use crate::i18n::{Arg, I18n, Lang};
use crate::print::device::{PrintError, Printer};
use crate::print::ticket::{self as ticket_print, PrintedTicket};
use crate::setup::{Ready, Setup, SharedStore};
use crate::store::{Criterion, Rating, RatingEntry, StoreError, Ticket, TicketRequest, Waiting};
use crate::sync::events::Event;
use crate::sync::{Link, Status as SyncStatus};
use motcua_api::model::{EventKind, LookupAnswer};
use motcua_core::catalog::Catalog;
use motcua_core::idle::{IdleTimer, Phase};
use motcua_core::queue::{Interleave, Lane, PriorityPolicy};
use motcua_core::search;

use super::screen;
use super::style::Look;

/// The size a kiosk window opens with when nothing else is known: portrait.
pub const PORTRAIT: Size = Size::new(1080.0, 1920.0);
pub const LANDSCAPE: Size = Size::new(1920.0, 1080.0);

/// Results shown at once on the search screen.
pub const SEARCH_RESULTS_SHOWN: usize = 6;

/// Where the citizen is.
#[derive(Debug, Clone, PartialEq)]
pub enum Screen {
    Welcome,
    /// Choose the service group to queue for.
    Groups,
    /// Fields of procedures.
    Fields,
    /// The procedures of one field.
    Procedures {
        field: String,
    },
    /// Search with the on-screen keyboard; `hits` are catalog positions, best first.
    Search {
        query: String,
        hits: Vec<usize>,
    },
    Detail {
        code: String,
    },
    /// Normal or priority lane, for a group (and maybe a procedure).
    Lane {
        group: String,
        procedure: Option<String>,
        issuing: bool,
        failed: bool,
    },
    Ticket(Box<TicketView>),
    Rate(Box<RateView>),
    Lookup(Box<LookupView>),
    /// The admin PIN pad that closes a locked-down kiosk.
    Admin {
        pin: String,
        wrong: bool,
    },
}

/// The satisfaction question (SIPAS): a face first, then what it was about
/// and a comment if the citizen wants; stored once, when sent (or when the
/// citizen walks away after choosing a face).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RateView {
    /// The served ticket (central's id, its number) when asked at a counter.
    pub ticket: Option<(i64, String)>,
    pub answer: Option<Rating>,
    pub criteria: Vec<Criterion>,
    pub comment: String,
    /// The keyboard is open for the comment.
    pub typing: bool,
    pub saving: bool,
    pub saved: bool,
    pub failed: bool,
}

impl RateView {
    fn entry(&self) -> Option<RatingEntry> {
        Some(RatingEntry {
            answer: self.answer?,
            ticket: self.ticket.as_ref().map(|(id, _)| *id),
            criteria: self.criteria.clone(),
            comment: self.comment.clone(),
        })
    }
}

/// The citizen's lookup of a dossier: by scanning the receipt, or by
/// typing its code and lookup secret.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LookupView {
    pub code: String,
    pub secret: String,
    /// Which of the two the keyboard types into.
    pub typing_secret: bool,
    /// What the receipt scanner typed.
    pub scan: String,
    pub busy: bool,
    pub result: Option<Result<LookupAnswer, LookupError>>,
}

/// Why a lookup found nothing to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LookupError {
    /// No dossier with this code and secret.
    NotFound,
    /// Central is out of reach.
    Offline,
    /// The scanned text is not a receipt.
    NotAReceipt,
}

/// A committed ticket as the citizen sees it.
#[derive(Debug, Clone)]
pub struct TicketView {
    pub ticket: Ticket,
    /// Calls expected before this ticket.
    pub ahead: u32,
    /// The reference encoded in the QR: no personal data, only the office,
    /// the day and the number.
    pub reference: String,
    pub qr: Rc<qr_code::Data>,
    pub print: PrintState,
}

impl PartialEq for TicketView {
    fn eq(&self, other: &Self) -> bool {
        self.ticket == other.ticket && self.print == other.print
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum PrintState {
    Idle,
    Printing,
    Printed,
    /// The reason; pressing print again retries.
    Failed(PrintError),
}

/// Everything that can happen to the kiosk.
#[derive(Debug, Clone)]
pub enum Message {
    /// The clock ticked: refresh the time and check for idleness.
    Tick(Instant, Timestamp),
    /// A touch, click or key anywhere.
    Activity(Instant),
    Resized(Size),
    SetLang(Lang),
    Back,
    Home,
    /// Welcome actions.
    OpenGroups,
    OpenFields,
    OpenLookup,
    OpenRate,
    OpenField(String),
    OpenSearch,
    OpenProcedure(String),
    /// Queue for a group, for a procedure or not.
    ChooseGroup {
        group: String,
        procedure: Option<String>,
    },
    /// A key of the on-screen keyboard.
    Key(screen::keyboard::Key),
    TakeTicket(Lane),
    Issued(Result<Ticket, StoreError>),
    WaitingLoaded(Result<Vec<(String, Waiting)>, StoreError>),
    Print,
    Printed(Result<(), PrintError>),
    /// A face was chosen.
    Rate(Rating),
    ToggleCriterion(Criterion),
    /// Open or close the keyboard for a comment.
    RateComment,
    SendRating,
    Rated(Result<bool, StoreError>),
    /// Central's queue, followed by a counter's citizen display.
    Queue(Event),
    /// "Yes, I am still here."
    StillHere,
    LookupField(bool),
    LookupScan(String),
    LookupScanned,
    LookupGo,
    LookedUp(Result<LookupAnswer, LookupError>),
    /// A frame was drawn (listened to until the first one).
    Frame(Instant),
    /// The UI loop is turning: feed systemd's watchdog.
    Alive,
    /// A tap on the office mark (five quick ones open the admin PIN pad).
    AdminTap,
    /// Close the kiosk with the PIN typed on the admin pad.
    AdminExit,
    /// The next step of the measuring walk (`--tour`).
    TourStep,
}

/// Work with side effects that `update` asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    None,
    Issue(TicketRequest, Timestamp),
    LoadWaiting(Timestamp),
    Print(Box<PrintedTicket>),
    Rate(RatingEntry, Timestamp),
    Lookup(String, String),
    /// Put the keyboard focus on a widget (the receipt scanner types there).
    Focus(&'static str),
    /// Close the application (an admin exit).
    Exit,
}

/// The kiosk when it can serve.
pub struct Kiosk {
    pub look: Look,
    pub brand: Brand,
    pub i18n: Arc<I18n>,
    pub catalog: Arc<Catalog>,
    pub index: Arc<search::Index>,
    store: SharedStore,
    /// The link to central, when there is one.
    link: Option<Arc<Link>>,
    /// What the kiosk shows of its connection.
    pub sync: Option<SyncStatus>,
    printer: Printer,
    office_code: String,
    policy: PriorityPolicy,
    default_lang: Lang,
    pub lang: Lang,
    pub screen: Screen,
    history: Vec<Screen>,
    pub now: Timestamp,
    idle: IdleTimer,
    pub idle_phase: Phase,
    pub viewport: Size,
    pub waiting: Vec<(String, Waiting)>,
    /// A problem IT staff should see (e.g. the theme fell back).
    pub notice: Option<String>,
    pub mark: svg::Handle,
    /// The counter whose citizen display this is: it asks for a rating when
    /// the counter completes a ticket, instead of giving out tickets.
    pub counter_display: Option<String>,
    /// The ticket that counter serves now.
    pub serving: Option<String>,
    exit_pin_hash: Option<String>,
    admin_taps: crate::ui::admin::Taps,
    /// An admin typed the right PIN: the kiosk is closing.
    pub closed_by_admin: bool,
}

/// The whole application: serving, or showing why it cannot.
pub struct App {
    pub mode: Mode,
    /// When the process started, for the time to first frame.
    started: Instant,
    first_frame: bool,
    /// The step of the measuring walk, when one runs.
    tour: Option<usize>,
    /// No mouse cursor over the window (a locked-down kiosk).
    pub hide_cursor: bool,
}

#[allow(clippy::large_enum_variant)]
pub enum Mode {
    Serving(Kiosk),
    Fault(screen::fault::State),
}

impl App {
    pub fn new(setup: Setup, now: Timestamp, started: Instant) -> Self {
        let mode = match setup.ready {
            Ok(ready) => Mode::Serving(Kiosk::new(
                ready,
                &setup.config,
                setup.brand,
                setup.brand_error,
                now,
                started,
            )),
            Err(fault) => Mode::Fault(screen::fault::State::new(fault, setup.brand)),
        };
        Self {
            mode,
            started,
            first_frame: false,
            tour: None,
            hide_cursor: false,
        }
    }

    /// Walks every screen by itself, then exits and reports the figures.
    pub fn with_tour(mut self) -> Self {
        self.tour = Some(0);
        self
    }

    pub fn update(&mut self, message: Message) -> Task<Message> {
        match (message, &mut self.mode) {
            (Message::Frame(at), _) => {
                if !self.first_frame {
                    self.first_frame = true;
                    let ms = at.saturating_duration_since(self.started).as_secs_f64() * 1e3;
                    tracing::info!(ms = format!("{ms:.1}"), "first frame");
                    crate::service::alive();
                }
                Task::none()
            }
            (Message::Alive, _) => {
                crate::service::alive();
                Task::none()
            }
            (Message::TourStep, Mode::Serving(k)) => {
                let step = self.tour.unwrap_or(usize::MAX);
                match super::tour::step(k, step) {
                    Some(m) => {
                        if !matches!(m, Message::Resized(_)) {
                            self.tour = Some(step + 1);
                        }
                        let effect = k.update(m);
                        k.perform(effect)
                    }
                    None => {
                        let peak = super::tour::peak_rss_kb().unwrap_or(0);
                        tracing::info!(peak_rss_kb = peak, "tour done");
                        println!("tour: every screen visited, peak RSS {:.1} MB", peak as f64 / 1024.0);
                        iced::exit()
                    }
                }
            }
            (message, Mode::Serving(k)) => {
                let effect = k.update(message);
                k.perform(effect)
            }
            (_, Mode::Fault(_)) => Task::none(),
        }
    }

    pub fn view(&self) -> Element<'_, Message> {
        match &self.mode {
            Mode::Serving(k) => k.view(),
            Mode::Fault(f) => f.view(),
        }
    }

    /// The window's content: the view, without a cursor when locked down.
    pub fn screen(&self) -> Element<'_, Message> {
        if self.hide_cursor {
            super::cursor::hidden(self.view())
        } else {
            self.view()
        }
    }

    pub fn theme(&self) -> Theme {
        match &self.mode {
            Mode::Serving(k) => k.look.theme(),
            Mode::Fault(f) => f.look.theme(),
        }
    }

    pub fn subscription(&self) -> Subscription<Message> {
        let frames = if self.first_frame {
            Subscription::none()
        } else {
            iced::window::frames().map(Message::Frame)
        };
        let tour = if self.tour.is_some() {
            iced::time::every(Duration::from_millis(300)).map(|_| Message::TourStep)
        } else {
            Subscription::none()
        };
        let serving = match &self.mode {
            Mode::Serving(k) => Subscription::batch([
                iced::time::every(Duration::from_secs(1)).map(|at| Message::Tick(at, Timestamp::now())),
                iced::event::listen_with(|event, _status, _window| {
                    use iced::{Event, mouse, touch};
                    match event {
                        Event::Mouse(mouse::Event::ButtonPressed(_))
                        | Event::Touch(touch::Event::FingerPressed { .. })
                        | Event::Keyboard(iced::keyboard::Event::KeyPressed { .. }) => {
                            Some(Message::Activity(Instant::now()))
                        }
                        _ => None,
                    }
                }),
                iced::window::resize_events().map(|(_, size)| Message::Resized(size)),
                k.queue_events(),
            ]),
            Mode::Fault(_) => Subscription::none(),
        };
        let alive = iced::time::every(crate::service::PING_EVERY).map(|_| Message::Alive);
        Subscription::batch([frames, tour, serving, alive])
    }
}

impl Kiosk {
    pub fn new(
        ready: Ready,
        config: &Config,
        brand: Brand,
        brand_error: Option<crate::branding::BrandingError>,
        now: Timestamp,
        started: Instant,
    ) -> Self {
        let i18n = Arc::new(I18n::new());
        let notice = brand_error.map(|e| {
            i18n.ta(
                config.language,
                "notice-branding",
                &[("file", e.file.display().to_string().into())],
            )
        });
        Self {
            look: Look::from_brand(&brand),
            mark: svg::Handle::from_memory(brand.mark.to_vec()),
            brand,
            i18n,
            catalog: ready.catalog,
            index: ready.index,
            store: ready.store,
            sync: ready.link.as_ref().map(|l| l.status()),
            link: ready.link,
            printer: config
                .printer
                .clone()
                .unwrap_or_else(|| Printer::default_for(&ready.data_dir)),
            office_code: config.office_code.clone(),
            policy: config.priority_policy(),
            default_lang: config.language,
            lang: config.language,
            screen: Screen::Welcome,
            history: Vec::new(),
            now,
            idle: IdleTimer::new(
                Duration::from_secs(config.kiosk.idle_timeout_secs),
                Duration::from_secs(config.kiosk.idle_warning_secs),
                started,
            ),
            idle_phase: Phase::Active,
            viewport: PORTRAIT,
            waiting: Vec::new(),
            notice,
            counter_display: config.kiosk.counter_display.clone(),
            serving: None,
            exit_pin_hash: config.admin.exit_pin_hash.clone(),
            admin_taps: Default::default(),
            closed_by_admin: false,
        }
    }

    /// Whether IT staff can close this kiosk from its screen.
    pub fn admin_exit_enabled(&self) -> bool {
        self.exit_pin_hash.is_some()
    }

    fn admin_tap(&mut self) {
        if self.exit_pin_hash.is_some() && self.admin_taps.tap(Instant::now()) {
            self.go(Screen::Admin {
                pin: String::new(),
                wrong: false,
            });
        }
    }

    fn admin_exit(&mut self) -> Effect {
        let (Screen::Admin { pin, wrong }, Some(hash)) = (&mut self.screen, &self.exit_pin_hash) else {
            return Effect::None;
        };
        if crate::store::pin_matches(pin, hash) {
            tracing::warn!("admin exit from the kiosk screen");
            crate::ui::admin::request_exit();
            self.closed_by_admin = true;
            return Effect::Exit;
        }
        tracing::warn!("wrong admin PIN on the kiosk screen");
        pin.clear();
        *wrong = true;
        Effect::None
    }

    pub fn t(&self, key: &str) -> String {
        self.i18n.t(self.lang, key)
    }

    /// Central's queue events, which a counter's citizen display follows.
    fn queue_events(&self) -> Subscription<Message> {
        match (&self.counter_display, &self.link) {
            (Some(_), Some(link)) => {
                Subscription::run_with(link.client().clone(), |c| crate::sync::events::follow(c.clone()))
                    .map(Message::Queue)
            }
            _ => Subscription::none(),
        }
    }

    pub fn ta(&self, key: &str, args: &[(&str, Arg)]) -> String {
        self.i18n.ta(self.lang, key, args)
    }

    pub fn portrait(&self) -> bool {
        self.viewport.height >= self.viewport.width
    }

    fn go(&mut self, screen: Screen) {
        let previous = std::mem::replace(&mut self.screen, screen);
        self.history.push(previous);
    }

    /// Back to the welcome screen with everything the citizen touched gone.
    pub fn reset(&mut self) {
        self.screen = Screen::Welcome;
        self.history.clear();
        self.waiting.clear();
        self.lang = self.default_lang;
        self.idle_phase = Phase::Active;
    }

    pub fn update(&mut self, message: Message) -> Effect {
        match message {
            Message::Tick(at, now) => return self.tick(at, now),
            Message::Activity(at) => self.activity(at),
            Message::Resized(size) => self.viewport = size,
            Message::SetLang(lang) => self.lang = lang,
            Message::Back => self.back(),
            Message::Home => {
                let unsent = self.unsent_rating();
                self.reset();
                return unsent;
            }
            Message::OpenGroups => return self.open_groups(),
            Message::OpenFields => self.go(Screen::Fields),
            Message::OpenLookup => {
                self.go(Screen::Lookup(Box::default()));
                return Effect::Focus("lookup-scan");
            }
            Message::OpenRate => self.go(Screen::Rate(Box::default())),
            Message::OpenField(field) => self.go(Screen::Procedures { field }),
            Message::OpenSearch => self.go(Screen::Search {
                query: String::new(),
                hits: Vec::new(),
            }),
            Message::OpenProcedure(code) => self.go(Screen::Detail { code }),
            Message::ChooseGroup { group, procedure } => self.go(Screen::Lane {
                group,
                procedure,
                issuing: false,
                failed: false,
            }),
            Message::Key(key) => self.key(key),
            Message::TakeTicket(lane) => return self.take_ticket(lane),
            Message::Issued(result) => self.issued(result),
            Message::WaitingLoaded(result) => self.waiting_loaded(result),
            Message::Print => return self.print(),
            Message::Printed(result) => self.printed(result),
            Message::Rate(answer) => self.rating(|v| v.answer = v.answer.or(Some(answer))),
            Message::ToggleCriterion(c) => self.rating(|v| match v.criteria.iter().position(|x| *x == c) {
                Some(i) => {
                    v.criteria.remove(i);
                }
                None => v.criteria.push(c),
            }),
            Message::RateComment => self.rating(|v| v.typing = !v.typing),
            Message::SendRating => return self.send_rating(),
            Message::Rated(result) => self.rated(result),
            Message::Queue(event) => return self.queue_event(event),
            Message::StillHere => self.activity(Instant::now()),
            Message::LookupField(secret) => self.lookup(|v| v.typing_secret = secret),
            Message::LookupScan(text) => self.lookup(|v| v.scan = text.chars().take(400).collect()),
            Message::LookupScanned => return self.lookup_scanned(),
            Message::LookupGo => return self.lookup_go(),
            Message::LookedUp(result) => self.lookup(|v| {
                v.busy = false;
                v.result = Some(result);
            }),
            // Handled by the application around the kiosk.
            Message::Frame(_) | Message::TourStep | Message::Alive => {}
            Message::AdminTap => self.admin_tap(),
            Message::AdminExit => return self.admin_exit(),
        }
        Effect::None
    }

    fn tick(&mut self, at: Instant, now: Timestamp) -> Effect {
        self.now = now;
        if let Some(link) = &self.link {
            self.sync = Some(link.status());
            // A newer catalog is taken only between citizens.
            if self.screen == Screen::Welcome
                && let Some(catalog) = link.take_catalog()
            {
                self.index = Arc::new(search::Index::new(&catalog));
                self.catalog = catalog;
            }
        }
        if self.screen == Screen::Welcome && self.lang == self.default_lang {
            // Nothing to clear: the welcome screen never times out.
            self.idle.touch(at);
            self.idle_phase = Phase::Active;
            return Effect::None;
        }
        self.idle_phase = self.idle.phase(at);
        if self.idle_phase == Phase::Expired {
            tracing::info!("idle timeout: kiosk reset");
            // A face chosen and left: the answer still counts.
            let unsent = self.unsent_rating();
            self.reset();
            self.idle.touch(at);
            return unsent;
        }
        Effect::None
    }

    fn activity(&mut self, at: Instant) {
        self.idle.touch(at);
        self.idle_phase = Phase::Active;
    }

    fn back(&mut self) {
        // From the criteria back to the faces, to choose another one.
        if let Screen::Rate(v) = &mut self.screen
            && v.answer.is_some()
            && !v.saved
            && !v.saving
        {
            v.answer = None;
            v.typing = false;
            return;
        }
        match self.history.pop() {
            Some(previous) => self.screen = previous,
            None => self.reset(),
        }
    }

    fn open_groups(&mut self) -> Effect {
        self.go(Screen::Groups);
        Effect::LoadWaiting(self.now)
    }

    fn key(&mut self, key: screen::keyboard::Key) {
        match &mut self.screen {
            Screen::Search { query, hits } => {
                key.apply(query);
                *hits = self.index.search(query).into_iter().map(|h| h.index).collect();
            }
            Screen::Rate(v) if v.typing => key.apply_up_to(&mut v.comment, crate::store::MAX_COMMENT),
            // The PIN pad types digits only.
            Screen::Admin { pin, wrong }
                if !matches!(key, screen::keyboard::Key::Char(c) if !c.is_ascii_digit())
                    && key != screen::keyboard::Key::Space =>
            {
                key.apply_up_to(pin, *crate::ui::admin::PIN_DIGITS.end());
                *wrong = false;
            }
            Screen::Lookup(v) => {
                let field = if v.typing_secret { &mut v.secret } else { &mut v.code };
                // Codes and secrets have no spaces.
                if key != screen::keyboard::Key::Space {
                    key.apply(field);
                }
                v.result = None;
            }
            _ => {}
        }
    }

    fn lookup(&mut self, f: impl FnOnce(&mut LookupView)) {
        if let Screen::Lookup(v) = &mut self.screen {
            f(v);
        }
    }

    /// The scanner finished a receipt: take its code and secret, and look up.
    fn lookup_scanned(&mut self) -> Effect {
        let Screen::Lookup(v) = &mut self.screen else {
            return Effect::None;
        };
        let text = std::mem::take(&mut v.scan);
        match crate::receipt::decode_unverified(&text) {
            Ok(p) => {
                v.code = p.dossier_code;
                v.secret = crate::receipt::secret_text(&p.secret);
                self.lookup_go()
            }
            Err(_) => {
                v.result = Some(Err(LookupError::NotAReceipt));
                Effect::None
            }
        }
    }

    fn lookup_go(&mut self) -> Effect {
        let Screen::Lookup(v) = &mut self.screen else {
            return Effect::None;
        };
        if v.busy || v.code.trim().is_empty() || v.secret.trim().is_empty() {
            return Effect::None;
        }
        v.busy = true;
        v.result = None;
        Effect::Lookup(v.code.trim().to_string(), v.secret.trim().to_uppercase())
    }

    fn take_ticket(&mut self, lane: Lane) -> Effect {
        let Screen::Lane {
            group,
            procedure,
            issuing,
            failed,
        } = &mut self.screen
        else {
            return Effect::None;
        };
        if *issuing {
            // A second tap while the first is committing: one ticket only.
            return Effect::None;
        }
        *issuing = true;
        *failed = false;
        Effect::Issue(
            TicketRequest {
                group: group.clone(),
                lane,
                procedure: procedure.clone(),
            },
            self.now,
        )
    }

    fn issued(&mut self, result: Result<Ticket, StoreError>) {
        match result {
            Ok(ticket) => {
                let view = self.ticket_view(ticket);
                // The ticket screen has no way back to the lane choice: a
                // second ticket takes a new walk from the start.
                self.history.clear();
                self.screen = Screen::Ticket(Box::new(view));
            }
            Err(e) => {
                tracing::error!(error = %e, "ticket not issued");
                if let Screen::Lane { issuing, failed, .. } = &mut self.screen {
                    *issuing = false;
                    *failed = true;
                }
            }
        }
    }

    /// Builds what the ticket screen shows, QR included.
    pub fn ticket_view(&self, ticket: Ticket) -> TicketView {
        let ahead =
            Interleave::new(self.policy).calls_before(ticket.lane, ticket.same_lane_ahead, ticket.other_lane_waiting);
        let reference = ticket_print::reference(&self.office_code, &ticket);
        let qr = qr_code::Data::with_error_correction(reference.as_bytes(), qr_code::ErrorCorrection::Medium)
            .expect("a ticket reference is short enough for a QR code");
        TicketView {
            ticket,
            ahead,
            reference,
            qr: Rc::new(qr),
            print: PrintState::Idle,
        }
    }

    fn waiting_loaded(&mut self, result: Result<Vec<(String, Waiting)>, StoreError>) {
        match result {
            Ok(w) => self.waiting = w,
            // The counts are a courtesy; the choice works without them.
            Err(e) => tracing::warn!(error = %e, "waiting counts unavailable"),
        }
    }

    fn print(&mut self) -> Effect {
        let Screen::Ticket(view) = &self.screen else {
            return Effect::None;
        };
        if view.print == PrintState::Printing {
            return Effect::None;
        }
        let job = screen::ticket::printed(self, view);
        if let Screen::Ticket(view) = &mut self.screen {
            view.print = PrintState::Printing;
        }
        Effect::Print(Box::new(job))
    }

    fn printed(&mut self, result: Result<(), PrintError>) {
        if let Screen::Ticket(view) = &mut self.screen {
            view.print = match result {
                Ok(()) => {
                    tracing::info!("ticket printed");
                    PrintState::Printed
                }
                Err(e) => {
                    tracing::error!(error = %e, "ticket not printed");
                    PrintState::Failed(e)
                }
            };
        }
    }

    fn rating(&mut self, f: impl FnOnce(&mut RateView)) {
        if let Screen::Rate(v) = &mut self.screen
            && !v.saved
            && !v.saving
        {
            f(v);
        }
    }

    fn send_rating(&mut self) -> Effect {
        let now = self.now;
        match &mut self.screen {
            Screen::Rate(v) if !v.saved && !v.saving => match v.entry() {
                Some(entry) => {
                    v.saving = true;
                    v.typing = false;
                    v.failed = false;
                    Effect::Rate(entry, now)
                }
                None => Effect::None,
            },
            _ => Effect::None,
        }
    }

    /// The answer on screen that was chosen but not yet sent, to be stored
    /// before the screen goes.
    fn unsent_rating(&mut self) -> Effect {
        match &self.screen {
            Screen::Rate(v) if v.answer.is_some() && !v.saved && !v.saving => self.send_rating(),
            _ => Effect::None,
        }
    }

    fn rated(&mut self, result: Result<bool, StoreError>) {
        let error = result.as_ref().err().map(|e| e.to_string());
        if let Some(e) = &error {
            tracing::error!(error = %e, "rating not stored");
        }
        if let Screen::Rate(v) = &mut self.screen
            && v.saving
        {
            v.saving = false;
            // Already rated counts as done: the first answer stands.
            v.saved = error.is_none();
            v.failed = error.is_some();
        }
    }

    /// An event of central's queue, on a counter's citizen display: a
    /// ticket completed at this counter asks its citizen for a rating.
    fn queue_event(&mut self, event: Event) -> Effect {
        let (Some(counter), Event::Queue(e)) = (&self.counter_display, event) else {
            return Effect::None;
        };
        if e.ticket.counter.as_ref() != Some(counter) {
            return Effect::None;
        }
        match e.kind {
            EventKind::Called | EventKind::Recalled => {
                // The citizen before may still be answering: only a finished
                // rating makes way for the next one.
                if matches!(&self.screen, Screen::Rate(v) if v.saved) {
                    self.reset();
                }
                self.serving = Some(e.ticket.display);
                Effect::None
            }
            EventKind::Completed => {
                let unsent = self.unsent_rating();
                self.reset();
                self.serving = None;
                self.idle.touch(Instant::now());
                self.screen = Screen::Rate(Box::new(RateView {
                    ticket: Some((e.ticket.id, e.ticket.display)),
                    ..RateView::default()
                }));
                unsent
            }
            EventKind::Skipped | EventKind::Transferred | EventKind::Voided => {
                if self.serving.as_ref() == Some(&e.ticket.display) {
                    self.serving = None;
                }
                Effect::None
            }
            _ => Effect::None,
        }
    }

    /// Runs an effect in place and returns the message it produces.
    pub fn run_now(&self, effect: Effect) -> Option<Message> {
        match (&self.link, effect) {
            (Some(link), Effect::Issue(request, at)) => {
                Some(Message::Issued(link.block_on(link.clone().issue(request, at))))
            }
            (Some(link), Effect::LoadWaiting(at)) => {
                Some(Message::WaitingLoaded(link.block_on(link.clone().waiting(at))))
            }
            (Some(link), Effect::Lookup(code, secret)) => {
                Some(Message::LookedUp(link.block_on(lookup(link, code, secret))))
            }
            (_, effect) => run_effect(&self.store, &self.printer, self.link.as_deref(), effect),
        }
    }

    /// Runs an effect off the UI thread: network work on the link's
    /// runtime, disk work on a blocking thread.
    pub fn perform(&self, effect: Effect) -> Task<Message> {
        let joined = |handle: tokio::task::JoinHandle<Message>| {
            Task::future(async move {
                handle
                    .await
                    .map_err(|e| tracing::error!(error = %e, "background task failed"))
                    .ok()
            })
            .and_then(Task::done)
        };
        match (&self.link, effect) {
            (_, Effect::None) => Task::none(),
            (Some(link), Effect::Issue(request, at)) => {
                let l = link.clone();
                joined(link.spawn(async move { Message::Issued(l.issue(request, at).await) }))
            }
            (Some(link), Effect::LoadWaiting(at)) => {
                let l = link.clone();
                joined(link.spawn(async move { Message::WaitingLoaded(l.waiting(at).await) }))
            }
            (Some(link), Effect::Lookup(code, secret)) => {
                let l = link.clone();
                joined(link.spawn(async move { Message::LookedUp(lookup(&l, code, secret).await) }))
            }
            (None, Effect::Lookup(..)) => Task::done(Message::LookedUp(Err(LookupError::Offline))),
            (_, Effect::Focus(id)) => iced::widget::operation::focus(id),
            (_, Effect::Exit) => iced::exit(),
            (_, effect) => {
                let store = self.store.clone();
                let printer = self.printer.clone();
                let link = self.link.clone();
                Task::future(async move {
                    tokio::task::spawn_blocking(move || run_effect(&store, &printer, link.as_deref(), effect))
                        .await
                        .unwrap_or_else(|e| {
                            tracing::error!(error = %e, "background task failed");
                            None
                        })
                })
                .and_then(Task::done)
            }
        }
    }

    pub fn view(&self) -> Element<'_, Message> {
        let page = match &self.screen {
            Screen::Welcome => screen::welcome::view(self),
            Screen::Groups => screen::groups::view(self),
            Screen::Fields => screen::fields::view(self),
            Screen::Procedures { field } => screen::fields::procedures(self, field),
            Screen::Search { query, hits } => screen::search::view(self, query, hits),
            Screen::Detail { code } => screen::detail::view(self, code),
            Screen::Lane {
                group,
                procedure,
                issuing,
                failed,
            } => screen::lane::view(self, group, procedure.as_deref(), *issuing, *failed),
            Screen::Ticket(view) => screen::ticket::view(self, view),
            Screen::Rate(view) => screen::rate::view(self, view),
            Screen::Lookup(view) => screen::lookup::view(self, view),
            Screen::Admin { pin, wrong } => screen::admin::view(self, pin, *wrong),
        };
        match self.idle_phase {
            Phase::Warning { seconds_left } => screen::idle::overlay(self, page, seconds_left),
            _ => page,
        }
    }
}

async fn lookup(link: &Link, code: String, secret: String) -> Result<LookupAnswer, LookupError> {
    match link.client().lookup(&code, &secret).await {
        Ok(answer) => Ok(answer),
        Err(crate::sync::SyncError::Rejected { status: 404, .. }) => Err(LookupError::NotFound),
        Err(e) => {
            tracing::warn!(error = %e, "lookup failed");
            Err(LookupError::Offline)
        }
    }
}

/// Runs an effect that needs only the local store (or stands alone).
fn run_effect(store: &SharedStore, printer: &Printer, link: Option<&Link>, effect: Effect) -> Option<Message> {
    let lock = || store.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    match effect {
        Effect::None => None,
        // Standing alone: the office's numbering is this kiosk's (slot 0).
        Effect::Issue(request, at) => Some(Message::Issued(lock().issue(&request, 0, at, None))),
        Effect::LoadWaiting(at) => Some(Message::WaitingLoaded(lock().waiting(at))),
        Effect::Rate(entry, at) => {
            let rated = lock().rate(&entry, at);
            if let Some(link) = link {
                link.wake();
            }
            Some(Message::Rated(rated))
        }
        Effect::Lookup(..) => Some(Message::LookedUp(Err(LookupError::Offline))),
        Effect::Focus(_) | Effect::Exit => None,
        Effect::Print(job) => Some(Message::Printed(ticket_print::print(&job, printer))),
    }
}
