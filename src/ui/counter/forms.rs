//! Printing the other forms of the set from the counter: after a receipt
//! is scanned, the officer prints the process-control slip at once, or
//! opens a short draft (the reason; what is missing; the new appointment)
//! for a request to supplement, a notice of stopping or an apology. A form
//! that moves the dossier on queues that for central with it.

use std::path::PathBuf;

use iced::widget::{checkbox, column, container, row, text, text_input};
use iced::{Element, Length, Padding};

use super::intake::{clean, parse_date};
use super::{Counter, Message, Panel};
use crate::counter::{FormError, FormRequest};
use crate::ui::style::{BOLD, Kind};
use crate::ui::widgets::label_button;
use motcua_core::forms::FormKind;

/// A form being filled in on the verify panel.
#[derive(Debug, Clone)]
pub struct Draft {
    pub kind: FormKind,
    pub reason: String,
    /// Which of the procedure's documents are missing (a request to
    /// supplement).
    pub missing: Vec<bool>,
    /// Anything else missing, as typed.
    pub other: String,
    /// The new appointment, dd/mm/yyyy (an apology).
    pub new_due: String,
    /// Why the draft is not printable yet.
    pub problem: Option<String>,
}

/// One change to a draft.
#[derive(Debug, Clone)]
pub enum DraftEdit {
    Reason(String),
    Missing(usize, bool),
    Other(String),
    NewDue(String),
}

/// What became of the last form printed.
#[derive(Debug, Clone)]
pub enum Printed {
    Saved(PathBuf),
    Failed(String),
}

impl Printed {
    pub(super) fn of(result: Result<PathBuf, std::sync::Arc<FormError>>) -> Self {
        match result {
            Ok(path) => Printed::Saved(path),
            Err(e) => Printed::Failed(e.to_string()),
        }
    }

    /// What the officer reads of it: the file saved, or why not.
    pub(super) fn said(&self, c: &Counter) -> String {
        match self {
            Printed::Saved(path) => {
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().to_string())
                    .unwrap_or_default();
                c.ta("form-saved", &[("file", name.into())])
            }
            Printed::Failed(reason) => c.ta("form-failed", &[("reason", reason.clone().into())]),
        }
    }
}

impl Counter {
    /// The officer chose a form: the slip prints at once; the others open
    /// a draft. The new appointment is offered as the old one plus the
    /// procedure's processing time again, in working days.
    pub(super) fn open_form(&mut self, kind: FormKind) -> super::Job {
        if kind == FormKind::Control {
            return self.form_job(FormRequest::Control);
        }
        let catalog = self.catalog.clone();
        let desk = self.desk.clone();
        let Some(Panel::Verify(view)) = self.panel() else {
            return super::Job::None;
        };
        let Some(Ok(v)) = &view.result else {
            return super::Job::None;
        };
        // The open form's button again closes the draft.
        if view.draft.as_ref().is_some_and(|d| d.kind == kind) {
            view.draft = None;
            return super::Job::None;
        }
        let procedure = catalog.procedure(&v.payload.procedure);
        let documents = procedure.map(|p| p.documents.len()).unwrap_or(0);
        let days = procedure.map(|p| u32::from(p.processing_days).max(1)).unwrap_or(5);
        let proposed = desk.calendar.add_working_days(v.payload.appointment, days);
        view.draft = Some(Draft {
            kind,
            reason: String::new(),
            missing: vec![false; documents],
            other: String::new(),
            new_due: proposed.strftime("%d/%m/%Y").to_string(),
            problem: None,
        });
        view.printed = None;
        super::Job::None
    }

    pub(super) fn edit_draft(&mut self, edit: DraftEdit) {
        let Some(Panel::Verify(view)) = self.panel() else {
            return;
        };
        let Some(d) = &mut view.draft else { return };
        d.problem = None;
        match edit {
            DraftEdit::Reason(v) => d.reason = clean(v, 300),
            DraftEdit::Missing(i, on) => {
                if let Some(m) = d.missing.get_mut(i) {
                    *m = on;
                }
            }
            DraftEdit::Other(v) => d.other = clean(v, 200),
            DraftEdit::NewDue(v) => d.new_due = clean(v, 10),
        }
    }

    /// The draft as a request, or what it still lacks, said on the draft.
    pub(super) fn print_draft(&mut self) -> super::Job {
        let catalog = self.catalog.clone();
        let lang = self.lang;
        let i18n = self.i18n.clone();
        let Some(Panel::Verify(view)) = self.panel() else {
            return super::Job::None;
        };
        let (Some(d), Some(Ok(v))) = (&mut view.draft, &view.result) else {
            return super::Job::None;
        };
        let reason = d.reason.trim().to_string();
        let request = match d.kind {
            FormKind::Supplement => {
                let docs = catalog
                    .procedure(&v.payload.procedure)
                    .map(|p| p.documents.clone())
                    .unwrap_or_default();
                let mut missing: Vec<String> = docs
                    .iter()
                    .zip(&d.missing)
                    .filter(|(_, on)| **on)
                    .map(|(doc, _)| doc.name.clone())
                    .collect();
                if !d.other.trim().is_empty() {
                    missing.push(d.other.trim().to_string());
                }
                if missing.is_empty() {
                    d.problem = Some(i18n.t(lang, "form-need-missing"));
                    return super::Job::None;
                }
                FormRequest::Supplement { missing, reason }
            }
            FormKind::Stop => FormRequest::Stop { reason },
            FormKind::Apology => match parse_date(&d.new_due) {
                Some(new_due) if new_due > v.payload.appointment => FormRequest::Apology { reason, new_due },
                _ => {
                    d.problem = Some(i18n.t(lang, "form-need-date"));
                    return super::Job::None;
                }
            },
            FormKind::Control | FormKind::Receipt | FormKind::Refusal => return super::Job::None,
        };
        if reason_needed(&request) {
            d.problem = Some(i18n.t(lang, "form-need-reason"));
            return super::Job::None;
        }
        self.form_job(request)
    }

