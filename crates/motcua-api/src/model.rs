//! The JSON shapes of the central API. Inputs refuse unknown fields, so a
//! typo in a client is an error, not silently dropped data (see
//! [`strict`] for the parts shared with answers). Answers never do: a
//! client reads what it knows of an answer from a newer central and skips
//! the rest, and a kind or status it does not know reads as `Other`.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use motcua_core::queue::Lane;

/// What an enrolled device is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Kiosk,
    Counter,
    Board,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Kiosk => "kiosk",
            Role::Counter => "counter",
            Role::Board => "board",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "kiosk" => Some(Role::Kiosk),
            "counter" => Some(Role::Counter),
            "board" => Some(Role::Board),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EnrollRequest {
    /// The one-time token printed by `motcua central enroll` (its secret
    /// part: the pin stays with the device).
    pub token: String,
    /// The device's public key (PEM of its SubjectPublicKeyInfo), to be
    /// certified for mutual TLS; needed when central serves HTTPS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_key: Option<String>,
}

/// A device asks for a new certificate for a new key before its own
/// expires.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CertificateRequest {
    /// The new public key, PEM of its SubjectPublicKeyInfo.
    pub public_key: String,
}

/// A device's client certificate, with central's authority.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DeviceCertificate {
    /// PEM.
    pub certificate: String,
    /// Central's certificate authority, PEM.
    pub ca: String,
    /// RFC 3339.
    pub not_after: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Device {
    pub device_id: i64,
    pub office: String,
    pub role: Role,
    pub name: String,
    /// The device's number in its office; offline tickets carry it.
    pub slot: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Enrolled {
    #[serde(flatten)]
    pub device: Device,
    /// The bearer credential: shown once, stored hashed.
    pub credential: String,
    /// The device's client certificate, when central serves HTTPS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls: Option<DeviceCertificate>,
}

/// Lane of a ticket, for the schema.
#[derive(ToSchema)]
#[schema(as = Lane)]
#[allow(dead_code)]
enum LaneSchema {
    #[schema(rename = "normal")]
    Normal,
    #[schema(rename = "priority")]
    Priority,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTicket {
    /// Service group letter.
    pub group: String,
    #[schema(value_type = LaneSchema)]
    pub lane: Lane,
    /// National procedure code, when the citizen chose one.
    #[serde(default)]
    pub procedure: Option<String>,
}

/// A ticket a kiosk issued while central was out of reach.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfflineTicket {
    pub group: String,
    #[schema(value_type = LaneSchema)]
    pub lane: Lane,
    #[serde(default)]
    pub procedure: Option<String>,
    /// Office-local day, `YYYY-MM-DD`.
    pub day: String,
    /// The kiosk's slot: its own numbering space.
    pub slot: u32,
    pub number: u32,
    /// RFC 3339.
    pub issued_at: String,
}

/// Cancels a ticket whose answer never reached the kiosk.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VoidTicket {
    /// The Idempotency-Key of the ticket request to void.
    pub key: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Ticket {
    pub id: i64,
    pub office: String,
    pub day: String,
    pub group: String,
    /// 0 for central's numbering, else the issuing kiosk's slot.
    pub slot: u32,
    pub number: u32,
    /// As shown and called: `A-023`, or `A3-007` for kiosk 3's offline numbers.
    pub display: String,
    #[schema(value_type = LaneSchema)]
    pub lane: Lane,
    pub procedure: Option<String>,
    pub issued_at: String,
    pub status: TicketStatus,
    pub counter: Option<String>,
    /// Waiting tickets of the same group and lane ahead of this one.
    pub same_lane_ahead: u32,
    /// Waiting tickets of the same group in the other lane.
    pub other_lane_waiting: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct GroupWaiting {
    pub group: String,
    pub normal: u32,
    pub priority: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CallRequest {
    /// The counter calling, e.g. "3".
    pub counter: String,
    /// Groups this counter serves.
    pub groups: Vec<String>,
    /// The officer's id, for reports.
    #[serde(default)]
    pub officer: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CounterRequest {
    pub counter: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferRequest {
    /// Move the ticket to another group's queue …
    #[serde(default)]
    pub group: Option<String>,
    /// … or to a given counter.
    #[serde(default)]
    pub counter: Option<String>,
}

/// A change in the queue, as the event stream sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct QueueEvent {
    /// issued, called, recalled, skipped, completed, transferred, voided.
    pub kind: EventKind,
    pub office: String,
    pub ticket: Ticket,
    pub waiting: Vec<GroupWaiting>,
    /// How many times the ticket has been called so far, recalls included:
    /// 1 at its first call, one more with each call or recall, 0 before.
    /// With the ticket's id it names one call, so a board speaks each call
    /// once however often the event reaches it.
    #[serde(default)]
    pub call: u32,
}

/// Part of an answer too (a dossier's applicant): tolerant here, strict
/// where a request carries it ([`DossierIn`], through [`strict`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Applicant {
    pub name: String,
    /// CCCD number or tax code.
    pub id_number: String,
    /// 1 citizen, 2 business (LoaiDoiTuong).
    pub kind: u8,
    pub phone: String,
    #[serde(default)]
    pub email: Option<String>,
    pub address: String,
}

/// Whose dossier it is when the applicant files it for someone else under
/// an authorisation (the 2025 receipt form lists the principal). Part of an
/// answer too: tolerant here, strict in [`DossierIn`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Principal {
    pub name: String,
    /// Personal ID number (số định danh cá nhân) or organisation code.
    pub id_number: String,
    pub address: String,
    pub phone: String,
    #[serde(default)]
    pub email: Option<String>,
    /// The authorisation document, e.g. "Giấy ủy quyền số 12/UQ ngày
    /// 20/11/2026".
    pub authorisation: String,
}

/// Where the citizen collects the result ("Đăng ký nhận kết quả tại").
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(tag = "way", rename_all = "snake_case")]
pub enum Delivery {
    /// At the office's counter.
    #[default]
    Counter,
    /// By public postal service to this address.
    Post { address: String },
}

impl Delivery {
    pub fn is_counter(&self) -> bool {
        *self == Delivery::Counter
    }
}

/// Part of an answer too: tolerant here, strict in [`DossierIn`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DossierDocument {
    pub name: String,
    pub originals: u8,
    pub copies: u8,
}

