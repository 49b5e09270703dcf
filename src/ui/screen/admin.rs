//! The admin PIN pad that closes a locked-down kiosk.

use iced::widget::{column, container, row, text};
use iced::{Alignment, Element, Length};

use crate::ui::app::{Kiosk, Message};
use crate::ui::screen::keyboard;
use crate::ui::style::{BOLD, Kind};
use crate::ui::widgets::{label_button, nav, page, title};

pub fn view<'a>(k: &'a Kiosk, pin: &str, wrong: bool) -> Element<'a, Message> {
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
        Message::AdminExit,
        Kind::Primary,
    ));
    // Digits only: the last, empty row holds delete and clear.
    let keys = keyboard::view_of(k, &["123", "456", "789", "0", ""]);
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
