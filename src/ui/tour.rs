//! A scripted walk through every screen in a real window, for measuring
//! the time to first frame and the peak memory of the release binary
//! (`scripts/measure-kiosk`). Not reachable by a citizen: it needs the
//! hidden `--tour` flag, which runs [`Tour`] around the kiosk's [`App`]
//! instead of the App alone; the App knows nothing of it.

use std::time::Duration;

use iced::{Element, Subscription, Task, Theme};
use motcua_core::queue::Lane;

use super::app::{App, Kiosk, Message as AppMessage, Mode, Screen};
use super::screen::keyboard::Key;
use super::screen::{fields, groups, lane, rate, search, ticket, welcome};
use crate::store::Rating;

/// The kiosk, walked by a script.
pub struct Tour {
    app: App,
    /// The next step of the script.
    step: usize,
}

#[derive(Debug, Clone)]
pub enum Message {
    App(AppMessage),
    /// Time for the next step of the walk.
    Step,
}

impl Tour {
    pub fn new(app: App) -> Self {
        Self { app, step: 0 }
    }

    pub fn update(&mut self, message: Message) -> Task<Message> {
        match (message, &mut self.app.mode) {
            (Message::App(m), _) => self.app.update(m).map(Message::App),
            (Message::Step, Mode::Serving(k)) => match step(k, self.step) {
                Some(m) => {
                    if !matches!(m, AppMessage::Resized(_)) {
                        self.step += 1;
                    }
                    let effect = k.update(m);
                    k.perform(effect).map(Message::App)
                }
                None => {
                    let peak = peak_rss_kb().unwrap_or(0);
                    tracing::info!(peak_rss_kb = peak, "tour done");
                    println!("tour: every screen visited, peak RSS {:.1} MB", peak as f64 / 1024.0);
                    iced::exit()
                }
            },
            (Message::Step, Mode::Fault(_)) => Task::none(),
        }
    }

    pub fn screen(&self) -> Element<'_, Message> {
        self.app.screen().map(Message::App)
    }

    pub fn theme(&self) -> Theme {
        self.app.theme()
    }

    pub fn subscription(&self) -> Subscription<Message> {
        Subscription::batch([
            self.app.subscription().map(Message::App),
            iced::time::every(Duration::from_millis(300)).map(|_| Message::Step),
        ])
    }
}

/// The next scripted message, or None when the walk is over.
pub fn step(k: &Kiosk, i: usize) -> Option<AppMessage> {
    let first_field = k
        .catalog
        .fields_in_use()
        .first()
        .map(|(f, _)| f.id.clone())
        .unwrap_or_default();
    let first_procedure = k
        .catalog
        .procedures_of(&first_field)
        .next()
        .map(|p| p.code.clone())
        .unwrap_or_default();
    let first_group = k.catalog.groups.first().map(|g| g.letter.clone()).unwrap_or_default();
    let key = |c| AppMessage::Search(search::Message::Key(Key::Char(c)));
    let script = [
        AppMessage::Welcome(welcome::Message::OpenGroups),
        AppMessage::Groups(groups::Message::Choose(first_group)),
        AppMessage::Lane(lane::Message::Take(Lane::Normal)),
        AppMessage::Ticket(ticket::Message::Print),
        AppMessage::Home,
        AppMessage::Welcome(welcome::Message::OpenFields),
        AppMessage::Fields(fields::Message::OpenField(first_field)),
        AppMessage::Fields(fields::Message::OpenProcedure(first_procedure)),
        AppMessage::Back,
        AppMessage::Back,
        AppMessage::Fields(fields::Message::OpenSearch),
        key('k'),
        key('h'),
        key('a'),
        key('i'),
        AppMessage::Home,
        AppMessage::Welcome(welcome::Message::OpenRate),
        AppMessage::Rate(rate::Message::Face(Rating::Satisfied)),
        AppMessage::Home,
        AppMessage::Welcome(welcome::Message::OpenLookup),
        AppMessage::Home,
        AppMessage::Welcome(welcome::Message::SetLang(crate::i18n::Lang::En)),
        AppMessage::Welcome(welcome::Message::SetLang(crate::i18n::Lang::Vi)),
    ];
    // A ticket being issued or printed finishes before the walk goes on.
    if matches!(&k.screen, Screen::Lane(l) if l.issuing) {
        return Some(AppMessage::Resized(k.viewport));
    }
    script.into_iter().nth(i)
}

/// Peak resident memory of this process in kB (Linux), if known.
pub fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