/// A dossier as a counter sends it. Strict, its applicant and documents
/// included: personal data a typo would silently drop is refused instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DossierIn {
    pub procedure_code: String,
    pub procedure_name: String,
    #[serde(deserialize_with = "strict::applicant")]
    pub applicant: Applicant,
    /// RFC 3339.
    pub received_at: String,
    /// Appointment to return the result, RFC 3339.
    pub due_at: String,
    /// National status code 1–10.
    pub status: u8,
    /// 1 in person, 2 online, 3 public postal service.
    pub channel: u8,
    #[serde(default, deserialize_with = "strict::documents")]
    pub documents: Vec<DossierDocument>,
    #[serde(default = "one")]
    pub sets: u8,
    /// Fees in đồng.
    #[serde(default)]
    pub fees: u64,
    #[serde(default)]
    pub notes: Option<String>,
    /// The receipt's lookup secret; stored hashed.
    #[serde(default)]
    pub lookup_secret: Option<String>,
    /// The principal, when the applicant files under an authorisation.
    #[serde(
        default,
        deserialize_with = "strict::principal",
        skip_serializing_if = "Option::is_none"
    )]
    pub principal: Option<Principal>,
    /// Where the result is collected.
    #[serde(default, skip_serializing_if = "Delivery::is_counter")]
    pub delivery: Delivery,
    /// The register book entry ("Quyển số 01/2026, số 0012"), when the
    /// office keeps one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub register: Option<String>,
    /// The id of the officer who took it in (the on-time share is
    /// reported per officer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub officer: Option<String>,
}

fn one() -> u8 {
    1
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct StatusChange {
    pub status: u8,
    pub at: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Dossier {
    pub code: String,
    pub office: String,
    #[serde(flatten)]
    pub data: DossierOut,
    pub history: Vec<StatusChange>,
    /// How it kept to its appointment, worked out by central from the
    /// history when asked (not stored): none while it is open and not yet
    /// due, or when it ended without a result (statuses 3, 7, 8).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeliness: Option<Timeliness>,
    /// The fee payments recorded with it, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub payments: Vec<Payment>,
}

/// The stored dossier without its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DossierOut {
    pub procedure_code: String,
    pub procedure_name: String,
    pub applicant: Applicant,
    pub received_at: String,
    pub due_at: String,
    pub status: u8,
    pub channel: u8,
    pub documents: Vec<DossierDocument>,
    pub sets: u8,
    pub fees: u64,
    pub notes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub principal: Option<Principal>,
    #[serde(default, skip_serializing_if = "Delivery::is_counter")]
    pub delivery: Delivery,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub register: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub officer: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusUpdate {
    pub status: u8,
    #[serde(default)]
    pub note: Option<String>,
}

/// Whether a dossier reached its result before its appointment's day, on
/// that day by its time, or after it ("trước hạn / đúng hạn / quá hạn");
/// an open dossier past its appointment is late already.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Timeliness {
    Early,
    OnTime,
    Late,
    /// A value a newer central gives that this build does not know.
    #[serde(other)]
    Other,
}

/// A fee payment as the officer records it (or its absence): `paid`
/// false asks the citizen to pay and puts the dossier in status 6.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentIn {
    /// In đồng, more than 0.
    pub amount: i64,
    pub paid: bool,
    /// `vietqr`, `cash`, `card` or `other`.
    pub method: String,
    /// The bank transfer's reference, or a receipt number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// When it was paid or asked for, RFC 3339.
    pub at: String,
}

