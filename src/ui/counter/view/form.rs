//! The intake form as the officer sees it: the procedure, the citizen's
//! details (or a card scan), the documents handed in, and what to fix.

use iced::widget::{checkbox, column, container, pick_list, row, scrollable, text, text_input};
use iced::{Alignment, Element, Length, Padding};

use super::super::intake::{CardField, Edit, Problem};
use super::super::{Counter, Message, ScanMsg, Target};
use super::field;
use crate::ui::style::{BOLD, Kind};
use crate::ui::widgets::{label_button, tap};
use motcua_core::citizen::CardKind;

fn problem_text(c: &Counter, p: &Problem) -> String {
    match p {
        Problem::NoProcedure => c.t("intake-choose-procedure"),
        Problem::Required(key) => c.ta("intake-required", &[("field", c.t(key).into())]),
        Problem::Citizen(e) => e.text(c.lang),
        Problem::BirthDate => c.t("intake-invalid-date"),
        Problem::Email => c.t("intake-invalid-email"),
        Problem::Sets => c.t("intake-invalid-sets"),
        Problem::NoDocuments => c.t("intake-no-documents"),
        Problem::Unconfirmed(field) => c.ta("intake-unconfirmed", &[("field", c.t(field.label()).into())]),
        Problem::Principal(e) => c.ta("intake-principal-problem", &[("reason", e.text(c.lang).into())]),
    }
}

/// A field the card's QR can fill. When the reader only guessed its value
/// (the card's layout unknown), the label says so and a button beside the
/// value keeps it once the officer has looked at the card.
fn card_field<'a>(
    c: &'a Counter,
    f: &super::super::Form,
    which: CardField,
    id: &'static str,
    value: &str,
    on_input: impl Fn(String) -> Message + 'a,
) -> Element<'a, Message> {
    if !f.to_check.contains(&which) {
        return field(c, id, c.t(which.label()), value, on_input);
    }
    let l = &c.look;
    column![
        row![
            text(c.t(which.label())).size(l.small),
            text(c.t("intake-check"))
                .size(l.small)
                .font(BOLD)
                .style(l.primary_text()),
        ]
        .spacing(l.xs),
        row![
            text_input("", value)
                .id(id)
                .on_input(on_input)
                .size(l.body)
                .padding(l.s),
            container(label_button(
                l,
                format!("confirm-{id}"),
                c.t("intake-confirm"),
                Message::Form(Edit::Confirm(which)),
                Kind::Nav,
            ))
            .width(Length::Shrink),
        ]
        .spacing(l.xs)
        .align_y(iced::Alignment::Center),
    ]
    .spacing(4)
    .width(Length::Fill)
    .into()
}

