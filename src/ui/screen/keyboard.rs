//! The on-screen Vietnamese keyboard: letters, digits, the letters with
//! hats and horns and, for text people read (a comment, a search), the five
//! tone keys that put the mark on the right vowel of the syllable being
//! typed. A physical keyboard types Telex ("chowf" → "chờ").

use iced::widget::{column, container, row};
use iced::{Element, Length};
use motcua_core::vietnamese::{Tone, telex_key, tone_of, with_tone};

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
    /// A tone key: the mark on the main vowel of the last syllable (the
    /// same tone again takes it off).
    Tone(Tone),
    /// A character from a physical keyboard, typed as Telex.
    Telex(char),
}

/// The tones the keyboard has keys for, with their ids and the vowel that
/// shows the mark on the key.
const TONES: [(Tone, &str, char); 5] = [
    (Tone::Acute, "sac", 'á'),
    (Tone::Grave, "huyen", 'à'),
    (Tone::Hook, "hoi", 'ả'),
    (Tone::Tilde, "nga", 'ã'),
    (Tone::Dot, "nang", 'ạ'),
];

fn tone_name(tone: Tone) -> &'static str {
    TONES
        .iter()
        .find(|(t, ..)| *t == tone)
        .map(|(_, name, _)| *name)
        .unwrap_or("ngang")
}

/// Where the last syllable of `text` starts: after its last character that
/// is not a letter.
fn last_syllable(text: &str) -> usize {
    text.char_indices()
        .rev()
        .find(|(_, c)| !c.is_alphabetic())
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(0)
}

impl Key {
    /// Applies the key to the text being typed.
    pub fn apply(self, query: &mut String) {
        self.apply_up_to(query, MAX_QUERY)
    }

    /// Applies the key to a text that holds at most `max` characters.
    pub fn apply_up_to(self, query: &mut String, max: usize) {
        let room = query.chars().count() < max;
        match self {
            Key::Char(c) if room => query.push(c),
            // One space between words is enough, and none at the start.
            Key::Space if !query.is_empty() && !query.ends_with(' ') && room => query.push(' '),
            Key::Backspace => {
                query.pop();
            }
            Key::Clear => query.clear(),
            Key::Tone(tone) => {
                let at = last_syllable(query);
                let syllable = &query[at..];
                let tone = if tone_of(syllable) == tone { Tone::Level } else { tone };
                // A syllable without a vowel comes back as it is.
                let marked = with_tone(syllable, tone);
                query.replace_range(at.., &marked);
            }
            Key::Telex(' ') => Key::Space.apply_up_to(query, max),
            Key::Telex(c) if c.is_alphabetic() => {
                let at = last_syllable(query);
                let typed = telex_key(&query[at..], c);
                if query[..at].chars().count() + typed.chars().count() <= max {
                    query.replace_range(at.., &typed);
                }
            }
            Key::Telex(c) if !c.is_control() => Key::Char(c).apply_up_to(query, max),
            _ => {}
        }
    }

    /// The key as typed on a field of codes or digits, where letters have
    /// no marks: a keyboard's character as itself.
    pub fn plain(self) -> Key {
        match self {
            Key::Telex(c) => Key::Char(c),
            other => other,
        }
    }

    /// The widget id of the key: `key-a`, `key-space`, `key-tone-sac`.
    pub fn id(&self) -> String {
        match self {
            Key::Char(c) => format!("key-{c}"),
            Key::Space => "key-space".into(),
            Key::Backspace => "key-backspace".into(),
            Key::Clear => "key-clear".into(),
            Key::Tone(t) => format!("key-tone-{}", tone_name(*t)),
            Key::Telex(c) => format!("key-telex-{c}"),
        }
    }

    /// What the key shows: its letter, the tone's mark on an a, or the
    /// name of what it does.
    pub fn label(&self, k: &Kiosk) -> String {
        match self {
            Key::Char(c) | Key::Telex(c) => c.to_string(),
            Key::Space => k.t("key-space"),
            Key::Backspace => k.t("key-backspace"),
            Key::Clear => k.t("key-clear"),
            Key::Tone(t) => TONES
                .iter()
                .find(|(tone, ..)| tone == t)
                .map(|(.., mark)| mark.to_string())
                .unwrap_or_else(|| "a".into()),
        }
    }

