//! Scanned documents against the real router in process: announced, sent
//! in chunks that replay, resume and survive a restart, checked by hash,
//! capped, kept once on disk, served only to the office's counters; and
//! the report's share of dossiers digitised at intake.

mod common;

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use common::Central;
use motcua_api::documents::{CHUNK_MAX, DOSSIER_MAX, FILE_MAX};
use motcua_api::model::Role;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tower::ServiceExt;

const OFFICE: &str = "000.00.01.H26";
const OTHER: &str = "000.00.02.H26";
/// Friday 28/08/2026, 10:00 in Hà Nội.
const FRIDAY: &str = "2026-08-28T03:00:00Z";

fn code(n: u32) -> String {
    format!("{OFFICE}-260828-{n:04}")
}

fn sha(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// A file of `len` bytes that reads like a PDF, different for each `seed`.
fn pdf(len: usize, seed: u32) -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n".to_vec();
    let mut x = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    while bytes.len() < len {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        bytes.push(x as u8);
    }
    bytes.truncate(len);
    bytes
}

fn announce_of(file: &[u8], item: &str, kind: &str) -> Value {
    json!({
        "sha256": sha(file),
        "size": file.len(),
        "pages": 2,
        "item": item,
        "kind": kind,
        "scanned_at": "2026-08-28T02:50:00Z",
        "officer": "CB01"
    })
}

/// `(received, complete)` of an Upload.
fn progress(v: &Value) -> (u64, bool) {
    (v["received"].as_u64().unwrap(), v["complete"].as_bool().unwrap())
}

impl Central {
    /// Takes dossier `code` in now, with its checklist `items`.
    fn take_in(&mut self, who: &str, code: &str, procedure: &str, officer: Option<&str>, items: &[&str]) {
        let documents: Vec<Value> = items
            .iter()
            .map(|n| json!({"name": n, "originals": 1, "copies": 0}))
            .collect();
        let mut d = json!({
            "procedure_code": procedure,
            "procedure_name": format!("Thủ tục {procedure}"),
            "applicant": {"name": "Lê Thị Thử", "id_number": "001190000001", "kind": 1,
                          "phone": "0900000000", "address": "Số 1 phố Thử, Hà Nội"},
            "received_at": self.clock.now().to_string(),
            "due_at": "2026-09-07T03:00:00Z",
            "status": 2,
            "channel": 1,
            "documents": documents
        });
        if let Some(o) = officer {
            d["officer"] = json!(o);
        }
        let (s, v) = self.send(who, Method::PUT, &format!("/v1/dossiers/{code}"), None, Some(d));
        assert_eq!(s, StatusCode::CREATED, "{v}");
    }

    fn announce(&mut self, who: &str, code: &str, body: Value) -> (StatusCode, Value) {
        self.send(
            who,
            Method::POST,
            &format!("/v1/dossiers/{code}/documents"),
            None,
            Some(body),
        )
    }

    /// Sends `bytes` of document `sha` at `offset`, as a counter's upload does.
    fn put(&self, who: &str, code: &str, sha: &str, offset: u64, bytes: &[u8]) -> (StatusCode, Value) {
        let request = Request::builder()
            .method(Method::PUT)
            .uri(format!("/v1/dossiers/{code}/documents/{sha}?offset={offset}"))
            .header("authorization", format!("Bearer {who}"))
            .header("content-type", "application/octet-stream")
            .body(Body::from(bytes.to_vec()))
            .unwrap();
        let (s, _, body) = self.raw(request);
        (s, serde_json::from_slice(&body).unwrap_or(Value::Null))
    }

    /// Sends `file` whole in chunks of `chunk` bytes: the last answer.
    fn upload(&self, who: &str, code: &str, file: &[u8], chunk: usize) -> (StatusCode, Value) {
        let h = sha(file);
        let mut last = (StatusCode::OK, Value::Null);
        for (i, part) in file.chunks(chunk).enumerate() {
            last = self.put(who, code, &h, (i * chunk) as u64, part);
            if last.0 != StatusCode::OK {
                break;
            }
        }
        last
    }

