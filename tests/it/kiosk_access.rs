//! The kiosk for everyone: every screen declares what it says, in both
//! languages, and offers on screen every option it declares; the walk from
//! welcome to a ticket and to a lookup with keys alone; speech on and off
//! from the keypad's 5; larger text, high contrast and more time, all back
//! to normal for the next citizen; a snapshot of every screen in each mode.

use std::time::Duration;

use iced::Size;
use iced::keyboard::{Key, key::Named};
use iced_test::selector;

use motcua::config::Config;
use motcua::i18n::Lang;
use motcua::ui::access::{Access, TextSize};
use motcua::ui::app::{LANDSCAPE, Message, PORTRAIT, Screen};
use motcua::ui::keys::Press;
use motcua::ui::speak::Step;
use motcua_core::idle::Phase;

use super::kiosk_ui::{Harness, both};

impl Harness {
    /// A key of the keypad, as the window's subscription hands it over,
    /// pressed at the start of the test's clock.
    fn key(&mut self, press: Press) {
        self.key_at(press, Duration::ZERO);
    }

    /// A key pressed `after` the start of the test's clock.
    fn key_at(&mut self, press: Press, after: Duration) {
        self.send(Message::Press(press, self.started + after));
    }

    fn down(&mut self) {
        self.key(Press::Move(Step::Down));
    }

    /// Enter, pressing the option in focus through the screen's widgets.
    fn enter(&mut self) {
        let mut ui = self.ui();
        ui.tap_key(Key::Named(Named::Enter));
        let messages: Vec<Message> = ui.into_messages().collect();
        assert!(
            !messages.is_empty(),
            "Enter did nothing on {:?} with the focus on {:?}",
            self.kiosk.screen,
            self.kiosk.focus
        );
        for m in messages {
            self.send(m);
        }
    }

    /// Moves down until `id` has the focus; how many presses it took.
    fn focus_on(&mut self, id: &str) -> usize {
        self.step_to(Step::Down, id)
    }

    /// Moves along a row (right) until `id` has the focus.
    fn focus_along(&mut self, id: &str) -> usize {
        self.step_to(Step::Next, id)
    }

    fn step_to(&mut self, step: Step, id: &str) -> usize {
        if self.kiosk.focus.as_deref() == Some(id) {
            return 0;
        }
        for presses in 1..=80 {
            self.key(Press::Move(step));
            if self.kiosk.focus.as_deref() == Some(id) {
                return presses;
            }
        }
        panic!("`{id}` never takes the focus on {:?}", self.kiosk.screen);
    }

    fn typed(&mut self, text: &str) {
        for c in text.chars() {
            self.key(Press::Type(c));
        }
    }

    fn last_said(&self) -> &str {
        self.kiosk.said.last().map(String::as_str).unwrap_or("")
    }
}

impl Harness {
    /// Presses `id`: by touch where it shows, and where large text has
    /// scrolled it below the screen, by the keypad (the test's screen
    /// cannot scroll: each rendering starts at the top).
    fn press(&mut self, id: &str) {
        let visible = self
            .ui()
            .find(selector::id(id.to_string()))
            .is_ok_and(|t| t.visible_bounds().is_some());
        if visible {
            return self.tap(id);
        }
        let keys = self.kiosk.access.keys;
        self.kiosk.access.keys = true;
        self.kiosk.focus = Some(id.to_string());
        self.send(Message::Resized(self.kiosk.viewport));
        assert_eq!(self.kiosk.focus.as_deref(), Some(id), "`{id}` is not an option here");
        self.enter();
        self.kiosk.access.keys = keys;
        self.kiosk.focus = None;
        self.send(Message::Resized(self.kiosk.viewport));
    }
}

