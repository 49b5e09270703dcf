//! Dossiers in central: created and updated by code, with the national
//! status history (codes 1–10) and the citizen's lookup by code and secret.
//! The rules and the codes' numbering live here; the rows in
//! [`crate::repo::dossiers`].
//!
//! Whose a dossier is: the office's that took it in. Its rows are kept by
//! office and code, so a device only ever reads or writes its own office's
//! dossiers; a new dossier's code must be one its office numbers
//! (`{office}-YYMMDD-n`, from central or from a counter's offline slot), so
//! no office takes in a dossier under another office's code. Within the
//! office, any counter may update a dossier and move its status on: a
//! citizen may come back to another counter. Which devices write dossiers
//! at all (counters) is [`crate::http::roles`]'.

use crate::sql::Conn;

use super::auth::hash;
use super::error::ApiError;
use crate::repo;
use motcua_api::model::{Delivery, Dossier, DossierIn, DossierOut, LookupAnswer};
use motcua_core::dossier::{Status, central_number, code_ok, format_code, parse_day};

/// Allocates the office's next dossier code for the local day of `at`.
pub fn next_code(conn: &Conn, office: &str, at: jiff::Timestamp) -> Result<String, ApiError> {
    let day = motcua_core::time::local_day(at);
    let n = repo::dossiers::next_sequence(conn, office, &day.to_string())?;
    Ok(format_code(office, day, central_number(n)))
}

pub fn check_code(code: &str) -> Result<(), ApiError> {
    if !code_ok(code) {
        return Err(ApiError::unprocessable(format!(
            "dossier code `{code}` must be 1–64 letters, digits, dots and dashes"
        )));
    }
    Ok(())
}

pub fn check_status(status: u8) -> Result<(), ApiError> {
    if Status::from_code(status).is_some() {
        Ok(())
    } else {
        Err(ApiError::unprocessable(format!(
            "status {status} is not a national status code 1–10"
        )))
    }
}

/// Whether `office` numbers `code`: `{office}-YYMMDD-n`, the shape
/// [`format_code`] gives, with the office's id exactly, a real day and a
/// sequence of at least 4 digits.
pub fn numbered_by(office: &str, code: &str) -> bool {
    let sequence = |s: &str| s.len() >= 4 && s.bytes().all(|b| b.is_ascii_digit());
    code.strip_prefix(office)
        .and_then(|rest| rest.strip_prefix('-'))
        .and_then(|rest| rest.split_once('-'))
        .is_some_and(|(day, n)| parse_day(day).is_some() && sequence(n))
}

fn check(d: &DossierIn) -> Result<(), ApiError> {
    check_status(d.status)?;
    if !(1..=3).contains(&d.channel) {
        return Err(ApiError::unprocessable(format!(
            "channel {} is not 1, 2 or 3",
            d.channel
        )));
    }
    if !(1..=2).contains(&d.applicant.kind) {
        return Err(ApiError::unprocessable(format!(
            "applicant.kind {} is not 1 or 2",
            d.applicant.kind
        )));
    }
    for (name, value) in [("received_at", &d.received_at), ("due_at", &d.due_at)] {
        if value.parse::<jiff::Timestamp>().is_err() {
            return Err(ApiError::unprocessable(format!("{name} is not an RFC 3339 time")));
        }
    }
    if d.procedure_code.trim().is_empty() || d.applicant.name.trim().is_empty() {
        return Err(ApiError::unprocessable(
            "procedure_code and applicant.name are required",
        ));
    }
    // What the 2025 receipt form must carry: a principal is named and
    // identified, with the document that authorises the applicant; a
    // result sent by post has somewhere to go.
    if let Some(p) = &d.principal {
        for (field, value) in [
            ("principal.name", &p.name),
            ("principal.id_number", &p.id_number),
            ("principal.address", &p.address),
            ("principal.authorisation", &p.authorisation),
        ] {
            if value.trim().is_empty() {
                return Err(ApiError::unprocessable(format!(
                    "{field} is required when the dossier is filed under an authorisation"
                )));
            }
        }
    }
    if let Some(officer) = &d.officer
        && !motcua_core::queue::officer_id_ok(officer)
    {
        return Err(ApiError::unprocessable("officer is not an officer id"));
    }
    if let Delivery::Post { address } = &d.delivery
        && address.trim().is_empty()
    {
        return Err(ApiError::unprocessable(
            "delivery.address is required when the result goes by post",
        ));
    }
    Ok(())
}

