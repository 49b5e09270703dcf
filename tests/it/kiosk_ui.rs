//! The citizen's walks through the kiosk, run headless with iced_test:
//! every flow by widget id, and a snapshot of every screen in portrait
//! and landscape under tests/snapshots/.
//!
//! Snapshots are compared pixel for pixel, and a missing one fails. To
//! accept a deliberate change, run with `MOTCUA_UPDATE_SNAPSHOTS=1` and
//! look at the new PNGs before committing them.

use motcua_testkit as kit;
use motcua_testkit::ui::settings;

use std::time::{Duration, Instant};

use iced::Size;
use iced_test::{Simulator, selector};
use jiff::Timestamp;

use motcua::branding::Brand;
use motcua::config::Config;
use motcua::i18n::Lang;
use motcua::setup::{Fault, Ready, Setup};
use motcua::store::{Store, StoreError};
use motcua::sync::events::Event;
use motcua::ui::app::{App, Kiosk, LANDSCAPE, Message, PORTRAIT, PrintState, Screen};
use motcua::ui::screen::lane;
use motcua_api::model::{QueueEvent, TicketStatus};
use motcua_core::catalog::Catalog;
use motcua_core::idle::Phase;
use motcua_core::queue::Lane;

/// 09:41 on Saturday 28 November 2026 in Hà Nội.
const NOW: &str = "2026-11-28T02:41:00Z";

pub(crate) fn now() -> Timestamp {
    NOW.parse().unwrap()
}

pub(crate) struct Harness {
    pub(crate) kiosk: Kiosk,
    pub(crate) started: Instant,
    pub(crate) _dir: tempfile::TempDir,
}

impl Harness {
    pub(crate) fn new(size: Size) -> Self {
        Self::with_config(size, &Config::default())
    }

    pub(crate) fn with_config(size: Size, config: &Config) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let catalog = Catalog::demo();
        let ready = Ready::new(catalog, store, dir.path().to_path_buf());
        let started = Instant::now();
        let mut kiosk = Kiosk::new(ready, config, Brand::builtin(), None, now(), started);
        kiosk.viewport = size;
        Self {
            kiosk,
            started,
            _dir: dir,
        }
    }

    pub(crate) fn ui(&self) -> Simulator<'_, Message> {
        Simulator::with_size(settings(), self.kiosk.viewport, self.kiosk.view())
    }

    /// Feeds a message, and the messages its effects produce, as the
    /// runtime would.
    pub(crate) fn send(&mut self, message: Message) {
        let effect = self.kiosk.update(message);
        if let Some(next) = self.kiosk.run_now(effect) {
            self.send(next);
        }
    }

    /// Presses the widget with `id`, like a finger would.
    pub(crate) fn tap(&mut self, id: &str) {
        let mut ui = self.ui();
        let target = ui
            .click(selector::id(id.to_string()))
            .unwrap_or_else(|e| panic!("cannot press `{id}` on {:?}: {e}", self.kiosk.screen));
        // Everything a finger presses is at least 72 px high.
        let height = target.bounds().height;
        assert!(height >= 72.0, "`{id}` is only {height} px high");
        let messages: Vec<Message> = ui.into_messages().collect();
        assert!(!messages.is_empty(), "pressing `{id}` did nothing");
        for m in messages {
            self.send(m);
        }
    }

    /// Focuses a field and types into it, as the kiosk's scanner does.
    pub(crate) fn type_into(&mut self, id: &str, text: &str, enter: bool) {
        let mut ui = self.ui();
        ui.click(selector::id(id.to_string()))
            .unwrap_or_else(|e| panic!("no field {id}: {e}"));
        ui.typewrite(text);
        if enter {
            ui.tap_key(iced::keyboard::Key::Named(iced::keyboard::key::Named::Enter));
        }
        let messages: Vec<Message> = ui.into_messages().collect();
        for m in messages {
            self.send(m);
        }
    }

    pub(crate) fn shows(&self, text: &str) -> bool {
        self.ui().find(text).is_ok()
    }

    pub(crate) fn snapshot(&self, name: &str) {
        snapshot(&mut self.ui(), &self.kiosk.look.theme(), name);
    }

    /// What the kiosk queued for central, oldest first: (key, body).
    pub(crate) fn outbox(&self) -> Vec<(String, serde_json::Value)> {
        let c = rusqlite::Connection::open(self._dir.path().join(motcua::store::DB_FILE)).unwrap();
        let mut q = c
            .prepare("SELECT idempotency_key, body FROM outbox ORDER BY id")
            .unwrap();
        q.query_map([], |r| Ok((r.get(0)?, r.get::<_, String>(1)?)))
            .unwrap()
            .map(|r| {
                let (k, b) = r.unwrap();
                (k, serde_json::from_str(&b).unwrap())
            })
            .collect()
    }

    /// The idle clock `secs` seconds after start.
    pub(crate) fn tick(&mut self, secs: u64) {
        self.send(Message::Tick(self.started + Duration::from_secs(secs), now()));
    }
}

fn snapshot(ui: &mut Simulator<'_, Message>, theme: &iced::Theme, name: &str) {
    kit::ui::assert_snapshot(&ui.snapshot(theme).expect("the screen renders"), name);
}

pub(crate) fn both(f: impl Fn(Size, &str)) {
    f(PORTRAIT, "portrait");
    f(LANDSCAPE, "landscape");
}

