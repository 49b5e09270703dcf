//! One procedure: what to bring, what it costs, how long it takes, and the
//! button to queue for it.

use iced::widget::{column, container, row, scrollable, text};
use iced::{Element, Length, Padding};

use crate::i18n::{Lang, group_thousands};
use crate::ui::app::Kiosk;
use crate::ui::screen::Nav;
use crate::ui::style::{BOLD, Kind};
use crate::ui::widgets::{label_button, nav, page, title};

/// What the citizen chose. No state of its own: the procedure shown is
/// named by the kiosk's screen.
#[derive(Debug, Clone)]
pub enum Message {
    /// Queue for the procedure's group, for this procedure.
    TakeTicket {
        group: String,
        procedure: String,
    },
    Nav(Nav),
}

impl From<Nav> for Message {
    fn from(nav: Nav) -> Self {
        Message::Nav(nav)
    }
}

fn fact<'a>(k: &Kiosk, label: String, value: String) -> Element<'a, Message> {
    column![
        text(label).size(k.look.small).style(k.look.muted()),
        text(value).size(k.look.body).font(BOLD)
    ]
    .spacing(2)
    .width(Length::Fill)
    .into()
}

fn section<'a>(k: &Kiosk, heading: String, items: Vec<Element<'a, Message>>) -> Element<'a, Message> {
    container(
        column![text(heading).size(k.look.heading).font(BOLD)]
            .extend(items)
            .spacing(k.look.s),
    )
    .padding(k.look.m)
    .width(Length::Fill)
    .style(k.look.card())
    .into()
}

pub fn view<'a>(k: &'a Kiosk, code: &str) -> Element<'a, Message> {
    let Some(p) = k.catalog.procedure(code) else {
        return page(k, title(k, code.to_string()), Some(nav(k)));
    };
    let en = k.lang == Lang::En;
    let name = if en { &p.name_en } else { &p.name };
    let field = k
        .catalog
        .field(&p.field)
        .map(|f| if en { f.name_en.clone() } else { f.name.clone() })
        .unwrap_or_default();
    let mut time = k.ta("processing-days", &[("days", u32::from(p.processing_days).into())]);
    if let Some(note) = &p.processing_note
        && !en
    {
        time = format!("{time}. {note}");
    }

    let facts = column![
        row![
            fact(k, k.t("detail-code"), p.code.clone()),
            fact(k, k.t("detail-field"), field)
        ]
        .spacing(k.look.m),
        row![
            fact(k, k.t("detail-level"), k.t(p.level.label_key())),
            fact(k, k.t("detail-agency"), p.agency.clone())
        ]
        .spacing(k.look.m),
        fact(k, k.t("detail-time"), time),
        fact(k, k.t("detail-result"), p.result.clone()),
    ]
    .spacing(k.look.m);
    let mut facts = facts;
    if p.interlinked {
        facts = facts.push(
            text(k.t("detail-interlinked"))
                .size(k.look.body)
                .style(k.look.primary_text()),
        );
    }

    let documents = p
        .documents
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let mut counts = Vec::new();
            if d.originals > 0 {
                counts.push(k.ta("doc-originals", &[("count", u32::from(d.originals).into())]));
            }
            if d.copies > 0 {
                counts.push(k.ta("doc-copies", &[("count", u32::from(d.copies).into())]));
            }
            column![
                text(format!("{}. {}", i + 1, d.name)).size(k.look.body),
                text(counts.join(" · ")).size(k.look.small).style(k.look.muted()),
            ]
            .spacing(2)
            .into()
        })
        .collect();

    let fees = if p.fees.is_empty() || p.fees.iter().all(|f| f.amount == 0 && f.note.is_none()) {
        vec![text(k.t("fee-free")).size(k.look.body).into()]
    } else {
        p.fees
            .iter()
            .map(|f| {
                let amount = if f.amount == 0 {
                    k.t("fee-free")
                } else {
                    k.ta("fee-amount", &[("amount", group_thousands(f.amount).into())])
                };
                let mut c = column![text(format!("{}: {amount}", f.name)).size(k.look.body)];
                if let Some(saving) = f.online_saving() {
                    // Filing online can cost less (Hà Nội waives its fees
                    // online): a citizen may prefer it, with help.
                    let online = match f.online {
                        Some(0) | None => k.t("fee-free"),
                        Some(o) => k.ta("fee-amount", &[("amount", group_thousands(o).into())]),
                    };
                    c = c.push(
                        text(k.ta(
                            "fee-online",
                            &[("amount", online.into()), ("saving", group_thousands(saving).into())],
                        ))
                        .size(k.look.body)
                        .font(BOLD),
                    );
                }
                if let Some(note) = &f.note {
                    c = c.push(text(note.clone()).size(k.look.small).style(k.look.muted()));
                }
                c.spacing(2).into()
            })
            .collect()
    };

    let group = k.catalog.group(&p.group);
    let group_line = group
        .map(|g| {
            k.ta(
                "detail-group",
                &[
                    ("letter", g.letter.clone().into()),
                    ("name", if en { g.name_en.clone() } else { g.name.clone() }.into()),
                ],
            )
        })
        .unwrap_or_default();

    let mut content = column![
        title(k, name.clone()),
        container(facts)
            .padding(k.look.m)
            .width(Length::Fill)
            .style(k.look.card()),
        section(k, k.t("detail-documents"), documents),
        section(k, k.t("detail-fees"), fees),
    ]
    .spacing(k.look.m);
    if k.catalog.demo {
        content = content.push(text(k.t("detail-demo-note")).size(k.look.small).style(k.look.muted()));
    }

    let footer = column![
        text(group_line).size(k.look.body),
        label_button(
            &k.look,
            "take-ticket-for",
            k.t("detail-take-ticket"),
            Message::TakeTicket {
                group: p.group.clone(),
                procedure: p.code.clone(),
            },
            Kind::Primary,
        ),
        nav(k),
    ]
    .spacing(k.look.m);
    let body = scrollable(container(content).padding(Padding::from([0.0, k.look.s]))).height(Length::Fill);
    page(k, body, Some(footer.into()))
}
