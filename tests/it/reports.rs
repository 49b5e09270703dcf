//! Central's reports over HTTP and from the command line: a range longer
//! than a year is refused in both languages, and only a few reports run at
//! once (the slots are held by the test itself, not raced for).

use motcua_testkit as kit;

use std::process::Command;
use std::time::Duration;

use motcua_api::model::Role;
use motcua_central::report;

struct Office {
    dir: tempfile::TempDir,
    central: motcua_central::Running,
    credential: String,
    rt: tokio::runtime::Runtime,
    http: reqwest::Client,
}

impl Office {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let central = kit::start_central(dir.path());
        let credential = kit::enroll(&central, dir.path(), kit::OFFICE, Role::Counter).credential;
        // Two tickets of group A on one day, one served.
        motcua_central::admin(dir.path(), |c| {
            c.execute_batch(&format!(
                "INSERT INTO tickets (office, day, grp, queue_grp, number, lane, issued_at, issued_ms, device_id, status, called_at, finished_at)
                 VALUES ('{o}', '2026-03-02', 'A', 'A', 1, 'normal', '2026-03-02T01:00:00Z', 0, 1, 'done', '2026-03-02T01:10:00Z', '2026-03-02T01:15:00Z'),
                        ('{o}', '2026-03-02', 'A', 'A', 2, 'normal', '2026-03-02T01:05:00Z', 0, 1, 'waiting', NULL, NULL);",
                o = kit::OFFICE
            ))?;
            Ok(())
        })
        .unwrap();
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap();
        Self {
            dir,
            central,
            credential,
            rt: kit::runtime(),
            http,
        }
    }

    /// GETs a report: status, Retry-After, body.
    fn get(&self, from: &str, to: &str) -> (u16, Option<String>, serde_json::Value) {
        self.rt.block_on(async {
            let r = self
                .http
                .get(format!("{}/v1/reports?from={from}&to={to}", self.central.url()))
                .bearer_auth(&self.credential)
                .send()
                .await
                .unwrap();
            let status = r.status().as_u16();
            let retry = r
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .map(|v| v.to_str().unwrap().to_string());
            (status, retry, r.json().await.unwrap())
        })
    }
}

#[test]
fn a_range_longer_than_a_year_is_refused_in_both_languages() {
    let o = Office::new();
    let (status, _, body) = o.get("2025-01-01", "2026-12-31");
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["code"], "report_range", "{body}");
    let message = body["message"].as_str().unwrap();
    assert!(
        message.contains("730 days") && message.contains("at most 366"),
        "{message}"
    );
    assert!(message.contains("tối đa 366 ngày"), "{message}");
    assert!(body["message_vi"].as_str().unwrap().contains("366"), "{body}");
    // One day too many, even in a leap year.
    assert_eq!(o.get("2024-01-01", "2025-01-01").0, 400);
    // A whole leap year is one report.
    let (status, _, body) = o.get("2024-01-01", "2024-12-31");
    assert_eq!(status, 200, "{body}");
    // A backwards range is a bad request too, not a server error.
    let (status, _, body) = o.get("2026-03-02", "2026-03-01");
    assert_eq!((status, body["code"].as_str()), (400, Some("report_range")), "{body}");
    let (status, _, body) = o.get("2026-01-01", "2026-12-31");
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["groups"][0]["tickets"], 2, "{body}");
    assert_eq!(body["groups"][0]["served"], 1, "{body}");

    // The command line keeps the same bound.
    let out = Command::new(env!("CARGO_BIN_EXE_motcua"))
        .args(["--data-dir", o.dir.path().to_str().unwrap()])
        .args(["central", "report", "--office", kit::OFFICE])
        .args(["--from", "2020-01-01", "--to", "2026-12-31"])
        .env_remove("MOTCUA_CONFIG")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{text}");
    assert!(text.contains("at most 366") && text.contains("tối đa 366"), "{text}");
}

#[test]
fn reports_beyond_the_slots_are_told_to_come_back_later() {
    let o = Office::new();
    let slots = o.central.app.reports.clone();
    // Every slot taken, as by reports still being computed.
    let held = slots
        .clone()
        .try_acquire_many_owned(report::MAX_CONCURRENT as u32)
        .unwrap();
    let (status, retry, body) = o.get("2026-01-01", "2026-12-31");
    assert_eq!(status, 429, "{body}");
    assert_eq!(body["code"], "reports_busy", "{body}");
    assert_eq!(retry, Some(report::BUSY_RETRY_AFTER.to_string()));
    assert!(!body["message_vi"].as_str().unwrap().is_empty());
    drop(held);

    // One slot left: the report runs, and gives its slot back.
    let held = slots
        .clone()
        .try_acquire_many_owned(report::MAX_CONCURRENT as u32 - 1)
        .unwrap();
    let (status, _, body) = o.get("2026-01-01", "2026-12-31");
    assert_eq!(status, 200, "{body}");
    assert_eq!(slots.available_permits(), 1, "the slot came back");
    drop(held);
    assert_eq!(slots.available_permits(), report::MAX_CONCURRENT);
}

/// `motcua central due`: the office's dossiers due by the next working
/// day, for IT staff and heads of office, counted from `--at`.
#[test]
fn the_command_line_lists_the_dossiers_due_with_their_proposed_appointment() {
    let dir = tempfile::tempdir().unwrap();
    let mut d: motcua_api::model::DossierIn = serde_json::from_value(kit::dossier_json()).unwrap();
    // A 3-day procedure, due Thursday 03/09/2026 09:00.
    d.procedure_code = "1.001022".into();
    d.due_at = "2026-09-03T02:00:00Z".into();
    let code = format!("{}-260828-0001", kit::OFFICE);
    motcua_central::admin(dir.path(), |c| {
        motcua_central::dossier::upsert(c, kit::OFFICE, &code, &d, "2026-08-28T03:00:00Z")
    })
    .unwrap();
    let due = |at: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_motcua"))
            .args(["--data-dir", dir.path().to_str().unwrap()])
            .args(["central", "due", "--office", kit::OFFICE, "--at", at])
            .env_remove("MOTCUA_CONFIG")
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    // Friday 28/08 10:00: the next working day is Thursday 03/09.
    let text = due("2026-08-28T10:00:00+07:00");
    assert!(text.contains("đến hết ngày làm việc 2026-09-03"), "{text}");
    assert!(
        text.contains(&code)
            && text.contains("1.001022")
            && text.contains("hẹn 09:00 03/09/2026 · đề nghị hẹn lại 09:00 08/09/2026"),
        "{text}"
    );
    assert!(!text.contains("Trần Văn Bình"), "no personal data: {text}");
    // Thursday 27/08: the next working day is Friday 28/08; not yet.
    let text = due("2026-08-27T10:00:00+07:00");
    assert!(text.contains("(không có)"), "{text}");
}
