//! The ticket: the number large, the place in the queue, a QR of its
//! reference, print and done.

use std::rc::Rc;

use iced::widget::{column, container, qr_code, row, text};
use iced::{Alignment, Element, Length};

use crate::i18n::Lang;
use crate::print::device::PrintError;
use crate::print::ticket::{PrintedTicket, time_and_date};
use crate::store::Ticket;
use crate::ui::app::Kiosk;
use crate::ui::screen::Nav;
use crate::ui::style::{BOLD, Kind};
use crate::ui::widgets::{label_button, page};
use motcua_core::queue::Lane;

/// A committed ticket as the citizen sees it.
#[derive(Debug, Clone)]
pub struct TicketView {
    pub ticket: Ticket,
    /// Calls expected before this ticket.
    pub ahead: u32,
    /// The reference encoded in the QR: no personal data, only the office,
    /// the day and the number.
    pub reference: String,
    pub qr: Rc<qr_code::Data>,
    pub print: PrintState,
}

impl PartialEq for TicketView {
    fn eq(&self, other: &Self) -> bool {
        self.ticket == other.ticket && self.print == other.print
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum PrintState {
    Idle,
    Printing,
    Printed,
    /// The reason; pressing print again retries.
    Failed(PrintError),
}

#[derive(Debug, Clone)]
pub enum Message {
    Print,
    Printed(Result<(), PrintError>),
    /// The citizen is done: back to the start.
    Done,
    Nav(Nav),
}

impl From<Nav> for Message {
    fn from(nav: Nav) -> Self {
        Message::Nav(nav)
    }
}

pub enum Event {
    /// Print the ticket ([`printed`] says what).
    Print,
    Nav(Nav),
}

impl TicketView {
    pub fn new(ticket: Ticket, ahead: u32, reference: String) -> Self {
        let qr = qr_code::Data::with_error_correction(reference.as_bytes(), qr_code::ErrorCorrection::Medium)
            .expect("a ticket reference is short enough for a QR code");
        Self {
            ticket,
            ahead,
            reference,
            qr: Rc::new(qr),
            print: PrintState::Idle,
        }
    }

    pub fn update(&mut self, message: Message) -> Option<Event> {
        match message {
            Message::Print => {
                if self.print == PrintState::Printing {
                    return None;
                }
                self.print = PrintState::Printing;
                Some(Event::Print)
            }
            Message::Printed(result) => {
                self.print = match result {
                    Ok(()) => {
                        tracing::info!("ticket printed");
                        PrintState::Printed
                    }
                    Err(e) => {
                        tracing::error!(error = %e, "ticket not printed");
                        PrintState::Failed(e)
                    }
                };
                None
            }
            Message::Done => Some(Event::Nav(Nav::Home)),
            Message::Nav(nav) => Some(Event::Nav(nav)),
        }
    }

    pub fn view<'a>(&'a self, k: &'a Kiosk) -> Element<'a, Message> {
        view(k, self)
    }
}

/// The lines under the number: group, procedure, time, people ahead.
fn lines(k: &Kiosk, view: &TicketView) -> (String, Option<String>, String, String) {
    let t = &view.ticket;
    let en = k.lang == Lang::En;
    let group = k
        .catalog
        .group(&t.number.group)
        .map(|g| if en { g.name_en.clone() } else { g.name.clone() })
        .unwrap_or_default();
    let group = k.ta(
        "ticket-group",
        &[("letter", t.number.group.clone().into()), ("name", group.into())],
    );
    let procedure = t.procedure.as_deref().and_then(|c| k.catalog.procedure(c)).map(|p| {
        k.ta(
            "ticket-procedure",
            &[("name", if en { p.name_en.clone() } else { p.name.clone() }.into())],
        )
    });
    let (time, date) = time_and_date(t);
    let when = k.ta("ticket-time", &[("time", time.into()), ("date", date.into())]);
    let ahead = k.ta("ticket-ahead", &[("count", view.ahead.into())]);
    (group, procedure, when, ahead)
}

/// What the ticket screen says: the number read out digit by digit, the
/// group, the place in the queue, the procedure, and how the call comes.
pub fn spoken(k: &Kiosk, view: &TicketView) -> String {
    let (group, procedure, _, ahead) = lines(k, view);
    let t = &view.ticket;
    let number = crate::voice::ticket_words(&t.number.to_string(), k.lang == Lang::En);
    let mut words = vec![k.ta("speak-ticket", &[("number", number.into())]), group];
    if t.lane == Lane::Priority {
        words.push(k.t("ticket-priority"));
    }
    words.extend(procedure);
    words.push(ahead);
    words.push(k.t("ticket-wait-hint"));
    words.join(". ")
}

/// What the printer gets for this ticket, in the citizen's language.
pub fn printed(k: &Kiosk, view: &TicketView) -> PrintedTicket {
    let (group, procedure, when, ahead) = lines(k, view);
    let id = &k.brand.identity;
    let en = k.lang == Lang::En;
    let t = &view.ticket;
    PrintedTicket {
        office: if en { id.office_en.clone() } else { id.office.clone() },
        unit: if en { id.unit_en.clone() } else { id.unit.clone() },
        title: k.t("ticket-title").to_uppercase(),
        number: t.number.to_string(),
        priority: (t.lane == Lane::Priority).then(|| k.t("ticket-priority")),
        lines: [Some(group), procedure, Some(when), Some(ahead)]
            .into_iter()
            .flatten()
            .collect(),
        footer: k.t("ticket-wait-hint"),
        reference: view.reference.clone(),
        file_stem: format!("ticket-{}-{}", t.day, t.number),
        // Large print follows the kiosk's large-text mode.
        large: k.access.text != crate::ui::access::TextSize::Normal,
    }
}

fn view<'a>(k: &'a Kiosk, view: &'a TicketView) -> Element<'a, Message> {
    let (group, procedure, when, ahead) = lines(k, view);
    let t = &view.ticket;

    let mut card = column![
        text(k.t("ticket-title")).size(k.look.heading),
        text(t.number.to_string())
            .size(k.look.ticket_number)
            .font(BOLD)
            .style(k.look.primary_text()),
    ]
    .align_x(Alignment::Center)
    .spacing(k.look.s);
    if t.lane == Lane::Priority {
        card = card.push(
            container(text(k.t("ticket-priority")).size(k.look.button).font(BOLD))
                .padding([k.look.xs, k.look.m])
                .style(k.look.badge(Kind::Accent)),
        );
    }
    card = card.push(text(group).size(k.look.body).center());
    if let Some(p) = procedure {
        card = card.push(text(p).size(k.look.body).center());
    }
    card = card
        .push(text(when).size(k.look.body))
        .push(text(ahead).size(k.look.heading).font(BOLD).center())
        .push(text(k.t("ticket-wait-hint")).size(k.look.body).center());

    let qr = column![
        // Dark cells on white with a quiet zone, in every theme: phones and
        // scanners read a QR that way round.
        container(
            container(qr_code(&view.qr).cell_size(7.0).style(|_| qr_code::Style {
                cell: iced::Color::BLACK,
                background: iced::Color::WHITE,
            }))
            .padding(28)
            .style(|_| container::Style::default().background(iced::Color::WHITE))
        )
        .id("ticket-qr"),
        text(k.t("ticket-qr-hint")).size(k.look.small).style(k.look.muted()),
    ]
    .align_x(Alignment::Center)
    .spacing(k.look.xs);

    let status: Option<Element<'a, Message>> = match &view.print {
        PrintState::Idle => None,
        PrintState::Printing => Some(text(k.t("ticket-printing")).size(k.look.body).into()),
        PrintState::Printed => Some(text(k.t("ticket-printed")).size(k.look.body).font(BOLD).into()),
        PrintState::Failed(error) => Some({
            let reason = error.text(k.lang);
            container(text(k.ta("ticket-print-failed", &[("reason", reason.into())])).size(k.look.body))
                .padding(k.look.s)
                .style(k.look.badge(Kind::Nav))
                .into()
        }),
    };

    let card = container(card.width(Length::Fill))
        .padding(k.look.l)
        .width(Length::Fill)
        .style(k.look.card());
    let body: Element<'a, Message> = if k.portrait() {
        column![card, qr].spacing(k.look.l).align_x(Alignment::Center).into()
    } else {
        row![card, container(qr).center_y(Length::Fill).padding(k.look.l)]
            .spacing(k.look.l)
            .into()
    };
    let print_label = if view.print == PrintState::Printed {
        k.t("ticket-printed")
    } else {
        k.t("ticket-print")
    };
    let mut footer = column![
        row![
            label_button(&k.look, "print", print_label, Message::Print, Kind::Tile),
            label_button(&k.look, "done", k.t("ticket-done"), Message::Done, Kind::Primary),
        ]
        .spacing(k.look.m)
    ]
    .spacing(k.look.s);
    if let Some(s) = status {
        footer = footer.push(s);
    }
    page(k, body, Some(footer.into()))
}
