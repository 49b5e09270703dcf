//! What the officer sees.

use iced::widget::{column, container, pick_list, qr_code, row, scrollable, space, svg, text, text_input};
use iced::{Alignment, Element, Length, Padding};

use super::{Counter, FeeWay, Message, Panel, ReceiptView, Stage, VerifyView};
use crate::ui::style::{BOLD, Kind};
use crate::ui::widgets::label_button;
use motcua_core::time::local;

mod form;
mod proxy;
mod scan;

use super::scan::megabytes;

pub fn view(c: &Counter) -> Element<'_, Message> {
    let body = match &c.stage {
        Stage::SignIn { id, pin, error } => sign_in(c, id, pin, error.as_deref()),
        Stage::Desk { officer, panel } => desk(c, &officer.name, panel),
    };
    container(column![
        header(c),
        container(body).padding(c.look.l).height(Length::Fill)
    ])
    .width(Length::Fill)
    .height(Length::Fill)
    .style(c.look.page())
    .into()
}

fn header(c: &Counter) -> Element<'_, Message> {
    let l = &c.look;
    let id = &c.brand.identity;
    let now = local(c.now);
    let mut right = column![
        text(now.strftime("%H:%M  %d/%m/%Y").to_string())
            .size(l.body)
            .font(BOLD)
    ]
    .align_x(Alignment::End);
    if let Some(s) = &c.sync {
        let line = if s.online {
            c.t("sync-online")
        } else {
            let since = s
                .offline_since
                .map(|t| local(t).strftime("%H:%M").to_string())
                .unwrap_or_default();
            c.ta("sync-offline", &[("time", since.into()), ("count", s.pending.into())])
        };
        right = right.push(text(line).size(l.small));
    }
    let title = column![
        text(c.ta("counter-title", &[("number", c.settings.number.clone().into())]))
            .size(l.heading)
            .font(BOLD),
        text(format!("{} · {}", id.unit, id.office)).size(l.small),
    ];
    let mark = svg(svg::Handle::from_memory(c.brand.mark.to_vec()))
        .width(Length::Fixed(72.0))
        .height(Length::Fixed(72.0));
    let mut band = row![mark, title, space::horizontal(), right]
        .spacing(l.m)
        .align_y(Alignment::Center);
    if matches!(c.stage, Stage::Desk { .. }) {
        band = band.push(
            container(label_button(l, "sign-out", c.t("signout"), Message::SignOut, Kind::Nav))
                .width(Length::Fixed(220.0)),
        );
    }
    container(band)
        .padding(Padding::from([l.s, l.l]))
        .width(Length::Fill)
        .style(l.header())
        .into()
}

fn field<'a>(
    c: &Counter,
    id: &'static str,
    label: String,
    value: &str,
    on_input: impl Fn(String) -> Message + 'a,
) -> Element<'a, Message> {
    column![
        text(label).size(c.look.small),
        text_input("", value)
            .id(id)
            .on_input(on_input)
            .size(c.look.body)
            .padding(c.look.s),
    ]
    .spacing(4)
    .width(Length::Fill)
    .into()
}

fn sign_in<'a>(c: &'a Counter, id: &str, pin: &str, error: Option<&str>) -> Element<'a, Message> {
    let l = &c.look;
    let mut card = column![
        text(c.t("signin-title")).size(l.title).font(BOLD),
        field(c, "officer-id", c.t("signin-id"), id, Message::SignInId),
        column![
            text(c.t("signin-pin")).size(l.small),
            text_input("", pin)
                .id("officer-pin")
                .secure(true)
                .on_input(Message::SignInPin)
                .on_submit(Message::SignIn)
                .size(l.body)
                .padding(l.s),
        ]
        .spacing(4),
        label_button(l, "sign-in", c.t("signin-submit"), Message::SignIn, Kind::Primary),
    ]
    .spacing(l.m)
    .max_width(720.0);
    if let Some(e) = error {
        card = card.push(
            container(text(e.to_string()).size(l.body).font(BOLD))
                .padding(l.s)
                .width(Length::Fill)
                .style(l.badge(Kind::Nav)),
        );
    }
    if c.settings.demo_hint {
        card = card.push(text(c.t("signin-demo")).size(l.small).style(l.muted()));
    }
    container(container(card).padding(l.xl).max_width(820.0).style(l.card()))
        .center_x(Length::Fill)
        .center_y(Length::Fill)
        .into()
}

