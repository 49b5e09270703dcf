//! `motcua board`: the hall's display (a 1920×1080 TV). The latest called
//! tickets with their counters in large type, the one just called
//! highlighted for a few seconds, waiting counts per group, date and clock,
//! the office's branding and a notice line from central. It follows
//! central's event stream; when the stream drops it says so discreetly and
//! reconnects.

use std::sync::Arc;
use std::time::{Duration, Instant};

use iced::widget::{column, container, row, space, svg, text};
use iced::{Alignment, Element, Length, Padding, Size, Subscription, Task, Theme};
use jiff::Timestamp;

use crate::branding::Brand;
use crate::i18n::{Arg, I18n, Lang};
use crate::sync::Client;
use crate::sync::events::Event;
use crate::voice::Announcer;
use motcua_api::model::{BoardState, EventKind, GroupWaiting, Ticket};
use motcua_core::catalog::Catalog;
use motcua_core::queue::sanitize_counter_label;
use motcua_core::time::local;

use super::style::{BOLD, Kind, Look};

pub const SIZE: Size = Size::new(1920.0, 1080.0);
/// How long a new call stays highlighted.
pub const HIGHLIGHT: Duration = Duration::from_secs(8);
/// Calls shown at once.
pub const SHOWN: usize = 9;

#[derive(Debug, Clone)]
pub enum Message {
    Tick(Instant, Timestamp),
    Event(Event),
    Loaded(Result<Box<BoardState>, String>),
}

pub struct Board {
    /// No mouse cursor over the window (fullscreen in the hall).
    pub hide_cursor: bool,
    pub look: Look,
    pub brand: Brand,
    pub i18n: Arc<I18n>,
    pub catalog: Arc<Catalog>,
    pub client: Option<Client>,
    pub announcer: Option<Announcer>,
    /// Latest calls, newest first.
    pub called: Vec<Ticket>,
    pub waiting: Vec<GroupWaiting>,
    pub notice: String,
    /// The ticket just called, until when it stays highlighted.
    pub highlight: Option<(i64, Instant)>,
    pub connected: bool,
    pub now: Timestamp,
    pub instant: Instant,
}

impl Board {
    pub fn new(
        brand: Brand,
        catalog: Arc<Catalog>,
        client: Option<Client>,
        announcer: Option<Announcer>,
        now: Timestamp,
    ) -> Self {
        Self {
            look: Look::from_brand(&brand),
            brand,
            i18n: Arc::new(I18n::new()),
            catalog,
            client,
            announcer,
            called: Vec::new(),
            waiting: Vec::new(),
            notice: String::new(),
            highlight: None,
            hide_cursor: false,
            connected: false,
            now,
            instant: Instant::now(),
        }
    }

    fn t(&self, key: &str) -> String {
        self.i18n.t(Lang::Vi, key)
    }

    fn ta(&self, key: &str, args: &[(&str, Arg)]) -> String {
        self.i18n.ta(Lang::Vi, key, args)
    }

    /// Handles a message; true when the board's state must be fetched.
    pub fn apply(&mut self, message: Message) -> bool {
        match message {
            Message::Tick(at, now) => {
                crate::service::alive();
                self.instant = at;
                self.now = now;
                if self.highlight.is_some_and(|(_, until)| at >= until) {
                    self.highlight = None;
                }
            }
            Message::Loaded(Ok(state)) => {
                self.called = state.called;
                self.waiting = state.waiting;
                self.notice = state.notice;
            }
            Message::Loaded(Err(e)) => tracing::warn!(error = %e, "board state not loaded"),
            Message::Event(Event::Connected) => {
                self.connected = true;
                return true;
            }
            // Central dropped events this board was too slow for: what it
            // shows is fetched again.
            Message::Event(Event::Lagged) => return true,
            Message::Event(Event::Disconnected { .. }) => {
                if self.connected {
                    tracing::warn!("event stream dropped; reconnecting");
                }
                self.connected = false;
            }
            // Asks for a citizen display, not for the hall.
            Message::Event(Event::Evaluate(_)) => {}
            Message::Event(Event::Queue(e)) => {
                self.waiting = e.waiting.clone();
                let call = crate::voice::call_of(&e);
                let t = e.ticket;
                match e.kind {
                    EventKind::Called | EventKind::Recalled => {
                        if let (Some(a), Some(call)) = (&self.announcer, call) {
                            a.announce(call);
                        }
                        self.highlight = Some((t.id, self.instant + HIGHLIGHT));
                        self.called.retain(|c| c.id != t.id);
                        self.called.insert(0, t);
                        self.called.truncate(SHOWN);
                    }
                    // A ticket sent elsewhere is no longer called here.
                    EventKind::Transferred | EventKind::Voided => self.called.retain(|c| c.id != t.id),
                    _ => {}
                }
            }
        }
        false
    }

