//! Load on a real central over HTTP on 127.0.0.1, durable (WAL,
//! synchronous=FULL, group commit), from 16 concurrent clients on this
//! machine: ticket issuances per second and dossier upserts per second.
//! Then the kiosk's outbox: 1,000 queued dossiers drained after reconnect.
//!
//! Run with `cargo bench --bench central_load`.

use std::sync::atomic::{AtomicU64, Ordering};
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
    serde_json::json!({
        "procedure_code": "1.001193",
        "procedure_name": "Thủ tục đăng ký khai sinh",
        "applicant": {"name": "Người Thử", "id_number": "001099012345", "kind": 1, "phone": "0987654321", "address": "Hà Nội"},
        "received_at": "2026-11-28T02:41:00Z",
        "due_at": "2026-11-28T10:00:00Z",
        "status": 2 + (i % 2) as u8,
        "channel": 1,
    })
    .to_string()
}

/// Runs `CLIENTS` loops of `request` for `SECONDS`; returns answers per second.
fn load(
    url: &str,
    credentials: &[String],
    request: fn(&reqwest::Client, &str, &str, usize) -> reqwest::RequestBuilder,
) -> f64 {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let done = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let deadline = start + Duration::from_secs(SECONDS);
    runtime.block_on(async {
        let mut tasks = Vec::new();
        for (c, credential) in credentials.iter().enumerate() {
            let (url, credential, done, failed) = (url.to_string(), credential.clone(), done.clone(), failed.clone());
            tasks.push(tokio::spawn(async move {
                let http = reqwest::Client::new();
                let mut i = 0;
                while Instant::now() < deadline {
                    let r = request(&http, &url, &credential, c * 10_000_000 + i).send().await;
                    match r {
                        Ok(r) if r.status().is_success() => done.fetch_add(1, Ordering::Relaxed),
                        _ => failed.fetch_add(1, Ordering::Relaxed),
                    };
                    i += 1;
                }
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
    });
    let elapsed = start.elapsed().as_secs_f64();
    assert_eq!(failed.load(Ordering::Relaxed), 0, "requests failed under load");
    done.load(Ordering::Relaxed) as f64 / elapsed
}

fn main() {
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

    let tickets = load(&url, &kiosks, |http, url, cred, i| {
        http.post(format!("{url}/v1/tickets"))
            .bearer_auth(cred)
            .header("idempotency-key", format!("t-{i}"))
            .header("content-type", "application/json")
            .body(format!(
                r#"{{"group":"{}","lane":"normal"}}"#,
                ["A", "B", "C", "D"][i % 4]
            ))
    });
    println!("central: {tickets:.0} ticket issuances/s ({CLIENTS} clients, durable)");

    let dossiers = load(&url, &counters, |http, url, cred, i| {
        http.put(format!(
            "{url}/v1/dossiers/000.00.01.H26-261128-{:07}",
            i % 5000 + (i / 10_000_000) * 5000
        ))
        .bearer_auth(cred)
        .header("idempotency-key", format!("d-{i}"))
        .header("content-type", "application/json")
        .body(dossier(i))
    });
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
}