/// A fee payment kept with a dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Payment {
    pub amount: i64,
    pub paid: bool,
    pub method: String,
    #[serde(default)]
    pub reference: Option<String>,
    pub at: String,
    /// When central recorded it.
    pub recorded_at: String,
}

/// An open dossier whose appointment falls by the end of the next working
/// day, with the new appointment central proposes for the apology form.
/// No personal data: what the office's counters see of any dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DueSoon {
    pub code: String,
    pub procedure_code: String,
    pub procedure_name: String,
    pub status: u8,
    /// The appointment, RFC 3339.
    pub due_at: String,
    /// Past its appointment already.
    pub overdue: bool,
    /// The new appointment proposed, RFC 3339.
    pub proposed_due_at: String,
    /// The id of the officer who took it in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub officer: Option<String>,
}

/// The office's dossiers due by the end of `until`'s day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DueSoonList {
    pub office: String,
    /// The next working day, `YYYY-MM-DD`: appointments on it or before.
    pub until: String,
    pub dossiers: Vec<DueSoon>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LookupRequest {
    pub code: String,
    pub secret: String,
}

/// What a citizen sees of a dossier: no personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct LookupAnswer {
    pub code: String,
    pub procedure_code: String,
    pub procedure_name: String,
    pub received_at: String,
    pub due_at: String,
    pub status: u8,
    pub history: Vec<StatusChange>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RatingIn {
    /// satisfied, neutral or unsatisfied.
    pub answer: String,
    /// RFC 3339.
    pub rated_at: String,
    /// The served ticket rated; a ticket is rated once.
    #[serde(default)]
    pub ticket_id: Option<i64>,
    /// Criteria found wanting or praised: staff, time, transparency, facilities.
    #[serde(default)]
    pub criteria: Vec<String>,
    /// A short comment.
    #[serde(default)]
    pub comment: Option<String>,
}

/// The criteria a citizen may tick when rating (SIPAS).
pub const CRITERIA: [&str; 4] = ["staff", "time", "transparency", "facilities"];

/// The office as a board shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct BoardState {
    pub office: String,
    pub notice: String,
    /// The latest called tickets, newest first.
    pub called: Vec<Ticket>,
    pub waiting: Vec<GroupWaiting>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewKey {
    /// The Ed25519 public key, 32 bytes as hex.
    pub public_key: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PublicKey {
    pub office: String,
    pub key_id: u16,
    pub public_key: String,
    /// When the key stopped signing (RFC 3339): its counter published a
    /// newer key or was revoked. A receipt it signed after this time is not
    /// valid. Absent while the key is in use (and from an older central).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retired_at: Option<String>,
    /// The counter (device id) the key belongs to. Absent from an older central.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DossierCode {
    pub code: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CallNumber {
    pub counter: String,
    /// The ticket as shown, e.g. `A-023`.
    pub number: String,
}

/// Where a ticket is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TicketStatus {
    Waiting,
    Called,
    /// Served.
    Done,
    /// Called, and the citizen did not come.
    NoShow,
    /// Cancelled before it was called.
    Void,
    /// A status a newer central gives that this build does not know.
    #[serde(other)]
    Other,
}

impl TicketStatus {
    /// As on the wire and in central's database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Waiting => "waiting",
            Self::Called => "called",
            Self::Done => "done",
            Self::NoShow => "no_show",
            Self::Void => "void",
            Self::Other => "other",
        }
    }

    /// The status of its wire name; an unknown name is [`Self::Other`].
    pub fn parse(s: &str) -> Self {
        [Self::Waiting, Self::Called, Self::Done, Self::NoShow, Self::Void]
            .into_iter()
            .find(|k| k.as_str() == s)
            .unwrap_or(Self::Other)
    }
}