#[test]
fn take_a_ticket_from_the_welcome_screen() {
    both(|size, o| {
        let mut h = Harness::new(size);
        h.snapshot(&format!("welcome-{o}"));
        assert!(h.shows("Lấy số thứ tự"));

        h.tap("take-ticket");
        assert_eq!(h.kiosk.screen, Screen::Groups);
        h.snapshot(&format!("groups-{o}"));

        h.tap("group-A");
        assert!(matches!(h.kiosk.screen, Screen::Lane(ref s) if s.group == "A"));
        h.snapshot(&format!("lane-{o}"));

        h.tap("lane-normal");
        let Screen::Ticket(view) = &h.kiosk.screen else {
            panic!("no ticket: {:?}", h.kiosk.screen)
        };
        assert_eq!(view.ticket.number.to_string(), "A-001");
        assert_eq!(view.ahead, 0);
        assert!(h.shows("A-001"));
        assert!(h.shows("Quý khách sẽ được gọi tiếp theo"));
        h.snapshot(&format!("ticket-{o}"));

        h.tap("print");
        let Screen::Ticket(view) = &h.kiosk.screen else {
            panic!()
        };
        assert_eq!(view.print, PrintState::Printed);
        let spooled = h._dir.path().join("spool/ticket-2026-11-28-A-001.png");
        assert!(spooled.exists(), "{spooled:?}");

        h.tap("done");
        assert_eq!(h.kiosk.screen, Screen::Welcome);
    });
}

#[test]
fn a_second_ticket_counts_the_first_as_ahead() {
    let mut h = Harness::new(PORTRAIT);
    for _ in 0..2 {
        h.tap("take-ticket");
        h.tap("group-B");
        h.tap("lane-normal");
        h.tap("done");
    }
    h.tap("take-ticket");
    assert!(h.shows("2 người đang chờ"), "the group shows its queue");
    h.tap("group-B");
    h.tap("lane-priority");
    let Screen::Ticket(view) = &h.kiosk.screen else {
        panic!()
    };
    assert_eq!(view.ticket.number.to_string(), "B-003");
    assert_eq!(view.ticket.lane, Lane::Priority);
    // A fresh queue serves priority first: nobody is ahead.
    assert_eq!(view.ahead, 0);
    h.snapshot("ticket-priority-portrait");
}

#[test]
fn a_double_tap_issues_one_ticket() {
    let mut h = Harness::new(PORTRAIT);
    h.tap("take-ticket");
    h.tap("group-A");
    // Two taps arrive before the first commit comes back.
    let first = h.kiosk.update(Message::Lane(lane::Message::Take(Lane::Normal)));
    let second = h.kiosk.update(Message::Lane(lane::Message::Take(Lane::Normal)));
    assert_eq!(second, motcua::ui::app::Effect::None);
    let done = h.kiosk.run_now(first).unwrap();
    h.send(done);
    assert!(matches!(&h.kiosk.screen, Screen::Ticket(v) if v.ticket.number.number == 1));
}

#[test]
fn browse_a_field_read_a_procedure_and_queue_for_it() {
    both(|size, o| {
        let mut h = Harness::new(size);
        h.tap("procedures");
        assert_eq!(h.kiosk.screen, Screen::Fields);
        h.snapshot(&format!("fields-{o}"));

        h.tap("field-0");
        let Screen::Procedures { field } = &h.kiosk.screen else {
            panic!()
        };
        let first = h.kiosk.catalog.procedures_of(field).next().unwrap().clone();
        h.snapshot(&format!("procedures-{o}"));

        h.tap("item-0");
        assert_eq!(
            h.kiosk.screen,
            Screen::Detail {
                code: first.code.clone()
            }
        );
        assert!(h.shows(&first.name));
        // Filing online costs less: shown, and said.
        assert!(h.shows("Nộp trực tuyến: Miễn phí (ít hơn 5.000 đồng)"));
        assert!(h.kiosk.spoken().hint.contains("Nộp hồ sơ trực tuyến tốn ít phí hơn"));
        h.snapshot(&format!("detail-{o}"));

        h.tap("take-ticket-for");
        h.tap("lane-normal");
        let Screen::Ticket(view) = &h.kiosk.screen else {
            panic!()
        };
        assert_eq!(view.ticket.procedure.as_deref(), Some(first.code.as_str()));
        assert_eq!(view.ticket.number.group, first.group);

        // Back from the ticket goes to the start, not to a second ticket.
        h.send(Message::Back);
        assert_eq!(h.kiosk.screen, Screen::Welcome);
    });
}

#[test]
fn search_without_diacritics_on_the_screen_keyboard() {
    both(|size, o| {
        let mut h = Harness::new(size);
        h.tap("procedures");
        h.tap("open-search");
        h.snapshot(&format!("search-empty-{o}"));
        for key in [
            "key-k",
            "key-h",
            "key-a",
            "key-i",
            "key-space",
            "key-s",
            "key-i",
            "key-n",
            "key-h",
        ] {
            h.tap(key);
        }
        let Screen::Search(search) = &h.kiosk.screen else {
            panic!()
        };
        let (query, hits) = (&search.query, &search.hits);
        assert_eq!(query, "khai sinh");
        let top = &h.kiosk.catalog.procedures[hits[0]];
        assert!(
            motcua_core::search::fold(&top.name).contains("khai sinh"),
            "{}",
            top.name
        );
        h.snapshot(&format!("search-{o}"));

        h.tap("item-0");
        assert!(matches!(h.kiosk.screen, Screen::Detail { .. }));
        h.send(Message::Back);
        assert!(
            matches!(h.kiosk.screen, Screen::Search(_)),
            "back returns to the results"
        );
    });
}

