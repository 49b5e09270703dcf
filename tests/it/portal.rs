//! Central sending an office's dossiers on to a national-portal style
//! system, against the portal emulator (crates/motcua-testkit/src/dvcqg.rs): import,
//! push in order, updates, re-login after the session expires, lost and
//! slow answers, refusals, central restarted with records waiting, and the
//! monthly satisfaction totals. Nothing is sent twice, nothing is lost.

use motcua_testkit as kit;

use std::time::Duration;

use kit::dvcqg::{Fault, Portal, PortalConfig};
use kit::{OFFICE, runtime};
use motcua::store::OutboxRecord;
use motcua::sync::Client;
use motcua_api::model::Role;
use motcua_central::Running;
use motcua_central::portal::{self, Drained, Settings};

fn options() -> motcua_central::Options {
    // The tests drive the adapter themselves, one drain at a time.
    motcua_central::Options {
        portal_worker: false,
        ..motcua_central::Options::default()
    }
}

fn settings(portal: &Portal, timeout: Duration) -> Settings {
    kit::dvcqg::settings(portal.url(), "UBND phường Hoàn Kiếm", timeout)
}

struct Office {
    dir: tempfile::TempDir,
    /// Central; `None` only while it restarts.
    central: Option<Running>,
    counter: Client,
    portal: Portal,
    rt: tokio::runtime::Runtime,
    next: i64,
}

impl Office {
    fn new() -> Self {
        Self::with_mapping(portal::mapping::DEFAULT_TEXT)
    }

    fn with_mapping(mapping: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let central = kit::start_central_at(dir.path(), "127.0.0.1:0".parse().unwrap(), &options());
        let portal = Portal::start(PortalConfig::default());
        let s = settings(&portal, Duration::from_millis(800));
        motcua_central::admin(dir.path(), |c| portal::configure(c, OFFICE, Some((&s, mapping)))).unwrap();
        let counter = Client::new(
            &central.url(),
            &kit::enroll(&central, dir.path(), OFFICE, Role::Counter).credential,
            Duration::from_secs(5),
        );
        Self {
            dir,
            central: Some(central),
            counter,
            portal,
            rt: runtime(),
            next: 0,
        }
    }

    fn send(&mut self, kind: &str, body: serde_json::Value) {
        self.next += 1;
        let record = OutboxRecord {
            id: self.next,
            kind: kind.into(),
            key: format!("{kind}-{}", self.next),
            body: body.to_string(),
            attempts: 0,
        };
        self.rt.block_on(self.counter.deliver(&record)).unwrap();
    }

    /// A dossier taken in at the counter (status 2).
    fn take_in(&mut self, n: u32) -> String {
        let code = format!("{OFFICE}-261128-{n:04}");
        let dossier = serde_json::json!({
            "procedure_code": "1.001193", "procedure_name": "Thủ tục đăng ký khai sinh",
            "applicant": {"name": "Lê Thị Thử", "id_number": "001199000001", "kind": 1, "phone": "0911111111", "address": "Hà Nội"},
            "received_at": "2026-11-28T02:41:00Z", "due_at": "2026-12-01T09:00:00Z", "status": 2, "channel": 1,
            "documents": [{"name": "Tờ khai đăng ký khai sinh", "originals": 1, "copies": 0}], "fees": 8000,
        });
        self.send("dossier", serde_json::json!({"code": code, "dossier": dossier}));
        code
    }

    fn move_to(&mut self, code: &str, status: u8, note: &str) {
        self.send(
            "status",
            serde_json::json!({"code": code, "update": {"status": status, "note": note}}),
        );
    }

    fn central(&self) -> &Running {
        self.central.as_ref().expect("central runs")
    }

    fn drain(&self) -> Drained {
        self.rt.block_on(portal::drain(&self.central().app, OFFICE)).unwrap()
    }

    /// Stops central and starts it again on the same data and address.
    fn restart_central(&mut self) {
        let old = self.central.take().expect("central runs");
        let addr = old.addr;
        old.stop();
        self.central = Some(kit::start_central_at(self.dir.path(), addr, &options()));
    }