    fn fetch(&self, who: &str, path: &str) -> (StatusCode, HeaderMap, Vec<u8>) {
        let request = Request::builder()
            .uri(path)
            .header("authorization", format!("Bearer {who}"))
            .body(Body::empty())
            .unwrap();
        self.raw(request)
    }

    fn raw(&self, request: Request<Body>) -> (StatusCode, HeaderMap, Vec<u8>) {
        let router = self.router.clone();
        self.rt.block_on(async {
            let response = router.oneshot(request).await.unwrap();
            let (status, headers) = (response.status(), response.headers().clone());
            let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
            (status, headers, bytes.to_vec())
        })
    }

    fn list(&mut self, who: &str, code: &str) -> Value {
        let (s, v) = self.send(who, Method::GET, &format!("/v1/dossiers/{code}/documents"), None, None);
        assert_eq!(s, StatusCode::OK, "{v}");
        v
    }

    /// The files kept under central's documents directory, partial ones
    /// included.
    fn files_on_disk(&self) -> Vec<std::path::PathBuf> {
        fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for e in std::fs::read_dir(dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    walk(&p, out);
                } else {
                    out.push(p);
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.dir.path().join("documents"), &mut out);
        out.sort();
        out
    }
}

/// A central with a counter and dossier 1 of the office taken in.
fn central() -> (Central, String) {
    let mut c = Central::open(FRIDAY);
    let counter = c.enroll(OFFICE, Role::Counter);
    c.take_in(
        &counter,
        &code(1),
        "1.001022",
        Some("CB01"),
        &["Tờ khai", "Giấy chứng sinh"],
    );
    (c, counter)
}

