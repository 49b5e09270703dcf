//! Looking up a dossier: the receipt's QR under the kiosk's scanner, or
//! its code and lookup secret typed on the screen; the answer in plain
//! words, with no personal data.

use iced::widget::{column, container, row, scrollable, text, text_input};
use iced::{Element, Length, Padding};

use crate::ui::app::Kiosk;
use crate::ui::screen::Nav;
use crate::ui::screen::keyboard::{self, Key};
use crate::ui::style::{BOLD, Kind};
use crate::ui::widgets::{label_button, nav, page_fitted, tap, title};
use motcua_api::model::LookupAnswer;
use motcua_core::time::local;

/// The citizen's lookup of a dossier: by scanning the receipt, or by
/// typing its code and lookup secret.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LookupView {
    pub code: String,
    pub secret: String,
    /// Which of the two the keyboard types into.
    pub typing_secret: bool,
    /// What the receipt scanner typed.
    pub scan: String,
    pub busy: bool,
    pub result: Option<Result<LookupAnswer, LookupError>>,
}

/// Why a lookup found nothing to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LookupError {
    /// No dossier with this code and secret.
    NotFound,
    /// Central is out of reach.
    Offline,
    /// The scanned text is not a receipt.
    NotAReceipt,
    /// The typed code is not a dossier code of either layout (2018 or
    /// 2025): no need to ask central.
    NotACode,
}

impl LookupError {
    /// The message's id.
    fn key(&self) -> &'static str {
        match self {
            LookupError::NotFound => "lookup-not-found",
            LookupError::Offline => "lookup-offline",
            LookupError::NotAReceipt => "lookup-not-receipt",
            LookupError::NotACode => "lookup-not-a-code",
        }
    }
}

/// The widget the receipt scanner types into.
pub const SCAN_FIELD: &str = "lookup-scan";

#[derive(Debug, Clone)]
pub enum Message {
    /// Type into the secret (true) or the code (false).
    Field(bool),
    Key(Key),
    /// What the scanner typed so far.
    Scan(String),
    /// The scanner's Enter.
    Scanned,
    Go,
    LookedUp(Result<LookupAnswer, LookupError>),
    /// Rate the dossier found.
    Evaluate,
    Nav(Nav),
}

impl From<Nav> for Message {
    fn from(nav: Nav) -> Self {
        Message::Nav(nav)
    }
}

pub enum Event {
    /// Ask central about this dossier code and lookup secret.
    Lookup {
        code: String,
        secret: String,
    },
    /// Rate this dossier (central found it by its code and secret).
    Evaluate(String),
    Nav(Nav),
}

impl LookupView {
    pub fn update(&mut self, message: Message) -> Option<Event> {
        match message {
            Message::Field(secret) => self.typing_secret = secret,
            Message::Key(key) => {
                let field = if self.typing_secret {
                    &mut self.secret
                } else {
                    &mut self.code
                };
                // Codes and secrets have no spaces, and no marks.
                let key = key.plain();
                if !matches!(key, Key::Space | Key::Tone(_)) {
                    key.apply(field);
                }
                self.result = None;
            }
            Message::Scan(text) => self.scan = text.chars().take(400).collect(),
            Message::Scanned => return self.scanned(),
            Message::Go => return self.go(),
            Message::LookedUp(result) => {
                self.busy = false;
                self.result = Some(result);
            }
            Message::Evaluate => {
                if let Some(Ok(a)) = &self.result {
                    return Some(Event::Evaluate(a.code.clone()));
                }
            }
            Message::Nav(nav) => return Some(Event::Nav(nav)),
        }
        None
    }

    /// The scanner finished a receipt: take its code and secret, and look up.
    fn scanned(&mut self) -> Option<Event> {
        let text = std::mem::take(&mut self.scan);
        match crate::receipt::decode_unverified(&text) {
            Ok(p) => {
                self.code = p.dossier_code;
                self.secret = crate::receipt::secret_text(&p.secret);
                self.go()
            }
            Err(_) => {
                self.result = Some(Err(LookupError::NotAReceipt));
                None
            }
        }
    }

    fn go(&mut self) -> Option<Event> {
        if self.busy || self.code.trim().is_empty() || self.secret.trim().is_empty() {
            return None;
        }
        if motcua_core::dossier::parse_code(&self.code).is_err() {
            self.result = Some(Err(LookupError::NotACode));
            return None;
        }
        self.busy = true;
        self.result = None;
        Some(Event::Lookup {
            code: self.code.trim().to_string(),
            secret: self.secret.trim().to_uppercase(),
        })
    }

    pub fn view<'a>(&'a self, k: &'a Kiosk) -> Element<'a, Message> {
        view(k, self)
    }
}

fn entry<'a>(
    k: &Kiosk,
    id: &'static str,
    label: String,
    value: &str,
    active: bool,
    secret: bool,
) -> Element<'a, Message> {
    let shown = if value.is_empty() {
        " ".to_string()
    } else {
        value.to_string()
    };
    let content = column![
        text(label).size(k.look.small),
        text(if active { format!("{shown}|") } else { shown })
            .size(k.look.button)
            .font(BOLD),
    ]
    .spacing(2);
    tap(
        &k.look,
        id,
        content,
        Message::Field(secret),
        if active { Kind::Selected } else { Kind::Tile },
    )
}

