//! "Are you still there?": a dialog with a visible countdown over the
//! current screen.

use iced::widget::{center, column, container, opaque, stack, text};
use iced::{Alignment, Element, Length};

use crate::ui::app::{Kiosk, Message};
use crate::ui::style::{BOLD, Kind};
use crate::ui::widgets::label_button;

pub fn overlay<'a>(k: &'a Kiosk, below: Element<'a, Message>, seconds_left: u64) -> Element<'a, Message> {
    // The dialog fits the screen at any text size: the words grow up to
    // 1.5× on a landscape screen, the countdown keeps its size.
    let l = k.look.capped(if k.portrait() { 2.0 } else { 1.5 });
    let dialog = container(
        column![
            text(k.t("idle-title")).size(l.title).font(BOLD).center(),
            text(seconds_left.to_string())
                .size(l.ticket_number / l.scale)
                .font(BOLD)
                .style(l.primary_text()),
            text(k.ta("idle-countdown", &[("seconds", seconds_left.into())]))
                .size(l.body)
                .center(),
            label_button(
                &l,
                "still-here",
                k.t("idle-continue"),
                Message::StillHere,
                Kind::Primary
            ),
        ]
        .align_x(Alignment::Center)
        .spacing(l.m),
    )
    .padding(l.xl)
    .max_width(900.0 * l.scale.min(1.5))
    .style(l.card());
    // With low reach the dialog sits in the band, its button within reach.
    let placed: Element<'a, Message> = match k.reach_band() {
        None => center(dialog).into(),
        Some(band) => column![
            iced::widget::space().height(Length::Fixed(band.top)),
            center(dialog).height(Length::Fixed(band.bottom - band.top)),
        ]
        .into(),
    };
    let veil = container(placed)
        .width(Length::Fill)
        .height(Length::Fill)
        .style(k.look.veil());
    stack![below, opaque(veil)].into()
}
