//! The QR of either ID card generation, read by the shape of its fields.
//!
//! The chip CCCD (2021 to June 2024) carries its QR on the front in a known
//! layout ([`parse_cccd_qr`]). The căn cước card issued since 1 July 2024
//! carries it on the back, and its layout is not published: public readers
//! disagree on the order and the separator. So the reader tries the known
//! layouts first (whatever the separator) and otherwise places each field by
//! its shape, saying how sure it is of each, and which fields it could not
//! place, for the officer to confirm or type.

use std::fmt;

use jiff::civil::{Date, date};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::card_qr::{is_eight_digits, parse_ddmmyyyy};
use super::{CccdQr, CitizenError, Gender, QrField, check_cccd, parse_cccd_qr};
use crate::i18n::{Lang, say};

/// The first day of the căn cước card (Luật Căn cước 26/2023/QH15 in force):
/// a card issued from this day on is of the new generation.
pub const CAN_CUOC_SINCE: Date = date(2024, 7, 1);

/// How many characters of an unplaced field the officer's screen shows.
const PREVIEW_CHARS: usize = 16;

/// How sure the reader is of a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sureness {
    /// From a known layout, or vouched for by another field (the ID
    /// number's birth year and gender digit).
    Certain,
    /// Placed by its shape alone: the officer checks it against the card.
    Guessed,
}

/// A value read from the QR, with the field it came from (counting from 1)
/// and how sure the reader is. Its `Debug` leaves the value out: a read
/// card is personal data and must stay out of logs.
#[derive(Clone, PartialEq, Eq)]
pub struct Found<T> {
    pub value: T,
    pub sure: Sureness,
    pub position: usize,
}

impl<T> Found<T> {
    fn new(value: T, sure: Sureness, position: usize) -> Self {
        Self { value, sure, position }
    }

    pub fn is_certain(&self) -> bool {
        self.sure == Sureness::Certain
    }
}

impl<T> fmt::Debug for Found<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Found")
            .field("position", &self.position)
            .field("sure", &self.sure)
            .finish_non_exhaustive()
    }
}

/// Which card generation the QR most likely came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardKind {
    /// The chip CCCD: a known layout with a date of issue before
    /// [`CAN_CUOC_SINCE`] (or none). QR on the front.
    ChipCccd,
    /// The căn cước card: a date of issue on or after [`CAN_CUOC_SINCE`].
    /// QR on the back.
    CanCuoc,
    /// An unknown layout without a date of issue that tells.
    Unknown,
}

impl CardKind {
    /// The card's name in `lang`, to put in a sentence.
    pub fn text(self, lang: Lang) -> String {
        let id = match self {
            CardKind::ChipCccd => "qr-card-chip-cccd",
            CardKind::CanCuoc => "qr-card-can-cuoc",
            CardKind::Unknown => "qr-card-unknown",
        };
        say(lang, id, &[])
    }

    /// The generation told by a date of issue.
    fn by_issue(issued: Option<Date>, known_layout: bool) -> Self {
        match issued {
            Some(d) if d >= CAN_CUOC_SINCE => CardKind::CanCuoc,
            _ if known_layout => CardKind::ChipCccd,
            _ => CardKind::Unknown,
        }
    }
}

/// What an unplaced field looks like, for the officer to find it on the
/// card without the screen repeating it whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Only digits, this many (and not a date).
    Digits(usize),
    /// A real date, but another one already took its place (or before 1900).
    Date,
    /// A real date after today: a date of expiry, perhaps.
    FutureDate,
    /// Words, or anything else.
    Text,
}

impl Shape {
    fn text(self, lang: Lang) -> String {
        match self {
            Shape::Digits(n) => say(lang, "qr-shape-digits", &[("count", n.to_string())]),
            Shape::Date => say(lang, "qr-shape-date", &[]),
            Shape::FutureDate => say(lang, "qr-shape-future-date", &[]),
            Shape::Text => say(lang, "qr-shape-text", &[]),
        }
    }
}

/// A field of the QR that no rule placed. Its `Debug` shows its position,
/// length and shape, never its text.
#[derive(Clone, PartialEq, Eq)]
pub struct Unrecognised {
    /// Counting from 1, empty fields included.
    pub position: usize,
    pub shape: Shape,
    text: String,
}

impl Unrecognised {
    /// The start of the field, for the officer's screen only: at most
    /// [`PREVIEW_CHARS`] characters, "…" when cut.
    pub fn preview(&self) -> String {
        let mut chars = self.text.chars().filter(|c| !c.is_control());
        let mut out: String = chars.by_ref().take(PREVIEW_CHARS).collect();
        if chars.next().is_some() {
            out.push('…');
        }
        out
    }

