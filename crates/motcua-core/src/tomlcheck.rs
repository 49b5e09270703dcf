//! Reading hand-written TOML files (catalog, theme, config) so that every
//! problem is reported with its place, not only the first one serde meets.

use std::fmt;

use serde::de::DeserializeOwned;

pub use toml::Table;

/// One problem found in a file, with its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line of the entry or value, when known.
    pub line: Option<usize>,
    /// Where in the document, e.g. `procedures[3] (1.001193).processing_days`.
    pub place: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}: {}", self.place, self.message),
            None => write!(f, "{}: {}", self.place, self.message),
        }
    }
}

/// Every problem found in a file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", summary(.0))]
pub struct Problems(pub Vec<Problem>);

fn summary(problems: &[Problem]) -> String {
    let shown: Vec<String> = problems.iter().take(3).map(|p| p.to_string()).collect();
    match problems.len().saturating_sub(3) {
        0 => shown.join("; "),
        more => format!("{}; and {more} more", shown.join("; ")),
    }
}

/// Collects problems while a file is read.
pub struct Checker<'a> {
    text: &'a str,
    pub problems: Vec<Problem>,
}

impl<'a> Checker<'a> {
    pub fn new(text: &'a str) -> Self {
        Self {
            text,
            problems: Vec::new(),
        }
    }

    /// The 1-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        self.text[..offset.min(self.text.len())].matches('\n').count() + 1
    }

    pub fn problem(&mut self, line: Option<usize>, place: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem {
            line,
            place: place.into(),
            message: message.into(),
        });
    }

    /// Parses the whole text, or records the syntax error with its line.
    pub fn parse<T: DeserializeOwned>(&mut self, place: &str) -> Option<T> {
        match toml::from_str(self.text) {
            Ok(v) => Some(v),
            Err(e) => {
                let line = e.span().map(|s| self.line_of(s.start));
                self.problem(line, place, e.message().to_string());
                None
            }
        }
    }

    pub fn finish<T>(self, value: impl FnOnce() -> T) -> Result<T, Problems> {
        if self.problems.is_empty() {
            Ok(value())
        } else {
            Err(Problems(self.problems))
        }
    }
}

/// One table being read: takes keys one by one and reports missing,
/// mistyped, empty and unknown keys.
pub struct Entry<'c, 'a> {
    checker: &'c mut Checker<'a>,
    table: &'c Table,
    place: String,
    line: Option<usize>,
    seen: Vec<&'static str>,
}

impl<'c, 'a> Entry<'c, 'a> {
    pub fn new(checker: &'c mut Checker<'a>, table: &'c Table, place: impl Into<String>, line: Option<usize>) -> Self {
        Self {
            checker,
            table,
            place: place.into(),
            line,
            seen: Vec::new(),
        }
    }

    pub fn optional<T: DeserializeOwned>(&mut self, key: &'static str) -> Option<T> {
        self.seen.push(key);
        let value = self.table.get(key)?;
        if value.as_str().is_some_and(|s| s.trim().is_empty()) {
            self.problem(key, "empty");
            return None;
        }
        match value.clone().try_into::<T>() {
            Ok(v) => Some(v),
            Err(e) => {
                let message = format!("wrong type ({}): {}", value.type_str(), e.message());
                self.problem(key, message);
                None
            }
        }
    }

    pub fn required<T: DeserializeOwned>(&mut self, key: &'static str) -> Option<T> {
        if !self.table.contains_key(key) {
            self.seen.push(key);
            self.problem(key, "missing");
            return None;
        }
        self.optional(key)
    }

    /// Records a problem with a value of this table.
    pub fn problem(&mut self, key: &str, message: impl Into<String>) {
        let place = format!("{}.{key}", self.place);
        self.checker.problem(self.line, place, message);
    }

    /// Reports the keys nobody asked for.
    pub fn finish(self) {
        for key in self.table.keys() {
            if !self.seen.contains(&key.as_str()) {
                self.checker
                    .problem(self.line, format!("{}.{key}", self.place), "unknown key");
            }
        }
    }
}
