//! The scan desk: the document's pages as pictures large enough to check,
//! what to do with each, and how to scan.

use iced::widget::{column, container, image, row, scrollable, space, text};
use iced::{Alignment, Element, Length};

use super::super::{Busy, Counter, Message, Place, ScanDesk, ScanMsg};
use crate::scan::{Mode, Source};
use crate::ui::style::{BOLD, Kind};
use crate::ui::widgets::{label_button, tap, toggle_button};

/// A page's picture on screen, in logical pixels (the thumbnail is made
/// at twice that for the counter's 2× screens).
const PAGE_WIDTH: f32 = 250.0;

fn msg(m: ScanMsg) -> Message {
    Message::Scan(m)
}

pub fn desk<'a>(c: &'a Counter, d: &'a ScanDesk) -> Element<'a, Message> {
    let l = &c.look;
    let idle = d.busy.is_none();
    let choice = |id: &'static str, key: &str, m: ScanMsg, on: bool| toggle_button(l, id, c.t(key), msg(m), on);
    let sources = row![
        choice(
            "scan-flatbed",
            "scan-source-flatbed",
            ScanMsg::Source(Source::Flatbed),
            d.source == Source::Flatbed
        ),
        choice(
            "scan-feeder",
            "scan-source-feeder",
            ScanMsg::Source(Source::Feeder),
            d.source == Source::Feeder
        ),
        choice(
            "scan-duplex",
            "scan-source-duplex",
            ScanMsg::Source(Source::FeederDuplex),
            d.source == Source::FeederDuplex
        ),
    ]
    .spacing(l.s);
    let modes = row![
        choice(
            "scan-grey",
            "scan-mode-grey",
            ScanMsg::Mode(Mode::Grey),
            d.mode == Mode::Grey
        ),
        choice(
            "scan-colour",
            "scan-mode-colour",
            ScanMsg::Mode(Mode::Colour),
            d.mode == Mode::Colour
        ),
    ]
    .spacing(l.s)
    .width(Length::Fixed(420.0));

    let heading = column![
        text(c.ta("scan-title", &[("item", d.title.clone().into())]))
            .size(l.heading)
            .font(BOLD),
        text(c.t("scan-rules")).size(l.small).style(l.muted()),
    ]
    .spacing(4);

    // What is going on, or went wrong.
    let mut status = column![].spacing(l.xs);
    match &d.busy {
        Some(Busy::Scanning { arrived, .. }) => {
            status = status.push(
                row![
                    text(c.ta("scan-scanning", &[("count", (*arrived).into())]))
                        .size(l.body)
                        .font(BOLD)
                        .width(Length::Fill),
                    container(label_button(
                        l,
                        "scan-cancel",
                        c.t("scan-cancel"),
                        msg(ScanMsg::Cancel),
                        Kind::Accent
                    ))
                    .width(Length::Fixed(320.0)),
                ]
                .spacing(l.m)
                .align_y(Alignment::Center),
            )
        }
        Some(Busy::Encoding) => status = status.push(text(c.t("scan-encoding")).size(l.body).font(BOLD)),
        None => {}
    }
    if let Some(p) = &d.problem {
        status = status.push(
            container(text(p.clone()).size(l.body).font(BOLD))
                .padding(l.s)
                .width(Length::Fill)
                .style(l.badge(Kind::Nav)),
        );
    }

    let pages: Element<'a, Message> = if d.pages.is_empty() {
        text(c.t("scan-no-pages")).size(l.body).into()
    } else {
        let cards: Vec<Element<'a, Message>> = d.pages.iter().enumerate().map(|(n, p)| page(c, n, p, idle)).collect();
        scrollable(row(cards).spacing(l.m).wrap().vertical_spacing(l.m))
            .height(Length::Fill)
            .into()
    };

    let mut foot = row![].spacing(l.m);
    if idle {
        foot = foot
            .push(
                container(label_button(
                    l,
                    "scan-start",
                    c.t("scan-start"),
                    msg(ScanMsg::Start(Place::End)),
                    Kind::Tile,
                ))
                .width(Length::Fixed(320.0)),
            )
            .push(space::horizontal())
            .push(
                container(label_button(
                    l,
                    "scan-close",
                    c.t("scan-close"),
                    msg(ScanMsg::Close),
                    Kind::Nav,
                ))
                .width(Length::Fixed(240.0)),
            )
            .push(
                container(label_button(
                    l,
                    "scan-done",
                    c.t("scan-done"),
                    msg(ScanMsg::Done),
                    Kind::Primary,
                ))
                .width(Length::Fixed(360.0)),
            );
    }
    column![
        heading,
        row![sources, modes].spacing(l.l),
        status,
        container(pages).height(Length::Fill),
        foot
    ]
    .spacing(l.m)
    .into()
}