/// What the lookup screen says: how to look up, what is being typed (the
/// lookup code only into a headset: [`crate::ui::speak::Spoken::personal`])
/// and the answer: the dossier's status, code and appointment.
pub fn spoken(k: &Kiosk, v: &LookupView) -> String {
    if v.busy {
        return k.t("lookup-busy");
    }
    match &v.result {
        Some(Ok(a)) => {
            let due = a
                .due_at
                .parse::<jiff::Timestamp>()
                .map(|t| local(t).strftime("%d/%m/%Y").to_string())
                .unwrap_or_default();
            [
                status_line(k, a.status),
                k.ta("lookup-dossier", &[("code", a.code.clone().into())]),
                k.ta("receipt-appointment", &[("date", due.into())]),
            ]
            .join(". ")
        }
        Some(Err(e)) => k.t(e.key()),
        None => {
            let (label, value) = if v.typing_secret {
                (k.t("lookup-secret"), &v.secret)
            } else {
                (k.t("lookup-code"), &v.code)
            };
            format!("{label}: {value}")
        }
    }
}

/// A plain sentence for each national status code.
fn status_line(k: &Kiosk, status: u8) -> String {
    k.t(&format!("lookup-status-{}", status.clamp(1, 10)))
}

fn view<'a>(k: &'a Kiosk, v: &'a LookupView) -> Element<'a, Message> {
    let l = &k.look;
    // The kiosk's receipt scanner types here, then Enter.
    let scan = text_input(&k.t("lookup-scan-hint"), &v.scan)
        .id(SCAN_FIELD)
        .on_input(Message::Scan)
        .on_submit(Message::Scanned)
        .size(l.body)
        .padding(l.s);
    let fields = row![
        entry(k, "lookup-code", k.t("lookup-code"), &v.code, !v.typing_secret, false),
        entry(
            k,
            "lookup-secret",
            k.t("lookup-secret"),
            &v.secret,
            v.typing_secret,
            true
        ),
    ]
    .spacing(l.m);

    let mut answer = column![].spacing(l.s);
    if v.busy {
        answer = answer.push(text(k.t("lookup-busy")).size(l.body));
    }
    match &v.result {
        Some(Ok(a)) => {
            let procedure = k
                .catalog
                .procedure(&a.procedure_code)
                .map(|p| p.name.clone())
                .unwrap_or(a.procedure_name.clone());
            let due = a
                .due_at
                .parse::<jiff::Timestamp>()
                .map(|t| local(t).strftime("%d/%m/%Y").to_string())
                .unwrap_or_default();
            answer = answer
                .push(
                    text(status_line(k, a.status))
                        .size(l.heading)
                        .font(BOLD)
                        .style(l.primary_text()),
                )
                .push(label_button(
                    l,
                    "lookup-evaluate",
                    k.t("eval-open"),
                    Message::Evaluate,
                    Kind::Primary,
                ))
                .push(text(k.ta("lookup-dossier", &[("code", a.code.clone().into())])).size(l.body))
                .push(text(procedure).size(l.body))
                .push(
                    text(k.ta("receipt-appointment", &[("date", due.into())]))
                        .size(l.body)
                        .font(BOLD),
                )
                .push(text(k.t("verify-history")).size(l.body).font(BOLD));
            for h in &a.history {
                let when =
                    h.at.parse::<jiff::Timestamp>()
                        .map(|t| local(t).strftime("%H:%M %d/%m/%Y").to_string())
                        .unwrap_or_default();
                answer = answer.push(
                    row![
                        text(when).size(l.body).width(Length::Fixed(260.0)),
                        text(k.t(&format!("status-{}", h.status))).size(l.body)
                    ]
                    .spacing(l.s),
                );
            }
        }
        Some(Err(e)) => {
            answer = answer.push(
                container(text(k.t(e.key())).size(l.body).font(BOLD))
                    .padding(l.m)
                    .width(Length::Fill)
                    .style(l.badge(Kind::Nav)),
            );
        }
        None => {}
    }

    let answer = scrollable(container(answer).padding(Padding::from([0.0, l.s]))).height(Length::Fill);
    let go = label_button(l, "lookup-go", k.t("lookup-go"), Message::Go, Kind::Primary);
    let keys = keyboard::view_of(k, &keyboard::CODES, false, Message::Key);
    let body: Element<'a, Message> = if k.portrait() {
        column![
            title(k, k.t("lookup-title")),
            text(k.t("lookup-how")).size(l.body),
            scan,
            fields,
            go,
            answer,
            keys
        ]
        .spacing(l.m)
        .into()
    } else {
        row![
            column![
                title(k, k.t("lookup-title")),
                text(k.t("lookup-how")).size(l.body),
                scan,
                answer
            ]
            .spacing(l.m)
            .width(Length::FillPortion(1)),
            column![fields, go, keys].spacing(l.m).width(Length::FillPortion(1)),
        ]
        .spacing(l.l)
        .into()
    };
    page_fitted(k, body, Some(nav(k)))
}