/// Creates or updates a dossier; a change of status goes into its history.
/// Returns the dossier and whether it was created.
pub fn upsert(conn: &Conn, office: &str, code: &str, d: &DossierIn, at: &str) -> Result<(Dossier, bool), ApiError> {
    check_code(code)?;
    check(d)?;
    let out = DossierOut {
        procedure_code: d.procedure_code.clone(),
        procedure_name: d.procedure_name.clone(),
        applicant: d.applicant.clone(),
        received_at: d.received_at.clone(),
        due_at: d.due_at.clone(),
        status: d.status,
        channel: d.channel,
        documents: d.documents.clone(),
        sets: d.sets,
        fees: d.fees,
        notes: d.notes.clone(),
        principal: d.principal.clone(),
        delivery: d.delivery.clone(),
        register: d.register.clone(),
        officer: d.officer.clone(),
    };
    let body = serde_json::to_string(&out).expect("a dossier serializes");
    let lookup = d.lookup_secret.as_deref().map(hash);
    let previous = repo::dossiers::status_of(conn, office, code)?;
    // A dossier the office already has is its own, whatever its code's
    // shape (one stored before codes were checked); a new one must carry
    // a code of this office.
    if previous.is_none() && !numbered_by(office, code) {
        return Err(ApiError::forbidden(format!(
            "dossier code `{code}` is not one of office {office}'s (`{office}-YYMMDD-n`); \
             a counter takes in dossiers under its own office's codes"
        )));
    }
    repo::dossiers::save(
        conn,
        office,
        code,
        &d.procedure_code,
        d.status,
        &body,
        lookup.as_deref(),
        at,
    )?;
    if previous != Some(d.status) {
        add_history(conn, office, code, d.status, at, "")?;
    }
    let dossier = get(conn, office, code, stamp(at)?)?.ok_or_else(|| ApiError::internal("the dossier vanished"))?;
    Ok((dossier, previous.is_none()))
}

fn add_history(conn: &Conn, office: &str, code: &str, status: u8, at: &str, note: &str) -> Result<(), ApiError> {
    repo::dossiers::add_history(conn, office, code, status, at, note)?;
    // In the same commit: the record that tells the city's system, if any.
    repo::portal::enqueue(conn, office, code, status, at, note)?;
    Ok(())
}

pub fn set_status(
    conn: &Conn,
    office: &str,
    code: &str,
    status: u8,
    note: &str,
    at: &str,
) -> Result<Dossier, ApiError> {
    check_status(status)?;
    let now = stamp(at)?;
    let mut d = get(conn, office, code, now)?.ok_or_else(|| ApiError::not_found(format!("no dossier {code}")))?;
    d.data.status = status;
    let body = serde_json::to_string(&d.data).expect("a dossier serializes");
    repo::dossiers::update_status(conn, office, code, status, &body, at)?;
    add_history(conn, office, code, status, at, note)?;
    get(conn, office, code, now)?.ok_or_else(|| ApiError::internal("the dossier vanished"))
}

/// The time a write is made at, as the handlers give it.
fn stamp(at: &str) -> Result<jiff::Timestamp, ApiError> {
    at.parse()
        .map_err(|_| ApiError::internal(format!("a write's time `{at}` is not RFC 3339")))
}

/// A dossier of `office`, with its history, payments and how it kept to
/// its appointment at `now`.
pub fn get(conn: &Conn, office: &str, code: &str, now: jiff::Timestamp) -> Result<Option<Dossier>, ApiError> {
    let Some(body) = repo::dossiers::body(conn, office, code)? else {
        return Ok(None);
    };
    let data: DossierOut =
        serde_json::from_str(&body).map_err(|e| ApiError::internal(format!("stored dossier {code}: {e}")))?;
    let history = repo::dossiers::history(conn, office, code)?;
    Ok(Some(Dossier {
        code: code.to_string(),
        office: office.to_string(),
        timeliness: crate::ontime::timeliness(data.status, &history, &data.due_at, now),
        payments: repo::due::payments(conn, office, code)?,
        data,
        history,
    }))
}

