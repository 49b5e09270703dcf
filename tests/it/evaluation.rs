//! A dossier's evaluation on the national criteria at the kiosk: a
//! receipt scanned, central finds the dossier, "Rate this dossier" leads
//! to one question at a time; the answers are queued in the outbox and
//! reach central once, even when central was out of reach at first.

use motcua_testkit as kit;

use std::time::Duration;

use iced::Size;

use motcua::branding::Brand;
use motcua::config::Config;
use motcua::setup::{Ready, SharedStore};
use motcua::store::Store;
use motcua::sync::{Client, Link, Step};
use motcua::ui::app::{Kiosk, Screen};
use motcua_api::model::Role;
use motcua_core::catalog::Catalog;

use super::kiosk_ui::{Harness, both, now};

const CODE: &str = "000.00.01.H26-261128-0042";

/// Central on the tests' clock: what the kiosk shows of its times stays put.
fn options() -> motcua_central::Options {
    motcua_central::Options {
        clock: motcua_core::clock::Clock::manual(now()),
        ..Default::default()
    }
}

/// A central with the dossier `CODE` taken in at a counter, and the
/// receipt's QR text.
fn central_with_a_dossier(dir: &std::path::Path) -> (motcua_central::Running, String) {
    let central = kit::start_central_at(dir, "127.0.0.1:0".parse().unwrap(), &options());
    let (_, counter) = kit::enroll_direct(dir, Role::Counter, "t");
    let payload = motcua::receipt::Payload {
        key_id: 1,
        office: "000.00.01.H26".into(),
        dossier_code: CODE.into(),
        procedure: "1.001193".into(),
        received: now(),
        appointment: jiff::civil::date(2026, 11, 30),
        secret: [0xAB, 0xCD, 0xEF, 1, 2, 3, 4, 5],
    };
    let body = serde_json::json!({
        "procedure_code": "1.001193", "procedure_name": "Thủ tục đăng ký khai sinh",
        "applicant": {"name": "Phạm Thị Thử", "id_number": "001199000001", "kind": 1, "phone": "0911111111", "address": "Hà Nội"},
        "received_at": "2026-11-28T02:41:00Z", "due_at": "2026-11-30T09:00:00Z", "status": 2, "channel": 1,
        "lookup_secret": motcua::receipt::secret_text(&payload.secret),
    });
    let record = motcua::store::OutboxRecord {
        id: 1,
        kind: "dossier".into(),
        key: "d-42".into(),
        body: serde_json::json!({"code": CODE, "dossier": body}).to_string(),
        attempts: 0,
    };
    let counter = Client::new(&central.url(), &counter, Duration::from_secs(3));
    kit::runtime().block_on(counter.deliver(&record)).unwrap();
    let text = payload.sign(&ed25519_dalek::SigningKey::from_bytes(&[3; 32])).unwrap();
    (central, text)
}

/// A kiosk linked to `central` as a newly enrolled kiosk.
fn linked_kiosk(size: Size, central_dir: &std::path::Path, url: &str) -> (Harness, std::sync::Arc<Link>, SharedStore) {
    let (device, credential) = kit::enroll_direct(central_dir, Role::Kiosk, "t");
    let mut h = Harness::new(size);
    let dir = h._dir.path().join("k");
    let mut ready = Ready::new(Catalog::demo(), Store::open(&dir).unwrap(), dir);
    let link = Link::new(
        Client::new(url, &credential, Duration::from_secs(3)),
        ready.store.clone(),
        (&device).into(),
    );
    ready.link = Some(link.clone());
    let store = ready.store.clone();
    h.kiosk = Kiosk::new(ready, &Config::default(), Brand::builtin(), None, now(), h.started);
    h.kiosk.viewport = size;
    (h, link, store)
}