#[test]
fn a_search_that_finds_nothing_says_so() {
    let mut h = Harness::new(PORTRAIT);
    h.tap("procedures");
    h.tap("open-search");
    for key in ["key-q", "key-q", "key-q", "key-x"] {
        h.tap(key);
    }
    assert!(h.shows("Không tìm thấy thủ tục phù hợp. Hãy thử từ khác, hoặc chọn theo lĩnh vực."));
    h.tap("key-clear");
    assert!(matches!(&h.kiosk.screen, Screen::Search(s) if s.query.is_empty()));
}

#[test]
fn english_on_the_welcome_screen() {
    both(|size, o| {
        let mut h = Harness::new(size);
        h.tap("lang-en");
        assert_eq!(h.kiosk.lang, Lang::En);
        assert!(h.shows("Take a queue ticket"));
        h.snapshot(&format!("welcome-en-{o}"));
        h.tap("lang-vi");
        assert!(h.shows("Lấy số thứ tự"));
    });
}

#[test]
fn idle_warning_then_reset_clears_everything() {
    both(|size, o| {
        let mut h = Harness::new(size);
        h.tap("lang-en");
        h.tap("procedures");
        h.tap("field-0");
        h.tick(59);
        assert_eq!(h.kiosk.idle_phase, Phase::Active);
        h.tick(65);
        assert_eq!(h.kiosk.idle_phase, Phase::Warning { seconds_left: 15 });
        assert!(h.shows("The screen returns to the start in 15 seconds."));
        h.snapshot(&format!("idle-{o}"));

        // "Continue" keeps the citizen where they were.
        h.tap("still-here");
        assert_eq!(h.kiosk.idle_phase, Phase::Active);
        assert!(matches!(h.kiosk.screen, Screen::Procedures { .. }));

        // Nobody answers the next warning: back to the start, in Vietnamese.
        h.send(Message::Activity(h.started + Duration::from_secs(70)));
        h.tick(130);
        assert!(matches!(h.kiosk.idle_phase, Phase::Warning { .. }));
        h.tick(150);
        assert_eq!(h.kiosk.screen, Screen::Welcome);
        assert_eq!(h.kiosk.lang, Lang::Vi);
        assert_eq!(h.kiosk.idle_phase, Phase::Active);
        h.send(Message::Back);
        assert_eq!(h.kiosk.screen, Screen::Welcome, "no history is left behind");
    });
}

#[test]
fn the_welcome_screen_never_times_out() {
    let mut h = Harness::new(PORTRAIT);
    h.tick(500);
    assert_eq!(h.kiosk.idle_phase, Phase::Active);
}

#[test]
fn rate_the_service() {
    both(|size, o| {
        let mut h = Harness::new(size);
        h.tap("rate");
        h.snapshot(&format!("rate-{o}"));
        h.tap("rate-unsatisfied");
        assert!(h.shows("Quý khách muốn góp ý về điều gì?"));
        h.tap("criterion-time");
        h.tap("criterion-facilities");
        h.tap("criterion-staff");
        h.tap("criterion-staff");
        h.snapshot(&format!("rate-details-{o}"));
        h.tap("rate-comment");
        for key in CHO_LAU {
            h.tap(key);
        }
        h.snapshot(&format!("rate-comment-{o}"));
        h.tap("rate-comment");
        assert!(h.shows("chờ lâu"), "the comment shows once the keyboard closes");
        assert!(h.outbox().is_empty(), "nothing is stored before it is sent");
        h.tap("rate-send");
        let Screen::Rate(v) = &h.kiosk.screen else {
            panic!("not rating: {:?}", h.kiosk.screen)
        };
        assert!(v.saved && !v.failed);
        h.snapshot(&format!("rate-thanks-{o}"));
        let outbox = h.outbox();
        assert_eq!(outbox.len(), 1);
        let body = &outbox[0].1;
        assert_eq!(body["answer"], "unsatisfied");
        assert_eq!(body["criteria"], serde_json::json!(["time", "facilities"]));
        assert_eq!(body["comment"], "chờ lâu");
        assert!(
            body.get("ticket_id").is_none(),
            "a rating at the hall kiosk names no ticket"
        );
        h.tap("rate-done");
        assert_eq!(h.kiosk.screen, Screen::Welcome);
    });
}

/// "chờ lâu" on the on-screen keyboard: the mark after the syllable's
/// letters, as on a phone.
const CHO_LAU: [&str; 8] = [
    "key-c",
    "key-h",
    "key-ơ",
    "key-tone-huyen",
    "key-space",
    "key-l",
    "key-â",
    "key-u",
];

#[test]
fn a_comment_with_tone_marks_from_the_tone_keys() {
    let mut h = Harness::new(PORTRAIT);
    h.tap("rate");
    h.tap("rate-satisfied");
    h.tap("rate-comment");
    for key in CHO_LAU {
        h.tap(key);
    }
    assert!(h.shows("chờ lâu▏"));
    // The same tone again takes the mark off, another one puts its own.
    h.tap("key-tone-huyen");
    h.tap("key-tone-sac");
    h.tap("key-tone-sac");
    assert!(h.shows("chờ lâu▏"));
    h.tap("rate-comment");
    h.tap("rate-send");
    let outbox = h.outbox();
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0].1["comment"], "chờ lâu");
}