fn desk<'a>(c: &'a Counter, officer: &str, panel: &'a Panel) -> Element<'a, Message> {
    let l = &c.look;
    let tabs = row![
        label_button(
            l,
            "tab-intake",
            c.t("tab-intake"),
            Message::ShowIntake,
            if matches!(panel, Panel::Verify(_)) {
                Kind::Nav
            } else {
                Kind::Selected
            }
        ),
        label_button(
            l,
            "tab-verify",
            c.t("tab-verify"),
            Message::ShowVerify,
            if matches!(panel, Panel::Verify(_)) {
                Kind::Selected
            } else {
                Kind::Nav
            }
        ),
    ]
    .spacing(l.s);
    let work = match panel {
        Panel::Intake(f) => form::intake(c, f),
        Panel::Receipt(r) => receipt(c, r),
        Panel::Verify(v) => verify(c, v),
    };
    let work = column![
        tabs,
        container(work)
            .padding(l.m)
            .width(Length::Fill)
            .height(Length::Fill)
            .style(l.card())
    ]
    .spacing(l.m);
    row![
        container(queue(c, officer))
            .width(Length::Fixed(560.0))
            .height(Length::Fill),
        container(work).width(Length::Fill).height(Length::Fill),
    ]
    .spacing(l.l)
    .into()
}

fn queue<'a>(c: &'a Counter, officer: &str) -> Element<'a, Message> {
    let l = &c.look;
    let current: Element<'a, Message> = match &c.current {
        Some(t) => column![
            text(c.t("queue-current")).size(l.body),
            text(t.display.clone())
                .size(l.ticket_number * 0.6)
                .font(BOLD)
                .style(l.primary_text()),
        ]
        .align_x(Alignment::Center)
        .into(),
        None => text(c.t("queue-none")).size(l.body).into(),
    };
    let has = c.current.is_some();
    let small_input = |id: &'static str,
                       label: String,
                       placeholder: &str,
                       value: &str,
                       on_input: fn(String) -> Message,
                       on_submit: Message| {
        column![
            text(label).size(l.small),
            text_input(placeholder, value)
                .id(id)
                .on_input(on_input)
                .on_submit(on_submit)
                .size(l.body)
                .padding(l.s),
        ]
        .spacing(4)
        .width(Length::Fill)
    };
    let mut actions = column![label_button(
        l,
        "call-next",
        c.t("queue-call"),
        Message::CallNext,
        Kind::Primary
    )]
    .spacing(l.s);
    if has {
        actions = actions.push(
            row![
                label_button(l, "recall", c.t("queue-recall"), Message::Recall, Kind::Nav),
                label_button(l, "no-show", c.t("queue-skip"), Message::Skip, Kind::Nav),
                label_button(l, "complete", c.t("queue-complete"), Message::Complete, Kind::Accent),
            ]
            .spacing(l.s),
        );
    }
    let mut others = row![small_input(
        "call-number",
        c.t("queue-call-number"),
        "A-023",
        &c.call_number,
        Message::CallNumberInput,
        Message::CallNumber,
    )]
    .spacing(l.s);
    if has {
        others = others
            .push(
                column![
                    text(c.t("queue-transfer")).size(l.small),
                    container(
                        pick_list(
                            c.catalog.groups.iter().map(|g| g.letter.clone()).collect::<Vec<_>>(),
                            None::<String>,
                            Message::TransferTo
                        )
                        .text_size(l.body)
                        .padding(l.s)
                        .width(Length::Fill)
                    )
                    .id("transfer"),
                ]
                .spacing(4)
                .width(Length::Fill),
            )
            .push(small_input(
                "transfer-counter",
                c.t("queue-transfer-counter"),
                "",
                &c.transfer_counter,
                Message::TransferCounterInput,
                Message::TransferToCounter,
            ));
    }
    actions = actions.push(others);
    let mut waiting = column![text(c.t("queue-waiting")).size(l.body).font(BOLD)].spacing(4);
    if c.waiting.is_empty() {
        waiting = waiting.push(text(c.t("queue-empty")).size(l.body));
    }
    for w in &c.waiting {
        waiting = waiting.push(
            text(c.ta(
                "queue-waiting-line",
                &[
                    ("group", w.group.clone().into()),
                    ("normal", w.normal.into()),
                    ("priority", w.priority.into()),
                ],
            ))
            .size(l.body),
        );
    }
    let mut col = column![
        text(c.ta("counter-officer", &[("name", officer.to_string().into())])).size(l.body),
        text(c.ta("counter-groups", &[("groups", c.settings.groups.join(", ").into())]))
            .size(l.small)
            .style(l.muted()),
        container(current)
            .padding(l.m)
            .width(Length::Fill)
            .center_x(Length::Fill)
            .style(l.card()),
        actions,
        waiting,
    ]
    .spacing(l.m);
    if let Some(e) = &c.queue_error {
        col = col.push(text(e.clone()).size(l.body).font(BOLD));
    }
    scrollable(col).height(Length::Fill).into()
}