#[test]
fn a_file_sent_in_chunks_is_kept_whole_checked_listed_and_read_back() {
    let (mut c, counter) = central();
    let file = pdf(2 * CHUNK_MAX + 300_000, 1);
    let h = sha(&file);
    let (s, v) = c.announce(&counter, &code(1), announce_of(&file, "Tờ khai", "intake"));
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(
        v,
        json!({"sha256": h, "size": file.len(), "received": 0, "complete": false})
    );
    // Announcing again is harmless: the same answer.
    let (s, again) = c.announce(&counter, &code(1), announce_of(&file, "Tờ khai", "intake"));
    assert_eq!((s, &again), (StatusCode::OK, &v));

    // A whole MiB in one chunk, past the body limit of JSON requests.
    let (s, v) = c.put(&counter, &code(1), &h, 0, &file[..CHUNK_MAX]);
    assert_eq!((s, progress(&v)), (StatusCode::OK, (CHUNK_MAX as u64, false)), "{v}");
    // The same chunk again (its answer was lost): answered as is.
    let (s, v) = c.put(&counter, &code(1), &h, 0, &file[..CHUNK_MAX]);
    assert_eq!((s, progress(&v)), (StatusCode::OK, (CHUNK_MAX as u64, false)), "{v}");
    let listed = c.list(&counter, &code(1));
    assert_eq!(listed["code"], code(1).as_str());
    assert_eq!(
        listed["documents"],
        json!([{"sha256": h, "size": file.len(), "pages": 2, "item": "Tờ khai", "kind": "intake",
                "scanned_at": "2026-08-28T02:50:00Z", "received": CHUNK_MAX, "complete": false}])
    );
    // Not served before it is complete.
    let path = format!("/v1/dossiers/{}/documents/{h}", code(1));
    let (s, _, body) = c.fetch(&counter, &path);
    let e: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        (s, &e["code"]),
        (StatusCode::CONFLICT, &json!("document_incomplete")),
        "{e}"
    );
    assert!(!e["message_vi"].as_str().unwrap().is_empty());

    let (s, v) = c.put(
        &counter,
        &code(1),
        &h,
        CHUNK_MAX as u64,
        &file[CHUNK_MAX..2 * CHUNK_MAX],
    );
    assert_eq!(
        (s, progress(&v)),
        (StatusCode::OK, (2 * CHUNK_MAX as u64, false)),
        "{v}"
    );
    // An older chunk's retry, arriving late: answered as is, nothing written.
    let (s, v) = c.put(&counter, &code(1), &h, 0, &file[..CHUNK_MAX]);
    assert_eq!(
        (s, progress(&v)),
        (StatusCode::OK, (2 * CHUNK_MAX as u64, false)),
        "{v}"
    );
    let (s, v) = c.put(&counter, &code(1), &h, 2 * CHUNK_MAX as u64, &file[2 * CHUNK_MAX..]);
    assert_eq!((s, progress(&v)), (StatusCode::OK, (file.len() as u64, true)), "{v}");
    // Replaying any chunk of a complete file answers it complete.
    let (s, v) = c.put(&counter, &code(1), &h, 0, &file[..10]);
    assert_eq!((s, progress(&v)), (StatusCode::OK, (file.len() as u64, true)), "{v}");
    let (s, v) = c.announce(&counter, &code(1), announce_of(&file, "Tờ khai", "intake"));
    assert_eq!((s, progress(&v)), (StatusCode::OK, (file.len() as u64, true)), "{v}");

    let (s, headers, body) = c.fetch(&counter, &path);
    assert_eq!(s, StatusCode::OK);
    assert_eq!(headers["content-type"], "application/pdf");
    assert_eq!(body, file, "read back as sent");
    let listed = c.list(&counter, &code(1));
    assert_eq!(progress(&listed["documents"][0]), (file.len() as u64, true));
    // Content-addressed, the partial file gone.
    let kept = c.dir.path().join(format!("documents/{}/{h}.pdf", &h[..2]));
    assert_eq!(c.files_on_disk(), vec![kept]);
    assert_eq!(
        c.count("SELECT count(*) FROM dossier_documents WHERE complete = 1 AND received = size"),
        1
    );
}

#[test]
fn a_chunk_past_what_central_has_is_409_with_where_to_resume() {
    let (mut c, counter) = central();
    let file = pdf(100_000, 2);
    let h = sha(&file);
    c.announce(&counter, &code(1), announce_of(&file, "Tờ khai", "intake"));
    let (s, _) = c.put(&counter, &code(1), &h, 0, &file[..40_000]);
    assert_eq!(s, StatusCode::OK);
    // The chunk 40 000–70 000 was lost; 70 000 on arrives.
    let (s, v) = c.put(&counter, &code(1), &h, 70_000, &file[70_000..]);
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    assert_eq!(
        v,
        json!({"sha256": h, "size": 100_000, "received": 40_000, "complete": false}),
        "an Upload to resume from, not an error body"
    );
    // Resumed from there, overlapping what central has: it keeps the file whole.
    let (s, v) = c.put(&counter, &code(1), &h, 30_000, &file[30_000..80_000]);
    assert_eq!((s, progress(&v)), (StatusCode::OK, (80_000, false)), "{v}");
    let (s, v) = c.put(&counter, &code(1), &h, 80_000, &file[80_000..]);
    assert_eq!((s, progress(&v)), (StatusCode::OK, (100_000, true)), "{v}");
    let (_, _, body) = c.fetch(&counter, &format!("/v1/dossiers/{}/documents/{h}", code(1)));
    assert_eq!(body, file);
}

