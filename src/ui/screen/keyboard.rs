//! The on-screen Vietnamese keyboard: letters, digits and the letters with
//! hats and horns. Tones are not needed: search ignores them.

use iced::widget::{column, row};
use iced::{Element, Length};

use crate::ui::app::Kiosk;
use crate::ui::style::Kind;
use crate::ui::widgets::label_button;

/// Longest query the keyboard accepts.
pub const MAX_QUERY: usize = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Space,
    Backspace,
    Clear,
}

impl Key {
    /// Applies the key to the text being typed.
    pub fn apply(self, query: &mut String) {
        self.apply_up_to(query, MAX_QUERY)
    }

    /// Applies the key to a text that holds at most `max` characters.
    pub fn apply_up_to(self, query: &mut String, max: usize) {
        match self {
            Key::Char(c) if query.chars().count() < max => query.push(c),
            // One space between words is enough, and none at the start.
            Key::Space if !query.is_empty() && !query.ends_with(' ') && query.chars().count() < max => query.push(' '),
            Key::Backspace => {
                query.pop();
            }
            Key::Clear => query.clear(),
            _ => {}
        }
    }
}

/// Vietnamese letters for searching by name.
pub const LETTERS: [&str; 5] = ["1234567890", "qwertyuiop", "asdfghjklđ", "zxcvbnmăâê", "ôơư"];
/// Capitals, digits, dot and dash for dossier codes and lookup secrets.
pub const CODES: [&str; 5] = ["1234567890", "QWERTYUIOP", "ASDFGHJKL-", "ZXCVBNM.", ""];

/// The keyboard with the given rows; the last row gets space, delete and
/// clear. `on_key` turns a key into the message of the screen typing.
pub fn view_of<'a, M: Clone + 'a>(k: &'a Kiosk, layout: &[&str], on_key: impl Fn(Key) -> M) -> Element<'a, M> {
    // One letter a key: 1.5× is large enough, and a keyboard any larger
    // would leave a landscape screen no room for what it types.
    let look = k.look.capped(if k.portrait() { 1.5 } else { 1.25 });
    let key = |c: char| {
        label_button(
            &look,
            format!("key-{c}"),
            c.to_string(),
            on_key(Key::Char(c)),
            Kind::Key,
        )
    };
    let mut rows = column![].spacing(k.look.xs);
    for (i, letters) in layout.iter().enumerate() {
        let mut r = row![].spacing(k.look.xs).width(Length::Fill);
        for c in letters.chars() {
            r = r.push(key(c));
        }
        if i == layout.len() - 1 {
            // Codes have no spaces: a keyboard for them ends in a row of
            // delete and clear alone.
            if !letters.is_empty() {
                r = r.push(
                    iced::widget::container(label_button(
                        &look,
                        "key-space",
                        k.t("key-space"),
                        on_key(Key::Space),
                        Kind::Key,
                    ))
                    .width(Length::FillPortion(3)),
                );
            }
            r = r
                .push(
                    iced::widget::container(label_button(
                        &look,
                        "key-backspace",
                        k.t("key-backspace"),
                        on_key(Key::Backspace),
                        Kind::Key,
                    ))
                    .width(Length::FillPortion(2)),
                )
                .push(
                    iced::widget::container(label_button(
                        &look,
                        "key-clear",
                        k.t("key-clear"),
                        on_key(Key::Clear),
                        Kind::Key,
                    ))
                    .width(Length::FillPortion(2)),
                );
        }
        rows = rows.push(r);
    }
    rows.into()
}

/// The keys of a layout row by row, as [`view_of`] lays them out: the last
/// row ends in space (where the layout types words), delete and clear.
pub fn rows(layout: &[&str]) -> Vec<Vec<Key>> {
    let mut rows: Vec<Vec<Key>> = layout.iter().map(|l| l.chars().map(Key::Char).collect()).collect();
    if let (Some(last), Some(letters)) = (rows.last_mut(), layout.last()) {
        if !letters.is_empty() {
            last.push(Key::Space);
        }
        last.extend([Key::Backspace, Key::Clear]);
    }
    rows
}

impl Key {
    /// The id of the key's button.
    pub fn id(self) -> String {
        match self {
            Key::Char(c) => format!("key-{c}"),
            Key::Space => "key-space".into(),
            Key::Backspace => "key-backspace".into(),
            Key::Clear => "key-clear".into(),
        }
    }

    /// What speech says when the key takes the focus.
    pub fn spoken(self, k: &Kiosk) -> String {
        match self {
            Key::Char(c) => c.to_string(),
            Key::Space => k.t("key-space"),
            Key::Backspace => k.t("key-backspace"),
            Key::Clear => k.t("key-clear"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_spacing_and_deleting() {
        let mut q = String::new();
        Key::Space.apply(&mut q);
        assert_eq!(q, "");
        for c in "đăng".chars() {
            Key::Char(c).apply(&mut q);
        }
        Key::Space.apply(&mut q);
        Key::Space.apply(&mut q);
        assert_eq!(q, "đăng ");
        Key::Backspace.apply(&mut q);
        Key::Backspace.apply(&mut q);
        assert_eq!(q, "đăn");
        Key::Clear.apply(&mut q);
        assert_eq!(q, "");
        Key::Backspace.apply(&mut q);
        assert_eq!(q, "");
    }

    #[test]
    fn the_query_has_a_limit() {
        let mut q = String::new();
        for _ in 0..100 {
            Key::Char('ư').apply(&mut q);
        }
        assert_eq!(q.chars().count(), MAX_QUERY);
    }
}