#[test]
fn telex_from_a_keyboard_types_a_comment() {
    let mut h = Harness::new(PORTRAIT);
    h.tap("rate");
    h.tap("rate-satisfied");
    h.tap("rate-comment");
    for c in "Nguwowif tieeps ddons raats toots".chars() {
        h.send(Message::Rate(motcua::ui::screen::rate::Message::Key(
            motcua::ui::screen::keyboard::Key::Telex(c),
        )));
    }
    h.tap("rate-comment");
    h.tap("rate-send");
    assert_eq!(h.outbox()[0].1["comment"], "Người tiếp đón rất tốt");
}

#[test]
fn the_keyboard_fits_the_screen_with_every_key_large() {
    use motcua::ui::screen::keyboard::{self, Key};
    both(|size, o| {
        let mut h = Harness::new(size);
        h.tap("procedures");
        h.tap("open-search");
        let check = |h: &Harness, keys: Vec<Vec<Key>>, screen: &str| {
            let mut ui = h.ui();
            for key in keys.iter().flatten() {
                let id = key.id();
                let b = ui
                    .find(selector::id(id.clone()))
                    .unwrap_or_else(|e| panic!("no `{id}` on {screen} {o}: {e}"))
                    .bounds();
                assert!(b.height >= 72.0, "`{id}` is {} px high on {screen} {o}", b.height);
                assert!(
                    b.x >= 0.0 && b.y >= 0.0 && b.x + b.width <= size.width && b.y + b.height <= size.height,
                    "`{id}` at {b:?} is off the {screen} screen {o}"
                );
            }
        };
        check(&h, keyboard::rows(&keyboard::LETTERS, true), "search");
        h.send(Message::Home);
        h.tap("rate");
        h.tap("rate-neutral");
        h.tap("rate-comment");
        check(&h, keyboard::rows(&keyboard::LETTERS, true), "rate");
    });
}

#[test]
fn a_face_chosen_then_left_still_counts_once() {
    let mut h = Harness::new(PORTRAIT);
    h.tap("rate");
    h.tap("rate-neutral");
    // Back goes to the faces, to choose again; nothing is stored.
    h.send(Message::Back);
    assert!(matches!(&h.kiosk.screen, Screen::Rate(v) if v.answer.is_none()));
    h.tap("rate-satisfied");
    h.tick(120);
    assert_eq!(h.kiosk.screen, Screen::Welcome, "the citizen walked away");
    let outbox = h.outbox();
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0].1["answer"], "satisfied");
    // Leaving the faces without choosing stores nothing.
    h.tap("rate");
    h.send(Message::Home);
    assert_eq!(h.outbox().len(), 1);
}

pub(crate) fn queue_event(kind: &str, id: i64, display: &str, counter: &str) -> Message {
    let (group, number) = display.split_once('-').unwrap();
    Message::Queue(Event::Queue(Box::new(QueueEvent {
        kind: kind.parse().unwrap(),
        office: "000.00.01.H26".into(),
        ticket: motcua_api::model::Ticket {
            id,
            office: "000.00.01.H26".into(),
            day: "2026-11-28".into(),
            group: group.into(),
            slot: 0,
            number: number.parse().unwrap(),
            display: display.into(),
            lane: Lane::Normal,
            procedure: None,
            issued_at: "2026-11-28T02:00:00Z".into(),
            status: if kind == "completed" {
                TicketStatus::Done
            } else {
                TicketStatus::Called
            },
            counter: Some(counter.into()),
            same_lane_ahead: 0,
            other_lane_waiting: 0,
        },
        waiting: Vec::new(),
        call: 1,
    })))
}

pub(crate) fn counter_display_config() -> Config {
    let mut config = Config::default();
    config.kiosk.counter_display = Some("3".into());
    config
}

#[test]
fn a_counter_display_asks_each_served_citizen_once() {
    both(|size, o| {
        let mut h = Harness::with_config(size, &counter_display_config());
        assert!(h.shows("Quầy số 3"));
        assert!(!h.shows("Lấy số thứ tự"), "a counter display gives out no tickets");
        h.send(queue_event("called", 41, "B-023", "3"));
        assert!(h.shows("B-023"));
        h.snapshot(&format!("display-serving-{o}"));
        // Another counter's events are not this display's business.
        h.send(queue_event("completed", 40, "A-007", "4"));
        assert_eq!(h.kiosk.screen, Screen::Welcome);

        h.send(queue_event("completed", 41, "B-023", "3"));
        assert!(h.shows("Lượt phục vụ số B-023"));
        h.snapshot(&format!("display-rate-{o}"));
        h.tap("rate-satisfied");
        h.tap("criterion-staff");
        h.snapshot(&format!("display-rate-details-{o}"));
        // The next citizen is called while this one is still answering:
        // the answer is not cut short.
        h.send(queue_event("called", 42, "B-024", "3"));
        assert!(matches!(&h.kiosk.screen, Screen::Rate(v) if v.answer.is_some()));
        h.tap("rate-send");
        assert!(matches!(&h.kiosk.screen, Screen::Rate(v) if v.saved));
        let outbox = h.outbox();
        assert_eq!(outbox.len(), 1);
        assert_eq!(outbox[0].0, "rating-ticket-41");
        assert_eq!(outbox[0].1["ticket_id"], 41);
        assert_eq!(outbox[0].1["criteria"], serde_json::json!(["staff"]));

        // The same completion again (a reconnect replays it): the first
        // answer stands, the citizen is thanked, nothing more is queued.
        h.send(queue_event("completed", 41, "B-023", "3"));
        h.tap("rate-unsatisfied");
        h.tap("rate-send");
        assert!(matches!(&h.kiosk.screen, Screen::Rate(v) if v.saved && !v.failed));
        assert_eq!(h.outbox().len(), 1);

        // Skipping after a face keeps the face; skipping before keeps nothing.
        h.send(queue_event("completed", 42, "B-024", "3"));
        h.tap("rate-neutral");
        h.tap("rate-skip");
        assert_eq!(h.kiosk.screen, Screen::Welcome);
        h.send(queue_event("completed", 43, "B-025", "3"));
        h.tap("rate-skip");
        let keys: Vec<String> = h.outbox().into_iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["rating-ticket-41", "rating-ticket-42"]);
    });
}

