//! The citizen kiosk: state, messages and the dispatch between screens.
//!
//! `update` never touches the disk: it returns an [`Effect`] that the iced
//! runtime performs on a blocking thread ([`Kiosk::perform`]) and tests or
//! benchmarks run in place ([`Kiosk::run_now`]).

use std::sync::Arc;
use std::time::{Duration, Instant};

use iced::widget::svg;
use iced::{Element, Size};
use jiff::Timestamp;

use crate::branding::Brand;
use crate::config::Config;
use crate::i18n::{Arg, I18n, Lang};
use crate::print::device::Printer;
use crate::print::ticket as ticket_print;
use crate::setup::{Ready, SharedStore};
use crate::store::{AdminPinError, StoreError, Ticket, Waiting};
use crate::sync::events::Event;
use crate::sync::{Link, Status as SyncStatus};
use motcua_core::catalog::Catalog;
use motcua_core::idle::{IdleTimer, Phase};
use motcua_core::queue::{Interleave, PriorityPolicy};
use motcua_core::search;

use super::access::Access;
use super::keys::{HOLD_FOR_SPEECH, Press};
use super::screen::{
    self, Nav, admin, detail, evaluate, fields, groups, lane, lookup, rate, search as search_screen, ticket, welcome,
};
use super::style::Look;

mod display;
mod effect;
mod keypad;
mod window;

pub use super::screen::admin::AdminView;
pub use super::screen::evaluate::EvaluateView;
pub use super::screen::lane::LaneView;
pub use super::screen::lookup::{LookupError, LookupView};
pub use super::screen::rate::RateView;
pub use super::screen::search::SearchView;
pub use super::screen::ticket::{PrintState, TicketView};
pub use effect::Effect;
pub use window::{App, Mode};

/// The size a kiosk window opens with when nothing else is known: portrait.
pub const PORTRAIT: Size = Size::new(1080.0, 1920.0);
pub const LANDSCAPE: Size = Size::new(1920.0, 1080.0);

/// Results shown at once on the search screen.
pub const SEARCH_RESULTS_SHOWN: usize = 6;

/// Where the citizen is. A screen with state holds it; `history` keeps the
/// screens to go back to, state and all.
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
    /// Search with the on-screen keyboard.
    Search(SearchView),
    Detail {
        code: String,
    },
    /// Normal or priority lane, for a group (and maybe a procedure).
    Lane(LaneView),
    Ticket(Box<TicketView>),
    Rate(Box<RateView>),
    Lookup(Box<LookupView>),
    /// A dossier's evaluation on the national criteria.
    Evaluate(Box<EvaluateView>),
    /// The admin PIN pad that closes a locked-down kiosk.
    Admin(AdminView),
}

/// Everything that can happen to the kiosk.
#[derive(Debug, Clone)]
pub enum Message {
    /// The clock ticked: refresh the time and check for idleness.
    Tick(Instant, Timestamp),
    /// A touch, click or key anywhere.
    Activity(Instant),
    Resized(Size),
    Back,
    Home,
    /// A tap on the office mark (five quick ones open the admin PIN pad).
    AdminTap,
    /// "Yes, I am still here."
    StillHere,
    /// What a screen's widgets say, for that screen.
    Welcome(welcome::Message),
    Groups(groups::Message),
    Fields(fields::Message),
    Detail(detail::Message),
    Search(search_screen::Message),
    Lane(lane::Message),
    Ticket(ticket::Message),
    Rate(rate::Message),
    Lookup(lookup::Message),
    Evaluate(evaluate::Message),
    Admin(admin::Message),
    /// What the effects answer.
    Issued(Result<Ticket, StoreError>),
    WaitingLoaded(Result<Vec<(String, Waiting)>, StoreError>),
    Rated(Result<bool, StoreError>),
    Evaluated(Result<bool, StoreError>),
    /// Central's queue, followed by a counter's citizen display.
    Queue(Event),
    /// A frame was drawn (listened to until the first one).
    Frame(Instant),
    /// The UI loop is turning: feed systemd's watchdog.
    Alive,
    /// A key of the keypad or a keyboard ([`super::keys::press_of`]), and
    /// when.
    Press(Press, Instant),
}

