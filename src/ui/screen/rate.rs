//! The satisfaction question (SIPAS): three large faces, then what it was
//! about (optional criteria and a short comment on the on-screen keyboard),
//! then thanks. At a counter it names the ticket just served.

use iced::widget::{column, container, row, svg, text};
use iced::{Alignment, Element, Length, Padding};

use crate::store::{Criterion, MAX_COMMENT, Rating, RatingEntry, StoreError};
use crate::ui::app::Kiosk;
use crate::ui::screen::Nav;
use crate::ui::style::{BOLD, Kind};
use crate::ui::widgets::{
    Fit, label_button, nav, page, page_with_speech_inside, rows_of, speech_button, speech_control, tap, title,
    toggle_button,
};

use super::keyboard::{self, Key};
use crate::ui::speak::{Choice, Spoken};

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

/// The satisfaction question (SIPAS): a face first, then what it was about
/// and a comment if the citizen wants; stored once, when sent (or when the
/// citizen walks away after choosing a face).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RateView {
    /// The served ticket (central's id, its number) when asked at a counter.
    pub ticket: Option<(i64, String)>,
    pub answer: Option<Rating>,
    pub criteria: Vec<Criterion>,
    pub comment: String,
    /// The keyboard is open for the comment.
    pub typing: bool,
    pub saving: bool,
    pub saved: bool,
    pub failed: bool,
}

#[derive(Debug, Clone)]
pub enum Message {
    /// A face was chosen.
    Face(Rating),
    ToggleCriterion(Criterion),
    /// Open or close the keyboard for a comment.
    Comment,
    Key(Key),
    Send,
    /// The answer was stored (or already was), or not.
    Rated(Result<bool, StoreError>),
    Nav(Nav),
}

impl From<Nav> for Message {
    fn from(nav: Nav) -> Self {
        Message::Nav(nav)
    }
}

pub enum Event {
    /// Store this answer.
    Send(RatingEntry),
    Nav(Nav),
}

impl RateView {
    pub fn update(&mut self, message: Message) -> Option<Event> {
        match message {
            Message::Face(answer) => self.answering(|v| v.answer = v.answer.or(Some(answer))),
            Message::ToggleCriterion(c) => self.answering(|v| match v.criteria.iter().position(|x| *x == c) {
                Some(i) => {
                    v.criteria.remove(i);
                }
                None => v.criteria.push(c),
            }),
            Message::Comment => self.answering(|v| v.typing = !v.typing),
            Message::Key(key) => {
                if self.typing {
                    key.apply_up_to(&mut self.comment, MAX_COMMENT);
                }
            }
            Message::Send => return self.send().map(Event::Send),
            Message::Rated(result) => self.rated(result),
            Message::Nav(nav) => return Some(Event::Nav(nav)),
        }
        None
    }

    /// Back from the criteria to the faces, to choose another one; false
    /// when there is nothing to go back to on this screen.
    pub fn back(&mut self) -> bool {
        if self.answer.is_some() && !self.saved && !self.saving {
            self.answer = None;
            self.typing = false;
            return true;
        }
        false
    }

    /// The answer chosen but not yet sent, to be stored before the screen
    /// goes.
    pub fn unsent(&mut self) -> Option<RatingEntry> {
        if self.answer.is_some() && !self.saved && !self.saving {
            self.send()
        } else {
            None
        }
    }

    fn entry(&self) -> Option<RatingEntry> {
        Some(RatingEntry {
            answer: self.answer?,
            ticket: self.ticket.as_ref().map(|(id, _)| *id),
            criteria: self.criteria.clone(),
            comment: self.comment.clone(),
        })
    }

    fn answering(&mut self, f: impl FnOnce(&mut Self)) {
        if !self.saved && !self.saving {
            f(self);
        }
    }

    fn send(&mut self) -> Option<RatingEntry> {
        if self.saved || self.saving {
            return None;
        }
        let entry = self.entry()?;
        self.saving = true;
        self.typing = false;
        self.failed = false;
        Some(entry)
    }

    fn rated(&mut self, result: Result<bool, StoreError>) {
        // The kiosk logs a failure, on whatever screen it arrives.
        let error = result.err();
        if self.saving {
            self.saving = false;
            // Already rated counts as done: the first answer stands.
            self.saved = error.is_none();
            self.failed = error.is_some();
        }
    }

    pub fn view<'a>(&'a self, k: &'a Kiosk) -> Element<'a, Message> {
        view(k, self)
    }
}

fn criterion_label(k: &Kiosk, c: Criterion) -> String {
    match c {
        Criterion::Staff => k.t("rate-criterion-staff"),
        Criterion::Time => k.t("rate-criterion-time"),
        Criterion::Transparency => k.t("rate-criterion-transparency"),
        Criterion::Facilities => k.t("rate-criterion-facilities"),
    }
}

