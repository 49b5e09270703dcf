//! From an officer pressing "call" to the board holding the event: a real
//! central on 127.0.0.1, a counter calling over HTTP, the board following
//! `/v1/events`. p50 and p99 over 300 calls (aim: well under a second).
//!
//! Run with `cargo bench --bench call_to_board`.

use std::time::{Duration, Instant};

use futures::StreamExt;
use motcua::sync::Client;
use motcua::sync::events::{Event, follow};
use motcua_api::model::{NewTicket, Role};
use motcua_core::queue::Lane;
use motcua_testkit::{self as kit, bench::Percentiles};

const CALLS: usize = 300;

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let central = kit::start_central(dir.path());
    let client = |role| {
        let credential = kit::enroll_direct(dir.path(), role, "bench").1;
        Client::new(&central.url(), &credential, Duration::from_secs(5))
    };
    let (kiosk, counter, board) = (client(Role::Kiosk), client(Role::Counter), client(Role::Board));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let latencies = rt.block_on(async {
        let new = NewTicket {
            group: "B".into(),
            lane: Lane::Normal,
            procedure: None,
        };
        for i in 0..CALLS {
            kiosk.issue_ticket(&new, &format!("k{i}")).await.unwrap();
        }
        let mut events = Box::pin(follow(board));
        assert_eq!(events.next().await, Some(Event::Connected));
        let groups = ["B".to_string()];
        let mut latencies = Vec::with_capacity(CALLS);
        for i in 0..CALLS {
            let start = Instant::now();
            let called = counter
                .call_next("3", &groups, Some("CB01"), &format!("c{i}"))
                .await
                .unwrap()
                .expect("a ticket waits");
            loop {
                match events.next().await {
                    Some(Event::Queue(e))
                        if e.kind == motcua_api::model::EventKind::Called && e.ticket.id == called.id =>
                    {
                        break;
                    }
                    Some(Event::Disconnected { .. }) | None => panic!("the event stream dropped"),
                    _ => {}
                }
            }
            latencies.push(start.elapsed());
        }
        latencies
    });
    let latencies = Percentiles::new(latencies);
    println!(
        "call_to_board: {CALLS} calls, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        latencies.ms(0.5),
        latencies.ms(0.99),
        latencies.ms(1.0)
    );
}