/// Visits every kiosk screen a citizen can reach, calling `at` with the
/// screen's name on each.
fn every_screen(size: Size, config: &Config, prepare: impl Fn(&mut Harness), mut at: impl FnMut(&mut Harness, &str)) {
    let mut h = Harness::with_config(size, config);
    prepare(&mut h);
    at(&mut h, "welcome");
    h.press("take-ticket");
    at(&mut h, "groups");
    h.press("group-A");
    at(&mut h, "lane");
    h.press("lane-normal");
    at(&mut h, "ticket");
    h.press("done");
    h.press("procedures");
    at(&mut h, "fields");
    h.press("field-0");
    at(&mut h, "procedures");
    h.press("item-0");
    at(&mut h, "detail");
    h.press("home");
    h.press("procedures");
    h.press("open-search");
    for key in ["key-k", "key-h", "key-a", "key-i"] {
        h.press(key);
    }
    at(&mut h, "search");
    h.press("home");
    h.press("rate");
    at(&mut h, "rate");
    h.press("rate-satisfied");
    at(&mut h, "rate-details");
    h.press("rate-comment");
    at(&mut h, "rate-comment");
    h.press("rate-comment");
    h.press("rate-send");
    at(&mut h, "rate-thanks");
    h.press("rate-done");
    h.press("lookup");
    for key in ["key-0", "key-0", "key-1"] {
        h.press(key);
    }
    h.press("lookup-secret");
    h.press("key-A");
    h.press("lookup-go");
    at(&mut h, "lookup");
    // Central found the dossier: it may be rated on the national criteria.
    h.send(Message::Lookup(motcua::ui::screen::lookup::Message::LookedUp(Ok(
        found(),
    ))));
    at(&mut h, "lookup-found");
    h.press("lookup-evaluate");
    at(&mut h, "evaluate");
    h.press("eval-very_satisfied");
    for _ in 0..5 {
        h.press("eval-skip");
    }
    at(&mut h, "evaluate-count");
    h.press("eval-count-4");
    h.press("eval-finish");
    at(&mut h, "evaluate-thanks");
    h.press("eval-done");
    h.press("procedures");
    // The countdown shows a little after the (maybe doubled) timeout.
    h.tick(if h.kiosk.access.needs_time() { 125 } else { 65 });
    at(&mut h, "idle");
    h.press("still-here");
    for _ in 0..5 {
        h.press("mark");
    }
    at(&mut h, "admin");
}

/// What central answers of a dossier found by its code and secret.
fn found() -> motcua_api::model::LookupAnswer {
    motcua_api::model::LookupAnswer {
        code: "000.00.01.H26-261128-0001".into(),
        procedure_code: "1.001193".into(),
        procedure_name: "Thủ tục đăng ký khai sinh".into(),
        received_at: "2026-11-28T02:00:00Z".into(),
        due_at: "2026-11-30T09:00:00Z".into(),
        status: 2,
        history: Vec::new(),
    }
}

/// The citizen display of a counter: serving, then asking for a rating.
fn every_display_screen(size: Size, prepare: impl Fn(&mut Harness), mut at: impl FnMut(&mut Harness, &str)) {
    let mut h = Harness::with_config(size, &super::kiosk_ui::counter_display_config());
    prepare(&mut h);
    h.send(super::kiosk_ui::queue_event("called", 41, "B-023", "3"));
    at(&mut h, "display-serving");
    h.send(super::kiosk_ui::queue_event("completed", 41, "B-023", "3"));
    at(&mut h, "display-rate");
}

fn locked_down() -> Config {
    let mut config = Config::default();
    config.admin.exit_pin_hash = Some(motcua::ui::admin::hash_pin("2468").unwrap());
    config
}

fn vietnamese(s: &str) -> bool {
    s.chars().any(|c| {
        "àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ"
            .contains(c.to_lowercase().next().unwrap_or(c))
    })
}