    fn outbox(&self, state: &str) -> i64 {
        kit::count(
            &kit::central_db(self.dir.path()),
            &format!("SELECT count(*) FROM portal_outbox WHERE state = '{state}'"),
        )
    }

    /// The statuses the portal heard for `code`, in order.
    fn progress(&self, code: &str) -> Vec<String> {
        self.portal
            .progress(code)
            .iter()
            .map(|p| p["TrangThai"].as_str().unwrap().to_string())
            .collect()
    }
}

#[test]
fn accepted_dossiers_and_every_status_change_reach_the_portal_once_and_in_order() {
    let mut o = Office::new();
    let a = o.take_in(1);
    let b = o.take_in(2);
    o.move_to(&a, 4, "");
    o.move_to(&a, 9, "");
    o.move_to(&a, 10, "Trả tại quầy 3");
    assert_eq!(o.outbox("pending"), 5, "one record per change, written with it");

    assert_eq!(
        o.drain(),
        Drained {
            sent: 5,
            failed: 0,
            waiting: false
        }
    );
    assert_eq!(o.portal.dossier_writes(&a), (1, 3), "created once, then updated");
    assert_eq!(o.portal.dossier_writes(&b), (1, 0));
    assert_eq!(o.progress(&a), ["2", "4", "9", "10"]);
    assert_eq!(o.progress(&b), ["2"]);
    let pushed = o.portal.dossier(&a).unwrap();
    assert_eq!(pushed["TrangThaiHoSo"], "10");
    assert_eq!(pushed["NgayTiepNhan"], "20261128094100", "Vietnam time, 14 digits");
    assert_eq!(pushed["NgayHenTra"], "20261201160000");
    assert_eq!(pushed["MaTTHC"], "1.001193");
    assert_eq!(pushed["DonViXuLy"], "UBND phường Hoàn Kiếm");
    let last = o.portal.progress(&a).last().cloned().unwrap();
    assert_eq!(last["NoiDungXuLy"], "Đã trả kết quả - Trả tại quầy 3");
    // Each record: the dossier first, then its progress.
    let services: Vec<String> = o
        .portal
        .calls()
        .iter()
        .filter(|c| c.service != "login")
        .map(|c| c.service.clone())
        .collect();
    assert_eq!(services[..2], ["DongBoHoSoMC", "CapNhatTienDoHoSoMC"]);
    assert_eq!(o.portal.logins(), 1, "one session for the whole drain");
    // Nothing left, nothing sent again.
    assert_eq!(o.drain(), Drained::default());
    assert_eq!(o.portal.dossier_writes(&a), (1, 3));
}

#[test]
fn an_expired_session_means_a_new_login_not_a_lost_record() {
    let mut o = Office::new();
    let a = o.take_in(1);
    o.drain();
    o.portal.expire_sessions();
    o.move_to(&a, 4, "");
    assert_eq!(o.drain().sent, 1);
    assert_eq!(o.portal.logins(), 2);
    assert_eq!(o.progress(&a), ["2", "4"]);
}

#[test]
fn a_refusal_that_speaks_of_a_version_is_final_and_a_real_expiry_still_logs_in_again() {
    let mut o = Office::new();
    let a = o.take_in(1);
    // "Phiên bản" is a version, not a session: the portal means it, each time.
    for _ in 0..4 {
        o.portal.push_fault(
            Some("DongBoHoSoMC"),
            Fault::Error(serde_json::json!(-1), "Phiên bản dữ liệu không được hỗ trợ".into()),
        );
    }
    let d = o.drain();
    assert_eq!((d.sent, d.failed, d.waiting), (0, 1, false), "{d:?}");
    assert_eq!(o.portal.logins(), 1, "no new login for a refusal");
    assert_eq!(o.outbox("failed"), 1);
    assert!(o.portal.dossier(&a).is_none());

    // A session that really expired: a new login, and the record goes.
    o.portal.clear_faults();
    o.portal.expire_sessions();
    let b = o.take_in(2);
    let d = o.drain();
    assert_eq!((d.sent, d.failed), (1, 0), "{d:?}");
    assert_eq!(o.portal.logins(), 2);
    assert_eq!(o.progress(&b), ["2"]);
}