fn receipt<'a>(c: &'a Counter, r: &'a ReceiptView) -> Element<'a, Message> {
    let l = &c.look;
    let mut info = column![
        text(c.ta("receipt-done", &[("code", r.taken.code.clone().into())]))
            .size(l.heading)
            .font(BOLD),
        text(c.ta(
            "receipt-appointment",
            &[("date", r.taken.appointment.strftime("%d/%m/%Y").to_string().into())]
        ))
        .size(l.body),
        text(format!("{} · {}", r.taken.doc.applicant, r.taken.doc.request)).size(l.body),
    ]
    .spacing(l.s);
    if !r.taken.undigitised.is_empty() {
        info = info.push(
            container(
                text(c.ta("scan-not-kept", &[("items", r.taken.undigitised.join("; ").into())]))
                    .size(l.body)
                    .font(BOLD),
            )
            .padding(l.s)
            .width(Length::Fill)
            .style(l.badge(Kind::Nav)),
        );
    }
    match &r.print {
        Some(Ok(())) => info = info.push(text(c.t("receipt-printed")).size(l.body).font(BOLD)),
        Some(Err(e)) => {
            let reason = e.text(c.lang);
            info = info.push(
                text(c.ta("receipt-print-failed", &[("reason", reason.into())]))
                    .size(l.body)
                    .font(BOLD),
            );
        }
        None => {}
    }
    // The fee: its VietQR for the citizen's banking app, or why there is
    // none (the fee is then taken at the counter).
    let mut fee = row![].spacing(l.l);
    if let (Some(data), Some(f)) = (&r.fee_qr, &r.taken.doc.fee_qr) {
        let mut words = column![].spacing(l.xs);
        for (i, line) in f.caption().into_iter().enumerate() {
            let t = text(line).size(l.body);
            words = words.push(if i == 0 { t.font(BOLD) } else { t });
        }
        fee = fee
            .push(container(qr_code(data).cell_size(4.0)).id("fee-qr"))
            .push(words.width(Length::Fill));
    } else if let Some(problem) = &r.taken.fee_problem {
        fee = fee.push(
            container(text(c.ta("receipt-fee-no-qr", &[("reason", problem.text(c.lang).into())])).size(l.body))
                .padding(l.s)
                .width(Length::Fill)
                .style(l.badge(Kind::Nav)),
        );
    }
    // The officer records how the fee went: paid by the transfer, paid in
    // cash, or not yet (central holds the dossier at status 6).
    let mut paid = column![].spacing(l.s);
    if r.taken.fee > 0 {
        let way = |id: &'static str, w: FeeWay| {
            let kind = if matches!(r.payment, Some(Ok(done)) if done == w) {
                Kind::Selected
            } else {
                Kind::Nav
            };
            container(label_button(l, id, c.t(w.key()), Message::Fee(w), kind)).width(Length::Fill)
        };
        paid = paid.push(
            row![
                way("fee-vietqr", FeeWay::VietQr),
                way("fee-cash", FeeWay::Cash),
                way("fee-requested", FeeWay::Requested),
            ]
            .spacing(l.s),
        );
        match &r.payment {
            Some(Ok(w)) => {
                let said = c.ta("fee-recorded", &[("way", c.t(w.key()).into())]);
                paid = paid.push(text(said).size(l.body).font(BOLD));
            }
            Some(Err(reason)) => {
                paid = paid.push(text(c.ta("fee-record-failed", &[("reason", reason.clone().into())])).size(l.body));
            }
            None => {}
        }
    }
    column![
        row![
            info.width(Length::Fill),
            container(qr_code(&r.qr).cell_size(4.0)).id("receipt-qr")
        ]
        .spacing(l.l),
        fee,
        paid,
        space::vertical(),
        row![
            label_button(
                l,
                "print-receipt",
                c.t("receipt-print"),
                Message::PrintReceipt,
                Kind::Primary
            ),
            label_button(l, "new-intake", c.t("receipt-new"), Message::ShowIntake, Kind::Nav),
        ]
        .spacing(l.m),
    ]
    .spacing(l.m)
    .into()
}

