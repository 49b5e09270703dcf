//! The welcome screen: office, date and clock, language, four big actions.

use iced::widget::{column, row, space, text};
use iced::{Element, Length};

use crate::i18n::Lang;
use crate::ui::app::{Kiosk, Message};
use crate::ui::style::{BOLD, Kind};
use crate::ui::widgets::{label_button, notices, page, tile};

pub fn view(k: &Kiosk) -> Element<'_, Message> {
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

    let langs = row![
        text(k.t("lang-switch")).size(k.look.body),
        space::horizontal(),
        lang_button(k, Lang::Vi, "lang-vi"),
        lang_button(k, Lang::En, "lang-en"),
    ]
    .spacing(k.look.s)
    .align_y(iced::Alignment::Center);

    let body = column![
        text(k.t("welcome-greeting")).size(k.look.title).font(BOLD),
        text(k.t("welcome-prompt")).size(k.look.body),
        grid,
    ]
    .spacing(k.look.m);

    let mut footer = column![langs].spacing(k.look.s);
    if let Some(n) = notices(k) {
        footer = footer.push(n);
    }
    page(k, body, Some(footer.into()))
}

fn lang_button(k: &Kiosk, lang: Lang, id: &'static str) -> Element<'static, Message> {
    let kind = if k.lang == lang { Kind::Selected } else { Kind::Nav };
    iced::widget::container(label_button(&k.look, id, k.t(id), Message::SetLang(lang), kind))
        .width(Length::Fixed(280.0))
        .into()
}
