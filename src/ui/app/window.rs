//! The window's program around the kiosk: serving, or the fault screen
//! when it cannot; the time to first frame, the watchdog's ping and the
//! subscriptions (clock, touches, resizes, central's queue).

use std::time::{Duration, Instant};

use iced::{Element, Subscription, Task, Theme};
use jiff::Timestamp;

use super::{Kiosk, Message};
use crate::setup::Setup;
use crate::ui::screen;

/// The whole application: serving, or showing why it cannot.
pub struct App {
    pub mode: Mode,
    /// When the process started, for the time to first frame.
    started: Instant,
    first_frame: bool,
    /// No mouse cursor over the window (a locked-down kiosk).
    pub hide_cursor: bool,
}

#[allow(clippy::large_enum_variant)]
pub enum Mode {
    Serving(Kiosk),
    Fault(screen::fault::State),
}

impl App {
    pub fn new(setup: Setup, now: Timestamp, started: Instant) -> Self {
        let mode = match setup.ready {
            Ok(ready) => {
                let mut kiosk = Kiosk::new(ready, &setup.config, setup.brand, setup.brand_error, now, started);
                // The citizen's voice: espeak-ng on its own thread, silent
                // until a citizen turns speech on.
                kiosk.voice = Some(crate::speech::Voice::for_kiosk(&setup.config.kiosk));
                Mode::Serving(kiosk)
            }
            Err(fault) => Mode::Fault(screen::fault::State::new(fault, setup.brand)),
        };
        Self {
            mode,
            started,
            first_frame: false,
            hide_cursor: false,
        }
    }

    pub fn update(&mut self, message: Message) -> Task<Message> {
        match (message, &mut self.mode) {
            (Message::Frame(at), _) => {
                if !self.first_frame {
                    self.first_frame = true;
                    let ms = at.saturating_duration_since(self.started).as_secs_f64() * 1e3;
                    tracing::info!(ms = format!("{ms:.1}"), "first frame");
                    crate::service::alive();
                }
                Task::none()
            }
            (Message::Alive, _) => {
                crate::service::alive();
                Task::none()
            }
            (message, Mode::Serving(k)) => {
                let effect = k.update(message);
                k.perform(effect)
            }
            (_, Mode::Fault(_)) => Task::none(),
        }
    }

    pub fn view(&self) -> Element<'_, Message> {
        match &self.mode {
            Mode::Serving(k) => k.view(),
            Mode::Fault(f) => f.view(),
        }
    }

    /// The window's content: the view, without a cursor when locked down.
    pub fn screen(&self) -> Element<'_, Message> {
        if self.hide_cursor {
            crate::ui::cursor::hidden(self.view())
        } else {
            self.view()
        }
    }

    pub fn theme(&self) -> Theme {
        match &self.mode {
            Mode::Serving(k) => k.look.theme(),
            Mode::Fault(f) => f.look.theme(),
        }
    }

    pub fn subscription(&self) -> Subscription<Message> {
        let frames = if self.first_frame {
            Subscription::none()
        } else {
            iced::window::frames().map(Message::Frame)
        };
        let serving = match &self.mode {
            Mode::Serving(k) => Subscription::batch([
                iced::time::every(Duration::from_secs(1)).map(|at| Message::Tick(at, Timestamp::now())),
                iced::event::listen_with(|event, status, _window| {
                    use iced::{Event, mouse, touch};
                    match event {
                        Event::Mouse(mouse::Event::ButtonPressed(_))
                        | Event::Touch(touch::Event::FingerPressed { .. }) => Some(Message::Activity(Instant::now())),
                        Event::Keyboard(key) => {
                            let captured = status == iced::event::Status::Captured;
                            Some(match crate::ui::keys::press_of(&key, captured) {
                                Some(press) => Message::Press(press, Instant::now()),
                                None => Message::Activity(Instant::now()),
                            })
                        }
                        _ => None,
                    }
                }),
                iced::window::resize_events().map(|(_, size)| Message::Resized(size)),
                k.queue_events(),
            ]),
            Mode::Fault(_) => Subscription::none(),
        };
        let alive = iced::time::every(crate::service::PING_EVERY).map(|_| Message::Alive);
        Subscription::batch([frames, serving, alive])
    }
}
