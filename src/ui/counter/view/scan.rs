//! The scan desk: the document's pages as pictures large enough to check,
//! what to do with each, and how to scan.

use iced::widget::{column, container, image, row, scrollable, space, text};
use iced::{Alignment, Element, Length};

use super::super::{Busy, Counter, Message, Place, ScanDesk, ScanMsg};
use crate::scan::{Mode, Source};
use crate::ui::style::{BOLD, Kind};
use crate::ui::widgets::{label_button, tap, toggle_button};

/// The page picked, on screen, in logical pixels (its picture is made at
/// [`super::super::scan::THUMB_WIDTH`] pixels, for 2× screens).
const PAGE_WIDTH: f32 = 260.0;
/// Each page of a document looked at.
const VIEW_WIDTH: f32 = 340.0;
/// Each page in the strip.
const THUMB_WIDTH: f32 = 96.0;

fn msg(m: ScanMsg) -> Message {
    Message::Scan(m)
}

pub fn desk<'a>(c: &'a Counter, d: &'a ScanDesk) -> Element<'a, Message> {
    let l = &c.look;
    let idle = d.busy.is_none();
    let choice = |id: &'static str, key: &str, m: ScanMsg, on: bool| toggle_button(l, id, c.t(key), msg(m), on);
    let mut sources = row![].spacing(l.s);
    for (id, key, source) in [
        ("scan-flatbed", "scan-source-flatbed", Source::Flatbed),
        ("scan-feeder", "scan-source-feeder", Source::Feeder),
        ("scan-duplex", "scan-source-duplex", Source::FeederDuplex),
    ] {
        // Only what the scanner has (the glass until it says).
        if d.sources.contains(&source) {
            sources = sources.push(choice(id, key, ScanMsg::Source(source), d.source == source));
        }
    }
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
        // Every page small, to see the whole document and pick one; the
        // one picked large enough to check, with what can be done to it.
        let thumbs: Vec<Element<'a, Message>> = d
            .pages
            .iter()
            .enumerate()
            .map(|(n, p)| thumb(c, n, p, n == d.selected, idle))
            .collect();
        let strip = scrollable(row(thumbs).spacing(l.s).wrap().vertical_spacing(l.s))
            .height(Length::Fill)
            .width(Length::Fill);
        row![strip, selected(c, d, idle)].spacing(l.l).into()
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

/// A page in the strip: small, numbered, tapped to show it large.
fn thumb<'a>(c: &'a Counter, n: usize, p: &'a super::super::ScannedPage, on: bool, idle: bool) -> Element<'a, Message> {
    let l = &c.look;
    let picture = container(
        image(p.thumb.clone())
            .width(Length::Fixed(THUMB_WIDTH))
            .content_fit(iced::ContentFit::Contain),
    )
    .padding(if on { 4 } else { 1 })
    .style(l.badge(if on { Kind::Primary } else { Kind::Nav }));
    let number = if p.note {
        format!("{} ✎", n + 1)
    } else {
        (n + 1).to_string()
    };
    let card = column![picture, text(number).size(l.small).font(BOLD)]
        .spacing(2)
        .align_x(Alignment::Center);
    if idle {
        container(
            iced::widget::button(card)
                .on_press(msg(ScanMsg::Select(n)))
                .padding(0)
                .style(iced::widget::button::text),
        )
        .id(format!("page-{n}"))
        .into()
    } else {
        card.into()
    }
}

/// The page picked: large enough to check, and what to do with it.
fn selected<'a>(c: &'a Counter, d: &'a ScanDesk, idle: bool) -> Element<'a, Message> {
    let l = &c.look;
    let n = d.selected.min(d.pages.len().saturating_sub(1));
    let Some(p) = d.pages.get(n) else {
        return space::horizontal().into();
    };
    let label = if p.note {
        c.ta("scan-page-note", &[("n", (n + 1).into())])
    } else {
        c.ta("scan-page", &[("n", (n + 1).into())])
    };
    // As large as the room allows, the page's proportions kept.
    let picture = container(
        image(p.thumb.clone())
            .height(Length::Fill)
            .width(Length::Fixed(PAGE_WIDTH))
            .content_fit(iced::ContentFit::Contain),
    )
    .padding(2)
    .style(l.card());
    let mut actions = column![text(label).size(l.body).font(BOLD)].spacing(l.s);
    if idle {
        let button = |id: &'static str, key: &str, m: ScanMsg| {
            tap(
                l,
                id,
                text(c.t(key)).size(l.small).center().width(Length::Fill),
                msg(m),
                Kind::Nav,
            )
        };
        actions = actions
            .push(
                row![
                    button("page-up", "scan-page-up", ScanMsg::MoveUp(n)),
                    button("page-down", "scan-page-down", ScanMsg::MoveDown(n))
                ]
                .spacing(l.xs),
            )
            .push(
                row![
                    button("page-rescan", "scan-page-rescan", ScanMsg::Start(Place::Replace(n))),
                    button("page-delete", "scan-page-delete", ScanMsg::Delete(n))
                ]
                .spacing(l.xs),
            )
            .push(button(
                "page-note",
                "scan-page-note-copy",
                ScanMsg::Start(Place::NoteAfter(n)),
            ));
    }
    row![picture, actions.width(Length::Fixed(260.0))].spacing(l.m).into()
}

/// A document of the dossier, its pages to look at.
pub fn viewer<'a>(c: &'a Counter, v: &'a super::super::Viewing) -> Element<'a, Message> {
    let l = &c.look;
    let (item, pages) = (&v.item, &v.pages);
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
                                .width(Length::Fixed(VIEW_WIDTH))
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
