//! What each kiosk screen says and offers to a citizen who does not use
//! the touchscreen: its title, what can be done there, and its options in
//! the order the keypad walks them. Speech reads it; the keypad moves over
//! its options. One `match` over every screen: a new screen without its
//! words does not compile.

use motcua_core::idle::Phase;

use super::app::{Kiosk, Screen};
use super::screen::keyboard;
use crate::i18n::Lang;
use crate::store::Criterion;

/// One option a citizen can focus and press.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// The id of its button on the screen.
    pub id: String,
    /// What is said when it takes the focus.
    pub label: String,
}

/// What a screen says.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Spoken {
    pub title: String,
    /// How the screen is used, said once when it opens.
    pub how: String,
    /// What the citizen can do here, or what the screen now shows (the
    /// ticket, a lookup's answer, what is typed): said again when it changes.
    pub hint: String,
    /// The options, row by row: up and down move between rows, left and
    /// right along one.
    pub rows: Vec<Vec<Choice>>,
    /// The words hold something only the citizen should hear (a lookup
    /// code being typed): a headset only, never the hall's speaker.
    pub personal: bool,
}

impl Spoken {
    /// Where the option `id` is: (row, column).
    pub fn position(&self, id: &str) -> Option<(usize, usize)> {
        self.rows
            .iter()
            .enumerate()
            .find_map(|(r, row)| row.iter().position(|c| c.id == id).map(|c| (r, c)))
    }

    pub fn choice(&self, id: &str) -> Option<&Choice> {
        let (r, c) = self.position(id)?;
        Some(&self.rows[r][c])
    }

    pub fn first(&self) -> Option<&Choice> {
        self.rows.iter().flatten().next()
    }

    /// The option a key press moves to from `from` (the first one when
    /// nothing is in focus). Left and right run along the rows and on to
    /// the next or previous one; up and down keep the column as well as
    /// the shorter row allows; every move wraps around.
    pub fn step(&self, from: Option<&str>, to: Step) -> Option<&Choice> {
        let rows: Vec<&Vec<Choice>> = self.rows.iter().filter(|r| !r.is_empty()).collect();
        if rows.is_empty() {
            return None;
        }
        let Some((r, c)) = from.and_then(|id| {
            rows.iter()
                .enumerate()
                .find_map(|(r, row)| row.iter().position(|x| x.id == id).map(|c| (r, c)))
        }) else {
            return self.first();
        };
        let n = rows.len();
        let (r, c) = match to {
            Step::Next if c + 1 < rows[r].len() => (r, c + 1),
            Step::Next => ((r + 1) % n, 0),
            Step::Previous if c > 0 => (r, c - 1),
            Step::Previous => {
                let r = (r + n - 1) % n;
                (r, rows[r].len() - 1)
            }
            Step::Down => {
                let r = (r + 1) % n;
                (r, c.min(rows[r].len() - 1))
            }
            Step::Up => {
                let r = (r + n - 1) % n;
                (r, c.min(rows[r].len() - 1))
            }
        };
        Some(&rows[r][c])
    }
}

/// A move of the keypad's focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Up,
    Down,
    /// Right, or Tab.
    Next,
    /// Left, or Shift-Tab.
    Previous,
}

fn choice(id: impl Into<String>, label: impl Into<String>) -> Choice {
    Choice {
        id: id.into(),
        label: label.into(),
    }
}