    /// "trường 4 (9 chữ số): «0134567…»", for the officer's screen only:
    /// it holds the [`preview`](Self::preview).
    pub fn text(&self, lang: Lang) -> String {
        say(
            lang,
            "qr-unrecognised",
            &[
                ("position", self.position.to_string()),
                ("shape", self.shape.text(lang)),
                ("preview", self.preview()),
            ],
        )
    }
}

impl fmt::Debug for Unrecognised {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Unrecognised")
            .field("position", &self.position)
            .field("shape", &self.shape)
            .field("chars", &self.text.chars().count())
            .finish()
    }
}

/// What the reader made of a card's QR: each value with how sure it is,
/// and the fields it could not place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardRead {
    pub card: CardKind,
    /// The personal ID number (số định danh cá nhân), checked with
    /// [`check_cccd`].
    pub id: Option<Found<String>>,
    /// The former 9- or 12-digit ID (CMND).
    pub old_id: Option<Found<String>>,
    pub name: Option<Found<String>>,
    pub birth: Option<Found<Date>>,
    pub gender: Option<Found<Gender>>,
    pub address: Option<Found<String>>,
    pub issued: Option<Found<Date>>,
    /// In the order of the QR.
    pub unrecognised: Vec<Unrecognised>,
}

impl CardRead {
    /// The fields placed by a guess, in the order of the card.
    pub fn guessed(&self) -> Vec<QrField> {
        self.slots()
            .into_iter()
            .filter_map(|(field, sure)| (sure == Some(Sureness::Guessed)).then_some(field))
            .collect()
    }

    /// The card's fields the reader did not find (the old ID is often
    /// absent and not counted).
    pub fn missing(&self) -> Vec<QrField> {
        self.slots()
            .into_iter()
            .filter_map(|(field, sure)| (sure.is_none() && field != QrField::OldId).then_some(field))
            .collect()
    }

    fn slots(&self) -> [(QrField, Option<Sureness>); 7] {
        fn sure<T>(f: &Option<Found<T>>) -> Option<Sureness> {
            f.as_ref().map(|f| f.sure)
        }
        [
            (QrField::Id, sure(&self.id)),
            (QrField::OldId, sure(&self.old_id)),
            (QrField::Name, sure(&self.name)),
            (QrField::Birth, sure(&self.birth)),
            (QrField::Gender, sure(&self.gender)),
            (QrField::Address, sure(&self.address)),
            (QrField::Issued, sure(&self.issued)),
        ]
    }

    /// Everything certain, from a known layout; `fields` as split.
    fn known(card: CccdQr, fields: &[&str]) -> Self {
        // Where each value sits in the three known layouts.
        let (id, old, name, birth, gender, address, issued) = match fields.len() {
            7 => (1, Some(2), 3, 4, 5, 6, Some(7)),
            _ if is_eight_digits(fields[2]) => (1, None, 2, 3, 4, 5, Some(6)),
            _ => (1, Some(2), 3, 4, 5, 6, None),
        };
        CardRead {
            card: CardKind::by_issue(card.issued, true),
            id: Some(certain(card.id, id)),
            old_id: card.old_id.zip(old).map(|(v, p)| certain(v, p)),
            name: Some(certain(card.name, name)),
            birth: Some(certain(card.birth, birth)),
            gender: Gender::from_vi(&card.gender).map(|g| certain(g, gender)),
            address: Some(certain(card.address, address)),
            issued: card.issued.zip(issued).map(|(v, p)| certain(v, p)),
            unrecognised: Vec::new(),
        }
    }

    fn is_empty(&self) -> bool {
        self.slots().iter().all(|(_, sure)| sure.is_none())
    }
}

fn certain<T>(value: T, position: usize) -> Found<T> {
    Found::new(value, Sureness::Certain, position)
}

/// Reads what a USB scanner typed from the QR of either card generation,
/// tolerantly, against `today`.
///
/// The known layouts of [`parse_cccd_qr`] come out whole and
/// [`Sureness::Certain`], whether the fields are separated by `|` or (when
/// no `|` is present) by `;` or line breaks. Otherwise each field is placed
/// by its shape:
/// - a 12-digit number that passes [`check_cccd`] is the ID number; a 9-digit
///   one, or a second 12-digit one, the old ID;
/// - `ddmmyyyy` dates from 1900 to today: the date of birth is the earliest
///   of the ID number's birth year (or the earliest at all), the date of
///   issue a later one; a date after today is left unplaced (an expiry?);
/// - "Nam" / "Nữ" in any case, with or without diacritics, the gender;
/// - the first field of letters only in two words or more, the name;
/// - a field with letters and digits or commas, or the first one after the
///   gender, the address.
///
/// Without a known layout only what another field vouches for is certain:
/// the ID number when it is the only one, the date of birth when the ID
/// number's year agrees, the gender when the ID number's digit agrees, the
/// date of issue when it is the only date after a certain birth. Name,
/// address and old ID are guessed.
///
/// Refused: bytes that are not UTF-8 (the scanner's setting), an empty scan,
/// and a scan in which no field could be placed at all.
pub fn read_card_qr(bytes: &[u8], today: Date) -> Result<CardRead, CitizenError> {
    let text = super::card_qr::scanned_text(bytes)?;
    let fields = split(text.trim());
    if (6..=7).contains(&fields.len())
        && let Ok(card) = parse_cccd_qr(fields.join("|").as_bytes(), today)
    {
        return Ok(CardRead::known(card, &fields));
    }
    let read = by_shape(&fields, today);
    if read.is_empty() {
        return Err(CitizenError::QrNothingRecognised { fields: fields.len() });
    }
    Ok(read)
}

