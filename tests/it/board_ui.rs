//! The hall board, headless: snapshots with no calls, one call, twelve
//! calls (the newest shown) and a long office name; and the board following a real central's
//! event stream while a counter calls, with the voice queue listening.

use motcua_testkit as kit;
use motcua_testkit::ui::settings;

use std::sync::Arc;
use std::time::{Duration, Instant};

use iced_test::Simulator;
use jiff::Timestamp;

use motcua::branding::Brand;
use motcua::sync::events::{Event, follow};
use motcua::ui::board::{Board, Message, SIZE};
use motcua::voice::{Announcer, Speaker, Synth, VoiceError};
use motcua_api::model::{GroupWaiting, QueueEvent, Role, Ticket};
use motcua_core::catalog::Catalog;
use motcua_core::queue::Lane;

fn now() -> Timestamp {
    "2026-11-28T02:41:00Z".parse().unwrap()
}

fn ticket(id: i64, group: &str, number: u32, counter: &str) -> Ticket {
    Ticket {
        id,
        office: "000.00.01.H26".into(),
        day: "2026-11-28".into(),
        group: group.into(),
        slot: 0,
        number,
        display: format!("{group}-{number:03}"),
        lane: Lane::Normal,
        procedure: None,
        issued_at: "2026-11-28T02:00:00Z".into(),
        status: motcua_api::model::TicketStatus::Called,
        counter: Some(counter.into()),
        same_lane_ahead: 0,
        other_lane_waiting: 0,
    }
}

fn snapshot(board: &Board, name: &str) {
    let mut ui = Simulator::with_size(settings(), SIZE, board.view());
    kit::ui::assert_snapshot(&ui.snapshot(&board.theme()).unwrap(), name);
}

fn board(brand: Brand) -> Board {
    let mut b = Board::new(brand, Arc::new(Catalog::demo()), None, None, now());
    b.waiting = vec![
        GroupWaiting {
            group: "A".into(),
            normal: 4,
            priority: 1,
        },
        GroupWaiting {
            group: "C".into(),
            normal: 2,
            priority: 0,
        },
    ];
    b
}

#[test]
fn board_snapshots() {
    let b = board(Brand::builtin());
    snapshot(&b, "board-empty");

    let mut b = board(Brand::builtin());
    b.called = vec![ticket(1, "B", 23, "3")];
    b.highlight = Some((1, Instant::now() + Duration::from_secs(8)));
    snapshot(&b, "board-one-call");

    let mut b = board(Brand::builtin());
    b.called = (0..12)
        .map(|i| {
            ticket(
                i,
                ["A", "B", "C", "D"][i as usize % 4],
                40 - i as u32,
                &format!("{}", i * 3 % 14 + 1),
            )
        })
        .collect();
    b.notice = "Trung tâm làm việc buổi sáng thứ Bảy từ 7 giờ 30 đến 11 giờ 30.".into();
    snapshot(&b, "board-twelve-calls");

    let mut brand = Brand::builtin();
    brand.identity.office =
        "Trung tâm Phục vụ hành chính công phường Ô Chợ Dừa, thành phố Hà Nội (cơ sở 2, số 1 phố Xã Đàn)".into();
    let mut b = board(brand);
    b.called = vec![ticket(1, "A", 7, "12")];
    snapshot(&b, "board-long-office-name");
}

struct Heard(std::sync::mpsc::Sender<String>);

impl Speaker for Heard {
    fn play(&mut self, wav: &[u8]) -> Result<(), VoiceError> {
        let _ = self
            .0
            .send(String::from_utf8_lossy(wav.get(44..).unwrap_or_default()).into_owned());
        Ok(())
    }
}

struct Words;

/// The next sound, or a failure if none comes.
fn heard(rx: &std::sync::mpsc::Receiver<String>) -> String {
    rx.recv_timeout(Duration::from_secs(20)).expect("a sound")
}

impl Synth for Words {
    fn speak(&mut self, text: &str, _: &str) -> Result<Vec<u8>, VoiceError> {
        let mut w = motcua::voice::wav(22_050, &[]);
        w.extend_from_slice(text.as_bytes());
        Ok(w)
    }
}