#[test]
fn lookup_by_typed_code_says_plainly_when_it_cannot_answer() {
    both(|size, o| {
        let mut h = Harness::new(size);
        h.tap("lookup");
        assert!(h.shows("Tra cứu hồ sơ"));
        for key in ["key-0", "key-0", "key-1", "key-.", "key-H", "key-2", "key-6"] {
            h.tap(key);
        }
        h.tap("lookup-secret");
        for key in ["key-A", "key-B", "key-1", "key-2"] {
            h.tap(key);
        }
        h.snapshot(&format!("lookup-{o}"));
        h.tap("lookup-go");
        // Half a code: the kiosk says what a code looks like, and asks no one.
        assert!(h.shows("Mã hồ sơ chưa đúng dạng: mã cơ quan, ngày nhận (6 chữ số) và số thứ tự, ví dụ H26.22.15-261128-0001. Xin kiểm tra lại trên giấy biên nhận."));
        h.tap("lookup-code");
        for key in [
            "key--", "key-2", "key-6", "key-1", "key-1", "key-2", "key-8", "key--", "key-1", "key-2", "key-0", "key-0",
            "key-0",
        ] {
            h.tap(key);
        }
        h.tap("lookup-go");
        // Standing alone there is no central to ask.
        assert!(h.shows("Chưa kết nối được hệ thống để tra cứu. Xin thử lại sau ít phút, hoặc hỏi cán bộ tại quầy."));
        let Screen::Lookup(v) = &h.kiosk.screen else { panic!() };
        assert_eq!((v.code.as_str(), v.secret.as_str()), ("001.H26-261128-12000", "AB12"));
        h.tap("home");
        assert_eq!(h.kiosk.screen, Screen::Welcome);
    });
}

#[test]
fn a_scanned_receipt_shows_where_the_dossier_stands() {
    use motcua::sync::{Client, Link};
    use motcua_api::model::Role;
    let central_dir = tempfile::tempdir().unwrap();
    let central = kit::start_central(central_dir.path());
    let enroll = |role| kit::enroll_direct(central_dir.path(), role, "t");
    let (_, counter) = enroll(Role::Counter);
    let (kiosk_device, kiosk) = enroll(Role::Kiosk);
    // A dossier taken in at a counter, then processed.
    let payload = motcua::receipt::Payload {
        key_id: 1,
        office: "000.00.01.H26".into(),
        dossier_code: "000.00.01.H26-261128-0042".into(),
        procedure: "1.001193".into(),
        received: now(),
        appointment: jiff::civil::date(2026, 11, 30),
        secret: [0xAB, 0xCD, 0xEF, 1, 2, 3, 4, 5],
    };
    let secret = motcua::receipt::secret_text(&payload.secret);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let counter_client = Client::new(&central.url(), &counter, Duration::from_secs(3));
    let body = serde_json::json!({
        "procedure_code": "1.001193", "procedure_name": "Thủ tục đăng ký khai sinh",
        "applicant": {"name": "Phạm Thị Thử", "id_number": "001199000001", "kind": 1, "phone": "0911111111", "address": "Hà Nội"},
        "received_at": "2026-11-28T02:41:00Z", "due_at": "2026-11-30T09:00:00Z", "status": 2, "channel": 1,
        "lookup_secret": secret,
    });
    let record = motcua::store::OutboxRecord {
        id: 1,
        kind: "dossier".into(),
        key: "d-42".into(),
        body: serde_json::json!({"code": payload.dossier_code, "dossier": body}).to_string(),
        attempts: 0,
    };
    rt.block_on(counter_client.deliver(&record)).unwrap();

    let mut h = Harness::new(PORTRAIT);
    let store = Store::open(&h._dir.path().join("k")).unwrap();
    let mut ready = Ready::new(Catalog::demo(), store, h._dir.path().join("k"));
    ready.link = Some(Link::new(
        Client::new(&central.url(), &kiosk, Duration::from_secs(3)),
        ready.store.clone(),
        (&kiosk_device).into(),
    ));
    h.kiosk = Kiosk::new(ready, &Config::default(), Brand::builtin(), None, now(), h.started);
    h.kiosk.viewport = PORTRAIT;
    h.tap("lookup");
    let text = payload.sign(&ed25519_dalek::SigningKey::from_bytes(&[3; 32])).unwrap();
    h.type_into("lookup-scan", &text, true);
    assert!(
        h.shows("Hồ sơ đã được tiếp nhận và đang chờ xử lý."),
        "{:?}",
        h.kiosk.screen
    );
    assert!(h.shows("Hồ sơ 000.00.01.H26-261128-0042"));
    assert!(!h.shows("Phạm Thị Thử"), "no personal data on the kiosk");
    // A wrong secret finds nothing.
    h.tap("lookup-secret");
    h.tap("key-backspace");
    h.tap("key-0");
    h.tap("lookup-go");
    assert!(h.shows("Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu này. Xin kiểm tra lại trên giấy biên nhận."));
    // Something that is not a receipt.
    h.type_into("lookup-scan", "https://example.com", true);
    assert!(h.shows("Mã vừa quét không phải giấy biên nhận hồ sơ. Xin quét mã QR trên giấy biên nhận."));
}