/// The fields, trimmed: split on `|`, or on `;` when there is no `|`, or
/// on line breaks when there is neither.
fn split(text: &str) -> Vec<&str> {
    let fields: Vec<&str> = if text.contains('|') {
        text.split('|').collect()
    } else if text.contains(';') {
        text.split(';').collect()
    } else {
        text.lines().collect()
    };
    fields.into_iter().map(str::trim).collect()
}

/// A field's shape, before it is given a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Empty,
    /// 12 digits that pass [`check_cccd`].
    Id,
    /// 12 digits that do not.
    Twelve,
    Nine,
    Date(Date),
    FutureDate,
    Digits(usize),
    Gender(Gender),
    /// Letters only, two words or more.
    Words,
    /// Anything else with a letter in it.
    Text,
    /// Nothing readable: no letter, or a control character.
    Other,
}

fn kind_of(field: &str, today: Date) -> Kind {
    if field.is_empty() {
        return Kind::Empty;
    }
    if field.chars().any(char::is_control) {
        return Kind::Other;
    }
    if field.bytes().all(|b| b.is_ascii_digit()) {
        return match field.len() {
            12 if check_cccd(field, None).is_ok() => Kind::Id,
            12 => Kind::Twelve,
            9 => Kind::Nine,
            8 => match parse_ddmmyyyy(field, QrField::Birth) {
                Ok(d) if d > today => Kind::FutureDate,
                Ok(d) => Kind::Date(d),
                Err(_) => Kind::Digits(8),
            },
            n => Kind::Digits(n),
        };
    }
    if let Some(g) = gender_word(field) {
        return Kind::Gender(g);
    }
    let letters_only = field
        .chars()
        .all(|c| c.is_alphabetic() || c.is_whitespace() || c == '\'' || c == '-');
    if letters_only && field.split_whitespace().count() >= 2 {
        return Kind::Words;
    }
    if field.chars().any(char::is_alphabetic) {
        return Kind::Text;
    }
    Kind::Other
}

/// "Nam", "NỮ", "Nu", "nữ" (NFC or NFD) → the gender.
fn gender_word(field: &str) -> Option<Gender> {
    let bare: String = field.nfd().filter(|c| !is_combining_mark(*c)).collect();
    match bare.to_lowercase().as_str() {
        "nam" => Some(Gender::Male),
        "nu" => Some(Gender::Female),
        _ => None,
    }
}

/// The oldest year a date of birth may plausibly have.
const FIRST_BIRTH_YEAR: i16 = 1900;