    pub fn update(&mut self, message: Message) -> Task<Message> {
        if self.apply(message)
            && let Some(client) = self.client.clone()
        {
            return Task::perform(
                async move { client.board().await.map(Box::new).map_err(|e| e.to_string()) },
                Message::Loaded,
            );
        }
        Task::none()
    }

    pub fn subscription(&self) -> Subscription<Message> {
        let tick = iced::time::every(Duration::from_secs(1)).map(|at| Message::Tick(at, Timestamp::now()));
        match &self.client {
            Some(client) => Subscription::batch([
                tick,
                Subscription::run_with(client.clone(), |c| crate::sync::events::follow(c.clone())).map(Message::Event),
            ]),
            None => tick,
        }
    }

    pub fn theme(&self) -> Theme {
        self.look.theme()
    }

    fn group_name(&self, letter: &str) -> String {
        self.catalog.group(letter).map(|g| g.name.clone()).unwrap_or_default()
    }

    /// The window's content: the view, without a cursor when fullscreen.
    pub fn screen(&self) -> Element<'_, Message> {
        if self.hide_cursor {
            super::cursor::hidden(self.view())
        } else {
            self.view()
        }
    }

    pub fn view(&self) -> Element<'_, Message> {
        let l = &self.look;
        let id = &self.brand.identity;
        let now = local(self.now);
        let weekday = self.t(&format!("weekday-{}", now.weekday().to_monday_one_offset()));
        let header = container(
            row![
                svg(svg::Handle::from_memory(self.brand.mark.to_vec()))
                    .width(Length::Fixed(110.0))
                    .height(Length::Fixed(110.0)),
                column![
                    text(id.unit.clone()).size(l.title).font(BOLD),
                    text(id.office.clone()).size(l.heading)
                ]
                .spacing(2)
                .width(Length::Fill),
                column![
                    text(now.strftime("%H:%M").to_string()).size(l.title * 1.3).font(BOLD),
                    text(format!("{weekday}, {}", now.strftime("%d/%m/%Y"))).size(l.heading * 0.8),
                ]
                .align_x(Alignment::End),
            ]
            .spacing(l.l)
            .align_y(Alignment::Center),
        )
        .padding(Padding::from([l.m, l.xl]))
        .width(Length::Fill)
        .style(l.header());

        let mut calls = self.called.iter().take(SHOWN);
        let latest: Element<'_, Message> = match calls.next() {
            Some(t) => {
                let lit = self.highlight.is_some_and(|(id, _)| id == t.id);
                let counter = counter_label(t);
                container(
                    column![
                        text(self.t("board-now")).size(l.heading),
                        text(t.display.clone()).size(l.ticket_number).font(BOLD),
                        text(self.t("board-to-counter")).size(l.heading),
                        text(counter).size(l.ticket_number).font(BOLD),
                        text(self.group_name(&t.group)).size(l.heading).center(),
                    ]
                    .spacing(l.s)
                    .align_x(Alignment::Center),
                )
                .padding(l.l)
                .center(Length::Fill)
                .style(l.badge(if lit { Kind::Accent } else { Kind::Tile }))
                .into()
            }
            None => container(text(self.t("board-none")).size(l.title).center())
                .padding(l.xl)
                .center(Length::Fill)
                .style(l.card())
                .into(),
        };
        // Earlier calls: one line each, ticket and counter, newest first.
        let mut earlier = column![].spacing(l.s);
        if self.called.len() > 1 {
            earlier = earlier.push(text(self.t("board-earlier")).size(l.heading).font(BOLD));
        }
        for t in calls {
            earlier = earlier.push(
                container(
                    row![
                        text(t.display.clone()).size(l.heading).font(BOLD).width(Length::Fill),
                        text(self.ta("board-counter", &[("counter", counter_label(t).into())])).size(l.heading),
                    ]
                    .align_y(Alignment::Center),
                )
                .padding(Padding::from([l.xs, l.m]))
                .width(Length::Fill)
                .style(l.card()),
            );
        }

        let mut waiting = column![text(self.t("board-waiting")).size(l.heading).font(BOLD)].spacing(l.s);
        for g in &self.catalog.groups {
            let w = self.waiting.iter().find(|w| w.group == g.letter);
            let n = w.map(|w| w.normal + w.priority).unwrap_or(0);
            waiting = waiting.push(
                container(
                    row![
                        text(g.letter.clone())
                            .size(l.title)
                            .font(BOLD)
                            .width(Length::Fixed(l.title)),
                        text(g.name.clone()).size(l.small).width(Length::Fill),
                        text(n.to_string()).size(l.title).font(BOLD),
                    ]
                    .align_y(Alignment::Center)
                    .spacing(l.s),
                )
                .padding(Padding::from([l.xs, l.m]))
                .width(Length::Fill)
                .style(l.card()),
            );
        }

        let mut footer = row![].spacing(l.m).align_y(Alignment::Center);
        if !self.notice.is_empty() {
            footer = footer.push(text(self.notice.clone()).size(l.heading).width(Length::Fill));
        } else {
            footer = footer.push(space::horizontal());
        }
        if !self.connected && self.client.is_some() {
            footer = footer.push(text(self.t("board-offline")).size(l.small).style(l.muted()));
        }
        let body = row![
            container(latest).width(Length::FillPortion(5)),
            earlier.width(Length::FillPortion(4)),
            waiting.width(Length::FillPortion(3)),
        ]
        .spacing(l.l)
        .height(Length::Fill);
        container(column![
            header,
            container(column![body, footer].spacing(l.m))
                .padding(l.l)
                .height(Length::Fill)
        ])
        .width(Length::Fill)
        .height(Length::Fill)
        .style(l.page())
        .into()
    }
}

