//! Dossier evaluations (the national criteria, keyed by dossier code)
//! against central's real router in process: accepted once per dossier
//! and occasion, a retried write applied once, another office's dossier
//! refused, bad answers refused naming the field, the report's figures,
//! and the portal adapter sending them after the dossier, through the
//! emulator.

use std::time::Duration;

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use common::Central;
use motcua_api::model::Role;
use motcua_central::portal::{self, emulator};
use serde_json::{Value, json};
use tower::ServiceExt;

const OFFICE: &str = "000.00.01.H26";
const CODE: &str = "000.00.01.H26-261128-0001";

fn now() -> jiff::Timestamp {
    "2026-11-28T03:00:00Z".parse().unwrap()
}

impl Central {
    fn take_in(&mut self, counter: &str, code: &str, received_at: &str) {
        let dossier = json!({
            "procedure_code": "1.001193",
            "procedure_name": "Thủ tục đăng ký khai sinh",
            "applicant": {"name": "Lê Thị Thử", "id_number": "001190000001", "kind": 1,
                          "phone": "0900000000", "address": "Hà Nội"},
            "received_at": received_at,
            "due_at": "2026-12-01T02:41:00Z",
            "status": 2,
            "channel": 1
        });
        let (s, v) = self.send(
            counter,
            Method::PUT,
            &format!("/v1/dossiers/{code}"),
            None,
            Some(dossier),
        );
        assert!(s.is_success(), "{s} {v}");
    }

    fn evaluate(&mut self, who: &str, key: Option<&str>, body: Value) -> (StatusCode, Value) {
        let code = body["code"].as_str().unwrap_or(CODE).to_string();
        self.send(
            who,
            Method::POST,
            &format!("/v1/dossiers/{code}/evaluation"),
            key,
            Some(body),
        )
    }
}

fn evaluation(code: &str, occasion: &str, answers: Value) -> Value {
    json!({"code": code, "occasion": occasion, "rated_at": now().to_string(), "answers": answers})
}

#[test]
fn a_dossier_is_evaluated_once_per_occasion_and_a_retry_is_applied_once() {
    let mut c = Central::open("2026-11-28T03:00:00Z");
    let counter = c.enroll(OFFICE, Role::Counter);
    let kiosk = c.enroll(OFFICE, Role::Kiosk);
    c.take_in(&counter, CODE, "2026-11-28T02:41:00Z");
    let at_intake = evaluation(
        CODE,
        "intake",
        json!({"overall": "very_satisfied", "staff": "satisfied"}),
    );
    let (s, first) = c.evaluate(&kiosk, Some("ev-1"), at_intake.clone());
    assert_eq!(s, StatusCode::CREATED, "{first}");
    // The display's answer was lost and it sends again: the same answer.
    let (s, again) = c.evaluate(&kiosk, Some("ev-1"), at_intake.clone());
    assert_eq!((s, &again), (StatusCode::CREATED, &first));
    // Sent anew under another key: the first evaluation of the occasion stands.
    let changed = evaluation(CODE, "intake", json!({"overall": "unsatisfied"}));
    let (s, v) = c.evaluate(&kiosk, Some("ev-2"), changed);
    assert_eq!(
        (s, v["code"].as_str()),
        (StatusCode::CONFLICT, Some("already_evaluated")),
        "{v}"
    );
    // At the return the citizen answers again: kept beside the first.
    let at_return = evaluation(
        CODE,
        "return",
        json!({"overall": "satisfied", "contacts": 1, "agencies": 4}),
    );
    let (s, v) = c.evaluate(&kiosk, Some("ev-3"), at_return);
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(c.count("SELECT count(*) FROM dossier_evaluations"), 2);
    assert_eq!(
        c.count(
            "SELECT count(*) FROM dossier_evaluations WHERE occasion = 'intake' AND answers LIKE '%very_satisfied%'"
        ),
        1
    );
    // The officer does not answer for the citizen.
    let (s, v) = c.evaluate(
        &counter,
        None,
        evaluation(CODE, "kiosk", json!({"overall": "very_satisfied"})),
    );
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
}