fn verify<'a>(c: &'a Counter, v: &'a VerifyView) -> Element<'a, Message> {
    let l = &c.look;
    let input = column![
        text(c.t("verify-input")).size(l.small),
        text_input("MC1:…", &v.input)
            .id("receipt-scan")
            .on_input(Message::VerifyInput)
            .on_submit(Message::Verify)
            .size(l.body)
            .padding(l.s),
    ]
    .spacing(4);
    let mut col = column![input].spacing(l.m);
    match &v.result {
        Some(Ok(verified)) => {
            let p = &verified.payload;
            let procedure = c
                .catalog
                .procedure(&p.procedure)
                .map(|x| x.name.clone())
                .unwrap_or_else(|| p.procedure.clone());
            let mut history = column![text(c.t("verify-history")).size(l.body).font(BOLD)].spacing(4);
            for h in &v.history {
                let when =
                    h.at.parse::<jiff::Timestamp>()
                        .map(|t| local(t).strftime("%H:%M %d/%m/%Y").to_string())
                        .unwrap_or_default();
                history = history.push(
                    row![
                        text(when).size(l.body).width(Length::Fixed(240.0)),
                        text(c.t(&format!("status-{}", h.status))).size(l.body).font(BOLD),
                    ]
                    .spacing(l.s),
                );
            }
            let mut details = column![text(c.t("verify-valid")).size(l.heading).font(BOLD)].spacing(l.m);
            // Signed before its key was retired (its counter revoked or
            // given a new key): valid, and the officer sees at once which
            // key and when, on amber: a fact to note, not a fault.
            if let Some(note) = verified.retired_note(c.lang) {
                details = details.push(
                    container(text(note).size(l.body).font(BOLD))
                        .padding(l.s)
                        .width(Length::Fill)
                        .style(l.badge(Kind::Accent)),
                );
            }
            let details = details
                .push(text(c.ta("verify-code", &[("code", p.dossier_code.clone().into())])).size(l.body))
                .push(text(procedure).size(l.body))
                .push(
                    text(c.ta(
                        "verify-received",
                        &[("time", local(p.received).strftime("%H:%M %d/%m/%Y").to_string().into())],
                    ))
                    .size(l.body),
                )
                .push(
                    text(c.ta(
                        "receipt-appointment",
                        &[("date", p.appointment.strftime("%d/%m/%Y").to_string().into())],
                    ))
                    .size(l.body),
                )
                .push(history);
            // The details scroll, the return keeps its full height below
            // them; the forms of the set are on the right. A form being
            // drafted takes the details' place.
            let left = match super::forms::draft(c, v) {
                Some(draft) => draft,
                None if v.scan_desk.is_some() => scan::desk(c, v.scan_desk.as_ref().expect("just checked")),
                None if v.viewing.is_some() => scan::viewer(c, v.viewing.as_ref().expect("just checked")),
                None => {
                    let mut left = column![scrollable(details).height(Length::Fill)].spacing(l.m);
                    if v.returned {
                        left = left.push(text(c.t("verify-returned")).size(l.heading).font(BOLD));
                        if v.scan_lost {
                            left = left.push(text(c.t("scan-result-lost")).size(l.body).font(BOLD));
                        }
                    } else {
                        // The result may be scanned before it is handed
                        // over, and goes with the return.
                        let scan_label = match &v.result_scan {
                            Some(d) => c.ta("scan-result-attached", &[("pages", d.pages.len().into())]),
                            None => format!("{}: {}", c.t("scan-open"), c.t("scan-result-title")),
                        };
                        left = left.push(
                            row![
                                container(label_button(
                                    l,
                                    "scan-result",
                                    scan_label,
                                    Message::Scan(super::ScanMsg::Open(super::Target::Result)),
                                    Kind::Tile,
                                ))
                                .width(Length::FillPortion(1)),
                                container(label_button(
                                    l,
                                    "return-result",
                                    c.t("verify-return"),
                                    Message::ReturnResult,
                                    Kind::Primary,
                                ))
                                .width(Length::FillPortion(1)),
                            ]
                            .spacing(l.m),
                        );
                    }
                    left.into()
                }
            };
            col = col.push(
                row![
                    container(left).width(Length::FillPortion(3)),
                    column![super::forms::actions(c, v), scrollable(documents(c, v))]
                        .spacing(l.l)
                        .width(Length::FillPortion(2)),
                ]
                .spacing(l.l)
                .height(Length::Fill),
            );
        }
        Some(Err(e)) => {
            let reason = e.text(c.lang);
            col = col.push(
                container(
                    text(c.ta("verify-invalid", &[("reason", reason.into())]))
                        .size(l.body)
                        .font(BOLD),
                )
                .padding(l.m)
                .width(Length::Fill)
                .style(l.badge(Kind::Nav)),
            );
        }
        None => {}
    }
    if let Some(e) = &v.error {
        col = col.push(text(e.clone()).size(l.body).font(BOLD));
    }
    col.into()
}