/// A citizen's lookup: the dossier code and its receipt's secret, in any
/// office. Wrong secret and unknown code answer the same, so codes cannot
/// be probed.
pub fn lookup(conn: &Conn, code: &str, secret: &str) -> Result<LookupAnswer, ApiError> {
    let not_found = || ApiError::not_found("no dossier with this code and secret");
    let (office, body) = repo::dossiers::by_lookup(conn, code, &hash(secret))?.ok_or_else(not_found)?;
    let d: DossierOut = serde_json::from_str(&body).map_err(|e| ApiError::internal(e.to_string()))?;
    Ok(LookupAnswer {
        code: code.to_string(),
        procedure_code: d.procedure_code,
        procedure_name: d.procedure_name,
        received_at: d.received_at,
        due_at: d.due_at,
        status: d.status,
        history: repo::dossiers::history(conn, &office, code)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_office_numbers_its_own_codes_only() {
        let office = "000.00.01.H26";
        let day = jiff::civil::date(2026, 11, 28);
        for n in [
            central_number(1),
            central_number(5000),
            central_number(12_000),
            motcua_core::dossier::offline_number(3, 7),
        ] {
            let code = format_code(office, day, &n);
            assert!(numbered_by(office, &code), "{code}");
            assert!(!numbered_by("000.00.02.H26", &code), "{code}");
        }
        for bad in [
            "000.00.01.H26",
            "000.00.01.H26-",
            "000.00.01.H26-261128",
            "000.00.01.H26-261128-",
            "000.00.01.H26-2611-0001",
            "000.00.01.H26-261328-0001",
            "000.00.01.H26-261128-001",
            "000.00.01.H26-261128-00a1",
            "000.00.01.H26X-261128-0001",
            "000.00.01-261128-0001",
            "X-1",
        ] {
            assert!(!numbered_by(office, bad), "{bad}");
        }
        // An office whose id is another's with more after it does not
        // claim the other's codes, nor the other its.
        assert!(!numbered_by("A", "A-2-261128-0001"));
        assert!(numbered_by("A-2", "A-2-261128-0001"));
    }

    #[test]
    fn twelve_thousand_codes_on_day_one_grow_to_five_digits_without_repeat() {
        let dir = tempfile::tempdir().unwrap();
        // 2026-01-01 09:00 in Hà Nội.
        let at = jiff::Timestamp::from_second(1_767_232_800).unwrap();
        let office = "H26.22.15";
        let codes = crate::admin(dir.path(), |c| {
            (0..12_000)
                .map(|_| next_code(c, office, at))
                .collect::<Result<Vec<_>, _>>()
        })
        .unwrap();
        assert_eq!(codes[0], "H26.22.15-260101-0001");
        assert_eq!(codes[9_999], "H26.22.15-260101-10000");
        assert_eq!(codes[11_999], "H26.22.15-260101-12000");
        let distinct: std::collections::HashSet<&String> = codes.iter().collect();
        assert_eq!(distinct.len(), 12_000);
        assert!(codes.iter().all(|c| numbered_by(office, c)));
        // The next day starts again at 0001.
        let next = crate::admin(dir.path(), |c| {
            next_code(c, office, at + jiff::SignedDuration::from_hours(24))
        })
        .unwrap();
        assert_eq!(next, "H26.22.15-260102-0001");
    }

    #[test]
    fn a_principal_without_an_id_or_a_post_return_without_an_address_is_refused_and_nothing_kept() {
        use motcua_api::model::{Applicant, Principal};
        let dir = tempfile::tempdir().unwrap();
        let office = "H26.22.15";
        let code = format!("{office}-261128-0001");
        let dossier = |principal: Option<Principal>, delivery: Delivery| DossierIn {
            procedure_code: "1.001193".into(),
            procedure_name: "Đăng ký khai sinh".into(),
            applicant: Applicant {
                name: "Người Thử".into(),
                id_number: "001099012345".into(),
                kind: 1,
                phone: "0912345678".into(),
                email: None,
                address: "Hà Nội".into(),
            },
            received_at: "2026-11-28T02:41:00Z".into(),
            due_at: "2026-12-04T09:00:00Z".into(),
            status: 2,
            channel: 1,
            documents: Vec::new(),
            sets: 1,
            fees: 0,
            notes: None,
            lookup_secret: None,
            principal,
            delivery,
            register: None,
            officer: None,
        };
        let principal = Principal {
            name: "Người Ủy Quyền".into(),
            id_number: " ".into(),
            address: "Hà Nội".into(),
            phone: "0911111111".into(),
            email: None,
            authorisation: "Giấy ủy quyền số 1".into(),
        };
        let at = "2026-11-28T02:41:00Z";
        let e = crate::admin(dir.path(), |c| {
            upsert(
                c,
                office,
                &code,
                &dossier(Some(principal.clone()), Delivery::Counter),
                at,
            )
        })
        .unwrap_err()
        .to_string();
        assert!(e.contains("principal.id_number"), "{e}");
        let post = Delivery::Post { address: "".into() };
        let e = crate::admin(dir.path(), |c| upsert(c, office, &code, &dossier(None, post), at))
            .unwrap_err()
            .to_string();
        assert!(e.contains("delivery.address"), "{e}");
        assert_eq!(
            crate::admin(dir.path(), |c| get(c, office, &code, at.parse().unwrap())).unwrap(),
            None,
            "half kept"
        );
        // Complete, both are kept and given back.
        let principal = Principal {
            id_number: "001199000001".into(),
            ..principal
        };
        let post = Delivery::Post {
            address: "Số 2 phố Mẫu, Hà Nội".into(),
        };
        let d = dossier(Some(principal.clone()), post.clone());
        let (kept, created) = crate::admin(dir.path(), |c| upsert(c, office, &code, &d, at)).unwrap();
        assert!(created);
        assert_eq!((kept.data.principal, kept.data.delivery), (Some(principal), post));
    }
}
