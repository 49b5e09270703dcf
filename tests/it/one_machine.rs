//! One machine running the whole office: kiosk, counter and board on one
//! data directory and one database, sharing the machine's own central.
//! Each role's records go out under its own device and no other, exactly
//! once, whichever role serves central, through restarts and stalls.

use motcua_testkit as kit;

use std::path::Path;
use std::sync::{Arc, Mutex};

use jiff::Timestamp;
use kit::*;

/// The devices' own clock (2026-11-28 09:00 in Hà Nội): central places
/// offline tickets on its own clock, so nothing here depends on the hour.
const ISSUED: Timestamp = Timestamp::constant(1_795_831_200, 0);
use motcua::config::Config;
use motcua::local_central::LocalCentral;
use motcua::store::{Store, TicketRequest};
use motcua::sync::{Link, Step};
use motcua_api::model::Role;
use motcua_core::queue::Lane;

/// One role of the machine, as its own process would set it up.
struct RoleOn {
    link: Arc<Link>,
    store: Arc<Mutex<Store>>,
    local: Option<Arc<LocalCentral>>,
}

fn start(data: &Path, role: Role) -> RoleOn {
    let store = Arc::new(Mutex::new(Store::open(data).unwrap()));
    let (link, local) = motcua::setup::connect(&Config::default(), data, store.clone(), None, role).unwrap();
    RoleOn { link, store, local }
}

fn offline_ticket(k: &RoleOn) {
    let slot = k.link.slot();
    let request = TicketRequest {
        group: "A".into(),
        lane: Lane::Normal,
        procedure: None,
    };
    k.store.lock().unwrap().issue(&request, slot, ISSUED, None).unwrap();
}

fn dossier(c: &RoleOn, i: u32) {
    let body = serde_json::json!({"code": format!("000.00.01.H26-261128-{i:04}"), "dossier": dossier_json()});
    c.store
        .lock()
        .unwrap()
        .enqueue("dossier", &format!("dossier-{i}"), &body.to_string())
        .unwrap();
}

fn drain(r: &RoleOn) -> Step {
    r.link.block_on(r.link.drain())
}

fn central(data: &Path) -> kit::CentralDb {
    central_db(&data.join("central"))
}

fn failed(r: &RoleOn) -> usize {
    r.store.lock().unwrap().failed_records().unwrap().len()
}