/// A ticket's counter as the board shows it: only the part of its label
/// that is safe to show in large type (central refuses others; this is the
/// board's own guard).
fn counter_label(t: &Ticket) -> String {
    t.counter.as_deref().map(sanitize_counter_label).unwrap_or_default()
}

/// Opens the board window.
pub fn run(setup: crate::setup::Setup, fullscreen: bool, english: bool) -> iced::Result {
    let (catalog, client) = match &setup.ready {
        Ok(r) => (r.catalog.clone(), r.link.as_ref().map(|l| l.client().clone())),
        Err(_) => (Arc::new(Catalog::demo()), None),
    };
    if let Err(fault) = &setup.ready {
        tracing::error!(?fault, "the board shows calls only when central is reachable");
    }
    let announcer = Some(Announcer::start(
        Box::new(crate::voice::Espeak),
        crate::voice::default_speaker(),
        english,
    ));
    let brand = setup.brand.clone();
    let boot = move || {
        let mut b = Board::new(
            brand.clone(),
            catalog.clone(),
            client.clone(),
            announcer.clone(),
            Timestamp::now(),
        );
        // A board is watched, never touched: no cursor on it when fullscreen.
        b.hide_cursor = fullscreen;
        b
    };
    iced::application(boot, Board::update, Board::screen)
        .executor::<super::SharedRuntime>()
        .title(|_: &Board| "motcua — bảng gọi số".to_string())
        .theme(Board::theme)
        .subscription(Board::subscription)
        .font(super::style::FONT_REGULAR_BYTES)
        .font(super::style::FONT_BOLD_BYTES)
        .default_font(super::style::FONT)
        .window(iced::window::Settings {
            size: SIZE,
            fullscreen,
            decorations: !fullscreen,
            ..iced::window::Settings::default()
        })
        .run()
}
