//! The intake form: what the officer types (or the card's QR fills in),
//! and the checks that turn it into a dossier.

use jiff::civil::Date;

use crate::counter::Intake;
use motcua_api::model::{Applicant, DossierDocument};
use motcua_core::catalog::{Catalog, Procedure};
use motcua_core::citizen::{self, CitizenError};

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
    Document(usize, bool),
    Sets(String),
    Notes(String),
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
    /// The outcome of the last card scan.
    pub scanned: Option<Result<(), CitizenError>>,
    /// Which of the procedure's documents were handed in.
    pub documents: Vec<bool>,
    pub sets: String,
    pub notes: String,
    pub problems: Vec<Problem>,
    pub saving: bool,
    pub failure: Option<String>,
}

/// Keeps typed text bounded and free of control characters.
fn clean(s: String, max: usize) -> String {
    s.chars().filter(|c| !c.is_control()).take(max).collect()
}

impl Form {
    pub fn new(procedure: Option<Procedure>) -> Self {
        let documents = procedure
            .as_ref()
            .map(|p| vec![false; p.documents.len()])
            .unwrap_or_default();
        Self {
            procedure,
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
                    self.procedure = Some(p.clone());
                }
            }
            Edit::Name(v) => self.name = clean(v, 100),
            Edit::Id(v) => self.id_number = clean(v, 20),
            Edit::Birth(v) => self.birth = clean(v, 10),
            Edit::Phone(v) => self.phone = clean(v, 20),
            Edit::Email(v) => self.email = clean(v, 100),
            Edit::Address(v) => self.address = clean(v, 200),
            Edit::Scan(v) => self.scan = v.chars().take(400).collect(),
            Edit::ScanDone => self.scan_card(today),
            Edit::Document(i, on) => {
                if let Some(d) = self.documents.get_mut(i) {
                    *d = on;
                }
            }
            Edit::Sets(v) => self.sets = v.chars().filter(char::is_ascii_digit).take(2).collect(),
            Edit::Notes(v) => self.notes = clean(v, 300),
        }
    }

    /// Fills the applicant from the card's QR. The scan text itself is not
    /// kept: it holds personal data.
    fn scan_card(&mut self, today: Date) {
        let text = std::mem::take(&mut self.scan);
        match citizen::parse_cccd_qr(text.as_bytes(), today) {
            Ok(card) => {
                self.name = card.name;
                self.id_number = card.id;
                self.birth = card.birth.strftime("%d/%m/%Y").to_string();
                self.address = card.address;
                self.scanned = Some(Ok(()));
            }
            Err(e) => self.scanned = Some(Err(e)),
        }
    }

    fn birth_date(&self) -> Option<Result<Date, ()>> {
        let b = self.birth.trim();
        if b.is_empty() {
            return None;
        }
        let parts: Vec<&str> = b.split('/').collect();
        let parse = || -> Option<Date> {
            let [d, m, y] = parts.as_slice() else { return None };
            Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok()
        };
        Some(parse().ok_or(()))
    }

    /// Checks everything and lists every problem at once.
    pub fn check(&self, today: Date) -> Result<Intake, Vec<Problem>> {
        let mut problems = Vec::new();
        let Some(procedure) = &self.procedure else {
            return Err(vec![Problem::NoProcedure]);
        };
        for (value, key) in [
            (&self.name, "intake-name"),
            (&self.id_number, "intake-id"),
            (&self.phone, "intake-phone"),
            (&self.address, "intake-address"),
        ] {
            if value.trim().is_empty() {
                problems.push(Problem::Required(key));
            }
        }
        let birth = match self.birth_date() {
            Some(Ok(d)) if d <= today => Some(d),
            Some(_) => {
                problems.push(Problem::BirthDate);
                None
            }
            None => None,
        };
        // Twelve digits make a citizen ID; anything else must be a tax code.
        let digits: String = self.id_number.chars().filter(|c| !c.is_whitespace()).collect();
        let (id_number, kind) = if digits.is_empty() {
            (String::new(), 1)
        } else if digits.len() == 12 && digits.bytes().all(|b| b.is_ascii_digit()) {
            match citizen::check_cccd(&digits, birth) {
                Ok(n) => (n.digits, 1),
                Err(e) => {
                    problems.push(Problem::Citizen(e));
                    (digits, 1)
                }
            }
        } else {
            match citizen::check_tax_code(&digits) {
                Ok(code) => (code, 2),
                Err(e) => {
                    problems.push(Problem::Citizen(e));
                    (digits, 2)
                }
            }
        };
        let phone = if self.phone.trim().is_empty() {
            String::new()
        } else {
            match citizen::check_phone(&self.phone) {
                Ok(p) => p,
                Err(e) => {
                    problems.push(Problem::Citizen(e));
                    String::new()
                }
            }
        };
        let email = self.email.trim();
        let plausible = email.contains('@') && email.contains('.') && !email.contains(' ');
        if !email.is_empty() && !plausible {
            problems.push(Problem::Email);
        }
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
                email: (!email.is_empty()).then(|| email.to_string()),
                address: self.address.trim().to_string(),
            },
            documents,
            sets,
            notes: (!self.notes.trim().is_empty()).then(|| self.notes.trim().to_string()),
            principal: None,
            delivery: Default::default(),
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
        assert_eq!(f.scanned, Some(Ok(())));
        assert_eq!(
            (f.name.as_str(), f.id_number.as_str(), f.birth.as_str()),
            ("Nguyễn Văn An", "001099012345", "15/03/1999")
        );
        assert!(f.scan.is_empty());
        f.apply(Edit::Scan("garbage|x".into()), &catalog, today());
        f.apply(Edit::ScanDone, &catalog, today());
        assert!(matches!(f.scanned, Some(Err(CitizenError::QrFieldCount { .. }))));
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