    fn form_job(&mut self, request: FormRequest) -> super::Job {
        let now = self.now;
        let officer = match &self.stage {
            super::Stage::Desk { officer, .. } => officer.clone(),
            super::Stage::SignIn { .. } => return super::Job::None,
        };
        let Some(Panel::Verify(view)) = self.panel() else {
            return super::Job::None;
        };
        let Some(Ok(v)) = &view.result else {
            return super::Job::None;
        };
        super::Job::Form {
            code: v.payload.dossier_code.clone(),
            qr_text: view.input.clone(),
            request: Box::new(request),
            officer,
            at: now,
        }
    }

    pub(super) fn form_printed(&mut self, result: Result<PathBuf, std::sync::Arc<FormError>>) {
        let Some(Panel::Verify(view)) = self.panel() else {
            return;
        };
        if result.is_ok() {
            view.draft = None;
        }
        view.printed = Some(Printed::of(result));
    }
}

fn reason_needed(request: &FormRequest) -> bool {
    match request {
        FormRequest::Supplement { reason, .. }
        | FormRequest::Stop { reason }
        | FormRequest::Apology { reason, .. }
        | FormRequest::Refusal { reason, .. } => reason.is_empty(),
        FormRequest::Control => false,
    }
}

/// The forms' buttons, what the open draft still lacks, its print button,
/// and the last outcome.
pub(super) fn actions<'a>(c: &'a Counter, v: &'a super::VerifyView) -> Element<'a, Message> {
    let l = &c.look;
    let button = |id: &'static str, key: &str, kind: FormKind| {
        let selected = v.draft.as_ref().is_some_and(|d| d.kind == kind);
        container(label_button(
            l,
            id,
            c.t(key),
            Message::OpenForm(kind),
            if selected { Kind::Selected } else { Kind::Nav },
        ))
        .width(Length::Fill)
    };
    let mut col = column![
        text(c.t("form-title")).size(l.body).font(BOLD),
        row![
            button("form-control", "form-control", FormKind::Control),
            button("form-supplement", "form-supplement", FormKind::Supplement),
        ]
        .spacing(l.s),
        row![
            button("form-stop", "form-stop", FormKind::Stop),
            button("form-apology", "form-apology", FormKind::Apology),
        ]
        .spacing(l.s),
    ]
    .spacing(l.s);
    if let Some(d) = &v.draft {
        if let Some(p) = &d.problem {
            col = col.push(text(format!("• {p}")).size(l.body).style(l.primary_text()));
        }
        col = col.push(label_button(
            l,
            "form-print",
            c.t("form-print"),
            Message::PrintForm,
            Kind::Primary,
        ));
    }
    if let Some(p) = &v.printed {
        col = col.push(text(p.said(c)).size(l.body).font(BOLD));
    }
    col.into()
}

/// The open draft, in the place of the dossier's details: its title, the
/// reason, and what else its form asks.
pub(super) fn draft<'a>(c: &'a Counter, v: &'a super::VerifyView) -> Option<Element<'a, Message>> {
    let l = &c.look;
    let d = v.draft.as_ref()?;
    let verified = v.result.as_ref().and_then(|r| r.as_ref().ok())?;
    let key = match d.kind {
        FormKind::Supplement => "form-supplement",
        FormKind::Stop => "form-stop",
        FormKind::Apology => "form-apology",
        _ => "form-control",
    };
    let mut draft = column![
        text(format!("{} · {}", c.t(key), verified.payload.dossier_code))
            .size(l.heading)
            .font(BOLD),
        // The reason first: every draft needs it.
        input(c, "form-reason", "form-reason", &d.reason, DraftEdit::Reason),
    ]
    .spacing(l.s);
    if d.kind == FormKind::Apology {
        draft = draft.push(input(c, "form-new-due", "form-new-due", &d.new_due, DraftEdit::NewDue));
    }
    if d.kind == FormKind::Supplement {
        draft = draft.push(text(c.t("form-missing")).size(l.small));
        let docs = c
            .catalog
            .procedure(&verified.payload.procedure)
            .map(|p| p.documents.as_slice())
            .unwrap_or_default();
        for (i, (doc, on)) in docs.iter().zip(&d.missing).enumerate() {
            draft = draft.push(
                container(
                    checkbox(*on)
                        .label(doc.name.clone())
                        .on_toggle(move |on| Message::Draft(DraftEdit::Missing(i, on)))
                        .size(28)
                        .text_size(l.body),
                )
                .id(format!("missing-{i}")),
            );
        }
        draft = draft.push(input(c, "form-other", "form-other", &d.other, DraftEdit::Other));
    }
    Some(
        iced::widget::scrollable(container(draft).padding(Padding::from([0.0, l.s])).width(Length::Fill))
            .height(Length::Fill)
            .into(),
    )
}

fn input<'a>(
    c: &Counter,
    id: &'static str,
    label: &str,
    value: &str,
    edit: impl Fn(String) -> DraftEdit + 'a,
) -> Element<'a, Message> {
    column![
        text(c.t(label)).size(c.look.small),
        text_input("", value)
            .id(id)
            .on_input(move |s| Message::Draft(edit(s)))
            .size(c.look.body)
            .padding(c.look.s),
    ]
    .spacing(4)
    .into()
}
