//! The intake form: what the officer types (or the card's QR fills in),
//! and the checks that turn it into a dossier.

use jiff::civil::Date;

use super::proxy::{Proxy, ProxyEdit};
use crate::counter::Intake;
use motcua_api::model::{Applicant, DossierDocument};
use motcua_core::catalog::{Catalog, Procedure};
use motcua_core::citizen::{self, CardKind, CitizenError, Found, Sureness, Unrecognised};

/// One change to the form.
#[derive(Debug, Clone)]
pub enum Edit {
    Procedure(String),
    Name(String),
    Id(String),
    Birth(String),
    Phone(String),
    Email(String),
    Address(String),
    /// What the USB scanner typed into the scan field.
    Scan(String),
    /// The scanner's Enter.
    ScanDone,
    /// The officer checked a guessed field against the card and keeps it.
    Confirm(CardField),
    Document(usize, bool),
    Sets(String),
    Notes(String),
    /// The principal and the delivery of the result.
    Proxy(ProxyEdit),
    /// Why the dossier is refused, when it is.
    RefusalReason(String),
}

/// A field of the form the card's QR can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardField {
    Name,
    Id,
    Birth,
    Address,
}

impl CardField {
    /// The field's label key.
    pub fn label(self) -> &'static str {
        match self {
            CardField::Name => "intake-name",
            CardField::Id => "intake-id",
            CardField::Birth => "intake-birth",
            CardField::Address => "intake-address",
        }
    }
}

/// Something to fix before the dossier can be taken in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    NoProcedure,
    /// A required field, by its label key.
    Required(&'static str),
    Citizen(CitizenError),
    BirthDate,
    Email,
    Sets,
    NoDocuments,
    /// Filled from the card by a guess, and neither edited nor confirmed.
    Unconfirmed(CardField),
    /// The principal's ID number or phone, when filed under an
    /// authorisation.
    Principal(CitizenError),
}

#[derive(Debug, Clone, Default)]
pub struct Form {
    pub procedure: Option<Procedure>,
    pub name: String,
    pub id_number: String,
    pub birth: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub scan: String,
    /// The outcome of the last card scan: the card it came from, or why
    /// it could not be read.
    pub scanned: Option<Result<CardKind, CitizenError>>,
    /// Fields the last scan filled by a guess (the card's layout unknown),
    /// until the officer edits or confirms them.
    pub to_check: Vec<CardField>,
    /// The last scan's fields the reader could not place, for the officer
    /// to read on the card.
    pub unrecognised: Vec<Unrecognised>,
    /// Which of the procedure's documents were handed in.
    pub documents: Vec<bool>,
    /// Each checklist item's scan, once digitised.
    pub scans: Vec<Option<super::scan::Digitised>>,
    /// The scan desk, while the officer scans an item.
    pub scan_desk: Option<super::scan::ScanDesk>,
    pub sets: String,
    pub notes: String,
    /// Who the dossier is for, and where its result goes.
    pub proxy: Proxy,
    /// Why the dossier is refused (form 03), as typed.
    pub refusal_reason: String,
    /// What became of the last refusal printed.
    pub refused: Option<super::Printed>,
    pub problems: Vec<Problem>,
    pub saving: bool,
    pub failure: Option<String>,
}

/// Keeps typed text bounded and free of control characters.
pub(super) fn clean(s: String, max: usize) -> String {
    s.chars().filter(|c| !c.is_control()).take(max).collect()
}

/// An ID number as typed: twelve digits make a personal ID number (số
/// định danh cá nhân, checked against `birth` when known), anything else
/// must be an organisation's tax code. Returns it with its kind (1 a
/// person, 2 an organisation); empty stays empty.
pub(super) fn identity(typed: &str, birth: Option<Date>) -> Result<(String, u8), CitizenError> {
    let digits: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.is_empty() {
        Ok((String::new(), 1))
    } else if digits.len() == 12 && digits.bytes().all(|b| b.is_ascii_digit()) {
        citizen::check_cccd(&digits, birth).map(|n| (n.digits, 1))
    } else {
        citizen::check_tax_code(&digits).map(|code| (code, 2))
    }
}

