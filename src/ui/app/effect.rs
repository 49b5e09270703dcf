//! How the kiosk's [`Effect`]s run: in place for tests and benchmarks
//! ([`Kiosk::run_now`]), or off the UI thread for the iced runtime
//! ([`Kiosk::perform`]): network work on the link's runtime, disk work on
//! a blocking thread. Each answers with the kiosk's message for its result.

use iced::Task;
use jiff::Timestamp;

use super::{Kiosk, Message};
use crate::print::device::Printer;
use crate::print::ticket::{self as ticket_print, PrintedTicket};
use crate::setup::SharedStore;
use crate::store::{RatingEntry, TicketRequest};
use crate::sync::Link;
use crate::ui::screen::lookup::{self, LookupError};
use crate::ui::screen::ticket;
use motcua_api::model::LookupAnswer;

/// Work with side effects that `update` asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    None,
    Issue(TicketRequest, Timestamp),
    LoadWaiting(Timestamp),
    Print(Box<PrintedTicket>),
    Rate(RatingEntry, Timestamp),
    Lookup(String, String),
    /// Queue a dossier's evaluation for central.
    Evaluate(Box<motcua_api::evaluation::DossierRatingIn>),
    /// Put the keyboard focus on a widget (the receipt scanner types there).
    Focus(&'static str),
    /// No widget keeps the keyboard: the keypad moves the focus.
    Unfocus,
    /// Scroll a large-text page so that the option in focus shows: this far
    /// down it, from 0 to 1.
    Scroll(f32),
    /// Close the application (an admin exit).
    Exit,
}

impl Kiosk {
    /// Runs an effect in place and returns the message it produces.
    pub fn run_now(&self, effect: Effect) -> Option<Message> {
        match (&self.link, effect) {
            (Some(link), Effect::Issue(request, at)) => {
                Some(Message::Issued(link.block_on(link.clone().issue(request, at))))
            }
            (Some(link), Effect::LoadWaiting(at)) => {
                Some(Message::WaitingLoaded(link.block_on(link.clone().waiting(at))))
            }
            (Some(link), Effect::Lookup(code, secret)) => Some(looked_up(link.block_on(lookup(link, code, secret)))),
            (_, effect) => run_effect(&self.store, &self.printer, self.link.as_deref(), effect),
        }
    }

    /// Runs an effect off the UI thread: network work on the link's
    /// runtime, disk work on a blocking thread.
    pub fn perform(&self, effect: Effect) -> Task<Message> {
        let joined = |handle: tokio::task::JoinHandle<Message>| {
            Task::future(async move {
                handle
                    .await
                    .map_err(|e| tracing::error!(error = %e, "background task failed"))
                    .ok()
            })
            .and_then(Task::done)
        };
        match (&self.link, effect) {
            (_, Effect::None) => Task::none(),
            (Some(link), Effect::Issue(request, at)) => {
                let l = link.clone();
                joined(link.spawn(async move { Message::Issued(l.issue(request, at).await) }))
            }
            (Some(link), Effect::LoadWaiting(at)) => {
                let l = link.clone();
                joined(link.spawn(async move { Message::WaitingLoaded(l.waiting(at).await) }))
            }
            (Some(link), Effect::Lookup(code, secret)) => {
                let l = link.clone();
                joined(link.spawn(async move { looked_up(lookup(&l, code, secret).await) }))
            }
            (None, Effect::Lookup(..)) => Task::done(looked_up(Err(LookupError::Offline))),
            (_, Effect::Focus(id)) => iced::widget::operation::focus(id),
            (_, Effect::Scroll(y)) => iced::widget::operation::snap_to(
                crate::ui::widgets::PAGE_SCROLL,
                iced::widget::scrollable::RelativeOffset { x: None, y: Some(y) },
            ),
            (_, Effect::Unfocus) => {
                iced::advanced::widget::operate(iced::advanced::widget::operation::focusable::unfocus())
            }
            (_, Effect::Exit) => iced::exit(),
            (_, effect) => {
                let store = self.store.clone();
                let printer = self.printer.clone();
                let link = self.link.clone();
                Task::future(async move {
                    tokio::task::spawn_blocking(move || run_effect(&store, &printer, link.as_deref(), effect))
                        .await
                        .unwrap_or_else(|e| {
                            tracing::error!(error = %e, "background task failed");
                            None
                        })
                })
                .and_then(Task::done)
            }
        }
    }
}

fn looked_up(result: Result<LookupAnswer, LookupError>) -> Message {
    Message::Lookup(lookup::Message::LookedUp(result))
}

async fn lookup(link: &Link, code: String, secret: String) -> Result<LookupAnswer, LookupError> {
    match link.client().lookup(&code, &secret).await {
        Ok(answer) => Ok(answer),
        Err(crate::sync::SyncError::Rejected { status: 404, .. }) => Err(LookupError::NotFound),
        Err(e) => {
            tracing::warn!(error = %e, "lookup failed");
            Err(LookupError::Offline)
        }
    }
}

/// Runs an effect that needs only the local store (or stands alone).
fn run_effect(store: &SharedStore, printer: &Printer, link: Option<&Link>, effect: Effect) -> Option<Message> {
    let lock = || store.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    match effect {
        Effect::None => None,
        // Standing alone: the office's numbering is this kiosk's (slot 0).
        Effect::Issue(request, at) => Some(Message::Issued(lock().issue(&request, 0, at, None))),
        Effect::LoadWaiting(at) => Some(Message::WaitingLoaded(lock().waiting(at))),
        Effect::Rate(entry, at) => {
            let rated = lock().rate(&entry, at);
            if let Some(link) = link {
                link.wake();
            }
            Some(Message::Rated(rated))
        }
        Effect::Evaluate(e) => {
            let queued = lock().evaluate_dossier(&e);
            if let Some(link) = link {
                link.wake();
            }
            Some(Message::Evaluated(queued))
        }
        Effect::Lookup(..) => Some(looked_up(Err(LookupError::Offline))),
        Effect::Focus(_) | Effect::Unfocus | Effect::Scroll(_) | Effect::Exit => None,
        Effect::Print(job) => Some(Message::Ticket(ticket::Message::Printed(ticket_print::print(
            &job, printer,
        )))),
    }
}