#[test]
fn another_offices_dossier_is_refused_and_an_offline_intake_not_yet_arrived_is_taken() {
    let mut c = Central::open("2026-11-28T03:00:00Z");
    let kiosk = c.enroll(OFFICE, Role::Kiosk);
    let elsewhere = c.enroll("000.00.02.H26", Role::Kiosk);
    let counter = c.enroll(OFFICE, Role::Counter);
    c.take_in(&counter, CODE, "2026-11-28T02:41:00Z");
    let (s, v) = c.evaluate(
        &elsewhere,
        None,
        evaluation(CODE, "kiosk", json!({"overall": "neutral"})),
    );
    assert_eq!(s, StatusCode::NOT_FOUND, "{v}");
    let theirs = "000.00.02.H26-261128-0001";
    let (s, v) = c.evaluate(&kiosk, None, evaluation(theirs, "kiosk", json!({"overall": "neutral"})));
    assert_eq!(s, StatusCode::NOT_FOUND, "{v}");
    // A code this office numbers (an offline counter's) whose intake is on its way.
    let offline = format!("{OFFICE}-261128-9100001");
    let (s, v) = c.evaluate(
        &kiosk,
        None,
        evaluation(&offline, "kiosk", json!({"overall": "neutral"})),
    );
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(c.count("SELECT count(*) FROM dossier_evaluations"), 1);
}

#[test]
fn bad_answers_are_refused_naming_the_field() {
    let mut c = Central::open("2026-11-28T03:00:00Z");
    let kiosk = c.enroll(OFFICE, Role::Kiosk);
    let counter = c.enroll(OFFICE, Role::Counter);
    c.take_in(&counter, CODE, "2026-11-28T02:41:00Z");
    let cases = [
        (json!({"overall": "great"}), "answers.overall"),
        (json!({"overall": "neutral", "staff": 3}), "answers.staff"),
        (json!({"overall": "neutral", "contacts": 0}), "answers.contacts"),
        (json!({"overall": "neutral", "agencies": 5}), "answers.agencies"),
        (json!({"overall": "neutral", "agencies": "two"}), "answers.agencies"),
        (json!({"overall": "neutral", "comment": "Nguyễn Văn A"}), "answers"),
        (json!({"staff": "neutral"}), "overall"),
    ];
    for (answers, field) in cases {
        let (s, v) = c.evaluate(&kiosk, None, evaluation(CODE, "kiosk", answers.clone()));
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{answers}: {v}");
        assert!(v["message"].as_str().unwrap().contains(field), "{answers}: {v}");
    }
    let mut bad_time = evaluation(CODE, "kiosk", json!({"overall": "neutral"}));
    bad_time["rated_at"] = json!("hôm qua");
    let (s, v) = c.evaluate(&kiosk, None, bad_time);
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(v["message"].as_str().unwrap().contains("rated_at"), "{v}");
    let mut bad_occasion = evaluation(CODE, "kiosk", json!({"overall": "neutral"}));
    bad_occasion["occasion"] = json!("hall");
    let (s, v) = c.evaluate(&kiosk, None, bad_occasion);
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(v["message"].as_str().unwrap().contains("occasion"), "{v}");
    // The body's code is the path's.
    let other = evaluation(&format!("{OFFICE}-261128-0002"), "kiosk", json!({"overall": "neutral"}));
    let (s, v) = c.send(
        &kiosk,
        Method::POST,
        &format!("/v1/dossiers/{CODE}/evaluation"),
        None,
        Some(other),
    );
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(v["message"].as_str().unwrap().starts_with("code"), "{v}");
    assert_eq!(
        c.count("SELECT count(*) FROM dossier_evaluations"),
        0,
        "nothing saved half-way"
    );
}