#[test]
fn every_screen_says_what_it_is_and_offers_what_it_shows_in_both_languages() {
    let mut seen = Vec::new();
    every_screen(
        PORTRAIT,
        &locked_down(),
        |_| {},
        |h, name| {
            let mut by_lang = Vec::new();
            for lang in Lang::ALL {
                h.kiosk.lang = lang;
                let spoken = h.kiosk.spoken();
                assert!(
                    !spoken.title.trim().is_empty(),
                    "{name} has no spoken title in {lang:?}"
                );
                for words in [&spoken.title, &spoken.how, &spoken.hint] {
                    assert!(!words.contains('{'), "{name} says {words}");
                }
                assert!(
                    !spoken.hint.trim().is_empty() || name == "rate-thanks",
                    "{name} does not say what can be done in {lang:?}"
                );
                // The "still there?" dialog has one answer; speech stays as it was.
                assert!(
                    name == "idle" || spoken.rows.iter().flatten().any(|c| c.id == "speech"),
                    "{name} has no speech control"
                );
                let mut ui = h.ui();
                for choice in spoken.rows.iter().flatten() {
                    assert!(!choice.label.trim().is_empty(), "{name}: `{}` has no words", choice.id);
                    // A string given too few arguments shows its placeholder.
                    assert!(
                        !choice.label.contains('{'),
                        "{name}: `{}` says {}",
                        choice.id,
                        choice.label
                    );
                    ui.find(selector::id(choice.id.clone()))
                        .unwrap_or_else(|e| panic!("{name} declares `{}` but does not show it: {e}", choice.id));
                }
                by_lang.push(spoken);
            }
            h.kiosk.lang = Lang::Vi;
            let (vi, en) = (&by_lang[0], &by_lang[1]);
            assert_ne!(vi.title, en.title, "{name}: the title is not translated");
            assert!(
                vietnamese(&format!("{} {}", vi.title, vi.hint)),
                "{name}: `{}` is not Vietnamese",
                vi.title
            );
            assert!(!vietnamese(&en.hint), "{name}: `{}` is not English", en.hint);
            seen.push(name.to_string());
        },
    );
    every_display_screen(
        PORTRAIT,
        |_| {},
        |h, name| {
            for lang in Lang::ALL {
                h.kiosk.lang = lang;
                let spoken = h.kiosk.spoken();
                assert!(
                    !spoken.title.is_empty() && !spoken.hint.is_empty(),
                    "{name} in {lang:?}"
                );
                assert!(spoken.rows.iter().flatten().any(|c| c.id == "speech"), "{name}");
                let mut ui = h.ui();
                for choice in spoken.rows.iter().flatten() {
                    ui.find(selector::id(choice.id.clone()))
                        .unwrap_or_else(|e| panic!("{name} declares `{}` but does not show it: {e}", choice.id));
                }
            }
            h.kiosk.lang = Lang::Vi;
            seen.push(name.to_string());
        },
    );
    assert_eq!(seen.len(), 21, "{seen:?}");
}

/// Welcome to a printed ticket with keys only; the presses, for the note.
fn ticket_by_keys(h: &mut Harness) -> usize {
    let mut presses = 0;
    presses += h.focus_on("take-ticket");
    h.enter();
    presses += 1;
    assert_eq!(h.kiosk.screen, Screen::Groups);
    presses += h.focus_on("group-B");
    h.enter();
    presses += 1;
    assert!(matches!(h.kiosk.screen, Screen::Lane(ref l) if l.group == "B"));
    // The regular line is the first option.
    assert_eq!(h.kiosk.focus.as_deref(), Some("lane-normal"));
    h.enter();
    presses += 1;
    let Screen::Ticket(view) = &h.kiosk.screen else {
        panic!("no ticket: {:?}", h.kiosk.screen)
    };
    assert_eq!(view.ticket.number.to_string(), "B-001");
    assert_eq!(h.kiosk.focus.as_deref(), Some("print"));
    h.enter();
    presses += 1;
    let Screen::Ticket(view) = &h.kiosk.screen else {
        panic!()
    };
    assert_eq!(view.print, motcua::ui::app::PrintState::Printed);
    presses
}

