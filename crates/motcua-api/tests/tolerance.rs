//! A newer central's answers: fields this build does not know, and kinds
//! or statuses added later, still read into today's types.

use motcua_api::model::{BoardState, Device, Dossier, EventKind, LookupAnswer, QueueEvent, Ticket, TicketStatus};

const TICKET: &str = r#"{
    "id": 7, "office": "000.00.01.H26", "day": "2026-11-28", "group": "A", "slot": 0, "number": 7,
    "display": "A-007", "lane": "normal", "procedure": null, "issued_at": "2026-11-28T02:00:00Z",
    "status": "called", "counter": "3", "same_lane_ahead": 0, "other_lane_waiting": 0,
    "estimated_wait_min": 4, "room": {"floor": 2}
}"#;

#[test]
fn a_newer_answer_with_unknown_fields_reads_into_todays_types() {
    let t: Ticket = serde_json::from_str(TICKET).unwrap();
    assert_eq!((t.display.as_str(), t.status), ("A-007", TicketStatus::Called));

    let event = format!(
        r#"{{"kind": "called", "office": "000.00.01.H26", "ticket": {TICKET}, "waiting": [
            {{"group": "A", "normal": 1, "priority": 0, "oldest_min": 3}}], "call": 1, "spoken_as": "A 7"}}"#
    );
    let e: QueueEvent = serde_json::from_str(&event).unwrap();
    assert_eq!((e.kind, e.call, e.waiting[0].normal), (EventKind::Called, 1, 1));

    let board = format!(r#"{{"office": "X", "notice": "", "called": [{TICKET}], "waiting": [], "theme": "dark"}}"#);
    let b: BoardState = serde_json::from_str(&board).unwrap();
    assert_eq!(b.called.len(), 1);

    let d: Device = serde_json::from_str(
        r#"{"device_id": 1, "office": "X", "role": "kiosk", "name": "k", "slot": 1, "model": "K-2"}"#,
    )
    .unwrap();
    assert_eq!(d.slot, 1);

    let dossier: Dossier = serde_json::from_str(
        r#"{"code": "X-261128-0001", "office": "X", "procedure_code": "1.001193", "procedure_name": "Khai sinh",
            "applicant": {"name": "Lê Thị Thử", "id_number": "001", "kind": 1, "phone": "09", "email": null,
                          "address": "Hà Nội", "birth_year": 1990},
            "received_at": "2026-11-28T02:00:00Z", "due_at": "2026-12-01T02:00:00Z", "status": 2, "channel": 1,
            "documents": [{"name": "Tờ khai", "originals": 1, "copies": 0, "pages": 2}], "sets": 1, "fees": 0,
            "notes": null, "history": [{"status": 2, "at": "2026-11-28T02:00:00Z", "note": "", "by": "c1"}],
            "portal_state": "sent"}"#,
    )
    .unwrap();
    assert_eq!(dossier.data.applicant.name, "Lê Thị Thử");

    let lookup: LookupAnswer = serde_json::from_str(
        r#"{"code": "c", "procedure_code": "p", "procedure_name": "n", "received_at": "r", "due_at": "d",
            "status": 4, "history": [], "office_phone": "024"}"#,
    )
    .unwrap();
    assert_eq!(lookup.status, 4);
}

#[test]
fn a_kind_or_status_added_later_reads_as_other() {
    let t: Ticket = serde_json::from_str(&TICKET.replace("\"called\"", "\"paused\"")).unwrap();
    assert_eq!(t.status, TicketStatus::Other);
    let kind: EventKind = serde_json::from_str("\"reassigned\"").unwrap();
    assert_eq!(kind, EventKind::Other);
}

#[test]
fn the_wire_names_stay_the_strings_they_were() {
    for (kind, name) in [
        (EventKind::Issued, "issued"),
        (EventKind::Called, "called"),
        (EventKind::Recalled, "recalled"),
        (EventKind::Skipped, "skipped"),
        (EventKind::Completed, "completed"),
        (EventKind::Transferred, "transferred"),
        (EventKind::Voided, "voided"),
    ] {
        assert_eq!(serde_json::to_string(&kind).unwrap(), format!("\"{name}\""));
        assert_eq!(kind.as_str(), name);
        assert_eq!(name.parse::<EventKind>().unwrap(), kind);
    }
    for (status, name) in [
        (TicketStatus::Waiting, "waiting"),
        (TicketStatus::Called, "called"),
        (TicketStatus::Done, "done"),
        (TicketStatus::NoShow, "no_show"),
        (TicketStatus::Void, "void"),
    ] {
        assert_eq!(serde_json::to_string(&status).unwrap(), format!("\"{name}\""));
        assert_eq!(TicketStatus::parse(name), status);
    }
}

#[test]
fn a_request_still_refuses_what_it_does_not_know_in_personal_data() {
    let dossier = r#"{"procedure_code": "1.001193", "procedure_name": "Khai sinh",
        "applicant": {"name": "A", "id_number": "1", "kind": 1, "phone": "0", "adress": "typo", "address": "x"},
        "received_at": "2026-11-28T02:00:00Z", "due_at": "2026-12-01T02:00:00Z", "status": 2, "channel": 1}"#;
    let e = serde_json::from_str::<motcua_api::model::DossierIn>(dossier).unwrap_err();
    assert!(e.to_string().contains("adress"), "{e}");
}
