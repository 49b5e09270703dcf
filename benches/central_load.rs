//! Load on a real central over HTTP on 127.0.0.1, durable (WAL,
//! synchronous=FULL, group commit), from 16 concurrent clients on this
//! machine: ticket issuances per second and dossier upserts per second.
//! Then the kiosk's outbox: 1,000 queued dossiers drained after reconnect.
//! Then the same central over TLS (mutual, device certificates): ticket
//! issuances per second, and the cost of one issuance on a kept-alive
//! connection, on a new connection with a full handshake, and on a new
//! connection that resumes a TLS session, against plain HTTP.
//!
//! Run with `cargo bench --bench central_load`.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use motcua::store::Store;
use motcua::sync::{Client, Link, Step};
use motcua_api::model::Role;
use motcua_central::Running;
use motcua_testkit as kit;

const CLIENTS: usize = 16;
const SECONDS: u64 = 5;

fn enroll(dir: &std::path::Path, role: Role) -> String {
    kit::enroll_direct(dir, role, "bench").1
}

fn dossier(i: usize) -> String {
    kit::bench::dossier_body(i)
}

/// Runs `CLIENTS` loops of `request` for `SECONDS` over plain HTTP;
/// returns answers per second.
fn load(url: &str, credentials: &[String], request: kit::bench::Request) -> f64 {
    let clients = credentials
        .iter()
        .map(|c| (c.clone(), reqwest::Client::new()))
        .collect();
    kit::bench::load(&[url.to_string()], clients, SECONDS, request)
}

/// The same over TLS, each device with its own certificate.
fn load_with(url: &str, devices: &[(String, motcua::sync::tls::Trust)], request: kit::bench::Request) -> f64 {
    let clients = devices
        .iter()
        .map(|(c, trust)| {
            let http = reqwest::Client::builder()
                .tls_backend_preconfigured(trust.config())
                .build()
                .unwrap();
            (c.clone(), http)
        })
        .collect();
    kit::bench::load(&[url.to_string()], clients, SECONDS, request)
}

