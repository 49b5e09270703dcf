//! A device with several addresses of one central (`[central] urls`): an
//! address that refuses connections, dies mid-burst, loses an answer or
//! answers 502 as a load balancer whose process died moves the device to
//! the next, and every record and ticket reaches central exactly once.

use motcua_testkit as kit;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use jiff::Timestamp;
use kit::proxy::{Fault, Proxy};
use kit::tunnel::{Tunnel, dead_address};
use kit::*;
use motcua::store::{Rating, RatingEntry, Store, TicketRequest};
use motcua::sync::{Client, Step};
use motcua_api::model::{Enrolled, Role};
use motcua_core::queue::Lane;

/// The test's own clock ([`kit::test_instant`]).
fn clock() -> Timestamp {
    kit::test_instant()
}

fn request(group: &str) -> TicketRequest {
    TicketRequest {
        group: group.into(),
        lane: Lane::Normal,
        procedure: None,
    }
}

/// A kiosk whose client knows central at each of `urls`, starting at the
/// first.
fn kiosk_at(urls: &[String], enrolled: Enrolled) -> Kiosk {
    kit::kiosk_at(urls, enrolled, Duration::from_secs(3))
}

fn issue(k: &Kiosk, group: &str) -> motcua::store::Ticket {
    k.link
        .block_on(k.link.clone().issue(request(group), clock()))
        .expect("a ticket")
}

/// Queues `n` offline tickets and a rating in the kiosk's outbox.
fn queue_offline(k: &Kiosk, n: usize) {
    let slot = k.enrolled.device.slot;
    let mut s = k.store.lock().unwrap();
    for _ in 0..n {
        s.issue(&request("C"), slot, clock(), None).unwrap();
    }
    s.rate(&RatingEntry::new(Rating::Satisfied), clock()).unwrap();
}

fn forwarded(p: &Proxy) -> usize {
    *p.forwarded.0.lock().unwrap()
}

#[test]
fn the_first_address_dead_from_the_start_everything_goes_to_the_second() {
    let dir = tempfile::tempdir().unwrap();
    let central = start_central(dir.path());
    let urls = [dead_address(), central.url()];
    let k = kiosk_at(&urls, enroll(&central, dir.path(), OFFICE, Role::Kiosk));
    for _ in 0..5 {
        assert_eq!(
            issue(&k, "A").number.slot,
            0,
            "central numbers it, from the second address"
        );
    }
    assert!(k.link.status().online);
    queue_offline(&k, 5);
    assert_eq!(k.link.block_on(k.link.drain()), Step::Empty);
    assert_eq!(k.link.client().base(), central.url(), "it stays where central answers");
    let db = central_db(dir.path());
    assert_eq!(
        count(&db, "SELECT count(*) FROM tickets WHERE grp = 'A' AND slot = 0"),
        5
    );
    assert_eq!(count(&db, "SELECT count(*) FROM tickets WHERE grp = 'C'"), 5);
    assert_eq!(count(&db, "SELECT count(*) FROM ratings"), 1);
}

/// Central takes a record at the first address and the answer is lost;
/// the client moves and sends the same key to the second, which answers
/// what central kept for it. Later the second answers 502 (its process
/// gone behind a load balancer) and the client wraps round to the first.
#[test]
fn a_lost_answer_is_sent_again_with_its_key_at_the_next_address_and_kept_once() {
    let dir = tempfile::tempdir().unwrap();
    let central = start_central(dir.path());
    let (a, b) = (Proxy::start(central.addr), Proxy::start(central.addr));
    let k = kiosk_at(&[a.url(), b.url()], enroll(&central, dir.path(), OFFICE, Role::Kiosk));
    queue_offline(&k, 20);
    a.inject([
        Fault::Delay(Duration::ZERO),
        Fault::Delay(Duration::ZERO),
        Fault::Delay(Duration::ZERO),
        Fault::ResetAfter,
    ]);
    b.inject([
        Fault::Delay(Duration::ZERO),
        Fault::Delay(Duration::ZERO),
        Fault::Delay(Duration::ZERO),
        Fault::Status(502, None),
    ]);
    assert_eq!(
        k.link.block_on(k.link.drain()),
        Step::Empty,
        "sent at another address within the same try, never waiting"
    );
    // b: the lost one again and the next two, then its 502; a: the first
    // three, the one whose answer was lost, and all after the 502.
    assert_eq!(forwarded(&b), 3);
    assert_eq!(forwarded(&a), 21 - 3 + 1);
    assert_eq!(k.link.client().base(), a.url());
    let db = central_db(dir.path());
    assert_eq!(count(&db, "SELECT count(*) FROM tickets"), 20, "none lost, none twice");
    assert_eq!(count(&db, "SELECT count(*) FROM ratings"), 1);
    assert_eq!(count(&db, "SELECT count(*) FROM idempotency"), 21);

    // A ticket asked for online, its answer lost at the first address:
    // the second gives the same ticket, no ghost and no offline number.
    a.inject([Fault::ResetAfter]);
    let t = issue(&k, "D");
    assert_eq!(t.number.slot, 0, "central's number, from the second address");
    assert_eq!(count(&db, "SELECT count(*) FROM tickets WHERE grp = 'D'"), 1);
    assert_eq!(count(&db, "SELECT count(*) FROM tickets WHERE status = 'void'"), 0);
    assert_eq!(k.store.lock().unwrap().outbox_counts().unwrap().pending, 0);
}

