//! A city's central: ticket issuances and dossier upserts per second from
//! 16 clients, durable, on one process with SQLite, one process with
//! PostgreSQL, and two processes sharing one PostgreSQL (the clients
//! spread over them); then a city's worth of event streams, 1,300 boards
//! and counter displays, on one central process of its own: its memory
//! per stream, and how long a call takes to reach every screen.
//!
//! Needs PostgreSQL, durable (`synchronous_commit = on`):
//!
//!     MOTCUA_PG_DURABLE=1 scripts/with-postgres cargo bench --bench city_load

use std::path::Path;
use std::time::{Duration, Instant};

use futures::StreamExt;
use motcua_api::model::{EventKind, QueueEvent, Role};
use motcua_central::Running;
use motcua_testkit::{self as kit, bench::Percentiles};
use sse_stream::SseByteStream;

const CLIENTS: usize = 16;
const SECONDS: u64 = 5;
const STREAMS: usize = 1300;
const CALLS: usize = 40;

fn central(dir: &Path, database: Option<&str>) -> Running {
    let options = motcua_central::Options {
        worker_threads: 2,
        rate_per_second: 1e9,
        rate_burst: 1e9,
        cache_kib: 32 * 1024,
        database: database.map(str::to_string),
        ..motcua_central::Options::default()
    };
    Running::start("127.0.0.1:0".parse().unwrap(), dir, &options).unwrap()
}

/// Tickets/s and dossiers/s from `CLIENTS` kiosks and counters spread over
/// `centrals` (which share one database).
fn throughput(label: &str, centrals: &[Running], dir: &Path) {
    let urls: Vec<String> = centrals.iter().map(Running::url).collect();
    let devices = |role| -> Vec<(String, reqwest::Client)> {
        (0..CLIENTS)
            .map(|_| (kit::enroll_direct(dir, role, "bench").1, reqwest::Client::new()))
            .collect()
    };
    let tickets = kit::bench::load(&urls, devices(Role::Kiosk), SECONDS, kit::bench::ticket_request);
    let dossiers = kit::bench::load(&urls, devices(Role::Counter), SECONDS, kit::bench::dossier_request);
    println!("{label}: {tickets:.0} ticket issuances/s, {dossiers:.0} dossier upserts/s ({CLIENTS} clients, durable)");
}

/// Resident memory of process `pid`, in KiB.
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS")
}