impl From<Nav> for Message {
    fn from(nav: Nav) -> Self {
        match nav {
            Nav::Back => Message::Back,
            Nav::Home => Message::Home,
            Nav::AdminTap => Message::AdminTap,
            Nav::Speech => Message::Welcome(welcome::Message::Nav(Nav::Speech)),
        }
    }
}

/// The kiosk when it can serve.
pub struct Kiosk {
    pub look: Look,
    /// What the citizen changed for themself; back to normal when they go.
    pub access: Access,
    /// The option the keypad is on, by id.
    pub focus: Option<String>,
    /// What speech said, latest last (kept short): tests read it, the
    /// voice speaks it.
    pub said: Vec<String>,
    /// The screen, hint and focus last spoken, to say only what changed.
    heard: Option<(String, String, Option<String>)>,
    /// When the keypad's 5 went down, while it is held.
    five_down: Option<Instant>,
    /// What speaks [`Kiosk::said`]; none in tests, which read `said`.
    pub voice: Option<crate::speech::Voice>,
    /// The idle timeout configured; doubled for a citizen who needs time.
    idle_timeout: Duration,
    /// How long the "are you still there?" countdown runs.
    pub idle_warning: Duration,
    /// Where the screen is, when its top is out of reach.
    pub reach: Option<motcua_core::reach::Reach>,
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
    /// The brand's pictograms, ready to draw, by name.
    pictograms: std::collections::HashMap<String, svg::Handle>,
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
        let mut kiosk = Self {
            look: Look::from_brand(&brand),
            access: Access::default(),
            focus: None,
            said: Vec::new(),
            heard: None,
            five_down: None,
            voice: None,
            idle_timeout: Duration::from_secs(config.kiosk.idle_timeout_secs),
            idle_warning: Duration::from_secs(config.kiosk.idle_warning_secs),
            reach: config.kiosk.reach,
            mark: svg::Handle::from_memory(brand.mark.to_vec()),
            pictograms: brand
                .pictograms
                .iter()
                .map(|(name, bytes)| (name.clone(), svg::Handle::from_memory(bytes.to_vec())))
                .collect(),
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
        };
        // The look and focus for the configuration (low reach) before the
        // first frame.
        kiosk.settle();
        kiosk
    }

    /// Whether IT staff can close this kiosk from its screen.
    pub fn admin_exit_enabled(&self) -> bool {
        self.exit_pin_hash.is_some()
    }

    fn admin_tap(&mut self) {
        if self.exit_pin_hash.is_some() && self.admin_taps.tap(Instant::now()) {
            // A lock-out from before (even before a restart) shows at once.
            let locked_until = crate::counter::lock(&self.store)
                .admin_locked_until(self.now)
                .unwrap_or_else(|e| {
                    tracing::error!(error = %e, "the admin PIN lock-out cannot be read");
                    None
                });
            self.go(Screen::Admin(AdminView {
                locked_until,
                ..AdminView::default()
            }));
        }
    }

    fn admin_exit(&mut self) -> Effect {
        let (Screen::Admin(pad), Some(hash)) = (&mut self.screen, &self.exit_pin_hash) else {
            return Effect::None;
        };
        let checked = crate::counter::lock(&self.store).check_admin_pin(&pad.pin, hash, self.now);
        let checked = match checked {
            // A store that cannot count the tries does not keep IT staff
            // from closing the kiosk; the PIN is still checked.
            Err(AdminPinError::Store(e)) => {
                tracing::error!(error = %e, "admin PIN tries cannot be counted");
                if crate::store::pin_matches(&pad.pin, hash) {
                    Ok(())
                } else {
                    Err(AdminPinError::Refused { tries_left: 0 })
                }
            }
            other => other,
        };
        match checked {
            Ok(()) => {
                tracing::warn!("admin exit from the kiosk screen");
                crate::ui::admin::request_exit();
                self.closed_by_admin = true;
                return Effect::Exit;
            }
            Err(AdminPinError::Locked { until }) => pad.lock(until),
            Err(AdminPinError::Refused { tries_left }) => pad.refuse(tries_left),
            Err(AdminPinError::Store(_)) => pad.refuse(0),
        }
        Effect::None
    }

    /// The pictogram `name` of the brand.
    pub fn picto(&self, name: &str) -> Option<svg::Handle> {
        self.pictograms.get(name).cloned()
    }

    /// The pictogram of the service group `letter`.
    pub fn group_picto(&self, letter: &str) -> Option<svg::Handle> {
        self.picto(self.brand.group_pictogram_name(letter))
            .or_else(|| self.picto(crate::branding::OTHER_GROUP))
    }

    pub fn t(&self, key: &str) -> String {
        self.i18n.t(self.lang, key)
    }

    pub fn ta(&self, key: &str, args: &[(&str, Arg)]) -> String {
        self.i18n.ta(self.lang, key, args)
    }

    /// The band of the screen within reach, when part of it is not.
    pub fn reach_band(&self) -> Option<motcua_core::reach::Band> {
        self.reach?.band(self.viewport.height)
    }

    pub fn portrait(&self) -> bool {
        self.viewport.height >= self.viewport.width
    }

    fn go(&mut self, screen: Screen) {
        let previous = std::mem::replace(&mut self.screen, screen);
        self.history.push(previous);
    }

    /// Back to the welcome screen: the citizen starts again, with the text
    /// size, contrast and speech they chose.
    fn start_over(&mut self) {
        self.screen = Screen::Welcome;
        self.history.clear();
        self.waiting.clear();
        self.lang = self.default_lang;
        self.idle_phase = Phase::Active;
    }

    /// The citizen is gone: back to the welcome screen with everything they
    /// touched gone, their text size, contrast, speech and volume too.
    pub fn reset(&mut self) {
        self.start_over();
        // Silent, and at the default volume for the next citizen.
        if let Some(voice) = &self.voice {
            voice.reset();
        }
        self.access = Access::default();
        self.said.clear();
        self.focus = None;
        self.heard = None;
        self.five_down = None;
        self.idle.set_timeout(self.idle_timeout);
    }

    pub fn update(&mut self, message: Message) -> Effect {
        let effect = self.handle(message);
        self.settle();
        effect
    }

    fn handle(&mut self, message: Message) -> Effect {
        match message {
            Message::Press(press, at) => return self.press(press, at),
            Message::Tick(at, now) => return self.tick(at, now),
            Message::Activity(at) => self.activity(at),
            Message::Resized(size) => self.viewport = size,
            Message::Back => self.back(),
            Message::Home => return self.home(),
            Message::AdminTap => self.admin_tap(),
            Message::StillHere => self.activity(Instant::now()),
            Message::Welcome(m) => return self.welcome(m),
            Message::Groups(groups::Message::Choose(group)) => self.go(Screen::Lane(LaneView::new(group, None))),
            Message::Groups(groups::Message::OpenFields) => self.go(Screen::Fields),
            Message::Groups(groups::Message::Nav(nav)) => return self.nav(nav),
            Message::Fields(fields::Message::OpenField(field)) => self.go(Screen::Procedures { field }),
            Message::Fields(fields::Message::OpenSearch) => self.go(Screen::Search(SearchView::default())),
            Message::Fields(fields::Message::OpenProcedure(code)) => self.go(Screen::Detail { code }),
            Message::Fields(fields::Message::Nav(nav)) => return self.nav(nav),
            Message::Detail(detail::Message::TakeTicket { group, procedure }) => {
                self.go(Screen::Lane(LaneView::new(group, Some(procedure))))
            }
            Message::Detail(detail::Message::Nav(nav)) => return self.nav(nav),
            Message::Search(m) => {
                let Screen::Search(s) = &mut self.screen else {
                    return Effect::None;
                };
                match s.update(m, &self.index) {
                    Some(search_screen::Event::OpenProcedure(code)) => self.go(Screen::Detail { code }),
                    Some(search_screen::Event::Nav(nav)) => return self.nav(nav),
                    None => {}
                }
            }
            Message::Lane(m) => {
                let Screen::Lane(s) = &mut self.screen else {
                    return Effect::None;
                };
                match s.update(m) {
                    Some(lane::Event::Issue(request)) => return Effect::Issue(request, self.now),
                    Some(lane::Event::Nav(nav)) => return self.nav(nav),
                    None => {}
                }
            }
            Message::Ticket(m) => {
                let Screen::Ticket(view) = &mut self.screen else {
                    return Effect::None;
                };
                match view.update(m) {
                    Some(ticket::Event::Print) => {
                        let Screen::Ticket(view) = &self.screen else {
                            return Effect::None;
                        };
                        return Effect::Print(Box::new(ticket::printed(self, view)));
                    }
                    Some(ticket::Event::Nav(nav)) => return self.nav(nav),
                    None => {}
                }
            }
            Message::Rate(m) => {
                let Screen::Rate(view) = &mut self.screen else {
                    return Effect::None;
                };
                match view.update(m) {
                    Some(rate::Event::Send(entry)) => return Effect::Rate(entry, self.now),
                    Some(rate::Event::Nav(nav)) => return self.nav(nav),
                    None => {}
                }
            }
            Message::Lookup(m) => {
                let Screen::Lookup(view) = &mut self.screen else {
                    return Effect::None;
                };
                match view.update(m) {
                    Some(lookup::Event::Lookup { code, secret }) => return Effect::Lookup(code, secret),
                    Some(lookup::Event::Evaluate(code)) => self.go(Screen::Evaluate(Box::new(EvaluateView::new(
                        code,
                        motcua_api::evaluation::Occasion::Kiosk,
                    )))),
                    Some(lookup::Event::Nav(nav)) => return self.nav(nav),
                    None => {}
                }
            }
            Message::Evaluate(m) => {
                let Screen::Evaluate(view) = &mut self.screen else {
                    return Effect::None;
                };
                match view.update(m) {
                    Some(evaluate::Event::Send(e)) => return self.evaluation_effect(e),
                    Some(evaluate::Event::Nav(nav)) => return self.nav(nav),
                    None => {}
                }
            }
            Message::Admin(m) => {
                let Screen::Admin(pad) = &mut self.screen else {
                    return Effect::None;
                };
                match pad.update(m) {
                    Some(admin::Event::Exit) => return self.admin_exit(),
                    Some(admin::Event::Nav(nav)) => return self.nav(nav),
                    None => {}
                }
            }
            Message::Issued(result) => self.issued(result),
            Message::WaitingLoaded(result) => self.waiting_loaded(result),
            Message::Rated(result) => {
                if let Err(e) = &result {
                    tracing::error!(error = %e, "rating not stored");
                }
                if let Screen::Rate(view) = &mut self.screen {
                    view.update(rate::Message::Rated(result));
                }
            }
            Message::Evaluated(result) => {
                if let Err(e) = &result {
                    tracing::error!(error = %e, "dossier evaluation not stored");
                }
                if let Screen::Evaluate(view) = &mut self.screen {
                    view.update(evaluate::Message::Evaluated(result));
                }
            }
            Message::Queue(event) => return self.queue_event(event),
            // Handled by the application around the kiosk.
            Message::Frame(_) | Message::Alive => {}
        }
        Effect::None
    }

    fn nav(&mut self, nav: Nav) -> Effect {
        match nav {
            Nav::Back => self.back(),
            Nav::Home => return self.home(),
            Nav::AdminTap => self.admin_tap(),
            Nav::Speech => {
                self.access.speech = !self.access.speech;
                self.heard = None;
                if !self.access.speech {
                    self.hush();
                }
            }
        }
        Effect::None
    }

    /// Back to the start; a rating chosen and not sent is stored first.
    fn home(&mut self) -> Effect {
        let unsent = self.unsent_rating();
        self.start_over();
        unsent
    }

    fn welcome(&mut self, message: welcome::Message) -> Effect {
        match message {
            welcome::Message::OpenGroups => return self.open_groups(),
            welcome::Message::OpenFields => self.go(Screen::Fields),
            welcome::Message::OpenLookup => {
                self.go(Screen::Lookup(Box::default()));
                // The scanner types into its field; a keypad moves over keys.
                if !self.access.keys {
                    return Effect::Focus(lookup::SCAN_FIELD);
                }
            }
            welcome::Message::OpenRate => self.go(Screen::Rate(Box::default())),
            welcome::Message::SetLang(lang) => self.lang = lang,
            welcome::Message::TextSize => self.access.text = self.access.text.next(),
            welcome::Message::Contrast => self.access.contrast = !self.access.contrast,
            welcome::Message::Nav(nav) => return self.nav(nav),
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
        if let Some(down) = self.five_down
            && at.saturating_duration_since(down) >= HOLD_FOR_SPEECH
        {
            // Held two seconds: speech on or off, at once, while held.
            self.five_down = None;
            self.access.keys = true;
            return self.nav(Nav::Speech);
        }
        if self.screen == Screen::Welcome && self.lang == self.default_lang && self.access == Access::default() {
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
            && v.back()
        {
            return;
        }
        // From a question back to the one before.
        if let Screen::Evaluate(v) = &mut self.screen
            && v.back()
        {
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
                if let Screen::Lane(s) = &mut self.screen {
                    s.update(lane::Message::NotIssued);
                }
            }
        }
    }

    /// Builds what the ticket screen shows, QR included.
    pub fn ticket_view(&self, ticket: Ticket) -> TicketView {
        let ahead =
            Interleave::new(self.policy).calls_before(ticket.lane, ticket.same_lane_ahead, ticket.other_lane_waiting);
        let reference = ticket_print::reference(&self.office_code, &ticket);
        TicketView::new(ticket, ahead, reference)
    }

    fn waiting_loaded(&mut self, result: Result<Vec<(String, Waiting)>, StoreError>) {
        match result {
            Ok(w) => self.waiting = w,
            // The counts are a courtesy; the choice works without them.
            Err(e) => tracing::warn!(error = %e, "waiting counts unavailable"),
        }
    }

    /// The answer on screen that was chosen but not yet sent, to be stored
    /// before the screen goes.
    fn unsent_rating(&mut self) -> Effect {
        match &mut self.screen {
            Screen::Rate(v) => v.unsent().map_or(Effect::None, |entry| Effect::Rate(entry, self.now)),
            Screen::Evaluate(v) => match v.unsent() {
                Some(e) => self.evaluation_effect(e),
                None => Effect::None,
            },
            _ => Effect::None,
        }
    }

    /// Queues a dossier's evaluation, stamped with the kiosk's clock.
    fn evaluation_effect(&self, mut e: motcua_api::evaluation::DossierRatingIn) -> Effect {
        e.rated_at = self.now.to_string();
        Effect::Evaluate(Box::new(e))
    }

    pub fn view(&self) -> Element<'_, Message> {
        let page = match &self.screen {
            Screen::Welcome => welcome::view(self).map(Message::Welcome),
            Screen::Groups => groups::view(self).map(Message::Groups),
            Screen::Fields => fields::view(self).map(Message::Fields),
            Screen::Procedures { field } => fields::procedures(self, field).map(Message::Fields),
            Screen::Search(s) => s.view(self).map(Message::Search),
            Screen::Detail { code } => detail::view(self, code).map(Message::Detail),
            Screen::Lane(s) => s.view(self).map(Message::Lane),
            Screen::Ticket(view) => view.view(self).map(Message::Ticket),
            Screen::Rate(view) => view.view(self).map(Message::Rate),
            Screen::Lookup(view) => view.view(self).map(Message::Lookup),
            Screen::Evaluate(view) => view.view(self).map(Message::Evaluate),
            Screen::Admin(pad) => pad.view(self).map(Message::Admin),
        };
        match self.idle_phase {
            Phase::Warning { seconds_left } => screen::idle::overlay(self, page, seconds_left),
            _ => page,
        }
    }
}