#[test]
fn a_file_not_matching_its_hash_is_dropped_and_sent_again_from_0() {
    let (mut c, counter) = central();
    let file = pdf(150_000, 3);
    let h = sha(&file);
    c.announce(&counter, &code(1), announce_of(&file, "Tờ khai", "intake"));
    // The same size, one byte changed on the way.
    let mut damaged = file.clone();
    damaged[120_000] ^= 0x40;
    let (s, _) = c.put(&counter, &code(1), &h, 0, &damaged[..100_000]);
    assert_eq!(s, StatusCode::OK);
    let (s, e) = c.put(&counter, &code(1), &h, 100_000, &damaged[100_000..]);
    assert_eq!(
        (s, &e["code"]),
        (StatusCode::UNPROCESSABLE_ENTITY, &json!("document_hash_mismatch")),
        "{e}"
    );
    assert!(e["message"].as_str().unwrap().contains("offset 0"), "{e}");
    assert!(!e["message_vi"].as_str().unwrap().is_empty(), "{e}");
    assert!(c.files_on_disk().is_empty(), "nothing kept of it");
    let (s, v) = c.announce(&counter, &code(1), announce_of(&file, "Tờ khai", "intake"));
    assert_eq!((s, progress(&v)), (StatusCode::OK, (0, false)), "{v}");
    assert_eq!(progress(&c.list(&counter, &code(1))["documents"][0]), (0, false));
    // From 0 with the right bytes, it arrives.
    let (s, v) = c.upload(&counter, &code(1), &file, 64 * 1024);
    assert_eq!((s, progress(&v)), (StatusCode::OK, (150_000, true)), "{v}");
}

#[test]
fn chunks_that_do_not_fit_are_refused() {
    let (mut c, counter) = central();
    let file = pdf(CHUNK_MAX + 10, 4);
    let h = sha(&file);
    c.announce(&counter, &code(1), announce_of(&file, "Tờ khai", "intake"));
    // More than a MiB at once: 413, nothing taken.
    let (s, e) = c.put(&counter, &code(1), &h, 0, &file);
    assert_eq!(
        (s, &e["code"]),
        (StatusCode::PAYLOAD_TOO_LARGE, &json!("chunk_too_large")),
        "{e}"
    );
    // Past the size announced: 422.
    let (s, e) = c.put(&counter, &code(1), &h, 20, &file[..CHUNK_MAX]);
    assert_eq!(
        (s, &e["code"]),
        (StatusCode::UNPROCESSABLE_ENTITY, &json!("chunk_past_end")),
        "{e}"
    );
    let (s, e) = c.put(&counter, &code(1), &h, u64::MAX, b"x");
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(c.files_on_disk().is_empty());
    // A file never announced, or a name that is no hash: 404.
    let unknown = sha(b"never announced");
    let (s, e) = c.put(&counter, &code(1), &unknown, 0, b"x");
    assert_eq!(
        (s, &e["code"]),
        (StatusCode::NOT_FOUND, &json!("document_not_announced")),
        "{e}"
    );
    let (s, e) = c.put(&counter, &code(1), "..%2F..%2Fcentral.db", 0, b"x");
    assert_eq!(s, StatusCode::NOT_FOUND, "{e}");
    let (s, _) = c.send(
        &counter,
        Method::PUT,
        &format!("/v1/dossiers/{}/documents/{h}", code(1)),
        None,
        None,
    );
    assert_eq!(s, StatusCode::BAD_REQUEST, "no offset");
}