#[test]
fn a_failed_commit_shows_an_error_and_allows_a_retry() {
    let mut h = Harness::new(PORTRAIT);
    h.tap("take-ticket");
    h.tap("group-A");
    let _ = h.kiosk.update(Message::Lane(lane::Message::Take(Lane::Normal)));
    h.send(Message::Issued(Err(StoreError::ReadOnly { path: "/x".into() })));
    assert!(matches!(
        h.kiosk.screen,
        Screen::Lane(ref s) if s.failed && !s.issuing
    ));
    assert!(h.shows("Chưa cấp được số thứ tự. Xin thử lại, hoặc nhờ cán bộ hướng dẫn."));
    h.snapshot("lane-error-portrait");
    h.tap("lane-normal");
    assert!(matches!(h.kiosk.screen, Screen::Ticket(_)));
}

fn fault_app(fault: Fault) -> App {
    let setup = Setup {
        config: Config::default(),
        brand: Brand::builtin(),
        brand_error: None,
        ready: Err(fault),
    };
    App::new(setup, now(), Instant::now())
}

#[test]
fn fault_screens_say_what_is_wrong_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("motcua.db"),
        b"this is not a database, just text; ".repeat(300),
    )
    .unwrap();
    // The real error, moved to a fixed path so the snapshot does not
    // depend on the temporary directory's name.
    let corrupt = match Store::open(dir.path()) {
        Err(StoreError::Corrupt { reason, .. }) => StoreError::Corrupt {
            path: "/var/lib/motcua/motcua.db".into(),
            reason,
        },
        other => panic!("expected a corrupt database, got {other:?}"),
    };
    let cases = [
        ("fault-db", Fault::Store(corrupt)),
        (
            "fault-catalog",
            Fault::CatalogInvalid {
                path: "/etc/motcua/catalog.toml".into(),
                problems: Catalog::from_toml("[catalog]\nname = \"x\"\n[[groups]]\nletter = \"a\"\nname = \"x\"\n")
                    .unwrap_err(),
            },
        ),
    ];
    for (name, fault) in cases {
        for (size, o) in [(PORTRAIT, "portrait"), (LANDSCAPE, "landscape")] {
            let app = fault_app(fault.clone());
            let mut ui = Simulator::with_size(settings(), size, app.view());
            assert!(ui.find("Máy tạm ngừng phục vụ").is_ok());
            assert!(ui.find("This kiosk is out of service").is_ok());
            snapshot(&mut ui, &app.theme(), &format!("{name}-{o}"));
        }
    }
}

#[test]
fn a_broken_theme_still_serves_with_a_notice() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("theme.toml"), "[palette]\nprimary = \"red\"\n").unwrap();
    let (brand, error) = Brand::load_or_builtin("broken", Some(dir.path()));
    assert!(error.is_some());
    let mut h = Harness::new(PORTRAIT);
    let ready = Ready::new(
        Catalog::demo(),
        Store::in_memory().unwrap(),
        h._dir.path().to_path_buf(),
    );
    h.kiosk = Kiosk::new(ready, &Config::default(), brand, error, now(), h.started);
    h.kiosk.viewport = PORTRAIT;
    let notice = h.kiosk.notice.clone().expect("a notice for IT staff");
    assert!(notice.contains("theme.toml"), "{notice}");
    assert!(h.shows(&notice));
    h.tap("take-ticket");
    assert_eq!(h.kiosk.screen, Screen::Groups);
}

#[test]
fn the_header_says_calmly_how_the_link_to_central_is() {
    use motcua::sync::Status;
    both(|size, o| {
        let mut h = Harness::new(size);
        h.kiosk.sync = Some(Status {
            online: false,
            offline_since: Some("2026-11-28T02:15:00Z".parse().unwrap()),
            pending: 3,
            failed: 0,
        });
        assert!(h.shows("Ngoại tuyến từ 09:15 · 3 chờ gửi"));
        h.snapshot(&format!("welcome-offline-{o}"));
        h.kiosk.sync = Some(Status {
            online: true,
            ..Status::default()
        });
        assert!(h.shows("Đã kết nối"));
    });
}

#[test]
fn a_linked_kiosk_takes_central_numbers_and_carries_on_when_central_is_gone() {
    use motcua::sync::{Client, Link};
    let central_dir = tempfile::tempdir().unwrap();
    let central = kit::start_central(central_dir.path());
    let (device, credential) = kit::enroll_direct(central_dir.path(), motcua_api::model::Role::Kiosk, "k");

    let mut h = Harness::new(PORTRAIT);
    let store = Store::open(&h._dir.path().join("linked")).unwrap();
    let mut ready = Ready::new(Catalog::demo(), store, h._dir.path().join("linked"));
    let client = Client::new(&central.url(), &credential, Duration::from_secs(2));
    ready.link = Some(Link::new(client, ready.store.clone(), (&device).into()));
    h.kiosk = Kiosk::new(ready, &Config::default(), Brand::builtin(), None, now(), h.started);
    h.kiosk.viewport = PORTRAIT;

    h.tap("take-ticket");
    h.tap("group-A");
    h.tap("lane-normal");
    assert!(matches!(&h.kiosk.screen, Screen::Ticket(v) if v.ticket.number.to_string() == "A-001"));
    h.tick(1);
    assert!(h.shows("Đã kết nối"));
    h.tap("done");

    central.stop();
    h.tap("take-ticket");
    h.tap("group-A");
    h.tap("lane-normal");
    let Screen::Ticket(view) = &h.kiosk.screen else {
        panic!("no ticket while central is gone: {:?}", h.kiosk.screen)
    };
    assert_eq!(view.ticket.number.to_string(), format!("A{}-001", device.slot));
    assert!(
        h.shows(&format!("A{}-001", device.slot)),
        "the offline number is on the screen"
    );
    h.tick(2);
    let status = h.kiosk.sync.clone().unwrap();
    assert!(!status.online);
    assert_eq!(status.pending, 1, "the offline ticket waits to be sent");
}

