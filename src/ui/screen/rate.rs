//! The satisfaction question (SIPAS): three large faces, then what it was
//! about (optional criteria and a short comment on the on-screen keyboard),
//! then thanks. At a counter it names the ticket just served.

use iced::widget::{column, container, row, svg, text};
use iced::{Alignment, Element, Length, Padding};

use crate::store::{Criterion, MAX_COMMENT, Rating};
use crate::ui::app::{Kiosk, Message, RateView};
use crate::ui::style::{BOLD, Kind};
use crate::ui::widgets::{label_button, nav, page, rows_of, tap, title};

use super::keyboard;

const FACES: [(Rating, &str, &[u8]); 3] = [
    (
        Rating::Satisfied,
        "rate-satisfied",
        include_bytes!("../../../assets/icons/face-satisfied.svg"),
    ),
    (
        Rating::Neutral,
        "rate-neutral",
        include_bytes!("../../../assets/icons/face-neutral.svg"),
    ),
    (
        Rating::Unsatisfied,
        "rate-unsatisfied",
        include_bytes!("../../../assets/icons/face-unsatisfied.svg"),
    ),
];

fn criterion_label(k: &Kiosk, c: Criterion) -> String {
    match c {
        Criterion::Staff => k.t("rate-criterion-staff"),
        Criterion::Time => k.t("rate-criterion-time"),
        Criterion::Transparency => k.t("rate-criterion-transparency"),
        Criterion::Facilities => k.t("rate-criterion-facilities"),
    }
}

pub fn view<'a>(k: &'a Kiosk, v: &'a RateView) -> Element<'a, Message> {
    let l = &k.look;
    // At a counter there is no walk to go back in: only a way to skip.
    let footer = || -> Option<Element<'a, Message>> {
        Some(match k.counter_display {
            None => nav(k),
            Some(_) => label_button(l, "rate-skip", k.t("rate-skip"), Message::Home, Kind::Nav),
        })
    };
    if v.saved {
        let body = column![
            title(k, k.t("rate-thanks")),
            label_button(l, "rate-done", k.t("home"), Message::Home, Kind::Primary),
        ]
        .spacing(l.l);
        return page(k, container(body).center_y(Length::Fill), None);
    }
    // The served ticket, named at the top when rating at a counter.
    let mut head = column![].spacing(l.s);
    if let Some((_, number)) = &v.ticket {
        head = head.push(text(k.ta("rate-ticket", &[("ticket", number.clone().into())])).size(l.heading));
    }
    let mut body = column![].spacing(l.l);
    let Some(answer) = v.answer else {
        body = body.push(head);
        let faces = FACES.map(|(rating, id, bytes)| {
            let content = column![
                svg(svg::Handle::from_memory(bytes))
                    .width(Length::Fixed(160.0))
                    .height(Length::Fixed(160.0)),
                text(k.t(id)).size(l.heading).font(BOLD),
            ]
            .align_x(Alignment::Center)
            .spacing(l.s)
            .width(Length::Fill);
            tap(l, id, content, Message::Rate(rating), Kind::Tile)
        });
        let faces: Element<'_, Message> = if k.portrait() {
            column(faces).spacing(l.l).into()
        } else {
            row(faces).spacing(l.l).into()
        };
        body = body.push(title(k, k.t("rate-title"))).push(faces);
        return page(k, body, footer());
    };

    let chosen = FACES.iter().find(|(r, ..)| *r == answer).map(|(_, id, _)| k.t(id));
    let chosen = row![
        text(k.t("rate-your-answer")).size(l.body),
        container(text(chosen.unwrap_or_default()).size(l.body).font(BOLD))
            .padding(Padding::from([l.xs, l.s]))
            .style(l.badge(Kind::Accent)),
    ]
    .spacing(l.s)
    .align_y(Alignment::Center);
    // The ticket and the face chosen sit close together, at the top.
    body = body.push(head.push(chosen));
    let comment_box = container(
        text(if v.comment.is_empty() && !v.typing {
            k.t("rate-comment-empty")
        } else {
            format!("{}{}", v.comment, if v.typing { "▏" } else { "" })
        })
        .size(l.body),
    )
    .padding(l.m)
    .width(Length::Fill)
    .style(l.card());
    if v.typing {
        let top = row![
            column![
                text(k.t("rate-comment-title")).size(l.heading).font(BOLD),
                text(k.ta(
                    "rate-comment-left",
                    &[("left", MAX_COMMENT.saturating_sub(v.comment.chars().count()).into())],
                ))
                .size(l.small)
                .style(l.muted()),
            ]
            .width(Length::Fill),
            container(label_button(
                l,
                "rate-comment",
                k.t("rate-comment-done"),
                Message::RateComment,
                Kind::Primary,
            ))
            .width(Length::Fixed(320.0)),
        ]
        .spacing(l.m)
        .align_y(Alignment::Center);
        body = body
            .push(top)
            .push(comment_box)
            .push(keyboard::view_of(k, &keyboard::LETTERS));
        return page(k, body, None);
    }
    let criteria: Vec<Element<'_, Message>> = Criterion::ALL
        .iter()
        .map(|&c| {
            let on = v.criteria.contains(&c);
            let mark = if on { "✓ " } else { "" };
            label_button(
                l,
                format!("criterion-{}", c.as_str()),
                format!("{mark}{}", criterion_label(k, c)),
                Message::ToggleCriterion(c),
                if on { Kind::Selected } else { Kind::Tile },
            )
        })
        .collect();
    let write = label_button(
        l,
        "rate-comment",
        k.t("rate-comment-open"),
        Message::RateComment,
        Kind::Tile,
    );
    let send = label_button(
        l,
        "rate-send",
        k.t(if v.saving { "rate-sending" } else { "rate-send" }),
        Message::SendRating,
        Kind::Primary,
    );
    let actions: Element<'_, Message> = if k.portrait() {
        column![write, send].spacing(l.l).into()
    } else {
        row![write, send].spacing(l.l).into()
    };
    body = body
        .push(title(k, k.t("rate-details-title")))
        .push(text(k.t("rate-details-hint")).size(l.body))
        .push(rows_of(l, criteria, if k.portrait() { 2 } else { 4 }))
        .push(comment_box)
        .push(actions);
    if v.failed {
        body = body.push(text(k.t("rate-error")).size(l.body).font(BOLD));
    }
    page(k, body, footer())
}