#[test]
fn a_file_over_its_cap_or_a_dossier_over_its_cap_is_refused_at_the_announce() {
    let (mut c, counter) = central();
    let mut big = announce_of(b"x", "Tờ khai", "intake");
    big["size"] = json!(FILE_MAX + 1);
    let (s, e) = c.announce(&counter, &code(1), big);
    assert_eq!(
        (s, &e["code"]),
        (StatusCode::PAYLOAD_TOO_LARGE, &json!("document_too_large")),
        "{e}"
    );
    let m = e["message"].as_str().unwrap();
    assert!(
        m.starts_with("size: ") && m.contains("20 MiB") && m.contains("vượt quá"),
        "{m}"
    );
    // Five documents of 20 MiB fill a dossier's 100 MiB (sizes announced;
    // no byte need be sent to be counted).
    let full = |n: u32| {
        let mut d = announce_of(format!("file {n}").as_bytes(), &format!("Giấy {n}"), "intake");
        d["size"] = json!(FILE_MAX);
        d
    };
    for n in 0..5 {
        let (s, v) = c.announce(&counter, &code(1), full(n));
        assert_eq!(s, StatusCode::CREATED, "{v}");
    }
    assert_eq!(5 * FILE_MAX, DOSSIER_MAX);
    let (s, e) = c.announce(&counter, &code(1), announce_of(b"one byte more", "Tờ khai", "intake"));
    assert_eq!(
        (s, &e["code"]),
        (StatusCode::PAYLOAD_TOO_LARGE, &json!("dossier_documents_too_large")),
        "{e}"
    );
    let m = e["message"].as_str().unwrap();
    assert!(m.contains("100 MiB") && m.contains("hồ sơ"), "{m}");
    assert!(!e["message_vi"].as_str().unwrap().is_empty());
    // One announced before is not counted twice.
    let (s, v) = c.announce(&counter, &code(1), full(3));
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(c.count("SELECT count(*) FROM dossier_documents"), 5);

    // An office may set lower caps.
    c.reopen(motcua_central::Options {
        documents: motcua_central::documents::Caps {
            file_max: 1000,
            dossier_max: 1500,
        },
        ..Default::default()
    });
    c.take_in(&counter, &code(2), "1.001022", None, &[]);
    let (s, e) = c.announce(&counter, &code(2), announce_of(&pdf(1001, 5), "A", "intake"));
    assert_eq!(
        (s, &e["code"]),
        (StatusCode::PAYLOAD_TOO_LARGE, &json!("document_too_large")),
        "{e}"
    );
    let (s, _) = c.announce(&counter, &code(2), announce_of(&pdf(1000, 5), "A", "intake"));
    assert_eq!(s, StatusCode::CREATED);
    let (s, e) = c.announce(&counter, &code(2), announce_of(&pdf(501, 6), "B", "intake"));
    assert_eq!(
        (s, &e["code"]),
        (StatusCode::PAYLOAD_TOO_LARGE, &json!("dossier_documents_too_large")),
        "{e}"
    );
    let (s, _) = c.announce(&counter, &code(2), announce_of(&pdf(500, 6), "B", "intake"));
    assert_eq!(s, StatusCode::CREATED);
}