impl Kiosk {
    /// What the screen on show says and offers.
    pub fn spoken(&self) -> Spoken {
        if let Phase::Warning { .. } = self.idle_phase {
            // Said once as the countdown starts, not at every second of it.
            return Spoken {
                title: self.t("idle-title"),
                hint: self.ta("idle-countdown", &[("seconds", self.idle_warning.as_secs().into())]),
                rows: vec![vec![choice("still-here", self.t("idle-continue"))]],
                ..Spoken::default()
            };
        }
        let mut s = match &self.screen {
            Screen::Welcome if self.counter_display.is_some() => Spoken {
                title: self.t("display-greeting"),
                hint: self.t("display-hint"),
                rows: self.settings_rows(),
                ..Spoken::default()
            },
            Screen::Welcome => Spoken {
                title: self.t("welcome-greeting"),
                hint: self.t("speak-welcome"),
                rows: vec![
                    vec![choice("take-ticket", self.t("action-ticket"))],
                    vec![choice("procedures", self.t("action-procedures"))],
                    vec![choice("lookup", self.t("action-lookup"))],
                    vec![choice("rate", self.t("action-rate"))],
                ]
                .into_iter()
                .chain(self.settings_rows())
                .collect(),
                ..Spoken::default()
            },
            Screen::Groups => {
                let mut rows: Vec<Vec<Choice>> = self
                    .catalog
                    .groups
                    .iter()
                    .map(|g| {
                        let name = match self.lang {
                            Lang::Vi => &g.name,
                            Lang::En => &g.name_en,
                        };
                        vec![choice(format!("group-{}", g.letter), format!("{}. {name}", g.letter))]
                    })
                    .collect();
                rows.push(vec![choice("find-procedure", self.t("groups-find-procedure"))]);
                Spoken {
                    title: self.t("groups-title"),
                    hint: self.t("groups-prompt"),
                    rows,
                    ..Spoken::default()
                }
            }
            Screen::Fields => {
                let mut rows = vec![vec![choice("open-search", self.t("search-open"))]];
                rows.extend(self.catalog.fields_in_use().iter().enumerate().map(|(i, (f, _))| {
                    let name = match self.lang {
                        Lang::Vi => &f.name,
                        Lang::En => &f.name_en,
                    };
                    vec![choice(format!("field-{i}"), name.clone())]
                }));
                Spoken {
                    title: self.t("fields-title"),
                    hint: self.t("fields-prompt"),
                    rows,
                    ..Spoken::default()
                }
            }
            Screen::Procedures { field } => {
                let name = self.catalog.field(field).map(|f| match self.lang {
                    Lang::Vi => f.name.clone(),
                    Lang::En => f.name_en.clone(),
                });
                let rows: Vec<Vec<Choice>> = self
                    .catalog
                    .procedures_of(field)
                    .enumerate()
                    .map(|(i, p)| vec![choice(format!("item-{i}"), self.procedure_name(p))])
                    .collect();
                Spoken {
                    title: name.unwrap_or_else(|| self.t("fields-title")),
                    hint: self.ta("procedures-count", &[("count", rows.len().into())]),
                    rows,
                    ..Spoken::default()
                }
            }
            Screen::Search(s) => {
                let mut rows = keyboard_rows(self, &keyboard::LETTERS, true);
                rows.extend(
                    s.hits
                        .iter()
                        .take(super::app::SEARCH_RESULTS_SHOWN)
                        .enumerate()
                        .map(|(i, &p)| {
                            vec![choice(
                                format!("item-{i}"),
                                self.procedure_name(&self.catalog.procedures[p]),
                            )]
                        }),
                );
                let hint = if s.query.is_empty() {
                    self.t("search-placeholder")
                } else {
                    format!(
                        "{}. {}",
                        s.query,
                        self.ta("search-results", &[("count", s.hits.len().into())])
                    )
                };
                Spoken {
                    title: self.t("search-title"),
                    hint,
                    rows,
                    ..Spoken::default()
                }
            }
            Screen::Detail { code } => {
                let p = self.catalog.procedures.iter().find(|p| &p.code == code);
                let cheaper_online = p.is_some_and(|p| p.fees.iter().any(|f| f.online_saving().is_some()));
                Spoken {
                    title: p.map(|p| self.procedure_name(p)).unwrap_or_default(),
                    hint: if cheaper_online {
                        format!("{} {}", self.t("speak-detail"), self.t("speak-online-cheaper"))
                    } else {
                        self.t("speak-detail")
                    },
                    rows: vec![vec![choice("take-ticket-for", self.t("detail-take-ticket"))]],
                    ..Spoken::default()
                }
            }
            Screen::Lane(l) => Spoken {
                title: self.t("lane-title"),
                hint: if l.issuing {
                    self.t("lane-issuing")
                } else if l.failed {
                    self.t("ticket-error")
                } else {
                    self.t("speak-lane")
                },
                rows: vec![
                    vec![choice(
                        "lane-normal",
                        format!("{}. {}", self.t("lane-normal"), self.t("lane-normal-hint")),
                    )],
                    vec![choice(
                        "lane-priority",
                        format!("{}. {}", self.t("lane-priority"), self.t("lane-priority-hint")),
                    )],
                ],
                ..Spoken::default()
            },
            Screen::Ticket(t) => Spoken {
                title: self.t("ticket-title"),
                hint: super::screen::ticket::spoken(self, t),
                rows: vec![vec![
                    choice("print", self.t("ticket-print")),
                    choice("done", self.t("ticket-done")),
                ]],
                ..Spoken::default()
            },
            Screen::Rate(v) => super::screen::rate::spoken(self, v, &Criterion::ALL),
            Screen::Lookup(v) => {
                let mut rows = vec![vec![
                    choice("lookup-code", self.t("lookup-code")),
                    choice("lookup-secret", self.t("lookup-secret")),
                ]];
                rows.extend(keyboard_rows(self, &keyboard::CODES, false));
                rows.push(vec![choice("lookup-go", self.t("lookup-go"))]);
                // A dossier central found may be rated (the receipt's
                // code and secret matched).
                if let Some(Ok(_)) = &v.result {
                    rows.insert(0, vec![choice("lookup-evaluate", self.t("eval-open"))]);
                }
                Spoken {
                    title: self.t("lookup-title"),
                    hint: super::screen::lookup::spoken(self, v),
                    how: if v.result.is_none() && !v.busy {
                        self.t("lookup-how")
                    } else {
                        String::new()
                    },
                    rows,
                    // The lookup code is a key to the dossier: typed aloud
                    // only into a headset.
                    personal: v.typing_secret,
                }
            }
            Screen::Evaluate(v) => super::screen::evaluate::spoken(self, v),
            Screen::Admin(_) => {
                let mut rows = keyboard_rows(self, &["123", "456", "789", "0", ""], false);
                rows.push(vec![choice("admin-exit", self.t("admin-exit"))]);
                Spoken {
                    title: self.t("admin-title"),
                    hint: self.t("admin-hint"),
                    rows,
                    personal: true,
                    ..Spoken::default()
                }
            }
        };
        // The welcome screen has the speech control among its settings.
        if self.screen != Screen::Welcome {
            s.rows.push(self.chrome_choices());
        }
        s
    }

