//! The kiosk for a citizen who does not use the touchscreen: after every
//! message the focus stays on an option the screen offers, the look follows
//! the citizen's choices, and speech says what changed; the keypad's and a
//! keyboard's presses ([`Press`]) move, press, type and speak.

use std::time::Instant;

use super::{Effect, Kiosk, Message, Screen, admin, lookup, rate, search_screen};
use crate::ui::access::TextSize;
use crate::ui::keys::{HOLD_FOR_SPEECH, Press};
use crate::ui::style::Look;

/// Pieces of speech as sentences: each ends in a full stop unless it has
/// its own, so a voice pauses between them.
fn sentences(pieces: &[String]) -> String {
    pieces
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .map(|p| {
            if p.ends_with(['.', '?', '!', ':']) {
                p.to_string()
            } else {
                format!("{p}.")
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

impl Kiosk {
    /// After every message: the focus on an option the screen still
    /// offers, the look for the citizen's choices, and speech for what
    /// changed.
    pub(super) fn settle(&mut self) {
        // What a screen says is worked out only for a citizen who uses keys
        // or speech: a tap on the touchscreen does not pay for it.
        let spoken = (self.access.keys || self.access.speech).then(|| self.spoken());
        if let Some(spoken) = spoken.as_ref().filter(|_| self.access.keys) {
            let offered = self.focus.as_deref().is_some_and(|id| spoken.position(id).is_some());
            if !offered {
                self.focus = spoken.first().map(|c| c.id.clone());
            }
        }
        let factor = if self.access.needs_time() { 2 } else { 1 };
        self.idle.set_timeout(self.idle_timeout * factor);
        self.look = Look::adapted(&self.brand, &self.access, self.focus.clone().map(Into::into));
        self.look.scrolls |= self.reach_band().is_some();
        let Some(spoken) = spoken.filter(|_| self.access.speech) else {
            self.heard = None;
            return;
        };
        let focused = self
            .focus
            .as_deref()
            .and_then(|id| spoken.choice(id))
            .map(|c| c.label.clone());
        let now = (spoken.title.clone(), spoken.hint.clone(), self.focus.clone());
        let words = match &self.heard {
            Some((title, hint, focus)) if *title == now.0 => {
                let mut words = Vec::new();
                if *hint != now.1 {
                    words.push(now.1.clone());
                }
                if *focus != now.2 {
                    words.extend(focused);
                }
                words
            }
            // A new screen: its title, how it is used, what it shows, the
            // option in focus.
            _ => [
                Some(spoken.title.clone()),
                Some(spoken.how.clone()),
                Some(spoken.hint.clone()),
                focused,
            ]
            .into_iter()
            .flatten()
            .collect(),
        };
        self.heard = Some(now);
        let words = sentences(&words);
        if !words.is_empty() {
            self.say(words, spoken.personal);
        }
    }

    /// Says `words` through the kiosk's voice; `personal` words only into
    /// a headset, the hall hearing only that something private is typed.
    fn say(&mut self, words: String, personal: bool) {
        const KEPT: usize = 16;
        if let Some(voice) = &self.voice {
            voice.say(if personal {
                crate::speech::Utterance::personal(words.clone(), self.lang, Some(self.t("speak-private")))
            } else {
                crate::speech::Utterance::public(words.clone(), self.lang)
            });
        }
        if self.said.len() == KEPT {
            self.said.remove(0);
        }
        self.said.push(words);
    }

    /// Silence: speech was turned off.
    pub(super) fn hush(&mut self) {
        if let Some(voice) = &self.voice {
            voice.silence();
        }
    }

    /// The whole screen again: the keypad's 5, pressed briefly.
    fn say_again(&mut self) {
        self.heard = None;
    }

    pub(super) fn press(&mut self, press: Press, at: Instant) -> Effect {
        self.activity(at);
        match press {
            Press::Move(step) => {
                let first = !self.access.keys;
                self.access.keys = true;
                let spoken = self.spoken();
                let to = if first && self.focus.is_none() {
                    spoken.first()
                } else {
                    spoken.step(self.focus.as_deref(), step)
                };
                self.focus = to.map(|c| c.id.clone());
                // The scanner's field lets go of the keys.
                if first && matches!(self.screen, Screen::Lookup(_)) {
                    return Effect::Unfocus;
                }
                // Large text scrolls: bring the option in focus into view.
                if self.access.text != TextSize::Normal
                    && let Some((row, _)) = self.focus.as_deref().and_then(|id| spoken.position(id))
                {
                    let last = spoken.rows.len().saturating_sub(1).max(1);
                    return Effect::Scroll(row as f32 / last as f32);
                }
            }
            Press::Back => self.back(),
            Press::FiveDown => self.five_down = Some(at),
            Press::FiveUp => {
                if let Some(down) = self.five_down.take()
                    && at.saturating_duration_since(down) < HOLD_FOR_SPEECH
                {
                    self.access.keys = true;
                    self.say_again();
                }
            }
            Press::Louder | Press::Softer => {
                if let Some(voice) = &self.voice {
                    if press == Press::Louder {
                        voice.louder();
                    } else {
                        voice.softer();
                    }
                }
                // Said again at the new volume.
                self.access.keys = true;
                self.say_again();
            }
            Press::Type(c) => return self.typed(Some(c)),
            Press::Erase => return self.typed(None),
        }
        Effect::None
    }

    /// A letter (or Backspace: `None`) from a keyboard, for the text on the
    /// screen; Backspace where there is none goes back.
    fn typed(&mut self, c: Option<char>) -> Effect {
        use super::screen::keyboard::Key;
        // Letters go through Telex where words are typed ("chowf": "chờ").
        let key = c.map_or(Key::Backspace, Key::Telex);
        match &self.screen {
            Screen::Search(_) => self.handle(Message::Search(search_screen::Message::Key(key))),
            Screen::Rate(v) if v.typing => self.handle(Message::Rate(rate::Message::Key(key))),
            Screen::Lookup(_) => {
                let key = match key.plain() {
                    Key::Char(c) => Key::Char(c.to_ascii_uppercase()),
                    other => other,
                };
                self.handle(Message::Lookup(lookup::Message::Key(key)))
            }
            Screen::Admin(_) if c.is_none_or(|c| c.is_ascii_digit()) => {
                self.handle(Message::Admin(admin::Message::Key(key.plain())))
            }
            _ if c.is_none() => {
                self.back();
                Effect::None
            }
            _ => Effect::None,
        }
    }
}