#[test]
fn a_printer_fault_is_said_plainly_and_printing_can_be_retried() {
    let mut h = Harness::new(PORTRAIT);
    let config = Config {
        printer: Some(motcua::print::device::Printer::Usb {
            device: "/dev/usb/lp-missing".into(),
        }),
        ..Config::default()
    };
    let ready = Ready::new(
        Catalog::demo(),
        Store::in_memory().unwrap(),
        h._dir.path().to_path_buf(),
    );
    h.kiosk = Kiosk::new(ready, &config, Brand::builtin(), None, now(), h.started);
    h.kiosk.viewport = PORTRAIT;
    h.tap("take-ticket");
    h.tap("group-C");
    h.tap("lane-normal");
    h.tap("print");
    let Screen::Ticket(view) = &h.kiosk.screen else {
        panic!()
    };
    assert!(matches!(
        view.print,
        PrintState::Failed(motcua::print::device::PrintError::NoDevice(_))
    ));
    assert!(h.shows("Chưa in được: Không tìm thấy máy in. Kiểm tra dây cáp và nguồn điện."));
    h.snapshot("ticket-print-failed-portrait");
    // The ticket is still there, committed; pressing print again retries.
    h.tap("print");
    assert!(matches!(&h.kiosk.screen, Screen::Ticket(v) if matches!(v.print, PrintState::Failed(_))));
}

