//! A dossier's evaluation on the national criteria: one question at a
//! time, its answers as large choices (four levels, or a count for the
//! contacts and agencies), a way to skip a question or to send what is
//! answered and finish, then thanks. At a kiosk it follows a receipt's
//! lookup; at a counter's citizen display, the intake or the return of
//! the dossier (the criteria asked depend on which: [`Occasion::asked`]).

use iced::widget::{column, container, text};
use iced::{Element, Length};

use crate::store::StoreError;
use crate::ui::app::Kiosk;
use crate::ui::screen::Nav;
use crate::ui::speak::{Choice, Spoken};
use crate::ui::style::{BOLD, Kind};
use crate::ui::widgets::{label_button, nav, page, rows_of, title};
use motcua_api::evaluation::{Answer, COUNT_OR_MORE, Criterion, DossierAnswers, DossierRatingIn, Level, Occasion};

/// One dossier's evaluation under way.
#[derive(Debug, Clone, PartialEq)]
pub struct EvaluateView {
    pub code: String,
    pub occasion: Occasion,
    /// The question on show, an index into [`Occasion::asked`].
    pub step: usize,
    /// The answers so far, in the order of the questions.
    pub answers: Vec<(Criterion, Answer)>,
    pub saving: bool,
    pub saved: bool,
    pub failed: bool,
}

#[derive(Debug, Clone)]
pub enum Message {
    Answer(Answer),
    /// Leave this question unanswered.
    Skip,
    /// Send what is answered now.
    Finish,
    /// The evaluation was queued (or already was), or not.
    Evaluated(Result<bool, StoreError>),
    Nav(Nav),
}

impl From<Nav> for Message {
    fn from(nav: Nav) -> Self {
        Message::Nav(nav)
    }
}

pub enum Event {
    /// Queue this evaluation (its `rated_at` is set by the kiosk).
    Send(DossierRatingIn),
    Nav(Nav),
}

impl EvaluateView {
    pub fn new(code: String, occasion: Occasion) -> Self {
        Self {
            code,
            occasion,
            step: 0,
            answers: Vec::new(),
            saving: false,
            saved: false,
            failed: false,
        }
    }

    /// The questions asked, in order.
    pub fn questions(&self) -> &'static [Criterion] {
        self.occasion.asked()
    }

    /// The question on show.
    pub fn question(&self) -> Criterion {
        let q = self.questions();
        q[self.step.min(q.len() - 1)]
    }

    pub fn update(&mut self, message: Message) -> Option<Event> {
        if self.saved || self.saving {
            return match message {
                Message::Evaluated(result) => {
                    self.evaluated(result);
                    None
                }
                Message::Nav(nav) => Some(Event::Nav(nav)),
                _ => None,
            };
        }
        match message {
            Message::Answer(answer) => {
                let c = self.question();
                self.answers.retain(|(x, _)| *x != c);
                self.answers.push((c, answer));
                return self.next();
            }
            // The overall answer is the one the national count needs.
            Message::Skip if self.step > 0 => return self.next(),
            Message::Skip => {}
            Message::Finish => return self.send().map(Event::Send),
            Message::Evaluated(result) => self.evaluated(result),
            Message::Nav(nav) => return Some(Event::Nav(nav)),
        }
        None
    }

    /// On to the next question, or send after the last.
    fn next(&mut self) -> Option<Event> {
        if self.step + 1 < self.questions().len() {
            self.step += 1;
            None
        } else {
            self.send().map(Event::Send)
        }
    }

    /// Back to the question before; false on the first (the screen goes).
    pub fn back(&mut self) -> bool {
        if self.step > 0 && !self.saved && !self.saving {
            self.step -= 1;
            return true;
        }
        false
    }

    /// The answer to the question on show, if given.
    fn given(&self) -> Option<Answer> {
        let c = self.question();
        self.answers.iter().find(|(x, _)| *x == c).map(|(_, a)| *a)
    }

    /// The evaluation as it stands, when the overall answer is given.
    pub fn evaluation(&self) -> Option<DossierRatingIn> {
        let overall = self.answers.iter().find_map(|(c, a)| match (c, a) {
            (Criterion::Overall, Answer::Level(l)) => Some(*l),
            _ => None,
        })?;
        let mut answers = DossierAnswers::new(overall);
        for (c, a) in &self.answers {
            answers.set(*c, *a);
        }
        Some(DossierRatingIn {
            code: self.code.clone(),
            occasion: self.occasion,
            rated_at: String::new(),
            answers,
        })
    }

    /// What was answered and not yet sent, to be queued before the screen
    /// goes.
    pub fn unsent(&mut self) -> Option<DossierRatingIn> {
        if self.saved || self.saving {
            return None;
        }
        self.send()
    }

    fn send(&mut self) -> Option<DossierRatingIn> {
        let e = self.evaluation()?;
        self.saving = true;
        self.failed = false;
        Some(e)
    }

    fn evaluated(&mut self, result: Result<bool, StoreError>) {
        if self.saving {
            self.saving = false;
            self.saved = result.is_ok();
            self.failed = result.is_err();
        }
    }

    pub fn view<'a>(&'a self, k: &'a Kiosk) -> Element<'a, Message> {
        view(k, self)
    }
}