#[test]
fn lost_and_slow_answers_lead_to_an_update_not_a_duplicate() {
    let mut o = Office::new();
    let a = o.take_in(1);
    // The portal takes the dossier but the answer never comes back.
    o.portal.push_fault(Some("DongBoHoSoMC"), Fault::LoseReply);
    let first = o.drain();
    assert!(first.waiting && first.sent == 0, "{first:?}");
    assert_eq!(o.drain().sent, 1);
    assert_eq!(o.portal.dossier_writes(&a), (1, 1), "the retry was an update");
    assert_eq!(o.progress(&a), ["2"]);

    // Slower than the adapter waits: the same.
    let b = o.take_in(2);
    o.portal
        .push_fault(Some("DongBoHoSoMC"), Fault::Slow(Duration::from_secs(2)));
    assert!(o.drain().waiting);
    assert_eq!(o.drain().sent, 1);
    assert_eq!(o.portal.dossier_writes(&b), (1, 1));

    // A gateway error: nothing applied, simply sent again.
    let c = o.take_in(3);
    o.portal.push_fault(None, Fault::Http(503));
    assert!(o.drain().waiting);
    assert_eq!(o.drain().sent, 1);
    assert_eq!(o.portal.dossier_writes(&c), (1, 0));
    assert_eq!(o.outbox("pending"), 0);
}

