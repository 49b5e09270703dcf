//! Looking up a dossier: arrives with the QR receipts.

use iced::Element;
use iced::widget::{column, text};

use crate::ui::app::{Kiosk, Message};
use crate::ui::widgets::{nav, page, title};

pub fn view(k: &Kiosk) -> Element<'_, Message> {
    let body = column![
        title(k, k.t("lookup-title")),
        text(k.t("lookup-coming")).size(k.look.body),
        text(k.t("lookup-ask")).size(k.look.body),
    ]
    .spacing(k.look.m);
    page(k, body, Some(nav(k)))
}
