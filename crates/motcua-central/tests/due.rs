//! Due dates and fees against the real router in process, on a clock set
//! by hand: how each dossier kept to its appointment, the dossiers due by
//! the next working day with their proposed new appointment, the on-time
//! share of the report, and fee payments with their status 6.

mod common;

use axum::http::{Method, StatusCode};
use common::{Central, t};
use motcua_api::model::Role;
use serde_json::{Value, json};

const OFFICE: &str = "000.00.01.H26";

/// `n`-th code of the office on 28/08/2026.
fn code(n: u32) -> String {
    format!("{OFFICE}-260828-{n:04}")
}

impl Central {
    /// Takes a dossier in, now, with its appointment `due` (RFC 3339).
    fn take_in(&mut self, who: &str, code: &str, procedure: &str, officer: Option<&str>, due: &str) {
        let mut d = json!({
            "procedure_code": procedure,
            "procedure_name": format!("Thủ tục {procedure}"),
            "applicant": {"name": "Lê Thị Thử", "id_number": "001190000001", "kind": 1,
                          "phone": "0900000000", "address": "Số 1 phố Thử, Hà Nội"},
            "received_at": self.clock.now().to_string(),
            "due_at": due,
            "status": 2,
            "channel": 1
        });
        if let Some(o) = officer {
            d["officer"] = json!(o);
        }
        let (s, v) = self.send(who, Method::PUT, &format!("/v1/dossiers/{code}"), None, Some(d));
        assert_eq!(s, StatusCode::CREATED, "{v}");
    }

    fn status(&mut self, who: &str, code: &str, status: u8) -> Value {
        let (s, v) = self.send(
            who,
            Method::POST,
            &format!("/v1/dossiers/{code}/status"),
            None,
            Some(json!({ "status": status })),
        );
        assert_eq!(s, StatusCode::OK, "{v}");
        v
    }

    fn get(&mut self, who: &str, code: &str) -> Value {
        let (s, v) = self.send(who, Method::GET, &format!("/v1/dossiers/{code}"), None, None);
        assert_eq!(s, StatusCode::OK, "{v}");
        v
    }
}

