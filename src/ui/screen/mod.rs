//! The kiosk's screens, one file each. A screen with state owns it, takes
//! its own `Message` in `update` and answers with an `Event` for the shell
//! (`ui::app`) when something goes beyond it: another screen, a ticket to
//! issue, a rating to store. Screens do no I/O.

pub mod admin;
pub mod detail;
pub mod evaluate;
pub mod fault;
pub mod fields;
pub mod groups;
pub mod idle;
pub mod keyboard;
pub mod lane;
pub mod lookup;
pub mod rate;
pub mod search;
pub mod ticket;
pub mod welcome;

/// What the chrome around every screen asks for: the bottom navigation and
/// the office mark of the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    Back,
    Home,
    /// A tap on the office mark (five quick ones open the admin PIN pad).
    AdminTap,
    /// The speech control: read the screens aloud, or stop.
    Speech,
}