/// Each of `fields` (a value and its label's key) left empty, as a
/// problem naming it.
pub(super) fn require(problems: &mut Vec<Problem>, fields: &[(&String, &'static str)]) {
    for (value, key) in fields {
        if value.trim().is_empty() {
            problems.push(Problem::Required(key));
        }
    }
}

/// A phone number as typed, checked; empty stays empty (whether it is
/// required is [`require`]'s).
pub(super) fn phone(typed: &str) -> Result<String, CitizenError> {
    if typed.trim().is_empty() {
        Ok(String::new())
    } else {
        citizen::check_phone(typed)
    }
}

/// An email address as typed: none when empty, refused when it does not
/// look like one (the mail server decides the rest).
pub(super) fn email(typed: &str) -> Result<Option<String>, Problem> {
    let email = typed.trim();
    if email.is_empty() {
        Ok(None)
    } else if email.contains('@') && email.contains('.') && !email.contains(' ') {
        Ok(Some(email.to_string()))
    } else {
        Err(Problem::Email)
    }
}

/// A date written dd/mm/yyyy.
pub(super) fn parse_date(typed: &str) -> Option<Date> {
    let mut parts = typed.trim().split('/');
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok()
}

impl Form {
    pub fn new(procedure: Option<Procedure>) -> Self {
        let documents = procedure
            .as_ref()
            .map(|p| vec![false; p.documents.len()])
            .unwrap_or_default();
        Self {
            procedure,
            scans: vec![None; documents.len()],
            documents,
            sets: "1".into(),
            ..Self::default()
        }
    }

    pub fn apply(&mut self, edit: Edit, catalog: &Catalog, today: Date) {
        self.problems.clear();
        match edit {
            Edit::Procedure(code) => {
                if let Some(p) = catalog.procedure(&code) {
                    self.documents = vec![false; p.documents.len()];
                    self.scans = vec![None; p.documents.len()];
                    self.procedure = Some(p.clone());
                }
            }
            Edit::Name(v) => {
                self.name = clean(v, 100);
                self.checked(CardField::Name);
            }
            Edit::Id(v) => {
                self.id_number = clean(v, 20);
                self.checked(CardField::Id);
            }
            Edit::Birth(v) => {
                self.birth = clean(v, 10);
                self.checked(CardField::Birth);
            }
            Edit::Phone(v) => self.phone = clean(v, 20),
            Edit::Email(v) => self.email = clean(v, 100),
            Edit::Address(v) => {
                self.address = clean(v, 200);
                self.checked(CardField::Address);
            }
            Edit::Scan(v) => self.scan = v.chars().take(400).collect(),
            Edit::ScanDone => self.scan_card(today),
            Edit::Confirm(field) => self.checked(field),
            Edit::Document(i, on) => {
                if let Some(d) = self.documents.get_mut(i) {
                    *d = on;
                }
            }
            Edit::Sets(v) => self.sets = v.chars().filter(char::is_ascii_digit).take(2).collect(),
            Edit::Notes(v) => self.notes = clean(v, 300),
            Edit::Proxy(e) => self.proxy.apply(e, &self.address),
            Edit::RefusalReason(v) => self.refusal_reason = clean(v, 300),
        }
    }

    /// Fills the applicant from the QR of either card generation: what the
    /// reader is sure of as it is, what it guessed marked for the officer to
    /// check. A field the card does not give keeps what was typed. The scan
    /// text itself is not kept, nor logged: it holds personal data.
    fn scan_card(&mut self, today: Date) {
        let text = std::mem::take(&mut self.scan);
        self.unrecognised.clear();
        match citizen::read_card_qr(text.as_bytes(), today) {
            Ok(card) => {
                self.to_check.clear();
                let birth = card.birth.map(|b| Found {
                    value: b.value.strftime("%d/%m/%Y").to_string(),
                    sure: b.sure,
                    position: b.position,
                });
                for (field, found) in [
                    (CardField::Name, card.name),
                    (CardField::Id, card.id),
                    (CardField::Birth, birth),
                    (CardField::Address, card.address),
                ] {
                    if let Some(found) = found {
                        self.fill(field, found);
                    }
                }
                self.unrecognised = card.unrecognised;
                self.scanned = Some(Ok(card.card));
            }
            Err(e) => self.scanned = Some(Err(e)),
        }
    }

    fn fill(&mut self, field: CardField, found: Found<String>) {
        *self.slot(field) = found.value;
        if found.sure == Sureness::Guessed {
            self.to_check.push(field);
        }
    }

    fn slot(&mut self, field: CardField) -> &mut String {
        match field {
            CardField::Name => &mut self.name,
            CardField::Id => &mut self.id_number,
            CardField::Birth => &mut self.birth,
            CardField::Address => &mut self.address,
        }
    }

    /// The officer edited or confirmed a field: no longer a guess.
    fn checked(&mut self, field: CardField) {
        self.to_check.retain(|f| *f != field);
    }

    fn birth_date(&self) -> Option<Result<Date, ()>> {
        let b = self.birth.trim();
        (!b.is_empty()).then(|| parse_date(b).ok_or(()))
    }

    /// A refusal to accept (form 03) of what is on the form: the procedure,
    /// who brought it and why; the rest of the form need not be right.
    pub fn refusal(&self) -> Result<crate::counter::FormRequest, Vec<Problem>> {
        let mut problems = Vec::new();
        let Some(procedure) = &self.procedure else {
            return Err(vec![Problem::NoProcedure]);
        };
        if self.name.trim().is_empty() {
            problems.push(Problem::Required("intake-name"));
        }
        if self.refusal_reason.trim().is_empty() {
            problems.push(Problem::Required("intake-refusal-reason"));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(crate::counter::FormRequest::Refusal {
            applicant: self.name.trim().to_string(),
            id_number: self.id_number.trim().to_string(),
            procedure: procedure.name.clone(),
            reason: self.refusal_reason.trim().to_string(),
        })
    }

    /// Checks everything and lists every problem at once.
    pub fn check(&self, today: Date) -> Result<Intake, Vec<Problem>> {
        let mut problems = Vec::new();
        let Some(procedure) = &self.procedure else {
            return Err(vec![Problem::NoProcedure]);
        };
        // A guess printed on a receipt is the citizen's legal record: the
        // officer looks at each one before it goes.
        problems.extend(self.to_check.iter().map(|f| Problem::Unconfirmed(*f)));
        require(
            &mut problems,
            &[
                (&self.name, "intake-name"),
                (&self.id_number, "intake-id"),
                (&self.phone, "intake-phone"),
                (&self.address, "intake-address"),
            ],
        );
        let birth = match self.birth_date() {
            Some(Ok(d)) if d <= today => Some(d),
            Some(_) => {
                problems.push(Problem::BirthDate);
                None
            }
            None => None,
        };
        let (id_number, kind) = identity(&self.id_number, birth).unwrap_or_else(|e| {
            problems.push(Problem::Citizen(e));
            (self.id_number.trim().to_string(), 1)
        });
        let phone = phone(&self.phone).unwrap_or_else(|e| {
            problems.push(Problem::Citizen(e));
            String::new()
        });
        let email = email(&self.email).unwrap_or_else(|p| {
            problems.push(p);
            None
        });
        let sets = self.sets.parse::<u8>().unwrap_or(0);
        if !(1..=20).contains(&sets) {
            problems.push(Problem::Sets);
        }
        let documents: Vec<DossierDocument> = procedure
            .documents
            .iter()
            .zip(&self.documents)
            .filter(|(_, on)| **on)
            .map(|(d, _)| DossierDocument {
                name: d.name.clone(),
                originals: d.originals,
                copies: d.copies,
            })
            .collect();
        if documents.is_empty() {
            problems.push(Problem::NoDocuments);
        }
        // The scans of the items handed in, one PDF each.
        let scans = procedure
            .documents
            .iter()
            .zip(self.documents.iter().zip(&self.scans))
            .filter_map(|(d, (on, scan))| Some((d, scan.as_ref().filter(|_| *on)?)))
            .map(|(d, scan)| crate::store::NewDocument {
                item: d.name.clone(),
                kind: motcua_api::documents::DocumentKind::Intake,
                pdf: scan.pdf.clone(),
                scanned_at: scan.at,
            })
            .collect();
        let (principal, delivery) = self.proxy.check(&mut problems);
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Intake {
            procedure: procedure.clone(),
            applicant: Applicant {
                name: self.name.trim().to_string(),
                id_number,
                kind,
                phone,
                email,
                address: self.address.trim().to_string(),
            },
            documents,
            sets,
            notes: (!self.notes.trim().is_empty()).then(|| self.notes.trim().to_string()),
            principal,
            delivery,
            scans,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        jiff::civil::date(2026, 11, 28)
    }

    fn filled() -> Form {
        let catalog = Catalog::demo();
        let mut f = Form::new(catalog.procedure("1.001193").cloned());
        for e in [
            Edit::Name("Nguyễn Văn An".into()),
            Edit::Id("001099012345".into()),
            Edit::Birth("15/03/1999".into()),
            Edit::Phone("0912 345 678".into()),
            Edit::Address("Số 12 Hàng Bạc".into()),
            Edit::Document(0, true),
        ] {
            f.apply(e, &catalog, today());
        }
        f
    }

    #[test]
    fn a_complete_form_becomes_a_dossier() {
        let intake = filled().check(today()).unwrap();
        assert_eq!(intake.applicant.phone, "0912345678");
        assert_eq!(intake.applicant.kind, 1);
        assert_eq!(intake.documents.len(), 1);
        assert_eq!(intake.sets, 1);
    }

    #[test]
    fn every_problem_is_listed() {
        let catalog = Catalog::demo();
        let mut f = Form::new(catalog.procedure("1.001193").cloned());
        f.apply(Edit::Id("00109901234".into()), &catalog, today());
        f.apply(Edit::Phone("12345".into()), &catalog, today());
        f.apply(Edit::Birth("31/02/1999".into()), &catalog, today());
        f.apply(Edit::Email("not an email".into()), &catalog, today());
        f.apply(Edit::Sets("0".into()), &catalog, today());
        let problems = f.check(today()).unwrap_err();
        assert!(problems.contains(&Problem::Required("intake-name")));
        assert!(problems.contains(&Problem::Required("intake-address")));
        assert!(problems.contains(&Problem::BirthDate));
        assert!(problems.contains(&Problem::Email));
        assert!(problems.contains(&Problem::Sets));
        assert!(problems.contains(&Problem::NoDocuments));
        assert!(
            problems.iter().any(|p| matches!(p, Problem::Citizen(_))),
            "{problems:?}"
        );
        assert_eq!(Form::default().check(today()).unwrap_err(), vec![Problem::NoProcedure]);
    }

    #[test]
    fn a_scanned_card_fills_the_applicant_and_the_scan_text_is_dropped() {
        let catalog = Catalog::demo();
        let mut f = Form::new(catalog.procedure("1.001193").cloned());
        f.apply(
            Edit::Scan(
                "001099012345|013456789|Nguyễn Văn An|15031999|Nam|Số 12 Hàng Bạc, Hoàn Kiếm, Hà Nội|20042021\r\n"
                    .into(),
            ),
            &catalog,
            today(),
        );
        f.apply(Edit::ScanDone, &catalog, today());
        assert_eq!(f.scanned, Some(Ok(CardKind::ChipCccd)));
        assert!(f.to_check.is_empty(), "the known layout is certain");
        assert_eq!(
            (f.name.as_str(), f.id_number.as_str(), f.birth.as_str()),
            ("Nguyễn Văn An", "001099012345", "15/03/1999")
        );
        assert!(f.scan.is_empty());
        f.apply(Edit::Scan("garbage|x".into()), &catalog, today());
        f.apply(Edit::ScanDone, &catalog, today());
        assert!(matches!(f.scanned, Some(Err(CitizenError::QrNothingRecognised { .. }))));
        // A failed scan leaves what the form holds.
        assert_eq!(f.name, "Nguyễn Văn An");
    }

    /// A căn cước card's QR in a layout the reader does not know.
    const NEW_CARD: &str =
        "Trần Thị Bình;001301012345;Nu;01022001;Số 7 ngõ 15, Phường Ba Đình, Hà Nội;15082024;01022041\r\n";

    #[test]
    fn guesses_from_a_new_card_block_the_dossier_until_the_officer_checks_them() {
        let catalog = Catalog::demo();
        let mut f = filled();
        f.apply(Edit::Scan(NEW_CARD.into()), &catalog, today());
        f.apply(Edit::ScanDone, &catalog, today());
        assert_eq!(f.scanned, Some(Ok(CardKind::CanCuoc)));
        assert_eq!(
            (f.name.as_str(), f.id_number.as_str(), f.birth.as_str()),
            ("Trần Thị Bình", "001301012345", "01/02/2001")
        );
        assert_eq!(f.address, "Số 7 ngõ 15, Phường Ba Đình, Hà Nội");
        assert_eq!(f.to_check, vec![CardField::Name, CardField::Address]);
        assert_eq!(f.unrecognised.iter().map(|u| u.position).collect::<Vec<_>>(), vec![7]);
        assert_eq!(
            f.check(today()).unwrap_err(),
            vec![
                Problem::Unconfirmed(CardField::Name),
                Problem::Unconfirmed(CardField::Address)
            ]
        );
        // Confirmed as it is, or typed over: either way checked.
        f.apply(Edit::Confirm(CardField::Name), &catalog, today());
        f.apply(
            Edit::Address("Số 7 ngõ 15 Đội Cấn, Phường Ba Đình, Hà Nội".into()),
            &catalog,
            today(),
        );
        assert!(f.to_check.is_empty());
        let intake = f.check(today()).unwrap();
        assert_eq!(intake.applicant.name, "Trần Thị Bình");
        assert_eq!(intake.applicant.id_number, "001301012345");
        // Scanning the chip card afterwards: every value certain, nothing left to check.
        f.apply(
            Edit::Scan(
                "001099012345|013456789|Nguyễn Văn An|15031999|Nam|Số 12 Hàng Bạc, Hoàn Kiếm, Hà Nội|20042021".into(),
            ),
            &catalog,
            today(),
        );
        f.apply(Edit::ScanDone, &catalog, today());
        assert!(f.to_check.is_empty() && f.unrecognised.is_empty());
        assert_eq!(f.scanned, Some(Ok(CardKind::ChipCccd)));
    }

    #[test]
    fn a_tax_code_makes_a_business_applicant() {
        let mut f = filled();
        f.apply(Edit::Id("0101234567".into()), &Catalog::demo(), today());
        f.apply(Edit::Birth(String::new()), &Catalog::demo(), today());
        let intake = f.check(today()).unwrap();
        assert_eq!(intake.applicant.kind, 2);
    }
}