/// Latencies of one ticket: on one kept-alive connection, or on a new
/// connection each time (`fresh`).
fn issue_latencies(
    url: &str,
    credential: &str,
    connect: &dyn Fn() -> reqwest::Client,
    fresh: bool,
) -> kit::bench::Percentiles {
    let runtime = kit::runtime();
    let kept = connect();
    let key = fastrand::u64(..);
    let samples = (0..500)
        .map(|i| {
            let http = if fresh { connect() } else { kept.clone() };
            let start = Instant::now();
            let r = runtime
                .block_on(
                    http.post(format!("{url}/v1/tickets"))
                        .bearer_auth(credential)
                        .header("idempotency-key", format!("lat-{key}-{i}"))
                        .header("content-type", "application/json")
                        .body(r#"{"group":"A","lane":"normal"}"#)
                        .send(),
                )
                .expect("an answer");
            assert!(r.status().is_success(), "{}", r.status());
            start.elapsed()
        })
        .collect();
    kit::bench::Percentiles::new(samples)
}

fn main() {
    motcua_central::tls::init();
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let options = motcua_central::Options {
        worker_threads: 2,
        rate_per_second: 1e9,
        rate_burst: 1e9,
        cache_kib: 32 * 1024,
        ..motcua_central::Options::default()
    };
    let central = Running::start("127.0.0.1:0".parse().unwrap(), dir.path(), &options).unwrap();
    let url = central.url();
    let kiosks: Vec<String> = (0..CLIENTS).map(|_| enroll(dir.path(), Role::Kiosk)).collect();
    let counters: Vec<String> = (0..CLIENTS).map(|_| enroll(dir.path(), Role::Counter)).collect();

    let tickets = load(&url, &kiosks, kit::bench::ticket_request);
    println!("central: {tickets:.0} ticket issuances/s ({CLIENTS} clients, durable)");

    let dossiers = load(&url, &counters, kit::bench::dossier_request);
    println!("central: {dossiers:.0} dossier upserts/s ({CLIENTS} clients, durable)");

    // The outbox: 1,000 dossiers queued while offline, drained at reconnect.
    let kdir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let store = Arc::new(Mutex::new(Store::open(kdir.path()).unwrap()));
    {
        let mut s = store.lock().unwrap();
        for i in 0..1000 {
            let body = format!(r#"{{"code":"000.00.01.H26-261129-{i:04}","dossier":{}}}"#, dossier(i));
            s.enqueue("dossier", &format!("drain-{i}"), &body).unwrap();
        }
    }
    let (device, credential) = kit::enroll_direct(dir.path(), Role::Counter, "bench");
    let link = Link::new(
        Client::new(&url, &credential, Duration::from_secs(5)),
        store.clone(),
        (&device).into(),
    );
    let start = Instant::now();
    let end = link.block_on(link.drain());
    let elapsed = start.elapsed();
    assert_eq!(end, Step::Empty);
    assert_eq!(store.lock().unwrap().outbox_counts().unwrap().pending, 0);
    println!("outbox: 1000 queued dossiers drained in {:.2} s", elapsed.as_secs_f64());

    // The same over TLS: a central with its own authority, a kiosk
    // enrolled with the pin and known by its certificate.
    let tdir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let tls_central = Running::start(
        "127.0.0.1:0".parse().unwrap(),
        tdir.path(),
        &motcua_central::Options {
            tls: Some(motcua_central::tls::TlsSetup::default()),
            ..options.clone()
        },
    )
    .unwrap();
    let turl = tls_central.url();
    let pin = tls_central.app.tls.as_ref().unwrap().authority.pin().to_string();
    let kiosk_dirs: Vec<tempfile::TempDir> = (0..CLIENTS)
        .map(|_| tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap())
        .collect();
    let rt = kit::runtime();
    let trusted: Vec<(String, motcua::sync::tls::Trust)> = kiosk_dirs
        .iter()
        .map(|d| {
            let token = kit::token(tdir.path(), kit::OFFICE, Role::Kiosk, "bench");
            let token = motcua_central::tls::token_with_pin(&token, &pin);
            let e = rt.block_on(Client::enroll_into(&turl, &token, d.path())).unwrap();
            (e.credential, motcua::sync::tls::Trust::load(d.path()).unwrap().unwrap())
        })
        .collect();
    let plain = || reqwest::Client::new();
    let (credential, trust) = &trusted[0];
    let config = trust.config();
    let resuming = || {
        reqwest::Client::builder()
            .tls_backend_preconfigured(config.clone())
            .build()
            .unwrap()
    };
    let full = || {
        reqwest::Client::builder()
            .tls_backend_preconfigured(trust.config())
            .build()
            .unwrap()
    };
    let kiosk = &kiosks[0];
    for (name, url, credential, connect, fresh) in [
        (
            "plain HTTP, kept-alive connection",
            &url,
            kiosk,
            &plain as &dyn Fn() -> reqwest::Client,
            false,
        ),
        ("plain HTTP, new connection", &url, kiosk, &plain, true),
        ("TLS, kept-alive connection", &turl, credential, &resuming, false),
        (
            "TLS, new connection, resumed session",
            &turl,
            credential,
            &resuming,
            true,
        ),
        ("TLS, new connection, full handshake", &turl, credential, &full, true),
    ] {
        let p = issue_latencies(url, credential, connect, fresh);
        println!(
            "ticket over {name}: p50 {:.3} ms, p99 {:.3} ms ({} issuances)",
            p.ms(0.50),
            p.ms(0.99),
            p.len()
        );
    }
    // Throughput over TLS, 16 kiosks each on its own kept-alive connection.
    let tls_tickets = load_with(&turl, &trusted, |http, url, cred, i| {
        http.post(format!("{url}/v1/tickets"))
            .bearer_auth(cred)
            .header("idempotency-key", format!("tt-{i}"))
            .header("content-type", "application/json")
            .body(format!(
                r#"{{"group":"{}","lane":"normal"}}"#,
                ["A", "B", "C", "D"][i % 4]
            ))
    });
    println!("central over TLS: {tls_tickets:.0} ticket issuances/s ({CLIENTS} clients, mutual TLS, durable)");
}
