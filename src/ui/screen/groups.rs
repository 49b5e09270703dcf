//! Choosing the service group (queue) to take a ticket for. No state of its
//! own: the waiting counts are the kiosk's, loaded when the screen opens.

use iced::widget::{column, container, row, scrollable, text};
use iced::{Alignment, Element, Length, Padding};

use crate::store::Waiting;
use crate::ui::app::Kiosk;
use crate::ui::screen::Nav;
use crate::ui::style::{BOLD, Kind};
use crate::ui::widgets::{label_button, nav, page, picto, rows_of, tap, title};

/// What the citizen chose.
#[derive(Debug, Clone)]
pub enum Message {
    /// Queue for this group, for no procedure in particular.
    Choose(String),
    /// Find the procedure first.
    OpenFields,
    Nav(Nav),
}

impl From<Nav> for Message {
    fn from(nav: Nav) -> Self {
        Message::Nav(nav)
    }
}

pub fn view(k: &Kiosk) -> Element<'_, Message> {
    let mut tiles = Vec::new();
    for g in &k.catalog.groups {
        let waiting = k
            .waiting
            .iter()
            .find(|(l, _)| *l == g.letter)
            .map(|(_, w)| w.clone())
            .unwrap_or(Waiting::default());
        let name = match k.lang {
            crate::i18n::Lang::Vi => g.name.clone(),
            crate::i18n::Lang::En => g.name_en.clone(),
        };
        let letter = container(text(g.letter.clone()).size(k.look.title).font(BOLD).center())
            .center_x(Length::Fixed(96.0))
            .center_y(Length::Fixed(96.0))
            .style(k.look.badge(Kind::Primary));
        let mut icon = row![letter].spacing(k.look.s).align_y(Alignment::Center);
        if let Some(p) = k.group_picto(&g.letter) {
            icon = icon.push(picto(p, k.look.c.text, 72.0 * k.look.scale.min(1.5)));
        }
        let content = row![
            icon,
            column![
                text(name).size(k.look.heading).font(BOLD),
                text(k.ta(
                    "groups-waiting",
                    &[("count", (waiting.normal + waiting.priority).into())]
                ))
                .size(k.look.body),
            ]
            .spacing(k.look.xs)
            .width(Length::Fill),
        ]
        .spacing(k.look.m)
        .align_y(Alignment::Center);
        tiles.push(tap(
            &k.look,
            format!("group-{}", g.letter),
            content,
            Message::Choose(g.letter.clone()),
            Kind::Tile,
        ));
    }
    // Two columns in landscape, so every group shows without scrolling.
    let list = rows_of(&k.look, tiles, if k.portrait() { 1 } else { 2 });
    let body = column![
        title(k, k.t("groups-title")),
        text(k.t("groups-prompt")).size(k.look.body),
        scrollable(container(list).padding(Padding::from([0.0, k.look.s]))).height(Length::Fill),
        label_button(
            &k.look,
            "find-procedure",
            k.t("groups-find-procedure"),
            Message::OpenFields,
            Kind::Nav
        ),
    ]
    .spacing(k.look.m);
    page(k, body, Some(nav(k)))
}