/// The scanned dossier's documents: central's list, or this counter's.
fn documents<'a>(c: &'a Counter, v: &'a VerifyView) -> Element<'a, Message> {
    let l = &c.look;
    let mut col = column![text(c.t("documents-title")).size(l.body).font(BOLD)].spacing(4);
    match &v.documents {
        None => col = col.push(text(c.t("documents-loading")).size(l.small)),
        Some(Err(reason)) => {
            col = col.push(text(c.ta("documents-failed", &[("reason", reason.clone().into())])).size(l.body))
        }
        Some(Ok(list)) if list.is_empty() => col = col.push(text(c.t("documents-none")).size(l.body)),
        Some(Ok(list)) => {
            for d in list {
                let mut line = c.ta(
                    "documents-line",
                    &[
                        ("item", d.item.clone().into()),
                        ("pages", d.pages.into()),
                        ("size", megabytes(d.size).into()),
                    ],
                );
                if d.kind == motcua_api::documents::DocumentKind::Result {
                    line = format!("{line} {}", c.t("documents-result"));
                }
                let place = if d.complete {
                    c.t("documents-at-central")
                } else {
                    c.t("documents-waiting")
                };
                col = col.push(
                    row![
                        column![
                            text(format!("• {line}")).size(l.body),
                            text(place).size(l.small).style(l.muted()),
                        ]
                        .width(Length::Fill),
                        container(crate::ui::widgets::tap(
                            l,
                            format!("document-{}", &d.sha256[..8.min(d.sha256.len())]),
                            text(c.t("documents-view")).size(l.small).center().width(Length::Fill),
                            Message::ShowDocument(Some(d.sha256.clone())),
                            Kind::Nav,
                        ))
                        .width(Length::Fixed(140.0)),
                    ]
                    .spacing(l.s)
                    .align_y(Alignment::Center),
                );
            }
        }
    }
    col.into()
}