#[test]
fn a_ticket_with_keys_alone_spoken_all_the_way() {
    both(|size, o| {
        let mut h = Harness::new(size);
        // The keypad's 5 held for two seconds turns speech on.
        let t0 = h.started;
        h.key_at(Press::FiveDown, Duration::ZERO);
        h.send(Message::Tick(t0 + Duration::from_millis(1900), super::kiosk_ui::now()));
        assert!(!h.kiosk.access.speech, "not before two seconds");
        h.send(Message::Tick(t0 + Duration::from_secs(2), super::kiosk_ui::now()));
        assert!(h.kiosk.access.speech);
        h.key_at(Press::FiveUp, Duration::from_millis(2100));
        assert!(
            h.last_said().starts_with("Kính chào quý khách. Có bốn việc"),
            "{}",
            h.last_said()
        );
        assert!(h.kiosk.access.keys, "the keypad shows its focus");
        // The ring is drawn on the option in focus.
        h.down();
        assert_eq!(h.kiosk.focus.as_deref(), Some("procedures"));
        assert_eq!(h.last_said(), "Thủ tục hành chính.");
        h.snapshot(&format!("access-focus-{o}"));
        h.key(Press::Move(Step::Up));
        assert_eq!(h.last_said(), "Lấy số thứ tự.");

        // From "take a number" in focus: Enter, Down to group B, Enter,
        // Enter on the regular line, Enter to print.
        let presses = ticket_by_keys(&mut h);
        assert_eq!(presses, 5, "{o}");
        let said = h.kiosk.said.join(" | ");
        assert!(said.contains("Chọn dịch vụ cần làm"), "{said}");
        assert!(said.contains("Số của quý khách là B, không không một"), "{said}");
        assert!(said.contains("Quý khách sẽ được gọi tiếp theo"), "{said}");

        // A short press of 5 says the whole screen again.
        let before = h.kiosk.said.len();
        h.key_at(Press::FiveDown, Duration::from_secs(30));
        h.key_at(Press::FiveUp, Duration::from_millis(30_300));
        assert_eq!(h.kiosk.said.len(), before + 1);
        assert!(h.last_said().contains("Số của quý khách là B"), "{}", h.last_said());

        // Done: the same citizen may want another ticket, with speech on.
        h.focus_along("done");
        h.enter();
        assert_eq!(h.kiosk.screen, Screen::Welcome);
        assert!(h.kiosk.access.speech);
        // Then nobody touches it: speech and keys are off for the next one.
        h.send(Message::Activity(t0 + Duration::from_secs(40)));
        h.tick(40 + 200);
        assert_eq!(h.kiosk.access, Access::default());
        assert_eq!(h.kiosk.focus, None);
    });
}

/// Keys alone, in every mode: the walk is the same; large text scrolls the
/// option in focus into view.
#[test]
fn a_ticket_with_keys_alone_in_every_mode() {
    for (press, mode) in [
        (None, "normal"),
        (Some("access-text"), "large"),
        (Some("access-contrast"), "contrast"),
    ] {
        let mut h = Harness::new(PORTRAIT);
        if let Some(id) = press {
            h.tap(id);
        }
        // Down puts the focus on "take a number", the first option.
        h.down();
        assert_eq!(h.kiosk.focus.as_deref(), Some("take-ticket"), "{mode}");
        let presses = 1 + ticket_by_keys(&mut h);
        assert_eq!(presses, 6, "{mode}: Down, Enter, Down, Enter, Enter, Enter");
    }
}

#[test]
fn a_lookup_with_a_keyboard_alone() {
    let mut h = Harness::new(PORTRAIT);
    h.focus_on("lookup");
    h.enter();
    assert!(matches!(h.kiosk.screen, Screen::Lookup(_)));
    // A keyboard types the dossier code; the keys move to the lookup code.
    h.typed("001.h26-261128-0001");
    h.focus_along("lookup-secret");
    h.enter();
    h.typed("ab12");
    h.focus_on("lookup-go");
    h.enter();
    let Screen::Lookup(v) = &h.kiosk.screen else { panic!() };
    assert_eq!((v.code.as_str(), v.secret.as_str()), ("001.H26-261128-0001", "AB12"));
    // Standing alone there is no central to ask: said plainly.
    assert!(h.shows("Chưa kết nối được hệ thống để tra cứu. Xin thử lại sau ít phút, hoặc hỏi cán bộ tại quầy."));
    // Backspace deletes on a screen with a text, Escape goes back.
    h.key(Press::Erase);
    let Screen::Lookup(v) = &h.kiosk.screen else { panic!() };
    assert_eq!(v.secret, "AB1");
    h.key(Press::Back);
    assert_eq!(h.kiosk.screen, Screen::Welcome);
}

#[test]
fn the_lookup_answer_is_spoken_and_the_lookup_code_only_into_a_headset() {
    let mut h = Harness::new(PORTRAIT);
    h.tap("speech");
    h.tap("lookup");
    assert!(h.last_said().starts_with("Tra cứu hồ sơ"), "{}", h.last_said());
    h.tap("lookup-secret");
    let spoken = h.kiosk.spoken();
    assert!(spoken.personal, "the lookup code being typed is not for the hall");
    h.tap("key-A");
    h.tap("lookup-code");
    h.tap("key-1");
    h.tap("lookup-go");
    assert!(!h.kiosk.spoken().personal);
    // A code of the wrong shape is said to be so, aloud.
    assert!(h.last_said().contains("Mã hồ sơ chưa đúng dạng"), "{}", h.last_said());
    for key in [
        "0", ".", "H", "2", "6", "-", "2", "6", "1", "1", "2", "8", "-", "0", "0", "0", "1",
    ] {
        h.tap(&format!("key-{key}"));
    }
    h.tap("lookup-go");
    assert!(
        h.last_said().contains("Chưa kết nối được hệ thống để tra cứu"),
        "{}",
        h.last_said()
    );
}