fn statuses(dossier: &Value) -> Vec<u64> {
    dossier["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["status"].as_u64().unwrap())
        .collect()
}

/// Friday 28/08/2026, 10:00 in Hà Nội. The next working day is Thursday
/// 03/09: the weekend, then Mon 31/08 – Wed 02/09 off for National Day.
const FRIDAY: &str = "2026-08-28T03:00:00Z";

#[test]
fn a_dossier_answers_how_it_kept_to_its_appointment() {
    let mut c = Central::open(FRIDAY);
    let counter = c.enroll(OFFICE, Role::Counter);
    // Monday 07/09 10:00 local: 3 working days after the Friday.
    let due = "2026-09-07T03:00:00Z";
    for n in 1..=3 {
        c.take_in(&counter, &code(n), "1.001022", Some("CB01"), due);
    }
    assert!(
        c.get(&counter, &code(1)).get("timeliness").is_none(),
        "open, not yet due"
    );
    c.set("2026-09-03T02:00:00Z");
    assert_eq!(c.status(&counter, &code(1), 9)["timeliness"], "early");
    c.set("2026-09-07T02:30:00Z");
    assert_eq!(c.status(&counter, &code(2), 10)["timeliness"], "on_time");
    assert!(c.get(&counter, &code(3)).get("timeliness").is_none());
    c.set("2026-09-07T03:00:01Z");
    assert_eq!(c.get(&counter, &code(3))["timeliness"], "late", "open and past due");
    // Withdrawn: not counted either way.
    assert!(c.status(&counter, &code(3), 7).get("timeliness").is_none());
    // Read again later, the results keep their marks.
    c.set("2026-12-01T03:00:00Z");
    assert_eq!(c.get(&counter, &code(1))["timeliness"], "early");
    assert_eq!(c.get(&counter, &code(2))["timeliness"], "on_time");
}

#[test]
fn the_dossiers_due_by_the_next_working_day_come_with_a_new_appointment() {
    let mut c = Central::open(FRIDAY);
    let counter = c.enroll(OFFICE, Role::Counter);
    let kiosk = c.enroll(OFFICE, Role::Kiosk);
    let elsewhere = c.enroll("000.00.02.H26", Role::Counter);
    // Due Thursday 03/09 09:00 local, a 3-day procedure.
    c.take_in(&counter, &code(1), "1.001022", Some("CB01"), "2026-09-03T02:00:00Z");
    // Due Thursday 03/09 17:30 local, late in the day: still that day.
    c.take_in(&counter, &code(2), "1.013227", None, "2026-09-03T10:30:00Z");
    // Due Friday 04/09: not yet.
    c.take_in(&counter, &code(3), "1.001022", None, "2026-09-04T02:00:00Z");
    // Overdue since Thursday 27/08 15:00 local, a procedure the catalog
    // does not have, given 2 working days (Tue 25/08 → Thu 27/08).
    c.take_in(&counter, &code(4), "9.999999", Some("CB02"), "2026-08-27T08:00:00Z");
    // Due Thursday but processed, or withdrawn: not listed.
    c.take_in(&counter, &code(5), "1.001022", None, "2026-09-03T02:00:00Z");
    c.status(&counter, &code(5), 9);
    c.take_in(&counter, &code(6), "1.001022", None, "2026-09-03T02:00:00Z");
    c.status(&counter, &code(6), 7);
    // Another office's dossier due Thursday: not this office's list.
    let other = "000.00.02.H26-260828-0001";
    c.take_in(&elsewhere, other, "1.001022", None, "2026-09-03T02:00:00Z");
    // code(4)'s receipt day for its span: the catalog does not have it.
    let received = c.get(&counter, &code(4))["received_at"].clone();
    assert_eq!(received, FRIDAY);

    let (s, v) = c.send(&counter, Method::GET, "/v1/dossiers/due-soon", None, None);
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["until"], "2026-09-03");
    let listed: Vec<(&str, &str, bool, &str)> = v["dossiers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap(),
                d["due_at"].as_str().unwrap(),
                d["overdue"].as_bool().unwrap(),
                d["proposed_due_at"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        listed,
        vec![
            // Overdue: counted from now (Friday 10:00, before the end of
            // the day); the catalog does not have the procedure and its
            // own span (received Friday, due the day before) gives none,
            // so one working day: Thursday 03/09, at its hour.
            (code(4).as_str(), "2026-08-27T08:00:00Z", true, "2026-09-03T08:00:00Z"),
            // 3 working days after Thursday 03/09: Tue 08/09.
            (code(1).as_str(), "2026-09-03T02:00:00Z", false, "2026-09-08T02:00:00Z"),
            // 5 working days after Thursday 03/09: Thu 10/09.
            (code(2).as_str(), "2026-09-03T10:30:00Z", false, "2026-09-10T10:30:00Z"),
        ]
    );
    assert_eq!(v["dossiers"][0]["officer"], "CB02");
    assert_eq!(v["dossiers"][1]["procedure_code"], "1.001022");
    // No personal data in the list.
    let text = v.to_string();
    for personal in ["Lê Thị Thử", "001190000001", "0900000000", "phố Thử"] {
        assert!(!text.contains(personal), "{personal} in {text}");
    }
    // A counter's list; a kiosk's is refused.
    let (s, _) = c.send(&kiosk, Method::GET, "/v1/dossiers/due-soon", None, None);
    assert_eq!(s, StatusCode::FORBIDDEN);
    // The text for heads of office names each with its proposal.
    let list: motcua_api::model::DueSoonList = serde_json::from_value(v).unwrap();
    let text = motcua_central::ontime::due_soon_text(&list);
    assert!(
        text.contains("hẹn 09:00 03/09/2026 · đề nghị hẹn lại 09:00 08/09/2026"),
        "{text}"
    );
    assert!(text.contains("(đã quá hạn)"), "{text}");
}

#[test]
fn the_report_gives_the_on_time_share_per_procedure_field_and_officer() {
    let mut c = Central::open(FRIDAY);
    let counter = c.enroll(OFFICE, Role::Counter);
    let due = "2026-09-07T03:00:00Z";
    // (code, procedure, officer): 1.001022 is tư pháp, 1.013227 xây dựng;
    // 9.999999 is not in the catalog.
    let dossiers = [
        (1, "1.001022", Some("CB01")),
        (2, "1.001022", Some("CB01")),
        (3, "1.001022", Some("CB02")),
        (4, "1.013227", Some("CB02")),
        (5, "1.013227", None),
        (6, "9.999999", Some("CB01")),
        (7, "1.001022", Some("CB01")),
        (8, "1.013227", Some("CB01")),
    ];
    for (n, p, officer) in dossiers {
        let due = match n {
            6 => "2026-09-04T03:00:00Z",
            7 => "2026-09-10T03:00:00Z",
            _ => due,
        };
        c.take_in(&counter, &code(n), p, officer, due);
    }
    c.set("2026-09-03T03:00:00Z");
    c.status(&counter, &code(1), 9); // early
    c.set("2026-09-04T03:00:00Z");
    c.status(&counter, &code(4), 10); // early
    c.status(&counter, &code(5), 7); // withdrawn: not counted
    c.set("2026-09-07T02:00:00Z");
    c.status(&counter, &code(2), 9); // on time
    c.set("2026-09-08T03:00:00Z");
    c.status(&counter, &code(3), 9); // late
    c.set("2026-09-20T03:00:00Z");
    c.status(&counter, &code(8), 9); // late, after the range
    // Wednesday 09/09: 6 is open and overdue, 7 open and not yet due.
    c.set("2026-09-09T03:00:00Z");
    let (s, r) = c.send(
        &counter,
        Method::GET,
        "/v1/reports?from=2026-09-01&to=2026-09-15",
        None,
        None,
    );
    assert_eq!(s, StatusCode::OK, "{r}");
    let o = &r["on_time"];
    let row = |s: &Value| {
        (
            s["key"].as_str().unwrap().to_string(),
            [
                &s["finished"],
                &s["early"],
                &s["on_time"],
                &s["late"],
                &s["overdue_open"],
            ]
            .map(|x| x.as_u64().unwrap()),
            s["share"].as_f64(),
        )
    };
    let rows = |k: &str| o[k].as_array().unwrap().iter().map(row).collect::<Vec<_>>();
    assert_eq!(row(&o["all"]), ("*".into(), [4, 2, 1, 1, 1], Some(0.75)));
    assert_eq!(
        rows("by_procedure"),
        vec![
            ("1.001022".into(), [3, 1, 1, 1, 0], Some(0.667)),
            ("1.013227".into(), [1, 1, 0, 0, 0], Some(1.0)),
            ("9.999999".into(), [0, 0, 0, 0, 1], None),
        ]
    );
    assert_eq!(
        rows("by_field"),
        vec![
            ("tu-phap".into(), [3, 1, 1, 1, 0], Some(0.667)),
            ("xay-dung".into(), [1, 1, 0, 0, 0], Some(1.0)),
            ("—".into(), [0, 0, 0, 0, 1], None),
        ]
    );
    assert_eq!(
        rows("by_officer"),
        vec![
            ("CB01".into(), [2, 1, 1, 0, 1], Some(1.0)),
            ("CB02".into(), [2, 1, 0, 1, 0], Some(0.5)),
        ]
    );
    let report = motcua_central::admin(c.dir.path(), |conn| {
        motcua_central::report::compute(
            conn,
            OFFICE,
            jiff::civil::date(2026, 9, 1),
            jiff::civil::date(2026, 9, 15),
            t("2026-09-09T03:00:00Z"),
        )
    })
    .unwrap();
    assert_eq!(serde_json::to_value(&report.on_time).unwrap(), *o);
    let text = report.to_text();
    assert!(text.contains("Theo cán bộ tiếp nhận"), "{text}");
    let csv = report.to_csv();
    assert!(csv.contains("ontime_field,tu-phap,share,0.667\n"), "{csv}");
    assert!(csv.contains("ontime,*,overdue_open,1\n"), "{csv}");
}

fn payment(amount: i64, paid: bool, method: &str) -> Value {
    json!({ "amount": amount, "paid": paid, "method": method,
            "reference": "FT26240123456789", "at": "2026-08-28T10:15:00+07:00" })
}

#[test]
fn a_payment_asked_for_holds_the_dossier_at_status_6_until_paid_once() {
    let mut c = Central::open(FRIDAY);
    let counter = c.enroll(OFFICE, Role::Counter);
    c.take_in(&counter, &code(1), "1.001022", Some("CB01"), "2026-09-07T03:00:00Z");
    let path = format!("/v1/dossiers/{}/payment", code(1));

    // Asked for at intake: status 6, the payment kept.
    let (s, asked) = c.send(
        &counter,
        Method::POST,
        &path,
        Some("pay-1"),
        Some(payment(50_000, false, "vietqr")),
    );
    assert_eq!(s, StatusCode::OK, "{asked}");
    assert_eq!(asked["status"], 6);
    assert_eq!(statuses(&asked), [2, 6]);
    assert_eq!(asked["payments"].as_array().unwrap().len(), 1);
    assert_eq!(asked["payments"][0]["paid"], false);
    assert_eq!(asked["payments"][0]["recorded_at"], FRIDAY);
    // The same request again (a retry): the first answer, nothing twice.
    let (s, again) = c.send(
        &counter,
        Method::POST,
        &path,
        Some("pay-1"),
        Some(payment(50_000, false, "vietqr")),
    );
    assert_eq!((s, &again), (StatusCode::OK, &asked));
    // Asked for again under another key while at 6: kept, no new step.
    let (_, twice) = c.send(
        &counter,
        Method::POST,
        &path,
        None,
        Some(payment(50_000, false, "vietqr")),
    );
    assert_eq!(statuses(&twice), [2, 6]);

    // Paid: back to 2, where the request found it.
    let (s, paid) = c.send(
        &counter,
        Method::POST,
        &path,
        Some("pay-2"),
        Some(payment(50_000, true, "vietqr")),
    );
    assert_eq!(s, StatusCode::OK, "{paid}");
    assert_eq!(paid["status"], 2);
    assert_eq!(statuses(&paid), [2, 6, 2]);
    let kept = c.get(&counter, &code(1));
    assert_eq!(kept["payments"].as_array().unwrap().len(), 3);
    assert_eq!(kept["payments"][2]["reference"], "FT26240123456789");
    assert_eq!(kept["payments"][2]["method"], "vietqr");

    // Asked for while processing: back to 4 once paid in cash.
    c.status(&counter, &code(1), 4);
    c.send(
        &counter,
        Method::POST,
        &path,
        None,
        Some(payment(20_000, false, "cash")),
    );
    let (_, paid) = c.send(&counter, Method::POST, &path, None, Some(payment(20_000, true, "cash")));
    assert_eq!(statuses(&paid), [2, 6, 2, 4, 6, 4]);
    // Paid at once, never asked for: kept, the status stays.
    let (_, at_once) = c.send(&counter, Method::POST, &path, None, Some(payment(10_000, true, "card")));
    assert_eq!((at_once["status"].as_u64(), statuses(&at_once).len()), (Some(4), 6));
    assert_eq!(at_once["payments"].as_array().unwrap().len(), 6);
}

#[test]
fn a_bad_payment_is_refused_naming_its_field_and_nothing_is_kept() {
    let mut c = Central::open(FRIDAY);
    let counter = c.enroll(OFFICE, Role::Counter);
    let elsewhere = c.enroll("000.00.02.H26", Role::Counter);
    c.take_in(&counter, &code(1), "1.001022", None, "2026-09-07T03:00:00Z");
    let path = format!("/v1/dossiers/{}/payment", code(1));
    let mut bad = |who: &str, path: &str, body: Value| c.send(who, Method::POST, path, None, Some(body));

    for (body, field) in [
        (payment(0, false, "vietqr"), "amount"),
        (payment(-5_000, true, "cash"), "amount"),
        (payment(50_000, false, "bitcoin"), "method"),
        (
            json!({ "amount": 1, "paid": true, "method": "cash", "reference": "x".repeat(65), "at": FRIDAY }),
            "reference",
        ),
        (
            json!({ "amount": 1, "paid": true, "method": "cash", "at": "hôm qua" }),
            "at",
        ),
    ] {
        let (s, v) = bad(&counter, &path, body);
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(v["code"], "invalid_payment", "{v}");
        let message = v["message"].as_str().unwrap();
        assert!(message.starts_with(&format!("{field}: ")), "{message}");
        assert!(message.contains(&format!("/ {field}: ")), "Vietnamese too: {message}");
        assert!(!v["message_vi"].as_str().unwrap().is_empty());
    }
    // A field the contract does not have, or one missing: named by serde.
    let (s, v) = bad(&counter, &path, json!({ "amount": 1, "paid": true, "method": "cash" }));
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(v["message"].as_str().unwrap().contains("`at`"), "{v}");
    // Unknown code, and this office's dossier from another office.
    let unknown = format!("/v1/dossiers/{}/payment", code(9));
    let (s, _) = bad(&counter, &unknown, payment(50_000, false, "cash"));
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = bad(&elsewhere, &path, payment(50_000, false, "cash"));
    assert_eq!(s, StatusCode::NOT_FOUND);
    // Nothing kept, the status unchanged.
    let d = c.get(&counter, &code(1));
    assert!(d.get("payments").is_none(), "{d}");
    assert_eq!(statuses(&d), [2]);
    // A closed dossier cannot be asked to pay; paying at the return is fine.
    c.status(&counter, &code(1), 10);
    let (s, v) = c.send(
        &counter,
        Method::POST,
        &path,
        None,
        Some(payment(50_000, false, "cash")),
    );
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    assert!(c.get(&counter, &code(1)).get("payments").is_none());
    let (s, v) = c.send(&counter, Method::POST, &path, None, Some(payment(50_000, true, "cash")));
    assert_eq!((s, v["status"].as_u64()), (StatusCode::OK, Some(10)), "{v}");
}