#[test]
fn the_first_address_dies_mid_burst_and_every_record_arrives_once() {
    let dir = tempfile::tempdir().unwrap();
    let central = start_central(dir.path());
    let a = Proxy::start(central.addr);
    let b = Proxy::start(central.addr);
    let k = kiosk_at(&[a.url(), b.url()], enroll(&central, dir.path(), OFFICE, Role::Kiosk));
    queue_offline(&k, 30);
    for _ in 0..10 {
        assert!(matches!(k.link.block_on(k.link.step()), Step::Sent(_)));
    }
    let mut online = vec![issue(&k, "A")];
    assert_eq!(forwarded(&a), 11, "all through the first so far");
    // The process behind the first address dies: its port refuses.
    drop(a);
    online.extend((0..5).map(|_| issue(&k, "A")));
    assert_eq!(k.link.block_on(k.link.drain()), Step::Empty);
    online.extend((0..5).map(|_| issue(&k, "A")));
    assert!(online.iter().all(|t| t.number.slot == 0), "every ticket from central");
    assert_eq!(k.link.client().base(), b.url());
    assert_eq!(forwarded(&b), 5 + 21 + 5);
    let db = central_db(dir.path());
    assert_eq!(count(&db, "SELECT count(*) FROM tickets WHERE grp = 'C'"), 30);
    assert_eq!(
        count(
            &db,
            "SELECT count(DISTINCT slot || ' ' || number) FROM tickets WHERE grp = 'C'"
        ),
        30
    );
    assert_eq!(count(&db, "SELECT count(*) FROM tickets WHERE grp = 'A'"), 11);
    assert_eq!(count(&db, "SELECT count(*) FROM ratings"), 1);
    assert_eq!(k.store.lock().unwrap().outbox_counts().unwrap().pending, 0);
}

#[test]
fn the_event_stream_moves_to_the_next_address_and_still_gets_calls() {
    use motcua::sync::events::{Event, follow};
    let dir = tempfile::tempdir().unwrap();
    let central = start_central(dir.path());
    let (mut a, b) = (Tunnel::start(central.addr), Tunnel::start(central.addr));
    let board = enroll(&central, dir.path(), OFFICE, Role::Board);
    let kiosk = kiosk(
        &central.url(),
        enroll(&central, dir.path(), OFFICE, Role::Kiosk),
        Duration::from_secs(3),
    );
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let client = Client::new(&a.url(), &board.credential, Duration::from_secs(3)).with_addresses(&[a.url(), b.url()]);
    let mut events = Box::pin(follow(client.clone()));
    assert_eq!(next_event(&rt, &mut events), Event::Connected);
    issue(&kiosk, "A");
    assert!(matches!(next_event(&rt, &mut events), Event::Queue(e) if e.ticket.display == "A-001"));

    a.cut();
    assert!(matches!(next_event(&rt, &mut events), Event::Disconnected { .. }));
    assert_eq!(
        next_event(&rt, &mut events),
        Event::Connected,
        "at once, at the second address"
    );
    assert_eq!(client.base(), b.url());
    issue(&kiosk, "A");
    assert!(matches!(next_event(&rt, &mut events), Event::Queue(e) if e.ticket.display == "A-002"));
}