#[test]
fn a_served_citizens_rating_reaches_central_with_the_counter_and_officer() {
    use motcua::sync::{Client, Link, events::follow};
    use motcua_api::model::{NewTicket, Role};
    let central_dir = tempfile::tempdir().unwrap();
    let central = kit::start_central(central_dir.path());
    let enroll = |role| kit::enroll_direct(central_dir.path(), role, "t");
    let client = |credential: &str| Client::new(&central.url(), credential, Duration::from_secs(3));
    let (display_device, display_credential) = enroll(Role::Kiosk);
    let counter = client(&enroll(Role::Counter).1);
    let hall_kiosk = client(&enroll(Role::Kiosk).1);

    // The citizen display of counter 3, linked to central.
    let mut h = Harness::with_config(PORTRAIT, &counter_display_config());
    let dir = h._dir.path().join("display");
    let mut ready = Ready::new(Catalog::demo(), Store::open(&dir).unwrap(), dir.clone());
    let link = Link::new(
        client(&display_credential),
        ready.store.clone(),
        (&display_device).into(),
    );
    ready.link = Some(link.clone());
    let display_store = ready.store.clone();
    h.kiosk = Kiosk::new(
        ready,
        &counter_display_config(),
        Brand::builtin(),
        None,
        now(),
        h.started,
    );
    h.kiosk.viewport = PORTRAIT;

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let mut events = Box::pin(follow(link.client().clone()));
    let mut next = || kit::next_event(&rt, &mut events);
    assert_eq!(next(), Event::Connected);
    let new = NewTicket {
        group: "B".into(),
        lane: Lane::Normal,
        procedure: None,
    };
    rt.block_on(hall_kiosk.issue_ticket(&new, "k1")).unwrap();
    h.send(Message::Queue(next()));
    assert_eq!(
        h.kiosk.screen,
        Screen::Welcome,
        "an issued ticket is not this counter's yet"
    );

    let called = rt
        .block_on(counter.call_next("3", &["B".to_string()], Some("CB01"), "c1"))
        .unwrap()
        .expect("a ticket waits");
    h.send(Message::Queue(next()));
    assert!(h.shows("B-001"), "the display shows who is served");
    rt.block_on(counter.ticket_action(called.id, "complete", "3", "c2"))
        .unwrap();
    h.send(Message::Queue(next()));
    assert!(h.shows("Lượt phục vụ số B-001"), "{:?}", h.kiosk.screen);
    h.tap("rate-unsatisfied");
    h.tap("criterion-time");
    h.tap("criterion-facilities");
    h.tap("rate-send");
    assert!(matches!(&h.kiosk.screen, Screen::Rate(v) if v.saved));

    link.block_on(link.drain());
    let db = rusqlite::Connection::open(central_dir.path().join("central.db")).unwrap();
    let row: (i64, String, String, String, String) = db
        .query_row(
            "SELECT ticket_id, answer, counter, officer, criteria FROM ratings",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap();
    assert_eq!(
        row,
        (
            called.id,
            "unsatisfied".into(),
            "3".into(),
            "CB01".into(),
            r#"["time","facilities"]"#.into()
        )
    );
    assert!(display_store.lock().unwrap().failed_records().unwrap().is_empty());

    // Another display rating the same ticket (a swapped screen with an old
    // outbox): central keeps the first answer and says why it refused.
    let other_dir = h._dir.path().join("other");
    let (other_device, other_credential) = enroll(Role::Kiosk);
    let other_store = std::sync::Arc::new(std::sync::Mutex::new(Store::open(&other_dir).unwrap()));
    let mut entry = motcua::store::RatingEntry::new(motcua::store::Rating::Satisfied);
    entry.ticket = Some(called.id);
    assert!(other_store.lock().unwrap().rate(&entry, now()).unwrap());
    let other = Link::new(client(&other_credential), other_store.clone(), (&other_device).into());
    other.block_on(other.drain());
    let failed = other_store.lock().unwrap().failed_records().unwrap();
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert!(failed[0].2.contains("already rated"), "{failed:?}");
    let answers: i64 = db.query_row("SELECT count(*) FROM ratings", [], |r| r.get(0)).unwrap();
    assert_eq!(answers, 1);
}

#[test]
fn it_staff_close_a_locked_down_kiosk_with_the_admin_pin_only() {
    both(|size, o| {
        let mut config = Config::default();
        config.admin.exit_pin_hash = Some(motcua::ui::admin::hash_pin("2468").unwrap());
        let mut h = Harness::with_config(size, &config);
        for _ in 0..4 {
            h.tap("mark");
        }
        assert_eq!(h.kiosk.screen, Screen::Welcome, "four taps are not enough");
        h.tap("mark");
        assert!(h.shows("Nhập mã PIN quản trị để đóng ứng dụng. Quý khách xin bấm \"Trang đầu\"."));
        for key in ["key-1", "key-3", "key-5", "key-7"] {
            h.tap(key);
        }
        h.snapshot(&format!("admin-{o}"));
        h.tap("admin-exit");
        assert!(h.shows("Mã PIN không đúng. Nhập sai thêm 4 lần nữa, màn hình sẽ bị khóa."));
        assert!(!h.kiosk.closed_by_admin);
        // A citizen who wandered in goes back to the start.
        h.tap("home");
        assert_eq!(h.kiosk.screen, Screen::Welcome);
        for _ in 0..5 {
            h.tap("mark");
        }
        for key in ["key-2", "key-4", "key-6", "key-8"] {
            h.tap(key);
        }
        h.tap("admin-exit");
        assert!(h.kiosk.closed_by_admin, "the right PIN closes the kiosk");
        assert!(motcua::ui::admin::exit_requested());
    });
}

#[test]
fn five_wrong_admin_pins_lock_the_pad_for_a_minute_and_say_so() {
    let mut config = Config::default();
    config.admin.exit_pin_hash = Some(motcua::ui::admin::hash_pin("2468").unwrap());
    let mut h = Harness::with_config(PORTRAIT, &config);
    let open_pad = |h: &mut Harness| {
        for _ in 0..5 {
            h.tap("mark");
        }
        assert!(matches!(h.kiosk.screen, Screen::Admin(_)));
    };
    let type_pin = |h: &mut Harness, pin: &str| {
        for digit in pin.chars() {
            h.tap(&format!("key-{digit}"));
        }
        h.tap("admin-exit");
    };
    open_pad(&mut h);
    for left in (1..5).rev() {
        type_pin(&mut h, "1357");
        let shown = if left == 1 {
            "Mã PIN không đúng. Nhập sai thêm 1 lần nữa, màn hình sẽ bị khóa.".to_string()
        } else {
            format!("Mã PIN không đúng. Nhập sai thêm {left} lần nữa, màn hình sẽ bị khóa.")
        };
        assert!(h.shows(&shown), "{shown}");
    }
    type_pin(&mut h, "1357");
    let locked = "Nhập sai mã PIN quá nhiều lần. Vui lòng thử lại sau 1 phút.";
    assert!(h.shows(locked));
    h.snapshot("admin-locked-portrait");
    h.kiosk.lang = Lang::En;
    assert!(h.shows("Too many wrong PINs. Try again in 1 minute."));
    h.kiosk.lang = Lang::Vi;

    // Locked: the right PIN does not close the kiosk, even after the pad is
    // closed and opened again.
    type_pin(&mut h, "2468");
    assert!(!h.kiosk.closed_by_admin, "no PIN is checked while locked");
    assert!(h.shows(locked));
    h.tap("home");
    open_pad(&mut h);
    assert!(h.shows(locked), "the lock-out is kept in the store, not in the pad");

    // A minute later on the kiosk's clock, the right PIN closes it.
    let later = now() + jiff::SignedDuration::from_secs(61);
    h.send(Message::Tick(h.started + Duration::from_secs(1), later));
    assert!(!h.shows(locked));
    type_pin(&mut h, "2468");
    assert!(h.kiosk.closed_by_admin);
}

#[test]
fn without_an_admin_pin_the_mark_is_only_a_mark() {
    let mut h = Harness::new(PORTRAIT);
    assert!(h.ui().find(selector::id("mark")).is_err());
    h.send(Message::AdminTap);
    for _ in 0..5 {
        h.send(Message::AdminTap);
    }
    assert_eq!(h.kiosk.screen, Screen::Welcome);
}

#[test]
fn a_locked_down_kiosk_without_a_cursor_still_answers_every_touch() {
    let mut h = Harness::new(PORTRAIT);
    let messages: Vec<Message> = {
        let mut ui = Simulator::with_size(settings(), PORTRAIT, motcua::ui::cursor::hidden(h.kiosk.view()));
        assert!(ui.find("Tra cứu hồ sơ").is_ok());
        ui.click(selector::id("lookup")).expect("the lookup button is there");
        ui.into_messages().collect()
    };
    for m in messages {
        h.send(m);
    }
    assert!(matches!(h.kiosk.screen, Screen::Lookup(_)));
}