#[test]
fn a_citizen_who_needs_it_gets_twice_the_time_and_hears_the_prompt() {
    let mut h = Harness::new(PORTRAIT);
    h.tap("access-text");
    h.tap("procedures");
    h.tick(65);
    assert_eq!(h.kiosk.idle_phase, Phase::Active, "60 s is doubled for large text");
    h.tick(125);
    assert!(matches!(h.kiosk.idle_phase, Phase::Warning { .. }));
    h.tap("still-here");
    h.tap("speech");
    h.send(Message::Activity(h.started + Duration::from_secs(200)));
    h.tick(330);
    assert!(matches!(h.kiosk.idle_phase, Phase::Warning { .. }));
    assert!(
        h.last_said().starts_with("Quý khách còn dùng máy không?"),
        "{}",
        h.last_said()
    );
    // Nobody answers: everything back to normal, normal time again.
    h.tick(400);
    assert_eq!(h.kiosk.screen, Screen::Welcome);
    assert_eq!(h.kiosk.access, Access::default());
    assert!(h.kiosk.said.is_empty(), "what was said leaves with the citizen");
    assert_eq!(h.kiosk.look.scale, 1.0);
    h.tap("procedures");
    h.tick(465);
    assert!(matches!(h.kiosk.idle_phase, Phase::Warning { .. }));
}

#[test]
fn text_size_and_contrast_switch_from_the_welcome_screen() {
    let mut h = Harness::new(PORTRAIT);
    let normal = h.kiosk.look.title;
    h.press("access-text");
    assert_eq!(h.kiosk.access.text, TextSize::Large);
    assert_eq!(h.kiosk.look.title, normal * 1.5);
    h.press("access-text");
    assert_eq!(h.kiosk.look.title, normal * 2.0);
    h.press("access-contrast");
    assert!(h.kiosk.look.contrast);
    assert_eq!(h.kiosk.look.c.background, iced::Color::BLACK);
    h.press("access-text");
    assert_eq!(h.kiosk.look.title, normal);
    h.press("access-contrast");
    assert_eq!(
        h.kiosk.look.c.background,
        motcua::ui::style::Look::from_brand(&h.kiosk.brand).c.background
    );
}

/// Every kiosk screen in large text (1.5× and 2×) and high contrast, in
/// portrait and landscape.
#[test]
fn every_screen_in_every_mode() {
    let modes: [(&str, Access); 3] = [
        (
            "large",
            Access {
                text: TextSize::Large,
                ..Access::default()
            },
        ),
        (
            "larger",
            Access {
                text: TextSize::Larger,
                ..Access::default()
            },
        ),
        (
            "contrast",
            Access {
                contrast: true,
                ..Access::default()
            },
        ),
    ];
    for (size, o) in [(PORTRAIT, "portrait"), (LANDSCAPE, "landscape")] {
        for (mode, access) in modes {
            let prepare = |h: &mut Harness| {
                if access.text != TextSize::Normal {
                    h.press("access-text");
                }
                if access.text == TextSize::Larger {
                    h.press("access-text");
                }
                if access.contrast {
                    h.press("access-contrast");
                }
            };
            every_screen(size, &locked_down(), prepare, |h, name| {
                h.snapshot(&format!("{mode}-{name}-{o}"))
            });
            every_display_screen(size, prepare, |h, name| h.snapshot(&format!("{mode}-{name}-{o}")));
        }
    }
}