#[test]
fn the_report_counts_each_criterion_and_the_share_of_dossiers_evaluated() {
    let mut c = Central::open("2026-11-28T03:00:00Z");
    let kiosk = c.enroll(OFFICE, Role::Kiosk);
    let counter = c.enroll(OFFICE, Role::Counter);
    // Four dossiers received on the 28th (local), one on the 27th.
    let code = |n: u32| format!("{OFFICE}-261128-{n:04}");
    for n in 1..=4 {
        c.take_in(&counter, &code(n), "2026-11-28T02:41:00Z");
    }
    c.take_in(&counter, &format!("{OFFICE}-261127-0001"), "2026-11-27T02:41:00Z");
    let answers = [
        (1, "intake", json!({"overall": "very_satisfied", "staff": "satisfied"})),
        (
            1,
            "return",
            json!({"overall": "satisfied", "contacts": 1, "agencies": 1}),
        ),
        (
            2,
            "kiosk",
            json!({"overall": "neutral", "staff": "unsatisfied", "contacts": 4}),
        ),
        (3, "intake", json!({"overall": "unsatisfied", "contacts": 2})),
    ];
    for (n, occasion, a) in answers {
        let (s, v) = c.evaluate(&kiosk, None, evaluation(&code(n), occasion, a));
        assert_eq!(s, StatusCode::CREATED, "{v}");
    }
    let (s, r) = c.send(
        &counter,
        Method::GET,
        "/v1/reports?from=2026-11-28&to=2026-11-28",
        None,
        None,
    );
    assert_eq!(s, StatusCode::OK, "{r}");
    let e = &r["dossier_evaluation"];
    assert_eq!(e["evaluations"], 4);
    assert_eq!(e["by_occasion"], json!({"intake": 2, "kiosk": 1, "return": 1}));
    assert_eq!(
        (e["dossiers_received"].clone(), e["dossiers_evaluated"].clone()),
        (json!(4), json!(3))
    );
    let criterion = |key: &str| {
        e["criteria"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["key"] == key)
            .cloned()
            .unwrap_or(Value::Null)
    };
    let overall = criterion("overall");
    assert_eq!(overall["number"], 1);
    assert_eq!(
        overall["choices"],
        json!([
            ["very_satisfied", 1],
            ["satisfied", 1],
            ["neutral", 1],
            ["unsatisfied", 1]
        ])
    );
    assert_eq!(
        (overall["answered"].clone(), overall["satisfied_share"].clone()),
        (json!(4), json!(0.5))
    );
    let staff = criterion("staff");
    assert_eq!(
        (staff["answered"].clone(), staff["satisfied_share"].clone()),
        (json!(2), json!(0.5))
    );
    let contacts = criterion("contacts");
    assert_eq!(contacts["choices"], json!([["1", 1], ["2", 1], ["3", 0], ["4+", 1]]));
    assert_eq!(contacts["satisfied_share"], json!(0.333));
    assert_eq!(
        criterion("online"),
        Value::Null,
        "a criterion nobody answered is left out"
    );
    // The day before: one dossier received, none evaluated.
    let (_, r) = c.send(
        &counter,
        Method::GET,
        "/v1/reports?from=2026-11-27&to=2026-11-27",
        None,
        None,
    );
    let e = &r["dossier_evaluation"];
    assert_eq!(
        (
            e["evaluations"].clone(),
            e["dossiers_received"].clone(),
            e["dossiers_evaluated"].clone()
        ),
        (json!(0), json!(1), json!(0))
    );
    let (_, csv) = {
        let router = c.router.clone();
        let request = Request::get("/v1/reports?from=2026-11-28&to=2026-11-28&format=csv")
            .header("authorization", format!("Bearer {counter}"))
            .body(Body::empty())
            .unwrap();
        c.rt.block_on(async {
            let response = router.oneshot(request).await.unwrap();
            let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
            ((), String::from_utf8(bytes.to_vec()).unwrap())
        })
    };
    assert!(csv.contains("evaluation,all,dossiers_evaluated,3\n"), "{csv}");
    assert!(csv.contains("criterion,07-contacts,4+,1\n"), "{csv}");
}

