//! The kiosk without its touchscreen: a USB keypad (arrows, enter, back,
//! 5) or a keyboard. Arrows and Tab move the focus over the options the
//! screen declares ([`crate::ui::speak`]), Enter presses the one in focus
//! ([`entered`]), Back or Escape goes back, 5 says the screen again (held
//! two seconds it turns speech on or off), + and - set the voice louder or
//! softer, and letters type where the screen has a text (Telex: "chowf"
//! gives "chờ").

use iced::Element;
use iced::keyboard::{self, Key, Location, key::Code, key::Named, key::Physical};

use super::speak::Step;

/// How long the 5 is held to turn speech on or off.
pub const HOLD_FOR_SPEECH: std::time::Duration = std::time::Duration::from_secs(2);

/// A key press that means something to the kiosk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Press {
    Move(Step),
    Back,
    /// The 5 went down: said again when let go soon, speech on or off
    /// when held.
    FiveDown,
    FiveUp,
    /// A letter typed on a keyboard.
    Type(char),
    /// Backspace: deletes where the screen has a text, else goes back.
    Erase,
    /// The keypad's + and -: the voice louder or softer, for this citizen.
    Louder,
    Softer,
}

/// What a key event means to the kiosk, if anything. `captured`: a widget
/// (the receipt scanner's field) took it already; arrows and the 5 still
/// count, typing does not.
pub fn press_of(event: &keyboard::Event, captured: bool) -> Option<Press> {
    match event {
        keyboard::Event::KeyPressed {
            key,
            physical_key,
            location,
            modifiers,
            text,
            repeat,
            ..
        } => {
            if is_five(key, physical_key, *location) {
                // Held down, the key repeats: the hold counts from the first.
                return (!repeat).then_some(Press::FiveDown);
            }
            // A keypad with Num Lock on sends digits for its arrows.
            if *location == Location::Numpad
                && let Key::Character(c) = key
            {
                return match c.as_str() {
                    "8" => Some(Press::Move(Step::Up)),
                    "2" => Some(Press::Move(Step::Down)),
                    "4" => Some(Press::Move(Step::Previous)),
                    "6" => Some(Press::Move(Step::Next)),
                    "+" => Some(Press::Louder),
                    "-" => Some(Press::Softer),
                    _ => None,
                };
            }
            match key {
                Key::Named(Named::ArrowUp) => Some(Press::Move(Step::Up)),
                Key::Named(Named::ArrowDown) => Some(Press::Move(Step::Down)),
                Key::Named(Named::ArrowLeft) => Some(Press::Move(Step::Previous)),
                Key::Named(Named::ArrowRight) => Some(Press::Move(Step::Next)),
                Key::Named(Named::Tab) if modifiers.shift() => Some(Press::Move(Step::Previous)),
                Key::Named(Named::Tab) => Some(Press::Move(Step::Next)),
                Key::Named(Named::Escape | Named::BrowserBack | Named::GoBack) => Some(Press::Back),
                _ if captured => None,
                Key::Named(Named::Backspace) => Some(Press::Erase),
                _ if modifiers.control() || modifiers.alt() || modifiers.logo() => None,
                _ => text
                    .as_deref()
                    .and_then(|t| {
                        let mut chars = t.chars();
                        chars.next().filter(|_| chars.next().is_none())
                    })
                    .filter(|c| !c.is_control())
                    .map(Press::Type),
            }
        }
        keyboard::Event::KeyReleased {
            key,
            physical_key,
            location,
            ..
        } if is_five(key, physical_key, *location) => Some(Press::FiveUp),
        _ => None,
    }
}

/// The keypad's 5, with Num Lock on or off.
fn is_five(key: &Key, physical: &Physical, location: Location) -> bool {
    *physical == Physical::Code(Code::Numpad5)
        || (location == Location::Numpad && matches!(key, Key::Character(c) if c.as_str() == "5"))
        || *key == Key::Named(Named::Clear)
}

/// `content` (the button in focus) pressed by Enter as by a finger.
pub fn entered<'a, M: Clone + 'a>(content: impl Into<Element<'a, M>>, on_enter: M) -> Element<'a, M> {
    super::wrap::Wrap::new(content).on_enter(on_enter).into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use iced::keyboard::Modifiers;

    fn pressed(key: Key, physical: Code, location: Location, text: Option<&str>) -> keyboard::Event {
        keyboard::Event::KeyPressed {
            modified_key: key.clone(),
            key,
            physical_key: Physical::Code(physical),
            location,
            modifiers: Modifiers::default(),
            text: text.map(Into::into),
            repeat: false,
        }
    }

    #[test]
    fn a_keypad_moves_with_num_lock_on_or_off() {
        let arrow = pressed(Key::Named(Named::ArrowDown), Code::Numpad2, Location::Numpad, None);
        let digit = pressed(Key::Character("2".into()), Code::Numpad2, Location::Numpad, Some("2"));
        assert_eq!(press_of(&arrow, false), Some(Press::Move(Step::Down)));
        assert_eq!(press_of(&digit, false), Some(Press::Move(Step::Down)));
        // Arrows count even when the scanner's field holds the focus.
        assert_eq!(press_of(&arrow, true), Some(Press::Move(Step::Down)));
        let five = pressed(Key::Named(Named::Clear), Code::Numpad5, Location::Numpad, None);
        assert_eq!(press_of(&five, false), Some(Press::FiveDown));
        let escape = pressed(Key::Named(Named::Escape), Code::Escape, Location::Standard, None);
        assert_eq!(press_of(&escape, false), Some(Press::Back));
    }

    #[test]
    fn letters_type_unless_a_field_took_them() {
        let w = pressed(Key::Character("w".into()), Code::KeyW, Location::Standard, Some("w"));
        assert_eq!(press_of(&w, false), Some(Press::Type('w')));
        assert_eq!(press_of(&w, true), None);
        // The main row's 5 types; only the keypad's speaks.
        let five = pressed(Key::Character("5".into()), Code::Digit5, Location::Standard, Some("5"));
        assert_eq!(press_of(&five, false), Some(Press::Type('5')));
        let enter = pressed(Key::Named(Named::Enter), Code::Enter, Location::Standard, Some("\r"));
        assert_eq!(press_of(&enter, false), None, "Enter is the focused button's");
    }
}
