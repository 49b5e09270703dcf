//! The admin PIN pad that closes a locked-down kiosk.

use iced::widget::{column, container, row, text};
use iced::{Alignment, Element, Length};
use jiff::Timestamp;

use crate::ui::app::Kiosk;
use crate::ui::screen::Nav;
use crate::ui::screen::keyboard::{self, Key};
use crate::ui::style::{BOLD, Kind};
use crate::ui::widgets::{label_button, nav, page_fitted, title};

/// The PIN typed so far, whether the last one was wrong, and until when
/// the pad is locked after too many wrong ones.
#[derive(Clone, PartialEq, Default)]
pub struct AdminView {
    pub pin: String,
    /// The last PIN was wrong: the tries left before the pad locks.
    pub wrong: Option<u32>,
    /// Too many wrong PINs: no PIN is checked before this time.
    pub locked_until: Option<Timestamp>,
}

/// Never the PIN typed, only how many digits.
impl std::fmt::Debug for AdminView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AdminView")
            .field("digits", &self.pin.chars().count())
            .field("wrong", &self.wrong)
            .field("locked_until", &self.locked_until)
            .finish()
    }
}

#[derive(Debug, Clone)]
pub enum Message {
    Key(Key),
    /// Close the kiosk with the PIN typed.
    Exit,
    Nav(Nav),
}

impl From<Nav> for Message {
    fn from(nav: Nav) -> Self {
        Message::Nav(nav)
    }
}

pub enum Event {
    /// Check [`AdminView::pin`] and close the kiosk if it is right (else
    /// [`AdminView::refuse`]).
    Exit,
    Nav(Nav),
}

impl AdminView {
    pub fn update(&mut self, message: Message) -> Option<Event> {
        match message {
            // The PIN pad types digits only.
            Message::Key(key) => {
                let key = key.plain();
                if !matches!(key, Key::Char(c) if !c.is_ascii_digit()) && !matches!(key, Key::Space | Key::Tone(_)) {
                    key.apply_up_to(&mut self.pin, *crate::ui::admin::PIN_DIGITS.end());
                    self.wrong = None;
                }
                None
            }
            Message::Exit => Some(Event::Exit),
            Message::Nav(nav) => Some(Event::Nav(nav)),
        }
    }

    /// The PIN was wrong (`tries_left` before the pad locks): clear it and
    /// say so.
    pub fn refuse(&mut self, tries_left: u32) {
        self.pin.clear();
        self.wrong = Some(tries_left);
    }

    /// Too many wrong PINs: clear it and say until when the pad is locked.
    pub fn lock(&mut self, until: Timestamp) {
        self.pin.clear();
        self.wrong = None;
        self.locked_until = Some(until);
    }

    pub fn view<'a>(&'a self, k: &'a Kiosk) -> Element<'a, Message> {
        view(k, self)
    }
}

/// Whole minutes from `now` to `until`, rounded up: what the screen says.
pub fn minutes_left(now: Timestamp, until: Timestamp) -> u64 {
    let secs = until.duration_since(now).as_secs().max(0) as u64;
    secs.div_ceil(60).max(1)
}

fn view<'a>(k: &'a Kiosk, pad: &AdminView) -> Element<'a, Message> {
    let pin = &pad.pin;
    let l = &k.look;
    let dots = if pin.is_empty() {
        k.t("admin-pin-empty")
    } else {
        "●".repeat(pin.chars().count())
    };
    let mut body = column![
        title(k, k.t("admin-title")),
        text(k.t("admin-hint")).size(l.body),
        container(text(dots).size(l.heading).font(BOLD))
            .padding(l.m)
            .width(Length::Fill)
            .style(l.card()),
    ]
    .spacing(l.m)
    .align_x(Alignment::Start);
    let refusal = match (pad.locked_until.filter(|until| *until > k.now), pad.wrong) {
        (Some(until), _) => Some(k.ta("admin-locked", &[("minutes", minutes_left(k.now, until).into())])),
        (None, Some(tries)) => Some(k.ta("admin-wrong", &[("tries", tries.into())])),
        (None, None) => None,
    };
    if let Some(refusal) = refusal {
        body = body.push(
            container(text(refusal).size(l.body).font(BOLD))
                .padding(l.m)
                .width(Length::Fill)
                .style(l.badge(Kind::Nav)),
        );
    }
    let body = body.push(label_button(
        l,
        "admin-exit",
        k.t("admin-exit"),
        Message::Exit,
        Kind::Primary,
    ));
    // Digits only: the last, empty row holds delete and clear.
    let keys = keyboard::view_of(k, &["123", "456", "789", "0", ""], false, Message::Key);
    let content: Element<'a, Message> = if k.portrait() {
        body.push(keys).into()
    } else {
        row![
            body.width(Length::FillPortion(1)),
            container(keys).width(Length::FillPortion(1))
        ]
        .spacing(l.l)
        .into()
    };
    page_fitted(k, content, Some(nav(k)))
}