#[test]
fn only_the_dossiers_office_counters_send_and_read_its_documents() {
    let (mut c, counter) = central();
    let elsewhere = c.enroll(OTHER, Role::Counter);
    let kiosk = c.enroll(OFFICE, Role::Kiosk);
    let board = c.enroll(OFFICE, Role::Board);
    let file = pdf(5000, 7);
    let h = sha(&file);
    c.announce(&counter, &code(1), announce_of(&file, "Tờ khai", "intake"));
    let (s, _) = c.upload(&counter, &code(1), &file, 5000);
    assert_eq!(s, StatusCode::OK);
    let documents = format!("/v1/dossiers/{}/documents", code(1));
    let one = format!("{documents}/{h}");
    for who in [&elsewhere, &kiosk, &board] {
        let (s, e) = c.announce(who, &code(1), announce_of(&pdf(10, 8), "Tờ khai", "intake"));
        assert_eq!((s, &e["code"]), (StatusCode::FORBIDDEN, &json!("forbidden")), "{e}");
        assert!(!e["message_vi"].as_str().unwrap().is_empty());
        let (s, _) = c.put(who, &code(1), &h, 0, &file[..10]);
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, _, _) = c.fetch(who, &documents);
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, _, body) = c.fetch(who, &one);
        assert_eq!(s, StatusCode::FORBIDDEN);
        assert_ne!(body, file);
    }
    assert_eq!(
        c.count("SELECT count(*) FROM dossier_documents"),
        1,
        "nothing announced by them"
    );
    // A dossier nobody has: 404, whoever asks.
    let missing = code(99);
    let (s, e) = c.announce(&counter, &missing, announce_of(&file, "Tờ khai", "intake"));
    assert_eq!((s, &e["code"]), (StatusCode::NOT_FOUND, &json!("not_found")), "{e}");
    let (s, _, _) = c.fetch(&counter, &format!("/v1/dossiers/{missing}/documents"));
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = c.put(&counter, &missing, &h, 0, &file);
    assert_eq!(s, StatusCode::NOT_FOUND);
    // The file is the office's dossier's only: announced by no other
    // dossier, it is not served under another code.
    c.take_in(&counter, &code(2), "1.001022", None, &[]);
    let (s, _, _) = c.fetch(&counter, &format!("/v1/dossiers/{}/documents/{h}", code(2)));
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[test]
fn a_bad_announce_is_422_naming_the_field() {
    let (mut c, counter) = central();
    let good = announce_of(b"%PDF-1.7 a page", "Tờ khai", "intake");
    let cases: [(&str, Value, &str); 8] = [
        ("sha256", json!("ABC"), "document_hash"),
        ("size", json!(0), "document_empty"),
        ("pages", json!(0), "document_pages"),
        ("item", json!("   "), "document_item"),
        ("item", json!("x".repeat(301)), "document_item"),
        ("scanned_at", json!("hôm qua"), "document_time"),
        ("officer", json!("<script>"), "invalid_officer"),
        ("kind", json!("other"), "unprocessable"),
    ];
    for (field, value, want) in cases {
        let mut d = good.clone();
        d[field] = value;
        let (s, e) = c.announce(&counter, &code(1), d);
        assert_eq!(
            (s, &e["code"]),
            (StatusCode::UNPROCESSABLE_ENTITY, &json!(want)),
            "{field}: {e}"
        );
        let m = e["message"].as_str().unwrap();
        assert!(m.contains(field), "{field} named: {m}");
        assert!(!e["message_vi"].as_str().unwrap().is_empty());
    }
    let mut d = good.clone();
    d["extra"] = json!(1);
    let (s, e) = c.announce(&counter, &code(1), d);
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(e["message"].as_str().unwrap().contains("extra"), "{e}");
    assert_eq!(c.count("SELECT count(*) FROM dossier_documents"), 0, "nothing kept");
}

#[test]
fn a_central_restarted_mid_upload_resumes_from_what_it_had() {
    let (mut c, counter) = central();
    let file = pdf(300_000, 9);
    let h = sha(&file);
    c.announce(&counter, &code(1), announce_of(&file, "Tờ khai", "intake"));
    let (s, _) = c.put(&counter, &code(1), &h, 0, &file[..100_000]);
    assert_eq!(s, StatusCode::OK);
    c.reopen(Default::default());
    let (s, v) = c.announce(&counter, &code(1), announce_of(&file, "Tờ khai", "intake"));
    assert_eq!((s, progress(&v)), (StatusCode::OK, (100_000, false)), "{v}");
    // A chunk written to disk whose answer (and row) never came, as when
    // central died right after its fsync: the file says how far it is.
    let partial = c.dir.path().join("documents/partial").join(&h);
    let mut on_disk = std::fs::read(&partial).unwrap();
    assert_eq!(on_disk, file[..100_000]);
    on_disk.extend_from_slice(&file[100_000..160_000]);
    std::fs::write(&partial, &on_disk).unwrap();
    c.reopen(Default::default());
    assert_eq!(progress(&c.list(&counter, &code(1))["documents"][0]), (160_000, false));
    // The counter, not knowing, sends again from where it last heard.
    let (s, v) = c.put(&counter, &code(1), &h, 100_000, &file[100_000..200_000]);
    assert_eq!((s, progress(&v)), (StatusCode::OK, (200_000, false)), "{v}");
    let (s, v) = c.put(&counter, &code(1), &h, 200_000, &file[200_000..]);
    assert_eq!((s, progress(&v)), (StatusCode::OK, (300_000, true)), "{v}");
    let (_, _, body) = c.fetch(&counter, &format!("/v1/dossiers/{}/documents/{h}", code(1)));
    assert_eq!(body, file);
}

