//! What the officer sees.

use iced::widget::{checkbox, column, container, pick_list, qr_code, row, scrollable, space, svg, text, text_input};
use iced::{Alignment, Element, Length, Padding};

use super::intake::{Edit, Problem};
use super::{Counter, Message, Panel, ReceiptView, Stage, VerifyView};
use crate::i18n::Lang;
use crate::ui::style::{BOLD, Kind};
use crate::ui::widgets::label_button;
use motcua_core::time::local;

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
        Panel::Intake(form) => intake(c, form),
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

fn problem_text(c: &Counter, p: &Problem) -> String {
    match p {
        Problem::NoProcedure => c.t("intake-choose-procedure"),
        Problem::Required(key) => c.ta("intake-required", &[("field", c.t(key).into())]),
        Problem::Citizen(e) => match c.lang {
            Lang::Vi => e.vi(),
            Lang::En => e.to_string(),
        },
        Problem::BirthDate => c.t("intake-invalid-date"),
        Problem::Email => c.t("intake-invalid-email"),
        Problem::Sets => c.t("intake-invalid-sets"),
        Problem::NoDocuments => c.t("intake-no-documents"),
    }
}

fn intake<'a>(c: &'a Counter, f: &'a super::Form) -> Element<'a, Message> {
    let l = &c.look;
    let groups = &c.settings.groups;
    let procedures: Vec<Choice> = c
        .catalog
        .procedures
        .iter()
        .filter(|p| groups.contains(&p.group))
        .map(|p| Choice(p.code.clone(), p.name.clone()))
        .collect();
    let selected = f.procedure.as_ref().map(|p| Choice(p.code.clone(), p.name.clone()));
    let picker = column![
        text(c.t("intake-procedure")).size(l.small),
        container(
            pick_list(procedures, selected, |ch: Choice| Message::Form(Edit::Procedure(ch.0)))
                .text_size(l.body)
                .padding(l.s)
                .width(Length::Fill)
        )
        .id("procedure"),
    ]
    .spacing(4);
    let scan = column![
        text(c.t("intake-scan")).size(l.small),
        text_input("", &f.scan)
            .id("cccd-scan")
            .on_input(|v| Message::Form(Edit::Scan(v)))
            .on_submit(Message::Form(Edit::ScanDone))
            .size(l.body)
            .padding(l.s),
    ]
    .spacing(4);
    let applicant = column![
        field(c, "name", c.t("intake-name"), &f.name, |v| Message::Form(Edit::Name(v))),
        row![
            field(c, "id-number", c.t("intake-id"), &f.id_number, |v| Message::Form(
                Edit::Id(v)
            )),
            field(c, "birth", c.t("intake-birth"), &f.birth, |v| Message::Form(
                Edit::Birth(v)
            )),
        ]
        .spacing(l.m),
        row![
            field(c, "phone", c.t("intake-phone"), &f.phone, |v| Message::Form(
                Edit::Phone(v)
            )),
            field(c, "email", c.t("intake-email"), &f.email, |v| Message::Form(
                Edit::Email(v)
            )),
        ]
        .spacing(l.m),
        field(c, "address", c.t("intake-address"), &f.address, |v| Message::Form(
            Edit::Address(v)
        )),
    ]
    .spacing(l.s);

    let mut docs = column![text(c.t("intake-documents")).size(l.body).font(BOLD)].spacing(l.xs);
    if let Some(p) = &f.procedure {
        for (i, (d, on)) in p.documents.iter().zip(&f.documents).enumerate() {
            let mut counts = Vec::new();
            if d.originals > 0 {
                counts.push(c.ta("doc-originals", &[("count", u32::from(d.originals).into())]));
            }
            if d.copies > 0 {
                counts.push(c.ta("doc-copies", &[("count", u32::from(d.copies).into())]));
            }
            let label = format!("{} ({})", d.name, counts.join(", "));
            docs = docs.push(
                container(
                    checkbox(*on)
                        .label(label)
                        .on_toggle(move |v| Message::Form(Edit::Document(i, v)))
                        .size(32)
                        .text_size(l.body),
                )
                .padding(Padding::from([l.s, 0.0]))
                .id(format!("doc-{i}")),
            );
        }
    }
    let extra = row![
        container(field(c, "sets", c.t("intake-sets"), &f.sets, |v| Message::Form(
            Edit::Sets(v)
        )))
        .width(Length::Fixed(220.0)),
        field(c, "notes", c.t("intake-notes"), &f.notes, |v| Message::Form(
            Edit::Notes(v)
        )),
    ]
    .spacing(l.m);

    let mut status = column![].spacing(4);
    if let Some(p) = &f.procedure {
        let due = c.desk.appointment(p, c.now);
        status = status.push(
            text(c.ta(
                "intake-appointment",
                &[("date", due.strftime("%d/%m/%Y").to_string().into())],
            ))
            .size(l.body)
            .font(BOLD),
        );
        status = status.push(text(format!("{}: {}", c.t("detail-fees"), crate::counter::fee_summary(p))).size(l.small));
        if !c.desk.calendar.covers(due) {
            // Beyond the holiday file only weekends are known.
            status = status
                .push(text(c.ta("intake-calendar-unknown", &[("year", due.year().to_string().into())])).size(l.body));
        }
    }
    match &f.scanned {
        Some(Ok(())) => status = status.push(text(c.t("intake-scanned")).size(l.body)),
        Some(Err(e)) => {
            let reason = match c.lang {
                Lang::Vi => e.vi(),
                Lang::En => e.to_string(),
            };
            status = status.push(
                text(c.ta("intake-scan-failed", &[("reason", reason.into())]))
                    .size(l.body)
                    .font(BOLD),
            );
        }
        None => {}
    }
    for p in &f.problems {
        status = status.push(
            text(format!("• {}", problem_text(c, p)))
                .size(l.body)
                .style(l.primary_text()),
        );
    }
    if let Some(reason) = &f.failure {
        status = status.push(
            text(c.ta("intake-failed", &[("reason", reason.clone().into())]))
                .size(l.body)
                .font(BOLD),
        );
    }
    let submit = if f.saving {
        Element::from(text(c.t("intake-saving")).size(l.body))
    } else {
        label_button(l, "take-in", c.t("intake-submit"), Message::TakeIn, Kind::Primary)
    };
    // Two columns: who and what on the left, the checklist and the
    // outcome on the right, so a whole dossier fits on one screen.
    row![
        scrollable(
            column![picker, scan, applicant, extra]
                .spacing(l.m)
                .padding(Padding::from([0.0, l.s]))
        )
        .width(Length::FillPortion(1))
        .height(Length::Fill),
        column![scrollable(docs).height(Length::Fill), status, submit,]
            .spacing(l.m)
            .width(Length::FillPortion(1)),
    ]
    .spacing(l.l)
    .into()
}

