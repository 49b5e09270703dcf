//! "Are you still there?": a dialog with a visible countdown over the
//! current screen.

use iced::widget::{center, column, container, opaque, stack, text};
use iced::{Alignment, Element, Length};

use crate::ui::app::{Kiosk, Message};
use crate::ui::style::{BOLD, Kind};
use crate::ui::widgets::label_button;

pub fn overlay<'a>(k: &'a Kiosk, below: Element<'a, Message>, seconds_left: u64) -> Element<'a, Message> {
    let dialog = container(
        column![
            text(k.t("idle-title")).size(k.look.title).font(BOLD).center(),
            text(seconds_left.to_string())
                .size(k.look.ticket_number)
                .font(BOLD)
                .style(k.look.primary_text()),
            text(k.ta("idle-countdown", &[("seconds", seconds_left.into())]))
                .size(k.look.body)
                .center(),
            label_button(
                &k.look,
                "still-here",
                k.t("idle-continue"),
                Message::StillHere,
                Kind::Primary
            ),
        ]
        .align_x(Alignment::Center)
        .spacing(k.look.m),
    )
    .padding(k.look.xl)
    .max_width(900.0)
    .style(k.look.card());
    let veil = container(center(dialog))
        .width(Length::Fill)
        .height(Length::Fill)
        .style(k.look.veil());
    stack![below, opaque(veil)].into()
}
