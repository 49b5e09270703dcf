//! A quick satisfaction answer with three large faces.

use iced::widget::{column, container, row, svg, text};
use iced::{Alignment, Element, Length};

use crate::store::Rating;
use crate::ui::app::{Kiosk, Message};
use crate::ui::style::{BOLD, Kind};
use crate::ui::widgets::{label_button, nav, page, tap, title};

const FACES: [(Rating, &str, &str, &[u8]); 3] = [
    (
        Rating::Satisfied,
        "rate-satisfied",
        "rate-satisfied",
        include_bytes!("../../../assets/icons/face-satisfied.svg"),
    ),
    (
        Rating::Neutral,
        "rate-neutral",
        "rate-neutral",
        include_bytes!("../../../assets/icons/face-neutral.svg"),
    ),
    (
        Rating::Unsatisfied,
        "rate-unsatisfied",
        "rate-unsatisfied",
        include_bytes!("../../../assets/icons/face-unsatisfied.svg"),
    ),
];

pub fn view(k: &Kiosk, answer: Option<Rating>, failed: bool) -> Element<'_, Message> {
    if answer.is_some() {
        let body = column![
            title(k, k.t("rate-thanks")),
            label_button(&k.look, "rate-done", k.t("home"), Message::Home, Kind::Primary),
        ]
        .spacing(k.look.l);
        return page(k, container(body).center_y(Length::Fill), None);
    }
    let faces = FACES.map(|(rating, id, key, bytes)| {
        let content = column![
            svg(svg::Handle::from_memory(bytes))
                .width(Length::Fixed(160.0))
                .height(Length::Fixed(160.0)),
            text(k.t(key)).size(k.look.heading).font(BOLD),
        ]
        .align_x(Alignment::Center)
        .spacing(k.look.s)
        .width(Length::Fill);
        tap(&k.look, id, content, Message::Rate(rating), Kind::Tile)
    });
    let faces: Element<'_, Message> = if k.portrait() {
        column(faces).spacing(k.look.l).into()
    } else {
        row(faces).spacing(k.look.l).into()
    };
    let mut body = column![title(k, k.t("rate-title")), faces].spacing(k.look.l);
    if failed {
        body = body.push(text(k.t("rate-error")).size(k.look.body).font(BOLD));
    }
    page(k, body, Some(nav(k)))
}