/// What the rating screen says and offers, at each of its steps.
pub fn spoken(k: &Kiosk, v: &RateView, criteria: &[Criterion]) -> Spoken {
    let one = |id: &str, label: String| vec![Choice { id: id.into(), label }];
    if v.saved {
        return Spoken {
            title: k.t("rate-thanks"),
            rows: vec![one("rate-done", k.t("home"))],
            ..Spoken::default()
        };
    }
    let skip = k.counter_display.as_ref().map(|_| one("rate-skip", k.t("rate-skip")));
    let Some(answer) = v.answer else {
        let mut rows: Vec<Vec<Choice>> = FACES.iter().map(|(_, id, _)| one(id, k.t(id))).collect();
        rows.extend(skip);
        return Spoken {
            title: k.t("rate-title"),
            hint: v
                .ticket
                .as_ref()
                .map(|(_, number)| format!("{}. ", k.ta("rate-ticket", &[("ticket", number.clone().into())])))
                .unwrap_or_default()
                + &k.t("speak-rate"),
            rows,
            ..Spoken::default()
        };
    };
    let chosen = FACES.iter().find(|(r, ..)| *r == answer).map(|(_, id, _)| k.t(id));
    let chosen = format!("{} {}", k.t("rate-your-answer"), chosen.unwrap_or_default());
    if v.typing {
        let mut rows = crate::ui::speak::keyboard_rows(k, &keyboard::LETTERS, true);
        rows.insert(0, one("rate-comment", k.t("rate-comment-done")));
        return Spoken {
            title: k.t("rate-comment-title"),
            hint: if v.comment.is_empty() {
                k.t("rate-comment-empty")
            } else {
                v.comment.clone()
            },
            rows,
            ..Spoken::default()
        };
    }
    let mut rows: Vec<Vec<Choice>> = criteria
        .iter()
        .map(|&c| {
            let on = v.criteria.contains(&c);
            let label = criterion_label(k, c);
            one(
                &format!("criterion-{}", c.as_str()),
                if on {
                    format!("{label}, {}", k.t("speak-chosen"))
                } else {
                    label
                },
            )
        })
        .collect();
    rows.push(one("rate-comment", k.t("rate-comment-open")));
    rows.push(one("rate-send", k.t("rate-send")));
    rows.extend(skip);
    Spoken {
        title: k.t("rate-details-title"),
        hint: format!("{chosen}. {}", k.t("rate-details-hint")),
        rows,
        ..Spoken::default()
    }
}

fn view<'a>(k: &'a Kiosk, v: &'a RateView) -> Element<'a, Message> {
    // Typing on a landscape screen: the page's words grow as far as its
    // keyboard does (1.25×), or the keyboard's last row would not fit.
    let capped;
    let l = if v.typing && !k.portrait() {
        capped = k.look.capped(1.25);
        &capped
    } else {
        &k.look
    };
    // At a counter there is no walk to go back in: only a way to skip.
    let footer = || -> Option<Element<'a, Message>> {
        Some(match k.counter_display {
            None => nav(k),
            Some(_) => label_button(l, "rate-skip", k.t("rate-skip"), Message::Nav(Nav::Home), Kind::Nav),
        })
    };
    if v.saved {
        let body = column![
            title(k, k.t("rate-thanks")),
            label_button(l, "rate-done", k.t("home"), Message::Nav(Nav::Home), Kind::Primary),
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
            tap(l, id, content, Message::Face(rating), Kind::Tile)
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
        let heading = column![
            text(k.t("rate-comment-title")).size(l.heading).font(BOLD),
            text(k.ta(
                "rate-comment-left",
                &[("left", MAX_COMMENT.saturating_sub(v.comment.chars().count()).into())],
            ))
            .size(l.small)
            .style(l.muted()),
        ]
        .width(Length::Fill);
        let done = label_button(
            l,
            "rate-comment",
            k.t("rate-comment-done"),
            Message::Comment,
            Kind::Primary,
        );
        // With larger text on a portrait screen the title takes the whole
        // width and the two buttons a row under it; a landscape screen has
        // the width for one row and not the height for two.
        // The ticket and the face chosen sit at the top; in landscape
        // beside the title, to leave the keyboard room, and with larger
        // text not at all (it was said on the step before).
        let mut typing = column![].spacing(l.m);
        let mut beside = None;
        if k.portrait() {
            typing = typing.push(head.push(chosen));
        } else if l.scale == 1.0 {
            beside = Some(head.push(chosen));
        }
        let top: Element<'_, Message> = if l.scale > 1.0 && k.portrait() {
            column![heading, row![speech_button(k), done].spacing(l.m)]
                .spacing(l.s)
                .into()
        } else {
            row![heading]
                .push(beside)
                .push(speech_control(k))
                .push(container(done).width(Length::Fixed(320.0)))
                .spacing(l.m)
                .align_y(Alignment::Center)
                .into()
        };
        let body =
            typing
                .push(top)
                .push(comment_box)
                .push(keyboard::view_of(k, &keyboard::LETTERS, true, Message::Key));
        return page_with_speech_inside(k, body, Fit::Fitted);
    }
    // The ticket and the face chosen sit close together, at the top.
    body = body.push(head.push(chosen));
    let criteria: Vec<Element<'_, Message>> = Criterion::ALL
        .iter()
        .map(|&c| {
            toggle_button(
                l,
                format!("criterion-{}", c.as_str()),
                criterion_label(k, c),
                Message::ToggleCriterion(c),
                v.criteria.contains(&c),
            )
        })
        .collect();
    let write = label_button(
        l,
        "rate-comment",
        k.t("rate-comment-open"),
        Message::Comment,
        Kind::Tile,
    );
    let send = label_button(
        l,
        "rate-send",
        k.t(if v.saving { "rate-sending" } else { "rate-send" }),
        Message::Send,
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
