//! Normal or priority lane; the tap that issues the ticket.

use iced::widget::{column, container, row, text};
use iced::{Element, Length};

use crate::i18n::Lang;
use crate::store::TicketRequest;
use crate::ui::app::Kiosk;
use crate::ui::screen::Nav;
use crate::ui::style::{BOLD, Kind};
use crate::ui::widgets::{nav, page, tile, title};
use motcua_core::queue::Lane;

/// Normal or priority lane, for a group (and maybe a procedure).
#[derive(Debug, Clone, PartialEq)]
pub struct LaneView {
    pub group: String,
    pub procedure: Option<String>,
    /// The ticket is being committed.
    pub issuing: bool,
    /// The last try did not give a ticket.
    pub failed: bool,
}

#[derive(Debug, Clone)]
pub enum Message {
    Take(Lane),
    /// The ticket asked for was not issued.
    NotIssued,
    Nav(Nav),
}

impl From<Nav> for Message {
    fn from(nav: Nav) -> Self {
        Message::Nav(nav)
    }
}

pub enum Event {
    Issue(TicketRequest),
    Nav(Nav),
}

impl LaneView {
    pub fn new(group: String, procedure: Option<String>) -> Self {
        Self {
            group,
            procedure,
            issuing: false,
            failed: false,
        }
    }

    pub fn update(&mut self, message: Message) -> Option<Event> {
        match message {
            Message::Take(lane) => {
                if self.issuing {
                    // A second tap while the first is committing: one ticket only.
                    return None;
                }
                self.issuing = true;
                self.failed = false;
                Some(Event::Issue(TicketRequest {
                    group: self.group.clone(),
                    lane,
                    procedure: self.procedure.clone(),
                }))
            }
            Message::NotIssued => {
                self.issuing = false;
                self.failed = true;
                None
            }
            Message::Nav(nav) => Some(Event::Nav(nav)),
        }
    }

    pub fn view<'a>(&'a self, k: &'a Kiosk) -> Element<'a, Message> {
        view(k, &self.group, self.procedure.as_deref(), self.issuing, self.failed)
    }
}

fn view<'a>(k: &'a Kiosk, group: &str, procedure: Option<&str>, issuing: bool, failed: bool) -> Element<'a, Message> {
    let en = k.lang == Lang::En;
    let group_name = k
        .catalog
        .group(group)
        .map(|g| if en { g.name_en.clone() } else { g.name.clone() })
        .unwrap_or_default();
    let mut intro = column![
        title(k, k.t("lane-title")),
        text(k.ta("lane-for", &[("letter", group.into()), ("name", group_name.into())]))
            .size(k.look.body)
            .font(BOLD),
    ]
    .spacing(k.look.s);
    if let Some(p) = procedure.and_then(|c| k.catalog.procedure(c)) {
        let name = if en { &p.name_en } else { &p.name };
        intro = intro.push(text(k.ta("ticket-procedure", &[("name", name.clone().into())])).size(k.look.body));
    }

    let normal = tile(
        &k.look,
        "lane-normal",
        k.t("lane-normal"),
        k.t("lane-normal-hint"),
        Message::Take(Lane::Normal),
        Kind::Primary,
    );
    let priority = tile(
        &k.look,
        "lane-priority",
        k.t("lane-priority"),
        k.t("lane-priority-hint"),
        Message::Take(Lane::Priority),
        Kind::Accent,
    );
    let choices: Element<'a, Message> = if k.portrait() {
        column![
            container(normal).height(Length::FillPortion(1)),
            container(priority).height(Length::FillPortion(1))
        ]
        .spacing(k.look.l)
        .height(Length::Fill)
        .into()
    } else {
        row![normal, priority].spacing(k.look.l).height(Length::Fill).into()
    };

    let mut body = column![intro].spacing(k.look.l);
    if issuing {
        body = body.push(text(k.t("lane-issuing")).size(k.look.heading).font(BOLD));
    }
    if failed {
        body = body.push(
            container(text(k.t("ticket-error")).size(k.look.body).font(BOLD))
                .padding(k.look.m)
                .width(Length::Fill)
                .style(k.look.badge(Kind::Nav)),
        );
    }
    body = body.push(choices);
    page(k, body, Some(nav(k)))
}