#[test]
fn the_portal_gets_each_evaluation_after_its_dossier_once_and_in_order() {
    let mut c = Central::open("2026-11-28T03:00:00Z");
    let kiosk = c.enroll(OFFICE, Role::Kiosk);
    let counter = c.enroll(OFFICE, Role::Counter);
    let portal =
        c.rt.block_on(async { emulator::Portal::start(emulator::PortalConfig::default()) });
    let cfg = emulator::PortalConfig::default();
    let settings = portal::Settings {
        url: portal.url(),
        auth_path: portal::AUTH_PATH.into(),
        integration_path: portal::INTEGRATION_PATH.into(),
        share_path: portal::SHARE_PATH.into(),
        username: cfg.username,
        password: cfg.password.into(),
        dstcode: cfg.dstcode,
        madonvi: cfg.madonvi,
        tendonvi: "UBND phường".into(),
        timeout: Duration::from_secs(5),
    };
    motcua_central::admin(c.dir.path(), |conn| {
        portal::configure(conn, OFFICE, Some((&settings, portal::mapping::DEFAULT_TEXT)))
    })
    .unwrap();
    c.take_in(&counter, CODE, "2026-11-28T02:41:00Z");
    let (s, _) = c.evaluate(
        &kiosk,
        Some("e1"),
        evaluation(CODE, "intake", json!({"overall": "very_satisfied", "contacts": 4})),
    );
    assert_eq!(s, StatusCode::CREATED);
    // A retry of the same write queues nothing more.
    let (s, _) = c.evaluate(
        &kiosk,
        Some("e1"),
        evaluation(CODE, "intake", json!({"overall": "very_satisfied", "contacts": 4})),
    );
    assert_eq!(s, StatusCode::CREATED);
    let drained = c.rt.block_on(portal::drain(&c.app, OFFICE)).unwrap();
    assert_eq!((drained.sent, drained.failed), (2, 0), "{drained:?}");
    let calls: Vec<String> = portal
        .calls()
        .into_iter()
        .filter(|c| c.service != "login")
        .map(|c| c.service)
        .collect();
    assert_eq!(calls, ["DongBoHoSoMC", "CapNhatTienDoHoSoMC", "DongBoDanhGiaHoSo"]);
    let got = portal.evaluations();
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0]["MaHoSo"], CODE);
    assert_eq!(got[0]["NoiDanhGia"], "1");
    assert_eq!(got[0]["ThoiDiemDanhGia"], "20261128100000");
    assert_eq!(
        got[0]["DanhSachTieuChi"],
        json!([
            {"STT": 1, "NoiDung": "Mức độ hài lòng chung đối với việc giải quyết hồ sơ", "KetQua": "Rất hài lòng", "SoLuong": null},
            {"STT": 7, "NoiDung": "Số lần phải liên hệ để hoàn thiện hồ sơ", "KetQua": "Từ 4 trở lên", "SoLuong": 4}
        ])
    );
    // Drained again: nothing is sent twice.
    let drained = c.rt.block_on(portal::drain(&c.app, OFFICE)).unwrap();
    assert_eq!(drained.sent, 0);
    assert_eq!(portal.evaluations().len(), 1);
    // An evaluation of a dossier the portal does not have yet fails on
    // its own, holding nothing behind it.
    let offline = format!("{OFFICE}-261128-9100001");
    let (s, _) = c.evaluate(
        &kiosk,
        None,
        evaluation(&offline, "kiosk", json!({"overall": "neutral"})),
    );
    assert_eq!(s, StatusCode::CREATED);
    c.take_in(&counter, &offline, "2026-11-28T02:50:00Z");
    let drained = c.rt.block_on(portal::drain(&c.app, OFFICE)).unwrap();
    assert_eq!((drained.sent, drained.failed), (1, 1), "{drained:?}");
    assert!(portal.dossier(&offline).is_some(), "the dossier went on");
    assert_eq!(
        c.count("SELECT count(*) FROM portal_outbox WHERE state = 'failed' AND evaluation IS NOT NULL AND last_error LIKE '%has not reached the portal%'"),
        1
    );
}