/// What the kiosk queued for central: (kind, key, body).
fn queued(h: &Harness) -> Vec<(String, String, serde_json::Value)> {
    let c = rusqlite::Connection::open(h._dir.path().join("k").join(motcua::store::DB_FILE)).unwrap();
    let mut q = c
        .prepare("SELECT kind, idempotency_key, body FROM outbox ORDER BY id")
        .unwrap();
    q.query_map((), |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, String>(2)?)))
        .unwrap()
        .map(|r| {
            let (kind, key, body) = r.unwrap();
            (kind, key, serde_json::from_str(&body).unwrap())
        })
        .collect()
}

fn central_rows(dir: &std::path::Path) -> Vec<(String, String, String)> {
    let db = kit::central_db(dir);
    let mut q = db
        .prepare("SELECT code, occasion, answers FROM dossier_evaluations ORDER BY id")
        .unwrap();
    q.query_map((), |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn a_scanned_receipt_leads_to_the_national_questions_one_at_a_time() {
    both(|size, o| {
        let central_dir = tempfile::tempdir().unwrap();
        let (central, receipt) = central_with_a_dossier(central_dir.path());
        let (mut h, link, _) = linked_kiosk(size, central_dir.path(), &central.url());
        h.tap("lookup");
        h.type_into("lookup-scan", &receipt, true);
        assert!(h.shows("Đánh giá hồ sơ này"), "{:?}", h.kiosk.screen);
        h.snapshot(&format!("lookup-found-{o}"));
        h.tap("lookup-evaluate");
        assert!(h.shows(&format!("Câu 1 / 12 · Hồ sơ {CODE}")));
        assert!(h.shows("Nhìn chung, quý khách có hài lòng với việc giải quyết hồ sơ này?"));
        assert!(!h.shows("Bỏ qua câu này"), "the overall answer is not skipped");
        h.snapshot(&format!("evaluate-{o}"));
        h.tap("eval-very_satisfied");
        assert!(h.shows(&format!("Câu 2 / 12 · Hồ sơ {CODE}")));
        for _ in 0..5 {
            h.tap("eval-skip");
        }
        assert!(h.shows("Quý khách phải liên hệ mấy lần để hoàn thiện hồ sơ?"));
        assert!(h.shows("Từ 4 lần trở lên"));
        h.snapshot(&format!("evaluate-count-{o}"));
        h.tap("eval-count-2");
        assert!(h.shows("Quý khách phải liên hệ với mấy cơ quan, đơn vị?"));
        // Back to the question before: the answer given is kept and shown.
        h.tap("back");
        assert!(h.shows("Quý khách phải liên hệ mấy lần để hoàn thiện hồ sơ?"));
        h.tap("eval-count-2");
        h.tap("eval-finish");
        assert!(h.shows("Cảm ơn quý khách đã đánh giá hồ sơ!"), "{:?}", h.kiosk.screen);
        h.snapshot(&format!("evaluate-thanks-{o}"));

        let queued = queued(&h);
        assert_eq!(queued.len(), 1, "{queued:?}");
        assert_eq!(
            (queued[0].0.as_str(), queued[0].1.clone()),
            ("evaluation", format!("evaluation-kiosk-{CODE}"))
        );
        assert_eq!(
            queued[0].2["answers"],
            serde_json::json!({"overall": "very_satisfied", "contacts": 2})
        );
        assert_eq!(link.block_on(link.drain()), Step::Empty);
        let rows = central_rows(central_dir.path());
        assert_eq!(rows.len(), 1, "{rows:?}");
        assert_eq!((rows[0].0.as_str(), rows[0].1.as_str()), (CODE, "kiosk"));
        h.tap("eval-done");
        assert_eq!(h.kiosk.screen, Screen::Welcome);
    });
}

#[test]
fn an_evaluation_made_while_central_is_away_arrives_once_when_it_is_back() {
    let central_dir = tempfile::tempdir().unwrap();
    let (central, receipt) = central_with_a_dossier(central_dir.path());
    let addr = central.addr;
    let (mut h, link, _) = linked_kiosk(motcua::ui::app::PORTRAIT, central_dir.path(), &central.url());
    h.tap("lookup");
    h.type_into("lookup-scan", &receipt, true);
    h.tap("lookup-evaluate");
    h.tap("eval-unsatisfied");
    central.stop();
    // The citizen walks away after the first answer: it still counts.
    h.tap("home");
    assert_eq!(queued(&h).len(), 1);
    assert!(matches!(link.block_on(link.drain()), Step::Retry(_)));
    assert!(central_rows(central_dir.path()).is_empty());

    let central = kit::start_central_at(central_dir.path(), addr, &options());
    assert_eq!(link.block_on(link.drain()), Step::Empty);
    assert_eq!(link.block_on(link.drain()), Step::Empty, "nothing is sent twice");
    let rows = central_rows(central_dir.path());
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].2, r#"{"overall":"unsatisfied"}"#);
    // The same dossier rated again at this kiosk: the first answer stands.
    let again = motcua_api::evaluation::DossierRatingIn {
        code: CODE.into(),
        occasion: motcua_api::evaluation::Occasion::Kiosk,
        rated_at: now().to_string(),
        answers: motcua_api::evaluation::DossierAnswers::new(motcua_api::evaluation::Level::Satisfied),
    };
    let store = Store::open(&h._dir.path().join("k")).unwrap();
    let mut store = store;
    assert!(!store.evaluate_dossier(&again).unwrap());
    // At another kiosk: central keeps the first, and that kiosk's record
    // is done, not failed (it would wait for IT staff for nothing).
    let (_other_kiosk, other_link, other) = linked_kiosk(motcua::ui::app::PORTRAIT, central_dir.path(), &central.url());
    assert!(other.lock().unwrap().evaluate_dossier(&again).unwrap());
    assert_eq!(other_link.block_on(other_link.drain()), Step::Empty);
    assert!(other.lock().unwrap().failed_records().unwrap().is_empty());
    assert_eq!(central_rows(central_dir.path()).len(), 1);
}

#[test]
fn a_counters_citizen_display_asks_at_intake_and_again_at_the_return() {
    use motcua_api::evaluation::Occasion;
    both(|size, o| {
        let mut h = Harness::with_config(size, &super::kiosk_ui::counter_display_config());
        h.send(super::kiosk_ui::queue_event("called", 41, "B-023", "3"));
        let effect = h.kiosk.ask_evaluation(CODE.into(), Occasion::Intake);
        assert!(h.kiosk.run_now(effect).is_none());
        assert!(h.shows("Hồ sơ vừa được tiếp nhận. Xin quý khách cho biết đánh giá."));
        assert!(h.shows(&format!("Câu 1 / 5 · Hồ sơ {CODE}")));
        assert!(!h.shows("Quay lại"), "a display has no walk to go back in");
        let spoken = h.kiosk.spoken();
        let ids: Vec<&str> = spoken.rows.iter().flatten().map(|c| c.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "eval-very_satisfied",
                "eval-satisfied",
                "eval-neutral",
                "eval-unsatisfied",
                "rate-skip",
                "speech"
            ]
        );
        h.snapshot(&format!("display-evaluate-{o}"));
        for answer in [
            "eval-satisfied",
            "eval-very_satisfied",
            "eval-neutral",
            "eval-satisfied",
            "eval-satisfied",
        ] {
            h.tap(answer);
        }
        assert!(h.shows("Cảm ơn quý khách đã đánh giá hồ sơ!"));
        // The next citizen called clears the thanks.
        h.send(super::kiosk_ui::queue_event("called", 42, "B-024", "3"));
        assert_eq!(h.kiosk.screen, Screen::Welcome);
        // At the return, the whole form; a citizen who leaves after the
        // first answer is counted with it.
        let effect = h.kiosk.ask_evaluation(CODE.into(), Occasion::Return);
        assert!(h.kiosk.run_now(effect).is_none());
        assert!(h.shows(&format!("Câu 1 / 12 · Hồ sơ {CODE}")));
        h.tap("eval-unsatisfied");
        h.tap("rate-skip");
        assert_eq!(h.kiosk.screen, Screen::Welcome);
        let queued: Vec<(String, serde_json::Value)> = h.outbox();
        let keys: Vec<&str> = queued.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            [format!("evaluation-intake-{CODE}"), format!("evaluation-return-{CODE}")]
        );
        assert_eq!(
            queued[0].1["answers"],
            serde_json::json!({"overall": "satisfied", "convenience": "very_satisfied", "staff": "neutral",
                               "one_stop": "satisfied", "publicity": "satisfied"})
        );
        assert_eq!(queued[1].1["answers"], serde_json::json!({"overall": "unsatisfied"}));
    });
    // A kiosk in the hall is no counter's display: it does not ask.
    let mut h = Harness::new(motcua::ui::app::PORTRAIT);
    let _ = h.kiosk.ask_evaluation(CODE.into(), Occasion::Intake);
    assert_eq!(h.kiosk.screen, Screen::Welcome);
}