/// One page: its picture, its number, and what can be done with it.
fn page<'a>(c: &'a Counter, n: usize, p: &'a super::super::ScannedPage, idle: bool) -> Element<'a, Message> {
    let l = &c.look;
    let label = if p.note {
        c.ta("scan-page-note", &[("n", (n + 1).into())])
    } else {
        c.ta("scan-page", &[("n", (n + 1).into())])
    };
    let picture = container(
        image(p.thumb.clone())
            .width(Length::Fixed(PAGE_WIDTH))
            .content_fit(iced::ContentFit::Contain),
    )
    .padding(2)
    .style(l.card());
    let mut card = column![picture, text(label).size(l.body).font(BOLD)]
        .spacing(l.xs)
        .width(Length::Fixed(PAGE_WIDTH + 4.0));
    if idle {
        let small = |id: String, key: &str, m: ScanMsg| {
            tap(
                l,
                id,
                text(c.t(key)).size(l.small).center().width(Length::Fill),
                msg(m),
                Kind::Nav,
            )
        };
        card = card
            .push(
                row![
                    small(format!("page-{n}-up"), "scan-page-up", ScanMsg::MoveUp(n)),
                    small(format!("page-{n}-down"), "scan-page-down", ScanMsg::MoveDown(n)),
                ]
                .spacing(l.xs),
            )
            .push(
                row![
                    small(
                        format!("page-{n}-rescan"),
                        "scan-page-rescan",
                        ScanMsg::Start(Place::Replace(n))
                    ),
                    small(format!("page-{n}-delete"), "scan-page-delete", ScanMsg::Delete(n)),
                ]
                .spacing(l.xs),
            )
            .push(small(
                format!("page-{n}-note"),
                "scan-page-note-copy",
                ScanMsg::Start(Place::NoteAfter(n)),
            ));
    }
    card.into()
}

/// A document of the dossier, its pages to look at.
pub fn viewer<'a>(
    c: &'a Counter,
    (item, pages): &'a (String, Option<super::super::PagesShown>),
) -> Element<'a, Message> {
    let l = &c.look;
    let body: Element<'a, Message> = match pages {
        None => text(c.t("documents-opening")).size(l.body).into(),
        Some(Err(reason)) => text(c.ta("documents-open-failed", &[("reason", reason.clone().into())]))
            .size(l.body)
            .font(BOLD)
            .into(),
        Some(Ok(pages)) => {
            let cards: Vec<Element<'a, Message>> = pages
                .iter()
                .enumerate()
                .map(|(n, p)| {
                    column![
                        container(
                            image(p.thumb.clone())
                                .width(Length::Fixed(PAGE_WIDTH))
                                .content_fit(iced::ContentFit::Contain)
                        )
                        .padding(2)
                        .style(l.card()),
                        text(c.ta("scan-page", &[("n", (n + 1).into())])).size(l.body),
                    ]
                    .spacing(l.xs)
                    .into()
                })
                .collect();
            scrollable(row(cards).spacing(l.m).wrap().vertical_spacing(l.m))
                .height(Length::Fill)
                .into()
        }
    };
    column![
        row![
            text(item.clone()).size(l.heading).font(BOLD).width(Length::Fill),
            container(label_button(
                l,
                "document-close",
                c.t("scan-close"),
                Message::ShowDocument(None),
                Kind::Nav
            ))
            .width(Length::Fixed(240.0)),
        ]
        .spacing(l.m)
        .align_y(Alignment::Center),
        container(body).height(Length::Fill),
    ]
    .spacing(l.m)
    .into()
}
