//! A scripted walk through every screen in a real window, for measuring
//! the time to first frame and the peak memory of the release binary
//! (`scripts/measure-kiosk`). Not reachable by a citizen: it needs the
//! hidden `--tour` flag.

use crate::store::Rating;
use motcua_core::queue::Lane;

use super::app::{Kiosk, Message, Screen};
use super::screen::keyboard::Key;

/// The next scripted message, or None when the walk is over.
pub fn step(k: &Kiosk, i: usize) -> Option<Message> {
    let first_field = k
        .catalog
        .fields_in_use()
        .first()
        .map(|(f, _)| f.id.clone())
        .unwrap_or_default();
    let first_procedure = k
        .catalog
        .procedures_of(&first_field)
        .next()
        .map(|p| p.code.clone())
        .unwrap_or_default();
    let first_group = k.catalog.groups.first().map(|g| g.letter.clone()).unwrap_or_default();
    let script = [
        Message::OpenGroups,
        Message::ChooseGroup {
            group: first_group,
            procedure: None,
        },
        Message::TakeTicket(Lane::Normal),
        Message::Print,
        Message::Home,
        Message::OpenFields,
        Message::OpenField(first_field),
        Message::OpenProcedure(first_procedure),
        Message::Back,
        Message::Back,
        Message::OpenSearch,
        Message::Key(Key::Char('k')),
        Message::Key(Key::Char('h')),
        Message::Key(Key::Char('a')),
        Message::Key(Key::Char('i')),
        Message::Home,
        Message::OpenRate,
        Message::Rate(Rating::Satisfied),
        Message::Home,
        Message::OpenLookup,
        Message::Home,
        Message::SetLang(crate::i18n::Lang::En),
        Message::SetLang(crate::i18n::Lang::Vi),
    ];
    // A ticket being issued or printed finishes before the walk goes on.
    if matches!(k.screen, Screen::Lane { issuing: true, .. }) {
        return Some(Message::Resized(k.viewport));
    }
    script.into_iter().nth(i)
}

/// Peak resident memory of this process in kB (Linux), if known.
pub fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
