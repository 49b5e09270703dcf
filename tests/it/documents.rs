//! Scanned documents travel from a counter to a real central in chunks:
//! through a line that breaks mid-chunk, an answer lost, central stopped
//! and started again, and the counter killed mid-upload. Every file
//! arrives once, equal to what was scanned.

use motcua_testkit as kit;

use std::io::{BufRead, BufReader};
use std::time::Duration;

use jiff::Timestamp;
use kit::proxy::{Fault, Proxy};
use kit::*;
use motcua::store::NewDocument;
use motcua::sync::Step;
use motcua_api::model::Role;

/// When the documents were scanned: a fixed instant (central takes a
/// document whenever it was scanned).
fn clock() -> Timestamp {
    "2026-11-28T02:41:00Z".parse().unwrap()
}

fn document(item: &str, size: usize, seed: u64) -> NewDocument {
    kit::scanned_document(item, size, seed, clock())
}

/// A pass-through: the proxy's faults go one per connection, in order.
const PASS: Fault = Fault::Delay(Duration::ZERO);

/// What central has of a dossier's documents, each file read back.
fn at_central(k: &Kiosk, code: &str) -> Vec<(String, Vec<u8>)> {
    let list = k.link.block_on(k.link.client().documents(code)).unwrap();
    assert!(!list.documents.is_empty(), "central has no document of {code}");
    list.documents
        .into_iter()
        .map(|d| {
            assert!(d.complete, "{} is not complete at central", d.item);
            let file = k.link.block_on(k.link.client().document_file(code, &d.sha256)).unwrap();
            (d.item, file)
        })
        .collect()
}

#[test]
fn documents_arrive_once_and_whole_through_a_broken_line_a_lost_answer_and_a_restarted_central() {
    let dir = tempfile::tempdir().unwrap();
    let central = start_central(dir.path());
    let addr = central.addr;
    let proxy = Proxy::start(addr);
    let k = kiosk(
        &proxy.url(),
        enroll(&central, dir.path(), OFFICE, Role::Counter),
        Duration::from_secs(3),
    );
    let code = format!("{OFFICE}-261128-0001");
    // Three chunks and a bit each.
    let size = 3 * motcua::sync::client::UPLOAD_CHUNK + 1000;
    let docs = [document("Tờ khai", size, 1), document("Giấy chứng sinh", size, 2)];
    k.store
        .lock()
        .unwrap()
        .take_in_with(&code, &dossier_json(), 2, clock(), &docs, Some("CB07"))
        .unwrap();
    assert!(
        matches!(k.link.block_on(k.link.step()), Step::Sent(_)),
        "the dossier first"
    );

    // The first document: the line breaks in the middle of its second
    // chunk, then the third chunk's answer is lost.
    proxy.inject([PASS, PASS, Fault::CutBody]);
    assert!(matches!(k.link.block_on(k.link.step()), Step::Retry(_)));
    proxy.inject([PASS, PASS, Fault::ResetAfter]);
    assert!(matches!(k.link.block_on(k.link.step()), Step::Retry(_)));
    assert!(matches!(k.link.block_on(k.link.step()), Step::Sent(_)));

    // The second: central goes away after its first chunk and comes back.
    proxy.inject([PASS, PASS, Fault::ResetBefore]);
    assert!(matches!(k.link.block_on(k.link.step()), Step::Retry(_)));
    central.stop();
    assert!(matches!(k.link.block_on(k.link.step()), Step::Retry(_)));
    let central = start_central_at(dir.path(), addr, &Default::default());
    assert_eq!(k.link.block_on(k.link.drain()), Step::Empty);

    let arrived = at_central(&k, &code);
    assert_eq!(
        arrived.iter().map(|(item, _)| item.as_str()).collect::<Vec<_>>(),
        ["Tờ khai", "Giấy chứng sinh"],
        "each once, in the order scanned"
    );
    for ((_, file), doc) in arrived.iter().zip(&docs) {
        assert!(file == &doc.pdf.bytes, "the file central keeps is the one scanned");
    }
    // The counter's list says central has them.
    let listed = k.store.lock().unwrap().documents(&code).unwrap();
    assert!(listed.iter().all(|d| d.uploaded && d.kept));
    drop(central);
}

#[test]
fn a_counter_killed_mid_upload_resumes_where_central_is_and_the_file_arrives_once() {
    let dir = tempfile::tempdir().unwrap();
    let central = start_central(dir.path());
    let proxy = Proxy::start(central.addr);
    let k = kiosk(
        &proxy.url(),
        enroll(&central, dir.path(), OFFICE, Role::Counter),
        Duration::from_secs(3),
    );
    let code = format!("{OFFICE}-261128-0002");
    let doc = document("Tờ khai", 12 * motcua::sync::client::UPLOAD_CHUNK, 3);
    k.store
        .lock()
        .unwrap()
        .take_in_with(&code, &dossier_json(), 2, clock(), std::slice::from_ref(&doc), None)
        .unwrap();
    let device = motcua::sync::device::DeviceFile::from_enrolled(Some(proxy.url()), k.enrolled.clone());
    device.save(k.dir.path()).unwrap();
    let data = k.dir.path().to_path_buf();
    let run = || super::sync::dev_sync(&data);
    // The dossier, the announce and four chunks go through; the fifth
    // chunk is held on the line while the counter is killed.
    proxy.inject([
        PASS,
        PASS,
        PASS,
        PASS,
        PASS,
        PASS,
        Fault::Delay(Duration::from_secs(30)),
    ]);
    let mut child = run();
    proxy.wait_forwarded(6);
    child.kill().expect("SIGKILL");
    child.wait().unwrap();
    // The held chunk may not have reached the proxy: from here all pass.
    proxy.clear();
    let partial = k.link.block_on(k.link.client().documents(&code)).unwrap();
    let received = partial.documents[0].received;
    assert!(
        !partial.documents[0].complete && received >= 4 * motcua::sync::client::UPLOAD_CHUNK as u64,
        "killed mid-upload: central has {received} bytes"
    );

    // Started again, it goes on from what central has and ends.
    let out = run().wait_with_output().unwrap();
    assert!(out.status.success());
    let sent: Vec<String> = BufReader::new(&out.stdout[..]).lines().map_while(Result::ok).collect();
    assert!(!sent.is_empty(), "the second run sent the rest");
    let arrived = at_central(&k, &code);
    assert_eq!(arrived.len(), 1, "one document, once");
    assert!(arrived[0].1 == doc.pdf.bytes, "equal to what was scanned");
    let store = motcua::store::Store::open(&data).unwrap();
    assert_eq!(store.outbox_counts().unwrap().pending, 0);
}
