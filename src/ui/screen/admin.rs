//! The admin PIN pad that closes a locked-down kiosk.

use iced::widget::{column, container, row, text};
use iced::{Alignment, Element, Length};

use crate::ui::app::Kiosk;
use crate::ui::screen::Nav;
use crate::ui::screen::keyboard::{self, Key};
use crate::ui::style::{BOLD, Kind};
use crate::ui::widgets::{label_button, nav, page, title};

/// The PIN typed so far, and whether the last one was wrong.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AdminView {
    pub pin: String,
    pub wrong: bool,
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
                if !matches!(key, Key::Char(c) if !c.is_ascii_digit()) && key != Key::Space {
                    key.apply_up_to(&mut self.pin, *crate::ui::admin::PIN_DIGITS.end());
                    self.wrong = false;
                }
                None
            }
            Message::Exit => Some(Event::Exit),
            Message::Nav(nav) => Some(Event::Nav(nav)),
        }
    }

    /// The PIN was wrong: clear it and say so.
    pub fn refuse(&mut self) {
        self.pin.clear();
        self.wrong = true;
    }

    pub fn view<'a>(&'a self, k: &'a Kiosk) -> Element<'a, Message> {
        view(k, &self.pin, self.wrong)
    }
}

fn view<'a>(k: &'a Kiosk, pin: &str, wrong: bool) -> Element<'a, Message> {
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
    if wrong {
        body = body.push(
            container(text(k.t("admin-wrong")).size(l.body).font(BOLD))
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
    let keys = keyboard::view_of(k, &["123", "456", "789", "0", ""], Message::Key);
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
    page(k, content, Some(nav(k)))
}