/// The choices of a question: (widget id, words, answer).
fn choices(k: &Kiosk, c: Criterion) -> Vec<(String, String, Answer)> {
    if c.counted() {
        let prefix = if c == Criterion::Agencies {
            "eval-agencies"
        } else {
            "eval-count"
        };
        (1..=COUNT_OR_MORE)
            .map(|n| {
                (
                    format!("eval-count-{n}"),
                    k.t(&format!("{prefix}-{n}")),
                    Answer::Count(n),
                )
            })
            .collect()
    } else {
        Level::ALL
            .iter()
            .map(|l| {
                (
                    format!("eval-{}", l.as_str()),
                    k.t(&format!("eval-level-{}", l.as_str())),
                    Answer::Level(*l),
                )
            })
            .collect()
    }
}

fn question_text(k: &Kiosk, c: Criterion) -> String {
    k.t(&format!("eval-q-{}", c.key()))
}

fn progress(k: &Kiosk, v: &EvaluateView) -> String {
    k.ta(
        "eval-progress",
        &[("n", (v.step + 1).into()), ("total", v.questions().len().into())],
    )
}

/// Words that open the first question: why it is asked, where.
fn opening(k: &Kiosk, v: &EvaluateView) -> Option<String> {
    if v.step > 0 {
        return None;
    }
    match v.occasion {
        Occasion::Intake => Some(k.t("eval-at-intake")),
        Occasion::Return => Some(k.t("eval-at-return")),
        Occasion::Kiosk => None,
    }
}