fn main() {
    motcua_central::tls::init();
    motcua_central::serve::raise_fd_limit();
    let server = std::env::var("MOTCUA_TEST_POSTGRES")
        .expect("run with MOTCUA_PG_DURABLE=1 scripts/with-postgres cargo bench --bench city_load");

    // One process, SQLite (WAL, synchronous=FULL, group commit).
    {
        let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
        let c = central(dir.path(), None);
        throughput("1 process, SQLite", std::slice::from_ref(&c), dir.path());
    }
    // One process, then two, on PostgreSQL.
    for processes in [1, 2] {
        let database = motcua_central::pg::fresh_database(&server).unwrap();
        let dirs: Vec<_> = (0..processes)
            .map(|_| tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap())
            .collect();
        let centrals: Vec<Running> = dirs.iter().map(|d| central(d.path(), Some(&database))).collect();
        throughput(
            &format!("{processes} process(es), PostgreSQL"),
            &centrals,
            dirs[0].path(),
        );
    }

    // 1,300 event streams on one central process of its own (SQLite, as
    // an office or a small district runs it).
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    // Enrolled beforehand, straight into the database the process opens.
    let boards: Vec<String> = (0..STREAMS)
        .map(|_| kit::enroll_direct(dir.path(), Role::Board, "screen").1)
        .collect();
    let kiosk = kit::enroll_direct(dir.path(), Role::Kiosk, "kiosk").1;
    let counter = kit::enroll_direct(dir.path(), Role::Counter, "counter").1;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_motcua"))
        .arg("--data-dir")
        .arg(dir.path())
        .args([
            "central",
            "--tls",
            "off",
            "--rate-limit",
            "1000000",
            "--listen",
            &format!("127.0.0.1:{port}"),
        ])
        .env("MOTCUA_LOG", "info")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::BufRead;
        let mut lines = std::io::BufReader::new(child.stderr.take().unwrap()).lines();
        for line in lines.by_ref() {
            if line.unwrap().contains("central serving") {
                break;
            }
        }
        std::thread::spawn(move || lines.for_each(drop));
    }
    let pid = child.id();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let before = rss_kib(pid);
    let (per_stream, latencies) = rt.block_on(async {
        let http = reqwest::Client::new();
        // Central takes 256 connections from one address: the screens come
        // from eight loopback addresses, as a city's come from many.
        let screens: Vec<reqwest::Client> = (2..10u8)
            .map(|n| {
                reqwest::Client::builder()
                    .local_address(std::net::IpAddr::from([127, 0, 0, n]))
                    .build()
                    .unwrap()
            })
            .collect();
        let (arrived, mut arrivals) = tokio::sync::mpsc::unbounded_channel::<(i64, Instant)>();
        let mut open = Vec::new();
        for (n, credential) in boards.iter().enumerate() {
            let response = screens[n % screens.len()]
                .get(format!("{url}/v1/events"))
                .bearer_auth(credential)
                .send()
                .await
                .expect("a stream opens");
            assert!(response.status().is_success(), "{}", response.status());
            let arrived = arrived.clone();
            open.push(tokio::spawn(async move {
                let bytes = futures::stream::unfold(response, |mut r| async move {
                    match r.chunk().await {
                        Ok(Some(b)) => Some((Ok::<_, std::io::Error>(b), r)),
                        _ => None,
                    }
                });
                let mut events = Box::pin(SseByteStream::new(bytes));
                while let Some(Ok(block)) = events.next().await {
                    if let Some(data) = block.data
                        && let Ok(e) = serde_json::from_str::<QueueEvent>(&data)
                        && e.kind == EventKind::Called
                    {
                        let _ = arrived.send((e.ticket.id, Instant::now()));
                    }
                }
            }));
        }
        let after = rss_kib(pid);
        let per_stream = (after.saturating_sub(before)) as f64 / STREAMS as f64;
        for i in 0..CALLS {
            let r = http
                .post(format!("{url}/v1/tickets"))
                .bearer_auth(&kiosk)
                .header("idempotency-key", format!("k{i}"))
                .header("content-type", "application/json")
                .body(r#"{"group":"A","lane":"normal"}"#)
                .send()
                .await
                .unwrap();
            assert!(r.status().is_success());
        }
        let mut latencies = Vec::with_capacity(STREAMS * CALLS);
        for i in 0..CALLS {
            let start = Instant::now();
            let r = http
                .post(format!("{url}/v1/queue/call"))
                .bearer_auth(&counter)
                .header("idempotency-key", format!("c{i}"))
                .header("content-type", "application/json")
                .body(r#"{"counter":"1","groups":["A"]}"#)
                .send()
                .await
                .unwrap();
            assert!(r.status().is_success());
            let called: serde_json::Value = r.json().await.unwrap();
            let id = called["id"].as_i64().expect("a ticket called");
            let mut heard = 0;
            while heard < STREAMS {
                let (ticket, at) = tokio::time::timeout(Duration::from_secs(30), arrivals.recv())
                    .await
                    .expect("every screen hears the call")
                    .unwrap();
                assert_eq!(ticket, id, "calls arrive in order");
                latencies.push(at - start);
                heard += 1;
            }
        }
        for task in open {
            task.abort();
        }
        (per_stream, latencies)
    });
    let p = Percentiles::new(latencies);
    println!(
        "{STREAMS} event streams on one central process: {:.1} KiB each ({} KiB before, {} KiB with them open)",
        per_stream,
        before,
        before + (per_stream * STREAMS as f64) as u64
    );
    println!(
        "call to screen, {STREAMS} screens × {CALLS} calls: p50 {:.1} ms, p99 {:.1} ms, slowest {:.1} ms",
        p.ms(0.5),
        p.ms(0.99),
        p.ms(1.0)
    );
    child.kill().unwrap();
    child.wait().unwrap();
}