/// A procedure in the picker: code and name.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Choice(String, String);

impl std::fmt::Display for Choice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} · {}", self.0, self.1)
    }
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
    match &r.print {
        Some(Ok(())) => info = info.push(text(c.t("receipt-printed")).size(l.body).font(BOLD)),
        Some(Err(e)) => {
            let reason = match c.lang {
                Lang::Vi => e.vi(),
                Lang::En => e.to_string(),
            };
            info = info.push(
                text(c.ta("receipt-print-failed", &[("reason", reason.into())]))
                    .size(l.body)
                    .font(BOLD),
            );
        }
        None => {}
    }
    column![
        row![
            info.width(Length::Fill),
            container(qr_code(&r.qr).cell_size(5.0)).id("receipt-qr")
        ]
        .spacing(l.l),
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
        Some(Ok(p)) => {
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
            col = col
                .push(text(c.t("verify-valid")).size(l.heading).font(BOLD))
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
            col = col.push(space::vertical());
            if v.returned {
                col = col.push(text(c.t("verify-returned")).size(l.heading).font(BOLD));
            } else {
                col = col.push(label_button(
                    l,
                    "return-result",
                    c.t("verify-return"),
                    Message::ReturnResult,
                    Kind::Primary,
                ));
            }
        }
        Some(Err(e)) => {
            let reason = match c.lang {
                Lang::Vi => e.vi(),
                Lang::En => e.to_string(),
            };
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
