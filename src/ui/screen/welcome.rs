//! The welcome screen: office, date and clock, language, four big actions.
//! It has no state: its messages only name what the citizen chose.

use iced::widget::{column, row, text};
use iced::{Element, Length};

use crate::i18n::Lang;
use crate::ui::access::TextSize;
use crate::ui::app::Kiosk;
use crate::ui::screen::Nav;
use crate::ui::style::{BOLD, Kind};
use crate::ui::widgets::{
    Fit, icon_tile, notices, page_with_speech_inside, rows_of, speech_button, title, toggle_button, toggle_icon_button,
};

/// What the citizen chose.
#[derive(Debug, Clone)]
pub enum Message {
    OpenGroups,
    OpenFields,
    OpenLookup,
    OpenRate,
    SetLang(Lang),
    /// Larger text: 1.5×, 2×, back to normal.
    TextSize,
    /// High contrast on or off.
    Contrast,
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
        icon_tile(
            &k.look,
            "take-ticket",
            k.picto("take-ticket"),
            k.t("action-ticket"),
            k.t("action-ticket-hint"),
            Message::OpenGroups,
            Kind::Primary,
        ),
        icon_tile(
            &k.look,
            "procedures",
            k.picto("procedures"),
            k.t("action-procedures"),
            k.t("action-procedures-hint"),
            Message::OpenFields,
            Kind::Tile,
        ),
        icon_tile(
            &k.look,
            "lookup",
            k.picto("lookup"),
            k.t("action-lookup"),
            k.t("action-lookup-hint"),
            Message::OpenLookup,
            Kind::Tile,
        ),
        icon_tile(
            &k.look,
            "rate",
            k.picto("rate"),
            k.t("action-rate"),
            k.t("action-rate-hint"),
            Message::OpenRate,
            Kind::Tile,
        ),
    ];
    let gap = k.look.m;
    // The tiles share the height; with larger text the page scrolls and
    // each is as high as its words.
    let tall = if k.look.scrolls {
        Length::Shrink
    } else {
        Length::FillPortion(1)
    };
    // One column on a portrait screen; two by two in landscape, and in the
    // shorter band of low reach.
    let grid: Element<'_, Message> = if k.portrait() && k.reach_band().is_none() {
        let mut col = column![].spacing(gap).height(Length::Fill);
        for a in actions {
            col = col.push(iced::widget::container(a).height(tall));
        }
        col.into()
    } else {
        let mut it = actions.into_iter();
        let mut rows = column![].spacing(gap).height(Length::Fill);
        while let (Some(a), Some(b)) = (it.next(), it.next()) {
            rows = rows.push(row![a, b].spacing(gap).height(tall));
        }
        rows.into()
    };

    let body = column![
        title(k, k.t("welcome-greeting")),
        text(k.t("welcome-prompt")).size(k.look.body),
        grid,
        footer(k),
    ]
    .spacing(k.look.m);
    // The speech control leads the row of the citizen's own settings.
    page_with_speech_inside(k, body, Fit::Scroll)
}

/// The citizen display of a counter between ratings: the counter's number,
/// the ticket it serves, and what will be asked.
fn counter_display<'a>(k: &'a Kiosk, counter: &str) -> Element<'a, Message> {
    let l = &k.look;
    // The numbers are already the largest text there is: larger text
    // grows the words around them.
    let number = l.ticket_number / l.scale;
    let mut body = column![
        text(k.t("display-greeting")).size(l.title).font(BOLD),
        text(k.ta("display-counter", &[("counter", counter.to_string().into())]))
            .size(number * 0.6)
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
                    text(ticket.clone()).size(number).font(BOLD),
                ]
                .align_x(iced::Alignment::Center),
            )
            .padding(l.l)
            .center_x(Length::Fill)
            .style(l.card()),
        );
    }
    body = body.push(text(k.t("display-hint")).size(l.heading).center());
    page_with_speech_inside(
        k,
        column![iced::widget::container(body).center_y(Length::Fill), footer(k)].spacing(l.m),
        Fit::Scroll,
    )
}

/// The text size switch's label: the size it is at now.
pub fn text_size_label(k: &Kiosk) -> String {
    let size = match k.access.text {
        TextSize::Normal => "×1",
        TextSize::Large => "×1,5",
        TextSize::Larger => "×2",
    };
    k.ta("access-text", &[("size", size.into())])
}

/// Text size, contrast and language, and the notices strip when there is
/// one.
fn footer(k: &Kiosk) -> Element<'_, Message> {
    let access = [
        speech_button(k),
        toggle_icon_button(
            &k.look,
            "access-text",
            k.picto("large-text"),
            text_size_label(k),
            Message::TextSize,
            k.access.text != TextSize::Normal,
        ),
        toggle_icon_button(
            &k.look,
            "access-contrast",
            k.picto("high-contrast"),
            k.t("access-contrast"),
            Message::Contrast,
            k.access.contrast,
        ),
    ];
    // Larger text in portrait: two to a row, so no label breaks.
    let access: Element<'_, Message> = if k.portrait() && k.look.scale > 1.0 {
        // Two to a row at 1.5×; at 2× "Tương phản cao" needs a whole row.
        rows_of(&k.look, access.into(), if k.look.scale >= 2.0 { 1 } else { 2 })
    } else {
        // One row, the longest label ("Tương phản cao") given the most room.
        let mut line = row![].spacing(k.look.s);
        for (button, portion) in access.into_iter().zip([3, 3, 4]) {
            line = line.push(iced::widget::container(button).width(Length::FillPortion(portion)));
        }
        line.into()
    };
    let langs = row![
        toggle_button(
            &k.look,
            "lang-vi",
            k.t("lang-vi"),
            Message::SetLang(Lang::Vi),
            k.lang == Lang::Vi
        ),
        toggle_button(
            &k.look,
            "lang-en",
            k.t("lang-en"),
            Message::SetLang(Lang::En),
            k.lang == Lang::En
        ),
    ]
    .spacing(k.look.s);
    let mut footer = column![access, langs].spacing(k.look.s);
    if let Some(n) = notices(k) {
        footer = footer.push(n);
    }
    footer.into()
}