/// What the evaluation says and offers: the question, its choices (the
/// one chosen before said so), then skipping and finishing.
pub fn spoken(k: &Kiosk, v: &EvaluateView) -> Spoken {
    let one = |id: &str, label: String| vec![Choice { id: id.into(), label }];
    if v.saved {
        return Spoken {
            title: k.t("eval-thanks"),
            hint: k.t("eval-thanks-hint"),
            rows: vec![one("eval-done", k.t("home"))],
            ..Spoken::default()
        };
    }
    let c = v.question();
    let given = v.given();
    let mut rows: Vec<Vec<Choice>> = choices(k, c)
        .into_iter()
        .map(|(id, words, answer)| {
            let label = if given == Some(answer) {
                format!("{words}, {}", k.t("speak-chosen"))
            } else {
                words
            };
            one(&id, label)
        })
        .collect();
    rows.push(
        footer_ids(k, v)
            .into_iter()
            .map(|(id, label)| Choice { id, label })
            .collect(),
    );
    // At a counter's display: the way to leave instead of back and home.
    if k.counter_display.is_some() {
        rows.push(one("rate-skip", k.t("rate-skip")));
    }
    let hint = [
        opening(k, v),
        Some(progress(k, v)),
        Some(k.ta("lookup-dossier", &[("code", v.code.clone().into())])),
        Some(question_text(k, c)),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(". ");
    Spoken {
        title: k.t("eval-title"),
        how: if v.step == 0 { k.t("eval-how") } else { String::new() },
        hint,
        rows,
        ..Spoken::default()
    }
}

/// Skip (not on the first question) and finish (once the overall answer
/// is given), as they show under the choices.
fn footer_ids(k: &Kiosk, v: &EvaluateView) -> Vec<(String, String)> {
    let mut ids = Vec::new();
    if v.step > 0 {
        ids.push(("eval-skip".to_string(), k.t("eval-skip")));
    }
    if v.evaluation().is_some() {
        ids.push(("eval-finish".to_string(), k.t("eval-finish")));
    }
    ids
}

fn view<'a>(k: &'a Kiosk, v: &'a EvaluateView) -> Element<'a, Message> {
    let l = &k.look;
    // At a counter there is no walk to go back in: only a way to skip.
    let footer = || -> Option<Element<'a, Message>> {
        Some(match k.counter_display {
            None => nav(k),
            Some(_) => label_button(l, "rate-skip", k.t("rate-skip"), Message::Nav(Nav::Home), Kind::Nav),
        })
    };
    if v.saved {
        let body = column![
            title(k, k.t("eval-thanks")),
            text(k.t("eval-thanks-hint")).size(l.body),
            label_button(l, "eval-done", k.t("home"), Message::Nav(Nav::Home), Kind::Primary),
        ]
        .spacing(l.l);
        return page(k, container(body).center_y(Length::Fill), None);
    }
    let c = v.question();
    let given = v.given();
    let mut head = column![].spacing(l.s);
    if let Some(words) = opening(k, v) {
        head = head.push(text(words).size(l.body));
    }
    head = head.push(
        text(format!(
            "{} · {}",
            progress(k, v),
            k.ta("lookup-dossier", &[("code", v.code.clone().into())])
        ))
        .size(l.small)
        .style(l.muted()),
    );
    let buttons: Vec<Element<'a, Message>> = choices(k, c)
        .into_iter()
        .map(|(id, words, answer)| {
            let kind = if given == Some(answer) {
                Kind::Selected
            } else {
                Kind::Tile
            };
            label_button(l, id, words, Message::Answer(answer), kind)
        })
        .collect();
    // Portrait: one answer a row, the whole width; landscape: two by two.
    let answers = rows_of(l, buttons, if k.portrait() { 1 } else { 2 });
    let mut actions: Vec<Element<'a, Message>> = Vec::new();
    for (id, words) in footer_ids(k, v) {
        let (message, kind) = if id == "eval-skip" {
            (Message::Skip, Kind::Nav)
        } else {
            (Message::Finish, Kind::Primary)
        };
        let words = if v.saving && id == "eval-finish" {
            k.t("eval-sending")
        } else {
            words
        };
        actions.push(label_button(l, id, words, message, kind));
    }
    // With larger text on a landscape screen the question is the heading:
    // the page's title would push the answers out of sight.
    let mut body = column![].spacing(l.l);
    if l.scale == 1.0 || k.portrait() {
        body = body.push(title(k, k.t("eval-title")));
    }
    body = body.extend([
        head.into(),
        text(question_text(k, c)).size(l.heading).font(BOLD).into(),
        answers,
        rows_of(l, actions, 2),
    ]);
    if v.failed {
        body = body.push(text(k.t("eval-error")).size(l.body).font(BOLD));
    }
    page(k, body, footer())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn questions_go_one_at_a_time_and_the_overall_answer_is_needed_to_send() {
        let mut v = EvaluateView::new("X-261128-0001".into(), Occasion::Kiosk);
        assert!(
            v.update(Message::Skip).is_none(),
            "the overall answer cannot be skipped"
        );
        assert_eq!(v.step, 0);
        assert!(v.update(Message::Finish).is_none(), "nothing to send yet");
        v.update(Message::Answer(Answer::Level(Level::Satisfied)));
        assert_eq!((v.step, v.question()), (1, Criterion::Convenience));
        v.update(Message::Skip);
        assert_eq!(v.question(), Criterion::OnTime);
        assert!(v.back());
        assert_eq!(v.question(), Criterion::Convenience);
        for _ in 1..6 {
            v.update(Message::Skip);
        }
        assert_eq!(v.question(), Criterion::Contacts);
        v.update(Message::Answer(Answer::Count(COUNT_OR_MORE)));
        let Some(Event::Send(e)) = v.update(Message::Finish) else {
            panic!("finish sends");
        };
        assert_eq!(e.answers.overall, Level::Satisfied);
        assert_eq!((e.answers.contacts, e.answers.convenience), (Some(COUNT_OR_MORE), None));
        assert!(
            v.update(Message::Answer(Answer::Count(1))).is_none(),
            "sent: answers are closed"
        );
    }

    #[test]
    fn the_last_answer_sends() {
        let mut v = EvaluateView::new("X-261128-0001".into(), Occasion::Intake);
        let n = v.questions().len();
        for i in 0..n {
            let sent = v.update(Message::Answer(Answer::Level(Level::VerySatisfied)));
            assert_eq!(sent.is_some(), i + 1 == n);
        }
    }
}