#[test]
fn the_same_file_for_two_dossiers_is_stored_once() {
    let (mut c, counter) = central();
    c.take_in(&counter, &code(2), "1.001022", None, &[]);
    c.take_in(&counter, &code(3), "1.001022", None, &[]);
    let file = pdf(200_000, 10);
    let h = sha(&file);
    // Two dossiers announce it; their uploads share what central has.
    for n in [1, 2] {
        let (s, _) = c.announce(&counter, &code(n), announce_of(&file, "Giấy chứng sinh", "intake"));
        assert_eq!(s, StatusCode::CREATED);
    }
    let (s, _) = c.put(&counter, &code(1), &h, 0, &file[..120_000]);
    assert_eq!(s, StatusCode::OK);
    let (s, v) = c.put(&counter, &code(2), &h, 0, &file[..50_000]);
    assert_eq!((s, progress(&v)), (StatusCode::OK, (120_000, false)), "{v}");
    let (s, v) = c.put(&counter, &code(2), &h, 120_000, &file[120_000..]);
    assert_eq!((s, progress(&v)), (StatusCode::OK, (200_000, true)), "{v}");
    assert_eq!(progress(&c.list(&counter, &code(1))["documents"][0]), (200_000, true));
    // A third dossier announcing it later has it complete at once.
    let (s, v) = c.announce(&counter, &code(3), announce_of(&file, "Bản sao", "result"));
    assert_eq!((s, progress(&v)), (StatusCode::CREATED, (200_000, true)), "{v}");
    assert_eq!(c.files_on_disk().len(), 1, "{:?}", c.files_on_disk());
    for n in [1, 2, 3] {
        let (s, _, body) = c.fetch(&counter, &format!("/v1/dossiers/{}/documents/{h}", code(n)));
        assert_eq!((s, body == file), (StatusCode::OK, true), "dossier {n}");
    }
    // The same bytes have one size.
    let mut wrong = announce_of(&file, "Giấy chứng sinh", "intake");
    wrong["size"] = json!(200_001);
    let (s, e) = c.announce(&counter, &code(2), wrong.clone());
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    c.take_in(&counter, &code(4), "1.001022", None, &[]);
    let (s, e) = c.announce(&counter, &code(4), wrong);
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
}