#[test]
fn a_refused_record_is_kept_with_the_reason_and_holds_that_dossier_only() {
    let mut o = Office::new();
    let a = o.take_in(1);
    let b = o.take_in(2);
    o.move_to(&a, 4, "");
    o.portal.push_fault(
        Some("DongBoHoSoMC"),
        Fault::Error(serde_json::json!(-1), "Trường MaTTHC không hợp lệ".into()),
    );
    let d = o.drain();
    assert_eq!((d.sent, d.failed), (1, 1), "{d:?}");
    assert_eq!(o.outbox("failed"), 2, "a's later change waits behind the refusal");
    assert!(o.portal.dossier(&a).is_none());
    assert_eq!(o.progress(&b), ["2"]);
    let reasons: Vec<String> = kit::central_db(o.dir.path())
        .prepare("SELECT last_error FROM portal_outbox WHERE state = 'failed' ORDER BY id")
        .unwrap()
        .query_map((), |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(reasons[0].contains("Trường MaTTHC không hợp lệ"), "{reasons:?}");
    assert!(reasons[1].contains("held"), "{reasons:?}");
}

#[test]
fn records_waiting_when_central_restarts_are_sent_after_it_once() {
    let mut o = Office::new();
    let codes: Vec<String> = (1..=5).map(|n| o.take_in(n)).collect();
    o.move_to(&codes[0], 4, "");
    // The portal is down for a while.
    for _ in 0..3 {
        o.portal.push_fault(None, Fault::Http(502));
    }
    assert!(o.drain().waiting);
    o.restart_central();
    let mut sent = 0;
    for _ in 0..5 {
        let d = o.drain();
        sent += d.sent;
        if !d.waiting {
            break;
        }
    }
    assert_eq!(sent, 6);
    for code in &codes {
        assert_eq!(o.portal.dossier_writes(code).0, 1, "{code} created once");
    }
    assert_eq!(o.progress(&codes[0]), ["2", "4"]);
    assert_eq!(o.outbox("sent"), 6);
}

#[test]
fn a_city_mapping_folds_statuses_as_its_system_expects() {
    let mapping = portal::mapping::DEFAULT_TEXT.replace("[status.5]\nnational = 5", "[status.5]\nnational = 9");
    let mut o = Office::with_mapping(&mapping);
    let a = o.take_in(1);
    o.move_to(&a, 5, "Thiếu giấy chứng sinh");
    o.drain();
    assert_eq!(o.progress(&a), ["2", "9"]);
    assert_eq!(o.portal.dossier(&a).unwrap()["TrangThaiHoSo"], "9");
}

#[test]
fn the_months_satisfaction_totals_go_once_per_change() {
    let o = Office::new();
    let kiosk = Client::new(
        &o.central().url(),
        &kit::enroll(o.central(), o.dir.path(), OFFICE, Role::Kiosk).credential,
        Duration::from_secs(5),
    );
    // 3 satisfied (2 about the staff), 1 neutral, 2 unsatisfied (1 about time).
    let answers = [
        ("satisfied", "[\"staff\"]"),
        ("satisfied", "[\"staff\"]"),
        ("satisfied", "[]"),
        ("neutral", "[]"),
        ("unsatisfied", "[\"time\"]"),
        ("unsatisfied", "[]"),
    ];
    for (i, (answer, criteria)) in answers.iter().enumerate() {
        let record = OutboxRecord {
            id: i as i64,
            kind: "rating".into(),
            key: format!("r{i}"),
            body: format!(r#"{{"answer":"{answer}","rated_at":"2026-11-2{i}T03:00:00Z","criteria":{criteria}}}"#),
            attempts: 0,
        };
        o.rt.block_on(kiosk.deliver(&record)).unwrap();
    }
    // One in December, which November's totals leave out.
    let december = OutboxRecord {
        id: 9,
        kind: "rating".into(),
        key: "r9".into(),
        body: r#"{"answer":"unsatisfied","rated_at":"2026-11-30T18:00:00Z","criteria":[]}"#.into(),
        attempts: 0,
    };
    o.rt.block_on(kiosk.deliver(&december)).unwrap();
    let november = jiff::civil::date(2026, 11, 15);
    let sync = |o: &Office| {
        o.rt.block_on(portal::sync_ratings(&o.central().app, OFFICE, november))
            .unwrap()
    };
    assert!(sync(&o));
    let items = o.portal.ratings();
    let overall = items
        .iter()
        .find(|i| i["NoiDung"].as_str().unwrap().contains("chung"))
        .unwrap();
    // Worked by hand: satisfied and neutral count as "hài lòng" (4 of 6 =
    // 66%), unsatisfied as "chưa hài lòng" (the rest, 34%).
    assert_eq!(overall["NgayTongHop"], "11-2026");
    assert_eq!(overall["TongSoNguoiDanhGia"], 6);
    assert_eq!(overall["PhanTramDanhGiaRatHaiLong"], "0%");
    assert_eq!(overall["PhanTramDanhGiaHaiLong"], "66%");
    assert_eq!(overall["PhanTramDanhGiaChuaHaiLong"], "34%");
    let staff = items
        .iter()
        .find(|i| i["NoiDung"].as_str().unwrap().contains("cán bộ"))
        .unwrap();
    assert_eq!(
        (
            staff["TongSoNguoiDanhGia"].as_u64(),
            staff["PhanTramDanhGiaHaiLong"].as_str()
        ),
        (Some(2), Some("100%"))
    );
    let time = items
        .iter()
        .find(|i| i["NoiDung"].as_str().unwrap().contains("Thời gian"))
        .unwrap();
    assert_eq!(time["PhanTramDanhGiaChuaHaiLong"], "100%");
    assert_eq!(items.len(), 3, "questions nobody answered are left out");
    assert!(!sync(&o), "unchanged totals are not sent again");
}

/// A portal whose procedures do not make a valid catalog: the import is
/// refused as a whole, every problem named, and the office keeps the
/// catalog it had.
#[test]
fn an_invalid_catalog_from_the_portal_is_refused_and_the_old_one_kept() {
    let o = Office::new();
    let import = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_motcua"))
            .args(["--data-dir", o.dir.path().to_str().unwrap(), "central", "portal"])
            .args(["import", "--office", OFFICE])
            .env_remove("MOTCUA_CONFIG")
            .output()
            .unwrap()
    };
    let out = import();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let before = motcua_central::admin(o.dir.path(), |c| motcua_central::office_catalog(c, OFFICE)).unwrap();
    assert!(before.procedure("9.999001").is_some());

    let mut procedures = kit::dvcqg::seed_procedures();
    // A procedure without a name, one without any document, and one
    // whose code is not a national procedure code.
    procedures[0]["TENTTHC"] = "".into();
    procedures[1]["THANHPHANHOSO"][0]["GIAYTO"] = serde_json::json!([]);
    let mut odd = procedures[2].clone();
    odd["MATTHC"] = "TTHC-01".into();
    odd["ID"] = "TTHC-01".into();
    procedures.push(odd);
    o.portal.set_procedures(procedures);

    let out = import();
    let text = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(!out.status.success(), "{text}");
    assert!(
        text.contains("do not make a valid catalog") && text.contains("giữ danh mục cũ"),
        "{text}"
    );
    assert!(text.contains("(1.001193).name: empty"), "{text}");
    assert!(
        text.contains("(1.000656).documents") && text.contains("at least one document"),
        "{text}"
    );
    assert!(text.contains("`TTHC-01` is not a procedure code"), "{text}");
    let after = motcua_central::admin(o.dir.path(), |c| motcua_central::office_catalog(c, OFFICE)).unwrap();
    assert_eq!(after, before, "the office keeps the catalog it had");

    // The store itself refuses an invalid catalog, whoever hands it one.
    let mut broken = before.clone();
    broken.procedures[0].name.clear();
    let e = motcua_central::admin(o.dir.path(), |c| motcua_central::set_catalog(c, OFFICE, &broken)).unwrap_err();
    let e = e.to_string();
    assert!(e.contains(".name: empty"), "{e}");
    let after = motcua_central::admin(o.dir.path(), |c| motcua_central::office_catalog(c, OFFICE)).unwrap();
    assert_eq!(after, before);
}

#[test]
fn it_staff_check_the_connection_and_import_the_catalog_keeping_local_groups() {
    let o = Office::new();
    let motcua = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_motcua"))
            .args(["--data-dir", o.dir.path().to_str().unwrap(), "central", "portal"])
            .args(args)
            .env_remove("MOTCUA_CONFIG")
            .output()
            .unwrap()
    };
    let out = motcua(&["check", "--office", OFFICE]);
    let text = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("1.001193"), "{text}");
    assert!(!text.contains(&PortalConfig::default().password), "{text}");

    let out = motcua(&["import", "--office", OFFICE]);
    let text = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{text}");
    let catalog = motcua_central::admin(o.dir.path(), |c| motcua_central::office_catalog(c, OFFICE)).unwrap();
    let demo = motcua_core::catalog::Catalog::demo();
    let birth = catalog.procedures.iter().find(|p| p.code == "1.001193").unwrap();
    let local = demo.procedures.iter().find(|p| p.code == "1.001193").unwrap();
    assert_eq!(birth.group, local.group, "the local queue group stays");
    assert!(!catalog.demo);
    assert!(
        catalog.procedures.len() >= demo.procedures.len(),
        "local-only procedures are kept"
    );
    for p in &catalog.procedures {
        assert!(
            catalog.groups.iter().any(|g| g.letter == p.group),
            "{} has a queue",
            p.code
        );
    }

    // Bad credentials are said plainly, and the password still not shown.
    let wrong = Settings {
        password: "sai".into(),
        ..settings(&o.portal, Duration::from_secs(2))
    };
    motcua_central::admin(o.dir.path(), |c| {
        portal::configure(c, OFFICE, Some((&wrong, portal::mapping::DEFAULT_TEXT)))
    })
    .unwrap();
    let out = motcua(&["check", "--office", OFFICE]);
    let text = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(!out.status.success());
    assert!(text.contains("refused the login"), "{text}");
}