/// The process behind the first address hangs: the stream breaks, and a
/// new connection there would be taken and never answered. The reconnect
/// goes to the second.
#[test]
fn a_stream_broken_at_a_hung_address_reconnects_at_the_next() {
    use motcua::sync::events::{Event, follow};
    let dir = tempfile::tempdir().unwrap();
    let central = start_central(dir.path());
    let (a, b) = (Tunnel::start(central.addr), Tunnel::start(central.addr));
    let board = enroll(&central, dir.path(), OFFICE, Role::Board);
    let rt = runtime();
    let client = Client::new(&a.url(), &board.credential, Duration::from_secs(3)).with_addresses(&[a.url(), b.url()]);
    let mut events = Box::pin(follow(client.clone()));
    assert_eq!(next_event(&rt, &mut events), Event::Connected);
    a.hang();
    assert!(matches!(next_event(&rt, &mut events), Event::Disconnected { .. }));
    assert_eq!(next_event(&rt, &mut events), Event::Connected);
    assert_eq!(client.base(), b.url());
}

/// A device configured with `urls` is linked to every address; one whose
/// enrollment names none of them is told so.
#[test]
fn a_device_configured_with_urls_links_to_all_of_them() {
    let dir = tempfile::tempdir().unwrap();
    let central = start_central(dir.path());
    let dead = dead_address();
    let data = tempfile::tempdir().unwrap();
    let enrolled = enroll(&central, dir.path(), OFFICE, Role::Kiosk);
    motcua::sync::device::DeviceFile::from_enrolled(Some(central.url()), enrolled)
        .save(data.path())
        .unwrap();
    let text = format!("[central]\nurls = [\"{dead}\", \"{}\"]\n", central.url());
    let (config, _) = motcua::config::Config::parse(&text).unwrap();
    let store = Arc::new(Mutex::new(Store::open(data.path()).unwrap()));
    let (link, local) = motcua::setup::connect(&config, data.path(), store.clone(), None, Role::Kiosk).unwrap();
    assert!(local.is_none(), "never the machine's own central");
    assert_eq!(link.client().addresses(), [dead.clone(), central.url()]);
    assert!(link.block_on(link.probe()), "central answers at the second");
    assert_eq!(link.client().base(), central.url());

    let elsewhere = format!("[central]\nurls = [\"{dead}\"]\n");
    let (config, _) = motcua::config::Config::parse(&elsewhere).unwrap();
    let e = motcua::setup::connect(&config, data.path(), store, None, Role::Kiosk).unwrap_err();
    assert!(e.to_string().contains("enroll it again"), "{e}");

    // A bad address in the file stops start-up, named with its line.
    let file = data.path().join("motcua.toml");
    std::fs::write(
        &file,
        "[central]\ntimeout_ms = 500\nurls = [\"https://a:8686\", \"http://10.0.0.5:8686\"]\n",
    )
    .unwrap();
    let e = motcua::config::load(Some(&file)).unwrap_err();
    assert!(
        e.message.contains("central.urls") && e.message.contains("line 3") && e.message.contains("address 2"),
        "{e}"
    );
}

/// `motcua enroll` against a list: an address that does not answer is
/// passed over, the first that answers enrolls the device.
#[test]
fn enrollment_tries_each_address_in_turn() {
    let dir = tempfile::tempdir().unwrap();
    let central = start_central(dir.path());
    let data = tempfile::tempdir().unwrap();
    let urls = [dead_address(), dead_address(), format!("{}/", central.url())];
    let token = token(dir.path(), OFFICE, Role::Kiosk, "kiosk with two addresses");
    let (answered, enrolled) = runtime()
        .block_on(Client::enroll_into_any(&urls, &token, data.path()))
        .expect("the third address enrolls it");
    assert_eq!(answered, central.url());
    assert_eq!(enrolled.device.role, Role::Kiosk);
    // A refusal is central's answer: the search ends there.
    let e = runtime()
        .block_on(Client::enroll_into_any(
            &[central.url(), dead_address()],
            &token,
            data.path(),
        ))
        .unwrap_err();
    assert!(
        !e.moves_on() && e.status().is_some_and(|s| (400..500).contains(&s)),
        "{e}"
    );
    let e = runtime()
        .block_on(Client::enroll_into_any(&[dead_address()], &token, data.path()))
        .unwrap_err();
    assert!(matches!(e, motcua::sync::SyncError::Refused(_)), "{e}");
}