#[test]
fn a_counter_asks_its_citizen_display_through_central_and_only_its_own_display_asks() {
    use futures::StreamExt;
    use motcua::sync::events::Event;
    use motcua_api::evaluation::Occasion;
    let central_dir = tempfile::tempdir().unwrap();
    let (central, _) = central_with_a_dossier(central_dir.path());
    let (_, counter) = kit::enroll_direct(central_dir.path(), Role::Counter, "quầy 3");
    let (_, kiosk) = kit::enroll_direct(central_dir.path(), Role::Kiosk, "màn hình quầy 3");
    let counter = Client::new(&central.url(), &counter, Duration::from_secs(3));
    let display = Client::new(&central.url(), &kiosk, Duration::from_secs(3));
    let rt = kit::runtime();
    // The display follows the office's stream; the counter asks once the
    // stream is open.
    let asked = rt.block_on(async {
        let mut events = Box::pin(motcua::sync::events::follow(display.clone()));
        while !matches!(events.next().await, Some(Event::Connected)) {}
        counter.ask_evaluation(CODE, "3", Occasion::Intake).await.unwrap();
        loop {
            // A guard against a stream that never says it, not a wait.
            match tokio::time::timeout(Duration::from_secs(60), events.next()).await {
                Ok(Some(Event::Evaluate(ask))) => break ask,
                Ok(Some(_)) => {}
                other => panic!("no ask on the stream: {other:?}"),
            }
        }
    });
    assert_eq!(
        (
            asked.counter.as_str(),
            asked.code.as_str(),
            asked.occasion,
            asked.office.as_str()
        ),
        ("3", CODE, Occasion::Intake, "000.00.01.H26")
    );
    // Counter 3's display puts the questions; counter 5's does not.
    let mut h = Harness::with_config(motcua::ui::app::PORTRAIT, &super::kiosk_ui::counter_display_config());
    h.send(motcua::ui::app::Message::Queue(Event::Evaluate(asked.clone())));
    assert!(h.shows(&format!("Câu 1 / 5 · Hồ sơ {CODE}")));
    let mut five = super::kiosk_ui::counter_display_config();
    five.kiosk.counter_display = Some("5".into());
    let mut other = Harness::with_config(motcua::ui::app::PORTRAIT, &five);
    other.send(motcua::ui::app::Message::Queue(Event::Evaluate(asked)));
    assert_eq!(other.kiosk.screen, Screen::Welcome);
    // Only a counter asks; only for its office's dossiers; for a counter's number.
    let refused = |e: motcua::sync::SyncError| e.to_string();
    let e = rt
        .block_on(display.ask_evaluation(CODE, "3", Occasion::Intake))
        .unwrap_err();
    assert!(refused(e).contains("403"), "a kiosk asked");
    let e = rt
        .block_on(counter.ask_evaluation("000.00.02.H26-261128-0001", "3", Occasion::Intake))
        .unwrap_err();
    assert!(refused(e).contains("404"), "another office's dossier");
    let e = rt
        .block_on(counter.ask_evaluation(CODE, "", Occasion::Return))
        .unwrap_err();
    assert!(refused(e).contains("counter"), "no counter named");
}