    /// The key's name said aloud: the letter, or what the key does (the
    /// tone keys by their Vietnamese names, "dấu sắc").
    pub fn spoken(&self, k: &Kiosk) -> String {
        match self {
            Key::Tone(t) => k.t(&format!("key-tone-{}", tone_name(*t))),
            other => other.label(k),
        }
    }

    /// How wide the key is beside the others of its row, in shares.
    fn portion(&self) -> u16 {
        match self {
            Key::Space => 3,
            Key::Backspace | Key::Clear => 2,
            _ => 1,
        }
    }
}

/// Vietnamese letters for searching by name.
pub const LETTERS: [&str; 5] = ["1234567890", "qwertyuiop", "asdfghjklđ", "zxcvbnmăâê", "ôơư"];
/// Capitals, digits, dot and dash for dossier codes and lookup secrets.
pub const CODES: [&str; 5] = ["1234567890", "QWERTYUIOP", "ASDFGHJKL-", "ZXCVBNM.", ""];

/// The keys of a keyboard, row by row, top to bottom: the rows of
/// `layout`, with `tones` a row of the five tone keys before the last one,
/// and the last row ending in space (when it has letters), delete and
/// clear. The keyboard on screen is built from these rows, so a keypad
/// moving through them meets the keys where they are.
pub fn rows(layout: &[&str], tones: bool) -> Vec<Vec<Key>> {
    let mut rows: Vec<Vec<Key>> = layout.iter().map(|r| r.chars().map(Key::Char).collect()).collect();
    if rows.is_empty() {
        rows.push(Vec::new());
    }
    if tones {
        let last = rows.len() - 1;
        rows.insert(last, TONES.iter().map(|(t, ..)| Key::Tone(*t)).collect());
    }
    let last = rows.last_mut().expect("at least one row");
    // Codes have no spaces: a keyboard for them ends in a row of delete and
    // clear alone.
    if !last.is_empty() {
        last.push(Key::Space);
    }
    last.extend([Key::Backspace, Key::Clear]);
    rows
}