/// A portrait kiosk whose top is out of reach from a wheelchair: every
/// option of every screen shows within the band (380 to 1,220 mm from the
/// floor), and what shows above it is only to read.
#[test]
fn with_low_reach_every_option_of_every_screen_is_within_the_band() {
    let mut config = locked_down();
    config.kiosk.reach = Some(motcua_core::reach::Reach::default());
    let mut screens = 0;
    every_screen(
        PORTRAIT,
        &config,
        |_| {},
        |h, name| {
            let band = h.kiosk.reach_band().expect("the top of the screen is out of reach");
            let spoken = h.kiosk.spoken();
            let mut ui = h.ui();
            for choice in spoken.rows.iter().flatten() {
                let target = ui
                    .find(selector::id(choice.id.clone()))
                    .unwrap_or_else(|e| panic!("{name}: `{}` is not shown: {e}", choice.id));
                // An option scrolled out of sight is brought into the band
                // by scrolling, never above it.
                if let Some(b) = target.visible_bounds() {
                    assert!(
                        b.y >= band.top - 0.5 && b.y + b.height <= band.bottom + 0.5,
                        "{name}: `{}` at {:.0}..{:.0} px is outside the band {:.0}..{:.0}",
                        choice.id,
                        b.y,
                        b.y + b.height,
                        band.top,
                        band.bottom
                    );
                }
            }
            // The office mark, for IT staff, is the only thing pressed above.
            h.snapshot(&format!("reach-{name}-portrait"));
            screens += 1;
        },
    );
    assert_eq!(screens, 19);
}

/// The printed ticket of a citizen who chose larger text has a larger
/// number: the paper grows with it.
#[test]
fn large_text_prints_a_larger_number() {
    let printed_height = |larger: bool| {
        let mut h = Harness::new(PORTRAIT);
        if larger {
            h.tap("access-text");
        }
        h.press("take-ticket");
        h.press("group-A");
        h.press("lane-normal");
        h.press("print");
        let spooled = h._dir.path().join("spool/ticket-2026-11-28-A-001.png");
        let png = std::fs::read(&spooled).unwrap_or_else(|e| panic!("{spooled:?}: {e}"));
        // The height in the PNG header (IHDR), big-endian at byte 20.
        u32::from_be_bytes(png[20..24].try_into().unwrap())
    };
    let (normal, large) = (printed_height(false), printed_height(true));
    assert!(large > normal, "large text printed {large} dots high, normal {normal}");
}

/// Every key of the search and comment keyboards shows whole and full
/// height on the screen, at every text size, portrait and landscape.
#[test]
fn the_keyboards_fit_at_every_text_size() {
    use motcua::ui::screen::keyboard::{self, Key};
    for (size, o) in [(PORTRAIT, "portrait"), (LANDSCAPE, "landscape")] {
        for presses in 0..3 {
            let mode = ["normal", "1.5x", "2x"][presses];
            let check = |h: &Harness, screen: &str| {
                let mut ui = h.ui();
                for key in keyboard::rows(&keyboard::LETTERS, true).iter().flatten() {
                    let id = Key::id(key);
                    let b = ui
                        .find(selector::id(id.clone()))
                        .unwrap_or_else(|e| panic!("no `{id}` on {screen}, {mode} {o}: {e}"))
                        .visible_bounds()
                        .unwrap_or_else(|| panic!("`{id}` is off the {screen} screen, {mode} {o}"));
                    assert!(
                        b.height >= 72.0,
                        "`{id}` is {} px high on {screen}, {mode} {o}",
                        b.height
                    );
                    assert!(
                        b.y + b.height <= size.height,
                        "`{id}` at {b:?} is cut off on {screen}, {mode} {o}"
                    );
                }
            };
            let mut h = Harness::new(size);
            for _ in 0..presses {
                h.press("access-text");
            }
            h.press("procedures");
            h.press("open-search");
            check(&h, "search");
            h.press("home");
            h.press("rate");
            h.press("rate-neutral");
            h.press("rate-comment");
            check(&h, "rate comment");
        }
    }
}

/// At a counter's citizen display, the citizen served chose high contrast:
/// they are asked for their rating in it; the next citizen called starts
/// normal once the answer is in.
#[test]
fn the_served_citizen_rates_in_the_mode_they_chose() {
    let mut h = Harness::with_config(PORTRAIT, &super::kiosk_ui::counter_display_config());
    h.send(super::kiosk_ui::queue_event("called", 41, "B-023", "3"));
    h.tap("access-contrast");
    h.send(super::kiosk_ui::queue_event("completed", 41, "B-023", "3"));
    assert!(matches!(h.kiosk.screen, Screen::Rate(_)));
    assert!(h.kiosk.access.contrast, "the same citizen, the same contrast");
    h.tap("rate-satisfied");
    h.tap("rate-send");
    h.send(super::kiosk_ui::queue_event("called", 42, "B-024", "3"));
    assert_eq!(h.kiosk.access, Access::default(), "the next citizen starts normal");
}