    /// The citizen's own settings on the welcome screen, as they show:
    /// speech, text size and contrast, then the language.
    fn settings_rows(&self) -> Vec<Vec<Choice>> {
        vec![
            vec![
                choice("speech", self.t(speech_label(self))),
                choice("access-text", super::screen::welcome::text_size_label(self)),
                choice("access-contrast", self.t("access-contrast")),
            ],
            vec![
                choice("lang-vi", self.t("lang-vi")),
                choice("lang-en", self.t("lang-en")),
            ],
        ]
    }

    /// The controls along the bottom of every screen: speech, and the way
    /// back and home where the screen has them.
    fn chrome_choices(&self) -> Vec<Choice> {
        let mut row = vec![choice("speech", self.t(speech_label(self)))];
        if self.has_nav() {
            row.push(choice("back", self.t("back")));
            row.push(choice("home", self.t("home")));
        }
        row
    }

    /// Whether the screen shows back and home ([`super::widgets::nav`]).
    fn has_nav(&self) -> bool {
        match &self.screen {
            Screen::Welcome | Screen::Ticket(_) => false,
            Screen::Rate(v) => !v.saved && !v.typing && self.counter_display.is_none(),
            Screen::Evaluate(v) => !v.saved && self.counter_display.is_none(),
            Screen::Groups
            | Screen::Fields
            | Screen::Procedures { .. }
            | Screen::Search(_)
            | Screen::Detail { .. }
            | Screen::Lane(_)
            | Screen::Lookup(_)
            | Screen::Admin(_) => true,
        }
    }

    fn procedure_name(&self, p: &motcua_core::catalog::Procedure) -> String {
        match self.lang {
            Lang::Vi => p.name.clone(),
            Lang::En => p.name_en.clone(),
        }
    }
}

/// The speech control's label: what pressing it does.
pub fn speech_label(k: &Kiosk) -> &'static str {
    if k.access.speech { "speech-off" } else { "speech-on" }
}

/// The keys of an on-screen keyboard as options, row by row.
pub fn keyboard_rows(k: &Kiosk, layout: &[&str], tones: bool) -> Vec<Vec<Choice>> {
    keyboard::rows(layout, tones)
        .into_iter()
        .map(|row| row.into_iter().map(|key| choice(key.id(), key.spoken(k))).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(rows: &[&[&str]]) -> Spoken {
        Spoken {
            rows: rows
                .iter()
                .map(|r| r.iter().map(|id| choice(*id, *id)).collect())
                .collect(),
            ..Spoken::default()
        }
    }

    #[test]
    fn the_keypad_walks_rows_and_columns_and_wraps() {
        let s = grid(&[&["a"], &["b", "c", "d"], &["e", "f"]]);
        let step = |from: Option<&str>, to| s.step(from, to).map(|c| c.id.clone()).unwrap();
        assert_eq!(step(None, Step::Down), "a");
        assert_eq!(step(Some("a"), Step::Down), "b");
        assert_eq!(step(Some("d"), Step::Down), "f", "the column as far as the row allows");
        assert_eq!(step(Some("f"), Step::Down), "a", "wraps to the top");
        assert_eq!(step(Some("a"), Step::Up), "e");
        assert_eq!(step(Some("c"), Step::Next), "d");
        assert_eq!(step(Some("d"), Step::Next), "e", "on to the next row");
        assert_eq!(step(Some("b"), Step::Previous), "a");
        assert_eq!(step(Some("a"), Step::Previous), "f");
        assert_eq!(
            step(Some("gone"), Step::Next),
            "a",
            "an option no longer shown: start again"
        );
        assert_eq!(s.position("e"), Some((2, 0)));
        assert!(Spoken::default().step(None, Step::Down).is_none());
    }
}