/// The keyboard with the given rows ([`rows`]); `tones` adds the tone
/// keys. `on_key` turns a key into the message of the screen typing.
pub fn view_of<'a, M: Clone + 'a>(
    k: &'a Kiosk,
    layout: &[&str],
    tones: bool,
    on_key: impl Fn(Key) -> M,
) -> Element<'a, M> {
    // One letter a key: 1.5× is large enough, and a keyboard any larger
    // would leave a landscape screen no room for what it types.
    let look = k.look.capped(if k.portrait() { 1.5 } else { 1.25 });
    let mut keyboard = column![].spacing(k.look.xs);
    for keys in rows(layout, tones) {
        let mut r = row![].spacing(k.look.xs).width(Length::Fill);
        for key in keys {
            let button = label_button(&look, key.id(), key.label(k), on_key(key), Kind::Key);
            r = r.push(container(button).width(Length::FillPortion(key.portion())));
        }
        keyboard = keyboard.push(r);
    }
    keyboard.into()
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

    /// Taps on the on-screen keyboard: letters, then a tone key named by
    /// its mark after the syllable's letters (`chơ` `à` ` ` `lâu`).
    fn tapped(taps: &str) -> String {
        let mut q = String::new();
        for c in taps.chars() {
            let key = match c {
                ' ' => Key::Space,
                _ => match TONES.iter().find(|(.., mark)| *mark == c) {
                    Some((tone, ..)) => Key::Tone(*tone),
                    None => Key::Char(c),
                },
            };
            key.apply_up_to(&mut q, 200);
        }
        q
    }

    fn telexed(keys: &str) -> String {
        let mut q = String::new();
        for c in keys.chars() {
            Key::Telex(c).apply_up_to(&mut q, 200);
        }
        q
    }

    #[test]
    fn tone_keys_mark_real_words() {
        for (taps, text) in [
            ("chơà lâu", "chờ lâu"),
            // The mark on the second vowel of an open oa, as the module's
            // rule (2018) says: hoà, not hòa.
            ("hoaà", "hoà"),
            ("hoanà", "hoàn"),
            ("quyá", "quý"),
            ("giưã", "giữ"),
            ("ngươià", "người"),
            ("thuơả", "thuở"),
            ("khuya", "khuya"),
            ("khuyênà", "khuyền"),
            ("Việt", "Việt"),
            // A tone key before the vowel does nothing; after it, it marks.
            ("cà", "c"),
            ("càa", "ca"),
            ("caáà", "cà"),
        ] {
            assert_eq!(tapped(taps), text, "{taps}");
        }
    }

    #[test]
    fn the_same_tone_again_takes_the_mark_off() {
        let mut q = "chờ".to_string();
        Key::Tone(Tone::Grave).apply(&mut q);
        assert_eq!(q, "chơ");
        Key::Tone(Tone::Grave).apply(&mut q);
        assert_eq!(q, "chờ");
        Key::Tone(Tone::Acute).apply(&mut q);
        assert_eq!(q, "chớ", "another tone replaces it");
    }

    #[test]
    fn a_tone_marks_only_the_last_syllable() {
        let mut q = "cho lau".to_string();
        Key::Tone(Tone::Grave).apply(&mut q);
        assert_eq!(q, "cho làu");
        let mut q = "cho ".to_string();
        Key::Tone(Tone::Grave).apply(&mut q);
        assert_eq!(q, "cho ", "after a space there is no syllable to mark");
        let mut q = "12".to_string();
        Key::Tone(Tone::Grave).apply(&mut q);
        assert_eq!(q, "12");
        let mut q = String::new();
        Key::Tone(Tone::Dot).apply(&mut q);
        assert_eq!(q, "");
    }

    #[test]
    fn telex_from_a_keyboard_types_real_words() {
        for (keys, text) in [
            ("chowf lau", "chờ lau"),
            ("chowf laau", "chờ lâu"),
            ("hoaf", "hoà"),
            ("quys", "quý"),
            ("giuwx", "giữ"),
            ("nguwowif", "người"),
            ("nguowif", "người"),
            ("thuowr", "thuở"),
            ("khuya", "khuya"),
            ("Chowf 15 phuts.", "Chờ 15 phút."),
            // Spaces as the space key: none at the start, one between words.
            ("  cho  ", "cho "),
        ] {
            assert_eq!(telexed(keys), text, "{keys}");
        }
    }

    #[test]
    fn telex_and_tones_keep_the_limit() {
        let mut q = "12345678 cho".to_string();
        Key::Telex('w').apply_up_to(&mut q, 12);
        assert_eq!(q, "12345678 chơ", "a hat does not lengthen the text");
        Key::Telex('f').apply_up_to(&mut q, 12);
        assert_eq!(q, "12345678 chờ", "nor does a tone");
        Key::Tone(Tone::Acute).apply_up_to(&mut q, 12);
        assert_eq!(q, "12345678 chớ");
        Key::Telex('n').apply_up_to(&mut q, 12);
        assert_eq!(q, "12345678 chớ", "a letter past the limit is not typed");
        Key::Telex(' ').apply_up_to(&mut q, 12);
        assert_eq!(q, "12345678 chớ");
        Key::Telex('\n').apply(&mut q);
        assert_eq!(q, "12345678 chớ", "control characters are not typed");
    }

    #[test]
    fn the_keyboard_rows() {
        let letters = rows(&LETTERS, true);
        assert_eq!(letters.len(), 6);
        assert_eq!(
            letters[4],
            Tone::MARKED.iter().map(|t| Key::Tone(*t)).collect::<Vec<_>>(),
            "the tones sit above the last row"
        );
        assert_eq!(
            letters[5],
            vec![
                Key::Char('ô'),
                Key::Char('ơ'),
                Key::Char('ư'),
                Key::Space,
                Key::Backspace,
                Key::Clear
            ]
        );
        let codes = rows(&CODES, false);
        assert_eq!(codes.len(), 5);
        assert_eq!(codes[4], vec![Key::Backspace, Key::Clear], "codes have no space");
        assert!(codes.iter().flatten().all(|k| !matches!(k, Key::Tone(_))));
        let ids: Vec<String> = letters[4].iter().map(Key::id).collect();
        assert_eq!(
            ids,
            [
                "key-tone-sac",
                "key-tone-huyen",
                "key-tone-hoi",
                "key-tone-nga",
                "key-tone-nang"
            ]
        );
        // Every key on a keyboard has its own id.
        let all: Vec<String> = letters.iter().flatten().map(Key::id).collect();
        let unique: std::collections::HashSet<&String> = all.iter().collect();
        assert_eq!(all.len(), unique.len());
    }
}