#[test]
fn three_roles_on_one_data_dir_each_send_their_own_records_once() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let kiosk = start(data, Role::Kiosk);
    let counter = start(data, Role::Counter);
    let board = start(data, Role::Board);
    assert!(kiosk.local.as_ref().unwrap().hosting(), "the first role serves central");
    assert!(!counter.local.as_ref().unwrap().hosting());

    for _ in 0..3 {
        offline_ticket(&kiosk);
    }
    dossier(&counter, 1);
    // The board goes first: it has nothing of its own to send, and must
    // not send the others' under its credential.
    assert_eq!(drain(&board), Step::Empty);
    assert_eq!(failed(&board), 0, "nothing refused under the board's device");
    assert_eq!(
        kiosk.store.lock().unwrap().outbox_counts().unwrap().pending,
        3,
        "the kiosk's header counts its own records"
    );
    assert_eq!(counter.store.lock().unwrap().outbox_counts().unwrap().pending, 1);
    assert_eq!(drain(&counter), Step::Empty);
    assert_eq!(drain(&kiosk), Step::Empty);

    let db = central(data);
    let ids = |role: &str| -> i64 {
        db.query_row("SELECT id FROM devices WHERE role = ?1", [role], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(
        count(
            &db,
            &format!("SELECT count(*) FROM tickets WHERE device_id = {}", ids("kiosk"))
        ),
        3,
        "tickets under the kiosk's device"
    );
    assert_eq!(count(&db, "SELECT count(*) FROM dossiers"), 1);
    for r in [&kiosk, &counter, &board] {
        assert_eq!(failed(r), 0);
    }
    let pending: i64 = rusqlite::Connection::open(data.join("motcua.db"))
        .unwrap()
        .query_row("SELECT count(*) FROM outbox WHERE state <> 'sent'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(pending, 0, "every record delivered");
}

#[test]
fn when_the_role_serving_central_stops_another_takes_over_on_the_same_address() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let kiosk = start(data, Role::Kiosk);
    let counter = start(data, Role::Counter);
    let board = start(data, Role::Board);
    let url = kiosk.link.client().base();
    assert_eq!(counter.link.client().base(), url);

    // The kiosk runs as it does for real, its worker sending in the
    // background; then its process ends: its link, the link's tasks and
    // its central go with it (they once held the link for ever).
    kiosk.link.start_worker();
    kiosk.link.start_retention(7);
    let mut status = kiosk.link.watch_status();
    drop(kiosk);
    let gone = runtime().block_on(async {
        tokio::time::timeout(std::time::Duration::from_secs(20), async {
            while status.changed().await.is_ok() {}
        })
        .await
    });
    assert!(gone.is_ok(), "the link outlived its owner");

    // The counter takes a dossier in meanwhile; the first try finds central
    // silent and takes it over; the next delivers, under its own device.
    dossier(&counter, 7);
    assert!(matches!(counter.link.block_on(counter.link.step()), Step::Retry(_)));
    assert!(
        counter.local.as_ref().unwrap().hosting(),
        "the counter serves central now"
    );
    assert_eq!(drain(&counter), Step::Empty);
    assert_eq!(counter.link.client().base(), url, "same address for everyone");
    assert_eq!(count(&central(data), "SELECT count(*) FROM dossiers"), 1);
    assert_eq!(failed(&counter), 0);

    // The board still reaches central at the address it knows.
    assert!(board.link.block_on(board.link.probe()));

    // The kiosk comes back: it finds central served, issues online.
    let kiosk = start(data, Role::Kiosk);
    assert!(!kiosk.local.as_ref().unwrap().hosting());
    let ticket = kiosk
        .link
        .block_on(kiosk.link.clone().issue(
            TicketRequest {
                group: "A".into(),
                lane: Lane::Normal,
                procedure: None,
            },
            ISSUED,
        ))
        .unwrap();
    assert_eq!(ticket.number.slot, 0, "numbered by central, not offline");
    assert_eq!(drain(&kiosk), Step::Empty);
}

#[test]
fn a_second_process_of_the_same_role_leaves_the_records_to_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let first = start(data, Role::Counter);
    // The same role started twice on the data directory (a stalled process
    // and its restart): one sender per record, never two.
    let second = start(data, Role::Counter);
    dossier(&first, 3);
    assert_eq!(drain(&first), Step::Empty);
    dossier(&first, 4);
    assert!(matches!(drain(&second), Step::Retry(_)), "the second does not send");
    assert_eq!(count(&central(data), "SELECT count(*) FROM dossiers"), 1);
    // Once the first is gone (it served central too: the first try finds
    // central silent and takes it over), the second sends what is left, once.
    drop(first);
    assert!(matches!(drain(&second), Step::Retry(_)));
    assert!(second.local.as_ref().unwrap().hosting());
    assert_eq!(drain(&second), Step::Empty);
    assert_eq!(count(&central(data), "SELECT count(*) FROM dossiers"), 2);
}

#[test]
fn records_an_older_motcua_wrote_without_a_device_go_to_the_role_that_writes_them() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    {
        // Written before records carried their device.
        let mut s = Store::open(data).unwrap();
        s.issue(
            &TicketRequest {
                group: "A".into(),
                lane: Lane::Normal,
                procedure: None,
            },
            1,
            ISSUED,
            None,
        )
        .unwrap();
        let body = serde_json::json!({"code": "000.00.01.H26-261128-0009", "dossier": dossier_json()});
        s.enqueue("dossier", "dossier-legacy", &body.to_string()).unwrap();
    }
    let board = start(data, Role::Board);
    let counter = start(data, Role::Counter);
    assert_eq!(drain(&board), Step::Empty);
    assert_eq!(
        counter.store.lock().unwrap().outbox_counts().unwrap().pending,
        1,
        "the dossier is the counter's"
    );
    assert_eq!(drain(&counter), Step::Empty);
    assert_eq!(count(&central(data), "SELECT count(*) FROM dossiers"), 1);
    assert_eq!(failed(&board) + failed(&counter), 0);
}