pub(super) fn intake<'a>(c: &'a Counter, f: &'a super::super::Form) -> Element<'a, Message> {
    let l = &c.look;
    // Scanning an item takes the form's place until it is done.
    if let Some(d) = &f.scan_desk {
        return super::scan::desk(c, d);
    }
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
        text(c.t("intake-scan-sides")).size(l.small).font(BOLD),
        text_input("", &f.scan)
            .id("cccd-scan")
            .on_input(|v| Message::Form(Edit::Scan(v)))
            .on_submit(Message::Form(Edit::ScanDone))
            .size(l.body)
            .padding(l.s),
    ]
    .spacing(4);
    let applicant = column![
        card_field(c, f, CardField::Name, "name", &f.name, |v| Message::Form(Edit::Name(v))),
        row![
            card_field(c, f, CardField::Id, "id-number", &f.id_number, |v| Message::Form(
                Edit::Id(v)
            )),
            card_field(c, f, CardField::Birth, "birth", &f.birth, |v| Message::Form(
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
        card_field(c, f, CardField::Address, "address", &f.address, |v| Message::Form(
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
            // Each item is scanned on its own; digitised, it says so with
            // its pages and size, and can be opened again or dropped.
            let scanned = f.scans.get(i).and_then(Option::as_ref);
            let (said, actions) = match scanned {
                Some(s) => (
                    text(c.ta(
                        "scan-digitised",
                        &[
                            ("pages", s.pages.len().into()),
                            ("size", super::megabytes(s.pdf.bytes.len() as u64).into()),
                        ],
                    ))
                    .size(l.small)
                    .font(BOLD),
                    row![
                        tap(
                            l,
                            format!("doc-{i}-scan"),
                            text(c.t("scan-edit")).size(l.small).center().width(Length::Fill),
                            Message::Scan(ScanMsg::Open(Target::Item(i))),
                            Kind::Nav
                        ),
                        tap(
                            l,
                            format!("doc-{i}-discard"),
                            text(c.t("scan-discard")).size(l.small).center().width(Length::Fill),
                            Message::Scan(ScanMsg::Discard(Target::Item(i))),
                            Kind::Nav
                        ),
                    ]
                    .spacing(l.xs)
                    .width(Length::Fixed(360.0)),
                ),
                None => (
                    text(c.t("scan-not-digitised")).size(l.small).style(l.muted()),
                    row![tap(
                        l,
                        format!("doc-{i}-scan"),
                        text(c.t("scan-open"))
                            .size(l.body)
                            .font(BOLD)
                            .center()
                            .width(Length::Fill),
                        Message::Scan(ScanMsg::Open(Target::Item(i))),
                        Kind::Tile
                    )]
                    .width(Length::Fixed(160.0)),
                ),
            };
            let check = checkbox(*on)
                .label(label)
                .on_toggle(move |v| Message::Form(Edit::Document(i, v)))
                .size(32)
                .text_size(l.body);
            // Not yet scanned: the button beside the item. Digitised: what
            // there is, and what can be done, on a line under it.
            let item: Element<'_, Message> = match scanned {
                None => column![
                    row![container(check).width(Length::Fill), actions]
                        .spacing(l.s)
                        .align_y(Alignment::Center),
                    container(said).padding(Padding::from([0.0, 44.0])),
                ]
                .spacing(2)
                .into(),
                Some(_) => column![
                    check,
                    column![said, actions].spacing(l.xs).padding(Padding::ZERO.left(44.0)),
                ]
                .spacing(l.xs)
                .into(),
            };
            docs = docs.push(
                container(item)
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
        Some(Ok(card)) => {
            let said = match card {
                CardKind::Unknown => c.t("intake-scanned-unknown"),
                card => c.ta("intake-scanned", &[("card", card.text(c.lang).into())]),
            };
            status = status.push(text(said).size(l.body));
            if !f.to_check.is_empty() {
                let fields: Vec<String> = f.to_check.iter().map(|w| c.t(w.label())).collect();
                let said = c.ta("intake-scan-guessed", &[("fields", fields.join(", ").into())]);
                status = status.push(text(said).size(l.body).font(BOLD));
            }
            if !f.unrecognised.is_empty() {
                status = status.push(text(c.t("intake-scan-unrecognised")).size(l.body));
                for u in &f.unrecognised {
                    status = status.push(text(format!("• {}", u.text(c.lang))).size(l.small));
                }
            }
        }
        Some(Err(e)) => {
            let reason = e.text(c.lang);
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
    // Refusing the dossier instead (form 03), at the foot of the form:
    // why, and the button; what became of it shows with the status.
    let refuse = column![
        field(
            c,
            "refusal-reason",
            c.t("intake-refusal-reason"),
            &f.refusal_reason,
            |v| { Message::Form(Edit::RefusalReason(v)) }
        ),
        label_button(l, "refuse", c.t("intake-refuse"), Message::Refuse, Kind::Nav),
    ]
    .spacing(l.s);
    if let Some(p) = &f.refused {
        status = status.push(text(p.said(c)).size(l.body).font(BOLD));
    }
    // Two columns: who and what on the left, the checklist and the
    // outcome on the right, so a whole dossier fits on one screen.
    row![
        scrollable(
            column![picker, scan, applicant, super::proxy::proxy(c, f), extra, refuse]
                .spacing(l.m)
                .padding(Padding::from([0.0, l.s]))
        )
        .width(Length::FillPortion(1))
        .height(Length::Fill),
        column![
            scrollable(docs.padding(Padding::ZERO.right(l.l))).height(Length::Fill),
            status,
            submit
        ]
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