/// Dossiers received on Friday 28/08 (procedure, officer, checklist, items
/// scanned at intake); 1.001022 is tư pháp, 1.013227 xây dựng, 9.999999
/// not in the catalog:
///   1  tư pháp   CB01  [A, B]  A, B         digitised
///   2  tư pháp   CB01  [A, B]  A (B result) not
///   3  tư pháp   CB02  []      X            digitised (any intake scan)
///   4  xây dựng  CB02  [A]     —            not
///   5  xây dựng  —     []      —            not
///   6  —         CB01  [C]     C            digitised
/// and one received the day before, and one of another office, both
/// digitised, neither counted.
/// All: 3 of 6. Fields: tư pháp 2/3, xây dựng 0/2, — 1/1.
/// Officers: CB01 2/3, CB02 1/2, — 0/1.
#[test]
fn the_report_gives_the_share_digitised_at_intake_per_office_field_and_officer() {
    let mut c = Central::open("2026-08-27T03:00:00Z");
    let counter = c.enroll(OFFICE, Role::Counter);
    let elsewhere = c.enroll(OTHER, Role::Counter);
    let scan = |c: &mut Central, who: &str, code: &str, item: &str, kind: &str| {
        let seed = Sha256::digest(format!("{code} {item} {kind}"));
        let file = pdf(1000, u32::from_le_bytes([seed[0], seed[1], seed[2], seed[3]]));
        let (s, v) = c.announce(who, code, announce_of(&file, item, kind));
        assert_eq!(s, StatusCode::CREATED, "{v}");
    };
    let before = code(9);
    c.take_in(&counter, &before, "1.001022", Some("CB01"), &["A"]);
    scan(&mut c, &counter, &before, "A", "intake");
    c.set(FRIDAY);
    let theirs = format!("{OTHER}-260828-0001");
    c.take_in(&elsewhere, &theirs, "1.001022", Some("CB01"), &["A"]);
    scan(&mut c, &elsewhere, &theirs, "A", "intake");
    let dossiers: [(u32, &str, Option<&str>, &[&str]); 6] = [
        (1, "1.001022", Some("CB01"), &["A", "B"]),
        (2, "1.001022", Some("CB01"), &["A", "B"]),
        (3, "1.001022", Some("CB02"), &[]),
        (4, "1.013227", Some("CB02"), &["A"]),
        (5, "1.013227", None, &[]),
        (6, "9.999999", Some("CB01"), &["C"]),
    ];
    for (n, procedure, officer, items) in dossiers {
        c.take_in(&counter, &code(n), procedure, officer, items);
    }
    scan(&mut c, &counter, &code(1), "A", "intake");
    scan(&mut c, &counter, &code(1), "B", "intake");
    scan(&mut c, &counter, &code(2), "A", "intake");
    scan(&mut c, &counter, &code(2), "B", "result");
    scan(&mut c, &counter, &code(3), "X", "intake");
    scan(&mut c, &counter, &code(6), "C", "intake");

    let (s, r) = c.send(
        &counter,
        Method::GET,
        "/v1/reports?from=2026-08-28&to=2026-08-28",
        None,
        None,
    );
    assert_eq!(s, StatusCode::OK, "{r}");
    let d = &r["digitised"];
    let row = |s: &Value| {
        (
            s["key"].as_str().unwrap().to_string(),
            s["received"].as_u64().unwrap(),
            s["digitised"].as_u64().unwrap(),
            s["share"].as_f64(),
        )
    };
    let rows = |k: &str| d[k].as_array().unwrap().iter().map(row).collect::<Vec<_>>();
    assert_eq!(row(&d["all"]), ("*".into(), 6, 3, Some(0.5)));
    assert_eq!(
        rows("by_field"),
        vec![
            ("tu-phap".into(), 3, 2, Some(0.667)),
            ("xay-dung".into(), 2, 0, Some(0.0)),
            ("—".into(), 1, 1, Some(1.0)),
        ]
    );
    assert_eq!(
        rows("by_officer"),
        vec![
            ("CB01".into(), 3, 2, Some(0.667)),
            ("CB02".into(), 2, 1, Some(0.5)),
            ("—".into(), 1, 0, Some(0.0)),
        ]
    );
    // The text and CSV the command line prints carry the same.
    let report = motcua_central::admin(c.dir.path(), |conn| {
        let day = jiff::civil::date(2026, 8, 28);
        motcua_central::report::compute(conn, OFFICE, day, day, c.clock.now())
    })
    .unwrap();
    let text = report.to_text();
    assert!(text.contains("Số hoá hồ sơ khi tiếp nhận"), "{text}");
    assert!(text.contains("  tu-phap           3 ·    2 ·  66.7%"), "{text}");
    let csv = report.to_csv();
    assert!(csv.contains("digitised,*,share,0.500\n"), "{csv}");
    assert!(csv.contains("digitised_officer,CB02,digitised,1\n"), "{csv}");
    // A day with no dossier received: nothing to share.
    let (_, r) = c.send(
        &counter,
        Method::GET,
        "/v1/reports?from=2026-08-29&to=2026-08-29",
        None,
        None,
    );
    assert_eq!(row(&r["digitised"]["all"]), ("*".into(), 0, 0, None));
}