/// Places each field by its shape (see [`read_card_qr`]).
fn by_shape(fields: &[&str], today: Date) -> CardRead {
    let kinds: Vec<Kind> = fields.iter().map(|f| kind_of(f, today)).collect();
    let mut taken = vec![false; fields.len()];
    let positions = |want: fn(&Kind) -> bool| -> Vec<usize> {
        kinds
            .iter()
            .enumerate()
            .filter(|(_, k)| want(k))
            .map(|(i, _)| i)
            .collect()
    };
    let dates: Vec<(usize, Date)> = kinds
        .iter()
        .enumerate()
        .filter_map(|(i, k)| match k {
            Kind::Date(d) if d.year() >= FIRST_BIRTH_YEAR => Some((i, *d)),
            _ => None,
        })
        .collect();

    // The ID number: the only valid one, or the first whose birth year is
    // among the dates.
    let ids = positions(|k| *k == Kind::Id);
    let year_of = |i: usize| check_cccd(fields[i], None).ok().map(|n| n.birth_year());
    let id_at = match ids[..] {
        [] => None,
        [only] => Some((only, Sureness::Certain)),
        _ => {
            let agreeing = ids
                .iter()
                .copied()
                .find(|&i| dates.iter().any(|(_, d)| Some(d.year()) == year_of(i)));
            Some((agreeing.unwrap_or(ids[0]), Sureness::Guessed))
        }
    };
    let number = id_at.and_then(|(i, _)| check_cccd(fields[i], None).ok());
    let mut id = id_at.map(|(i, sure)| Found::new(fields[i].to_owned(), sure, i + 1));
    if let Some(found) = &id {
        taken[found.position - 1] = true;
    }

    // The old ID: a 9-digit number, or a second 12-digit one.
    let nines = positions(|k| *k == Kind::Nine);
    let twelves = positions(|k| matches!(k, Kind::Id | Kind::Twelve));
    let old_at = nines
        .first()
        .or_else(|| twelves.iter().find(|&&i| !taken[i]).filter(|_| id.is_some()))
        .copied();
    let old_id = old_at.map(|i| {
        taken[i] = true;
        Found::new(fields[i].to_owned(), Sureness::Guessed, i + 1)
    });

    // The date of birth: the earliest of the ID number's year, vouched for
    // by it; else the earliest date, a guess.
    let of_id_year = number.as_ref().and_then(|n| {
        dates
            .iter()
            .filter(|(_, d)| d.year() == n.birth_year())
            .min_by_key(|(_, d)| *d)
    });
    let birth = match (of_id_year, dates.iter().min_by_key(|(_, d)| *d)) {
        (Some(&(i, d)), _) => Some(Found::new(d, Sureness::Certain, i + 1)),
        (None, Some(&(i, d))) => {
            // The ID number and the dates disagree: one of them is wrong.
            if let Some(found) = id.as_mut() {
                found.sure = Sureness::Guessed;
            }
            Some(Found::new(d, Sureness::Guessed, i + 1))
        }
        (None, None) => None,
    };
    if let Some(found) = &birth {
        taken[found.position - 1] = true;
    }

    // The date of issue: a later date (the latest when several), certain
    // only when it is the only one after a certain birth.
    let later: Vec<(usize, Date)> = dates
        .iter()
        .copied()
        .filter(|(i, d)| !taken[*i] && birth.as_ref().is_some_and(|b| *d >= b.value))
        .collect();
    let issued = later.iter().max_by_key(|(_, d)| *d).map(|&(i, d)| {
        taken[i] = true;
        let sure = if later.len() == 1 && birth.as_ref().is_some_and(Found::is_certain) {
            Sureness::Certain
        } else {
            Sureness::Guessed
        };
        Found::new(d, sure, i + 1)
    });

    // The gender: certain when the ID number's digit agrees.
    let genders = positions(|k| matches!(k, Kind::Gender(_)));
    let gender = genders.first().map(|&i| {
        taken[i] = true;
        let Kind::Gender(g) = kinds[i] else {
            unreachable!("a gender field")
        };
        let agrees = genders.len() == 1 && number.as_ref().is_some_and(|n| n.gender == g);
        let sure = if agrees { Sureness::Certain } else { Sureness::Guessed };
        Found::new(g, sure, i + 1)
    });

    // The name: the first field of words.
    let name = positions(|k| *k == Kind::Words).first().map(|&i| {
        taken[i] = true;
        Found::new(fields[i].to_owned(), Sureness::Guessed, i + 1)
    });

    // The address: shaped like one (digits or commas) after the gender,
    // else shaped like one anywhere, else the first words after the gender.
    let after_gender = |i: usize| gender.as_ref().is_some_and(|g| i + 1 > g.position);
    let shaped = |i: usize| {
        let f = fields[i];
        f.chars().count() >= 10 && f.chars().any(|c| c.is_ascii_digit() || c == ',')
    };
    let wordy: Vec<usize> = positions(|k| matches!(k, Kind::Words | Kind::Text))
        .into_iter()
        .filter(|&i| !taken[i])
        .collect();
    let address_at = wordy
        .iter()
        .find(|&&i| shaped(i) && after_gender(i))
        .or_else(|| wordy.iter().find(|&&i| shaped(i)))
        .or_else(|| wordy.iter().find(|&&i| after_gender(i)))
        .copied();
    let address = address_at.map(|i| {
        taken[i] = true;
        Found::new(fields[i].to_owned(), Sureness::Guessed, i + 1)
    });

    let unrecognised = kinds
        .iter()
        .enumerate()
        .filter(|(i, k)| !taken[*i] && **k != Kind::Empty)
        .map(|(i, k)| Unrecognised {
            position: i + 1,
            shape: match k {
                Kind::Date(_) => Shape::Date,
                Kind::FutureDate => Shape::FutureDate,
                Kind::Id | Kind::Twelve => Shape::Digits(12),
                Kind::Nine => Shape::Digits(9),
                Kind::Digits(n) => Shape::Digits(*n),
                _ => Shape::Text,
            },
            text: fields[i].to_owned(),
        })
        .collect();

    CardRead {
        card: CardKind::by_issue(issued.as_ref().map(|f| f.value), false),
        id,
        old_id,
        name,
        birth,
        gender,
        address,
        issued,
        unrecognised,
    }
}
