//! The kiosk as a counter's citizen display: it follows central's queue
//! and asks for a rating when that counter completes a ticket.

use std::time::Instant;

use iced::Subscription;

use super::{Effect, EvaluateView, Kiosk, Message, RateView, Screen};
use crate::sync::events::Event;
use motcua_api::evaluation::Occasion;
use motcua_api::model::EventKind;

impl Kiosk {
    /// Central's queue events, which a counter's citizen display follows.
    pub(super) fn queue_events(&self) -> Subscription<Message> {
        match (&self.counter_display, &self.link) {
            (Some(_), Some(link)) => {
                Subscription::run_with(link.client().clone(), |c| crate::sync::events::follow(c.clone()))
                    .map(Message::Queue)
            }
            _ => Subscription::none(),
        }
    }

    /// The counter took the dossier `code` in, or returned its result
    /// (`occasion`): its citizen display asks the citizen to evaluate it on
    /// the national criteria, as it asks for a rating when a ticket is
    /// completed. A citizen still answering the questions before keeps
    /// them; on any other screen than a display nothing happens.
    pub fn ask_evaluation(&mut self, code: String, occasion: Occasion) -> Effect {
        if self.counter_display.is_none() || occasion == Occasion::Kiosk {
            return Effect::None;
        }
        if let Screen::Evaluate(v) = &self.screen
            && !v.saved
        {
            return Effect::None;
        }
        let unsent = self.unsent_rating();
        self.start_over();
        self.idle.touch(Instant::now());
        self.screen = Screen::Evaluate(Box::new(EvaluateView::new(code, occasion)));
        unsent
    }

    /// An event of central's queue, on a counter's citizen display: a
    /// ticket completed at this counter asks its citizen for a rating.
    pub(super) fn queue_event(&mut self, event: Event) -> Effect {
        // This display's counter took a dossier in or returned its result.
        if let (Some(counter), Event::Evaluate(ask)) = (&self.counter_display, &event) {
            if &ask.counter == counter {
                return self.ask_evaluation(ask.code.clone(), ask.occasion);
            }
            return Effect::None;
        }
        let (Some(counter), Event::Queue(e)) = (&self.counter_display, event) else {
            return Effect::None;
        };
        if e.ticket.counter.as_ref() != Some(counter) {
            return Effect::None;
        }
        match e.kind {
            EventKind::Called | EventKind::Recalled => {
                // The citizen before may still be answering: only a finished
                // rating makes way for the next one.
                let done = match &self.screen {
                    Screen::Rate(v) => v.saved,
                    Screen::Evaluate(v) => v.saved,
                    _ => false,
                };
                if done {
                    self.reset();
                }
                self.serving = Some(e.ticket.display);
                Effect::None
            }
            EventKind::Completed => {
                let unsent = self.unsent_rating();
                // The citizen asked is the one just served: the text size,
                // contrast and speech they chose stay for their answer.
                self.start_over();
                self.serving = None;
                self.idle.touch(Instant::now());
                self.screen = Screen::Rate(Box::new(RateView {
                    ticket: Some((e.ticket.id, e.ticket.display)),
                    ..RateView::default()
                }));
                unsent
            }
            EventKind::Skipped | EventKind::Transferred | EventKind::Voided => {
                if self.serving.as_ref() == Some(&e.ticket.display) {
                    self.serving = None;
                }
                Effect::None
            }
            _ => Effect::None,
        }
    }
}
