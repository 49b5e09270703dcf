//! Looking up a dossier: the receipt's QR under the kiosk's scanner, or
//! its code and lookup secret typed on the screen; the answer in plain
//! words, with no personal data.

use iced::widget::{column, container, row, scrollable, text, text_input};
use iced::{Element, Length, Padding};

use crate::ui::app::{Kiosk, LookupError, LookupView, Message};
use crate::ui::screen::keyboard;
use crate::ui::style::{BOLD, Kind};
use crate::ui::widgets::{label_button, nav, page, tap, title};
use motcua_core::time::local;

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
        Message::LookupField(secret),
        if active { Kind::Selected } else { Kind::Tile },
    )
}

/// A plain sentence for each national status code.
fn status_line(k: &Kiosk, status: u8) -> String {
    k.t(&format!("lookup-status-{}", status.clamp(1, 10)))
}

pub fn view<'a>(k: &'a Kiosk, v: &'a LookupView) -> Element<'a, Message> {
    let l = &k.look;
    // The kiosk's receipt scanner types here, then Enter.
    let scan = text_input(&k.t("lookup-scan-hint"), &v.scan)
        .id("lookup-scan")
        .on_input(Message::LookupScan)
        .on_submit(Message::LookupScanned)
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
            let key = match e {
                LookupError::NotFound => "lookup-not-found",
                LookupError::Offline => "lookup-offline",
                LookupError::NotAReceipt => "lookup-not-receipt",
            };
            answer = answer.push(
                container(text(k.t(key)).size(l.body).font(BOLD))
                    .padding(l.m)
                    .width(Length::Fill)
                    .style(l.badge(Kind::Nav)),
            );
        }
        None => {}
    }

    let answer = scrollable(container(answer).padding(Padding::from([0.0, l.s]))).height(Length::Fill);
    let go = label_button(l, "lookup-go", k.t("lookup-go"), Message::LookupGo, Kind::Primary);
    let keys = keyboard::view_of(k, &keyboard::CODES);
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
    page(k, body, Some(nav(k)))
}
