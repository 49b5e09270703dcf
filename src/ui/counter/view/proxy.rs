//! The intake's principal and delivery, as the officer sees them: a box to
//! say the dossier is filed under an authorisation, which opens the
//! principal's fields, and the two ways the result can go.

use iced::widget::{checkbox, column, container, row, text};
use iced::{Element, Length};

use super::super::intake::Edit;
use super::super::proxy::ProxyEdit;
use super::super::{Counter, Form, Message};
use super::field;
use crate::ui::style::{BOLD, Kind};
use crate::ui::widgets::label_button;

fn edit(e: ProxyEdit) -> Message {
    Message::Form(Edit::Proxy(e))
}

pub(super) fn proxy<'a>(c: &'a Counter, f: &'a Form) -> Element<'a, Message> {
    let l = &c.look;
    let p = &f.proxy;
    let mut col = column![
        container(
            checkbox(p.on)
                .label(c.t("intake-by-proxy"))
                .on_toggle(|on| edit(ProxyEdit::On(on)))
                .size(32)
                .text_size(l.body),
        )
        .id("by-proxy"),
    ]
    .spacing(l.s);
    if p.on {
        col = col.push(
            column![
                field(c, "principal-name", c.t("intake-principal-name"), &p.name, |v| edit(
                    ProxyEdit::Name(v)
                )),
                row![
                    field(c, "principal-id", c.t("intake-principal-id"), &p.id_number, |v| edit(
                        ProxyEdit::Id(v)
                    )),
                    field(c, "principal-phone", c.t("intake-principal-phone"), &p.phone, |v| edit(
                        ProxyEdit::Phone(v)
                    )),
                ]
                .spacing(l.m),
                field(
                    c,
                    "principal-address",
                    c.t("intake-principal-address"),
                    &p.address,
                    |v| edit(ProxyEdit::Address(v))
                ),
                row![
                    field(c, "principal-email", c.t("intake-email"), &p.email, |v| edit(
                        ProxyEdit::Email(v)
                    )),
                    field(c, "authorisation", c.t("intake-authorisation"), &p.authorisation, |v| {
                        edit(ProxyEdit::Authorisation(v))
                    }),
                ]
                .spacing(l.m),
            ]
            .spacing(l.s),
        );
    }
    let way = |id: &'static str, key: &str, post: bool| {
        let kind = if p.post == post { Kind::Selected } else { Kind::Nav };
        container(label_button(l, id, c.t(key), edit(ProxyEdit::Post(post)), kind)).width(Length::Fill)
    };
    col = col.push(
        column![
            text(c.t("intake-delivery")).size(l.small).font(BOLD),
            row![
                way("deliver-counter", "intake-deliver-counter", false),
                way("deliver-post", "intake-deliver-post", true)
            ]
            .spacing(l.m),
        ]
        .spacing(4),
    );
    if p.post {
        col = col.push(field(
            c,
            "post-address",
            c.t("intake-post-address"),
            &p.post_address,
            |v| edit(ProxyEdit::PostAddress(v)),
        ));
    }
    col.into()
}