impl std::fmt::Display for TicketStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What happened to a ticket, as the event stream names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    Issued,
    Called,
    Recalled,
    Skipped,
    Completed,
    Transferred,
    Voided,
    /// A kind a newer central sends that this build does not know: a
    /// client passes it by.
    #[serde(other)]
    Other,
}

impl EventKind {
    /// As on the wire: the JSON `kind` and the SSE `event:` name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Issued => "issued",
            Self::Called => "called",
            Self::Recalled => "recalled",
            Self::Skipped => "skipped",
            Self::Completed => "completed",
            Self::Transferred => "transferred",
            Self::Voided => "voided",
            Self::Other => "other",
        }
    }

    /// A call the hall hears: a first call or a recall.
    pub fn is_call(self) -> bool {
        matches!(self, Self::Called | Self::Recalled)
    }
}

impl std::fmt::Display for EventKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A word that names no queue event kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownKind(pub String);

impl std::fmt::Display for UnknownKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}` is not a queue event kind", self.0)
    }
}

impl std::error::Error for UnknownKind {}

impl std::str::FromStr for EventKind {
    type Err = UnknownKind;

    fn from_str(s: &str) -> Result<Self, UnknownKind> {
        [
            Self::Issued,
            Self::Called,
            Self::Recalled,
            Self::Skipped,
            Self::Completed,
            Self::Transferred,
            Self::Voided,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
        .ok_or_else(|| UnknownKind(s.to_string()))
    }
}

/// What a device does to a ticket; each is told on the event stream as
/// its [`EventKind`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TicketAction {
    /// A kiosk issues it (online, or offline and sent later).
    Issue,
    /// A counter calls it: the next in turn, or one by its number.
    Call,
    /// A counter calls it again.
    Recall,
    /// The citizen did not come.
    Skip,
    /// Served.
    Complete,
    /// Put back in another group's queue or one counter's.
    Transfer,
    /// Cancelled by the kiosk that asked for it.
    Void,
}

impl TicketAction {
    /// The event the stream sends when this action changed a ticket.
    pub fn event(self) -> EventKind {
        match self {
            Self::Issue => EventKind::Issued,
            Self::Call => EventKind::Called,
            Self::Recall => EventKind::Recalled,
            Self::Skip => EventKind::Skipped,
            Self::Complete => EventKind::Completed,
            Self::Transfer => EventKind::Transferred,
            Self::Void => EventKind::Voided,
        }
    }
}

/// The strict reading of request parts that answers share: a request
/// refuses what it does not know, so a client's typo in personal data is
/// an error rather than data silently dropped; an answer carrying the same
/// shape stays tolerant.
pub mod strict {
    use serde::{Deserialize, Deserializer};

    use super::{Applicant, DossierDocument, Principal};

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct StrictApplicant {
        name: String,
        id_number: String,
        kind: u8,
        phone: String,
        #[serde(default)]
        email: Option<String>,
        address: String,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct StrictDocument {
        name: String,
        originals: u8,
        copies: u8,
    }

    pub fn applicant<'de, D: Deserializer<'de>>(d: D) -> Result<Applicant, D::Error> {
        let a = StrictApplicant::deserialize(d)?;
        Ok(Applicant {
            name: a.name,
            id_number: a.id_number,
            kind: a.kind,
            phone: a.phone,
            email: a.email,
            address: a.address,
        })
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct StrictPrincipal {
        name: String,
        id_number: String,
        address: String,
        phone: String,
        #[serde(default)]
        email: Option<String>,
        authorisation: String,
    }

    pub fn principal<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Principal>, D::Error> {
        Ok(Option::<StrictPrincipal>::deserialize(d)?.map(|p| Principal {
            name: p.name,
            id_number: p.id_number,
            address: p.address,
            phone: p.phone,
            email: p.email,
            authorisation: p.authorisation,
        }))
    }

    pub fn documents<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<DossierDocument>, D::Error> {
        Ok(Vec::<StrictDocument>::deserialize(d)?
            .into_iter()
            .map(|x| DossierDocument {
                name: x.name,
                originals: x.originals,
                copies: x.copies,
            })
            .collect())
    }
}

/// What `/v1/version` answers: the contract this central speaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ApiVersion {
    /// [`crate::VERSION`].
    pub api: u32,
}

impl Default for ApiVersion {
    fn default() -> Self {
        Self { api: crate::VERSION }
    }
}
