//! The welcome screen: office, date and clock, language, four big actions.
//! It has no state: its messages only name what the citizen chose.

use iced::widget::{column, row, space, text};
use iced::{Element, Length};

use crate::i18n::Lang;
use crate::ui::app::Kiosk;
use crate::ui::screen::Nav;
use crate::ui::style::{BOLD, Kind};
use crate::ui::widgets::{label_button, notices, page, tile};

/// What the citizen chose.
#[derive(Debug, Clone)]
pub enum Message {
    OpenGroups,
    OpenFields,
    OpenLookup,
    OpenRate,
    SetLang(Lang),
    Nav(Nav),
}

impl From<Nav> for Message {
    fn from(nav: Nav) -> Self {
        Message::Nav(nav)
    }
}

pub fn view(k: &Kiosk) -> Element<'_, Message> {
    if let Some(counter) = &k.counter_display {
        return counter_display(k, counter);
    }
    let actions = [
        tile(
            &k.look,
            "take-ticket",
            k.t("action-ticket"),
            k.t("action-ticket-hint"),
            Message::OpenGroups,
            Kind::Primary,
        ),
        tile(
            &k.look,
            "procedures",
            k.t("action-procedures"),
            k.t("action-procedures-hint"),
            Message::OpenFields,
            Kind::Tile,
        ),
        tile(
            &k.look,
            "lookup",
            k.t("action-lookup"),
            k.t("action-lookup-hint"),
            Message::OpenLookup,
            Kind::Tile,
        ),
        tile(
            &k.look,
            "rate",
            k.t("action-rate"),
            k.t("action-rate-hint"),
            Message::OpenRate,
            Kind::Tile,
        ),
    ];
    let gap = k.look.m;
    let grid: Element<'_, Message> = if k.portrait() {
        let mut col = column![].spacing(gap).height(Length::Fill);
        for a in actions {
            col = col.push(iced::widget::container(a).height(Length::FillPortion(1)));
        }
        col.into()
    } else {
        let mut it = actions.into_iter();
        let mut rows = column![].spacing(gap).height(Length::Fill);
        while let (Some(a), Some(b)) = (it.next(), it.next()) {
            rows = rows.push(row![a, b].spacing(gap).height(Length::FillPortion(1)));
        }
        rows.into()
    };

    let body = column![
        text(k.t("welcome-greeting")).size(k.look.title).font(BOLD),
        text(k.t("welcome-prompt")).size(k.look.body),
        grid,
    ]
    .spacing(k.look.m);
    page(k, body, Some(footer(k)))
}

/// The citizen display of a counter between ratings: the counter's number,
/// the ticket it serves, and what will be asked.
fn counter_display<'a>(k: &'a Kiosk, counter: &str) -> Element<'a, Message> {
    let l = &k.look;
    let mut body = column![
        text(k.t("display-greeting")).size(l.title).font(BOLD),
        text(k.ta("display-counter", &[("counter", counter.to_string().into())]))
            .size(l.ticket_number * 0.6)
            .font(BOLD),
    ]
    .spacing(l.l)
    .align_x(iced::Alignment::Center)
    .width(Length::Fill);
    if let Some(ticket) = &k.serving {
        body = body.push(
            iced::widget::container(
                column![
                    text(k.t("display-serving")).size(l.heading),
                    text(ticket.clone()).size(l.ticket_number).font(BOLD),
                ]
                .align_x(iced::Alignment::Center),
            )
            .padding(l.l)
            .center_x(Length::Fill)
            .style(l.card()),
        );
    }
    body = body.push(text(k.t("display-hint")).size(l.heading).center());
    page(k, iced::widget::container(body).center_y(Length::Fill), Some(footer(k)))
}

/// Languages, and the notices strip when there is one.
fn footer(k: &Kiosk) -> Element<'_, Message> {
    let langs = row![
        text(k.t("lang-switch")).size(k.look.body),
        space::horizontal(),
        lang_button(k, Lang::Vi, "lang-vi"),
        lang_button(k, Lang::En, "lang-en"),
    ]
    .spacing(k.look.s)
    .align_y(iced::Alignment::Center);

    let mut footer = column![langs].spacing(k.look.s);
    if let Some(n) = notices(k) {
        footer = footer.push(n);
    }
    footer.into()
}

fn lang_button(k: &Kiosk, lang: Lang, id: &'static str) -> Element<'static, Message> {
    let kind = if k.lang == lang { Kind::Selected } else { Kind::Nav };
    iced::widget::container(label_button(&k.look, id, k.t(id), Message::SetLang(lang), kind))
        .width(Length::Fixed(280.0))
        .into()
}