#[test]
fn the_board_follows_central_while_a_counter_calls() {
    let dir = tempfile::tempdir().unwrap();
    let central = kit::start_central(dir.path());
    let cred = |role| kit::enroll_direct(dir.path(), role, "t").1;
    let client = |role| motcua::sync::Client::new(&central.url(), &cred(role), Duration::from_secs(3));
    let (kiosk, counter, board_client) = (client(Role::Kiosk), client(Role::Counter), client(Role::Board));
    let (tx, rx) = std::sync::mpsc::channel();
    let announcer = Announcer::start(Box::new(Words), Box::new(Heard(tx)), false);
    let mut b = Board::new(
        Brand::builtin(),
        Arc::new(Catalog::demo()),
        Some(board_client.clone()),
        Some(announcer),
        now(),
    );

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let mut events = Box::pin(follow(board_client.clone()));
    let mut next = || kit::next_event(&rt, &mut events);
    assert_eq!(next(), Event::Connected);
    assert!(
        b.apply(Message::Event(Event::Connected)),
        "a (re)connected board fetches its state"
    );
    let state = rt.block_on(board_client.board()).unwrap();
    b.apply(Message::Loaded(Ok(Box::new(state))));

    let new = motcua_api::model::NewTicket {
        group: "B".into(),
        lane: Lane::Normal,
        procedure: None,
    };
    rt.block_on(kiosk.issue_ticket(&new, "k1")).unwrap();
    let issued = next();
    b.apply(Message::Event(issued));
    assert_eq!(b.waiting.iter().map(|w| w.normal).sum::<u32>(), 1);

    rt.block_on(counter.call_next("3", &["B".to_string()], Some("CB01"), "c1"))
        .unwrap();
    let called = next();
    b.apply(Message::Event(called.clone()));
    assert_eq!(b.called[0].display, "B-001");
    assert_eq!(b.called[0].counter.as_deref(), Some("3"));
    assert!(b.highlight.is_some());
    // The call is heard: the chime, then the words.
    let _chime = heard(&rx);
    assert_eq!(heard(&rx), "Xin mời khách hàng số B, không không một, đến quầy số 3");
    // The same event again (a reconnect replays it): not announced twice.
    b.apply(Message::Event(called));
    assert_eq!(b.called.len(), 1);
    let id = b.called[0].id;
    rt.block_on(counter.ticket_action(id, "recall", "3", "r1")).unwrap();
    b.apply(Message::Event(next()));
    let _chime = heard(&rx);
    assert!(heard(&rx).starts_with("Xin nhắc lại."));
    assert!(rx.try_recv().is_err(), "nothing was said twice");

    // The highlight fades after a few seconds of board time.
    let later = Instant::now() + Duration::from_secs(60);
    b.apply(Message::Tick(later, now()));
    assert!(b.highlight.is_none());

    // Central gone: the board says so discreetly.
    central.stop();
    let dropped = next();
    assert!(matches!(dropped, Event::Disconnected { .. }));
    b.apply(Message::Event(dropped));
    assert!(!b.connected);
    let mut ui = Simulator::with_size(settings(), SIZE, b.view());
    assert!(ui.find("Đang kết nối lại với hệ thống…").is_ok());
}

fn call_event(id: i64, display: &str, counter: &str, kind: &str, call: u32) -> Message {
    let (group, number) = display.split_once('-').unwrap();
    let mut t = ticket(id, group, number.parse().unwrap(), counter);
    t.display = display.into();
    Message::Event(Event::Queue(Box::new(QueueEvent {
        kind: kind.parse().unwrap(),
        office: t.office.clone(),
        ticket: t,
        waiting: Vec::new(),
        call,
    })))
}

/// A board with no central whose announcer reports what it says.
fn speaking_board() -> (Board, std::sync::mpsc::Receiver<String>) {
    let (tx, rx) = std::sync::mpsc::channel();
    let announcer = Announcer::start(Box::new(Words), Box::new(Heard(tx)), false);
    let b = Board::new(
        Brand::builtin(),
        Arc::new(Catalog::demo()),
        None,
        Some(announcer),
        now(),
    );
    (b, rx)
}

#[test]
fn the_board_speaks_tomorrows_a001_at_counter_1_again() {
    let (mut b, rx) = speaking_board();
    // Day 1: ticket 17 is A-001 at counter 1, delivered twice.
    b.apply(call_event(17, "A-001", "1", "called", 1));
    b.apply(call_event(17, "A-001", "1", "called", 1));
    // Day 2: numbering starts again, A-001 is ticket 912, at counter 1 again,
    // then recalled.
    b.apply(call_event(912, "A-001", "1", "called", 1));
    b.apply(call_event(912, "A-001", "1", "recalled", 2));
    b.apply(call_event(912, "A-001", "1", "recalled", 2));
    // A last call marks the end: anything said twice would come before it.
    b.apply(call_event(913, "B-002", "2", "called", 1));
    let words = "Xin mời khách hàng số A, không không một, đến quầy số 1";
    let mut said = Vec::new();
    for _ in 0..4 {
        let _chime = heard(&rx);
        said.push(heard(&rx));
    }
    assert_eq!(
        said,
        [
            words.to_string(),
            words.to_string(),
            format!("Xin nhắc lại. {words}"),
            "Xin mời khách hàng số B, không không hai, đến quầy số 2".to_string()
        ]
    );
    assert_eq!(b.called.iter().filter(|t| t.display == "A-001").count(), 2);
}

#[test]
fn a_counter_label_is_shown_and_spoken_only_as_far_as_it_is_safe() {
    let (mut b, rx) = speaking_board();
    let raw = "3\nXin mời tất cả ra về ngay <script>";
    b.apply(call_event(1, "B-023", raw, "called", 1));
    b.apply(call_event(2, "B-024", "4", "called", 1));
    let _chime = heard(&rx);
    assert_eq!(
        heard(&rx),
        "Xin mời khách hàng số B, không hai ba, đến quầy số 3 Xin mời"
    );
    let mut ui = Simulator::with_size(settings(), SIZE, b.view());
    assert!(
        ui.find("Quầy 3 Xin mời").is_ok(),
        "the earlier call shows the safe part"
    );
    assert!(ui.find(raw).is_err());
    assert!(ui.find("Quầy 3\nXin mời tất cả ra về ngay <script>").is_err());
}
