//! The layouts of the forms a counter prints (Circular 03/2025/TT-VPCP,
//! Annex I) as data an office adjusts, not code: heading lines, titles,
//! wording and signature blocks. The built-in layouts are
//! `assets/forms/forms.toml`; `[counter] forms` names an office's own.
//!
//! Texts carry `{name}` placeholders filled from the dossier. Each form
//! knows its own names; a file that uses one a form does not know, or
//! leaves a brace open, is refused with the line, so a typo never reaches
//! a citizen's paper as `{aplicant}`.

use serde::Deserialize;

use crate::tomlcheck::{Checker, Problems};

/// The built-in layouts.
pub const BUILTIN: &str = include_str!("../../../assets/forms/forms.toml");

/// The forms of the set the counter prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FormKind {
    /// 01: receipt and appointment.
    Receipt,
    /// 02: request to supplement the dossier.
    Supplement,
    /// 03: refusal to accept.
    Refusal,
    /// 04: apology and a new appointment.
    Apology,
    /// 05: notice of stopping at the citizen's request.
    Stop,
    /// 06: process-control slip.
    Control,
}

impl FormKind {
    pub const ALL: [FormKind; 6] = [
        FormKind::Receipt,
        FormKind::Supplement,
        FormKind::Refusal,
        FormKind::Apology,
        FormKind::Stop,
        FormKind::Control,
    ];

    /// The form's table in the layouts file, and its file names.
    pub fn key(self) -> &'static str {
        match self {
            FormKind::Receipt => "receipt",
            FormKind::Supplement => "supplement",
            FormKind::Refusal => "refusal",
            FormKind::Apology => "apology",
            FormKind::Stop => "stop",
            FormKind::Control => "control",
        }
    }

    /// The placeholders this form fills, beyond [`COMMON`].
    pub fn own_names(self) -> &'static [&'static str] {
        match self {
            FormKind::Receipt => &["collect_at", "register"],
            FormKind::Supplement | FormKind::Refusal | FormKind::Stop => &["reason"],
            FormKind::Apology => &["reason", "new_due"],
            FormKind::Control => &[],
        }
    }
}

/// The placeholders every form fills.
pub const COMMON: [&str; 13] = [
    "agency",
    "unit",
    "place",
    "code",
    "applicant",
    "id_number",
    "procedure",
    "received",
    "due",
    "officer",
    "day",
    "month",
    "year",
];

/// The heading every form shares.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Heading {
    /// Left column, top to bottom: the parent agency, then the unit.
    pub left: Vec<String>,
    /// Right column: the national title and motto.
    pub right: Vec<String>,
    /// The number line under the left column (`{sequence}` too).
    pub number: String,
    /// The place and date line under the right column.
    pub date: String,
}

/// A signature block: a title, a note under it, and the name printed
/// under the room to sign.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signature {
    pub title: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub name: String,
}

/// One form's layout.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layout {
    /// "Mẫu số 01": printed small at the top right.
    pub form: String,
    pub title: String,
    /// Paragraphs before the form's own content (documents, missing
    /// items, the reason, the handovers).
    pub intro: Vec<String>,
    /// Paragraphs after it.
    pub closing: Vec<String>,
    /// Side by side, left to right; at most three.
    pub signatures: Vec<Signature>,
}

/// Every form's layout.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layouts {
    pub heading: Heading,
    pub receipt: Layout,
    pub supplement: Layout,
    pub refusal: Layout,
    pub apology: Layout,
    pub stop: Layout,
    pub control: Layout,
}

impl Layouts {
    /// The built-in layouts.
    pub fn builtin() -> Layouts {
        Layouts::parse(BUILTIN).expect("the built-in form layouts are valid")
    }

    pub fn get(&self, kind: FormKind) -> &Layout {
        match kind {
            FormKind::Receipt => &self.receipt,
            FormKind::Supplement => &self.supplement,
            FormKind::Refusal => &self.refusal,
            FormKind::Apology => &self.apology,
            FormKind::Stop => &self.stop,
            FormKind::Control => &self.control,
        }
    }

    /// Reads a layouts file, with every problem and its line.
    pub fn parse(text: &str) -> Result<Layouts, Problems> {
        let mut checker = Checker::new(text);
        let Some(layouts) = checker.parse::<Layouts>("forms") else {
            return checker.finish(|| unreachable!("a parse problem was recorded"));
        };
        let mut problems: Vec<(String, String, Option<usize>)> = Vec::new();
        let mut check = |place: String, value: &str, names: &[&str]| {
            if let Err(message) = check_template(value, names) {
                let at = text.find(value).filter(|_| !value.is_empty());
                problems.push((place, message, at));
            }
        };
        let heading: Vec<&str> = COMMON.iter().copied().chain(["sequence"]).collect();
        let h = &layouts.heading;
        for (i, line) in h.left.iter().chain(&h.right).enumerate() {
            check(format!("heading line {}", i + 1), line, &heading);
        }
        check("heading.number".into(), &h.number, &heading);
        check("heading.date".into(), &h.date, &heading);
        for kind in FormKind::ALL {
            let names: Vec<&str> = COMMON.iter().chain(kind.own_names()).copied().collect();
            let l = layouts.get(kind);
            let place = |what: &str| format!("{}.{what}", kind.key());
            check(place("title"), &l.title, &names);
            check(place("form"), &l.form, &names);
            for (i, p) in l.intro.iter().enumerate() {
                check(place(&format!("intro[{i}]")), p, &names);
            }
            for (i, p) in l.closing.iter().enumerate() {
                check(place(&format!("closing[{i}]")), p, &names);
            }
            for (i, s) in l.signatures.iter().enumerate() {
                for (what, v) in [("title", &s.title), ("note", &s.note), ("name", &s.name)] {
                    check(place(&format!("signatures[{i}].{what}")), v, &names);
                }
            }
        }
        for (place, message, at) in problems {
            let line = at.map(|at| checker.line_of(at));
            checker.problem(line, place, message);
        }
        for kind in FormKind::ALL {
            let l = layouts.get(kind);
            if l.signatures.len() > 3 {
                checker.problem(
                    None,
                    format!("{}.signatures", kind.key()),
                    "at most 3 signature blocks fit side by side",
                );
            }
            if l.title.trim().is_empty() {
                checker.problem(None, format!("{}.title", kind.key()), "a form needs a title");
            }
        }
        checker.finish(|| layouts)
    }
}

/// Checks that every `{name}` in `text` is one of `names` and that no
/// brace is left open or stray.
pub fn check_template(text: &str, names: &[&str]) -> Result<(), String> {
    let mut rest = text;
    while let Some(open) = rest.find(['{', '}']) {
        if rest[open..].starts_with('}') {
            return Err(format!("a `}}` with no `{{` before it in \"{text}\""));
        }
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            return Err(format!("a `{{` with no `}}` after it in \"{text}\""));
        };
        let name = &after[..close];
        if !names.contains(&name) {
            return Err(format!(
                "`{{{name}}}` is not a name this form fills; it knows {}",
                names.join(", ")
            ));
        }
        rest = &after[close + 1..];
    }
    Ok(())
}

/// Fills `{name}` placeholders from `values`; a name with no value is
/// left empty (the layouts were checked when read).
pub fn fill(text: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                if let Some((_, v)) = values.iter().find(|(n, _)| *n == name) {
                    out.push_str(v);
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_layouts_are_valid_and_complete() {
        let l = Layouts::builtin();
        for kind in FormKind::ALL {
            assert!(!l.get(kind).title.is_empty(), "{kind:?}");
        }
        assert_eq!(l.receipt.title, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ");
        assert_eq!(l.control.title, "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ");
    }

    #[test]
    fn a_name_a_form_does_not_fill_is_refused_with_its_line() {
        let bad = BUILTIN.replace("{officer}\" },\n]\n\n# 03", "{oficer}\" },\n]\n\n# 03");
        assert_ne!(bad, BUILTIN);
        let e = Layouts::parse(&bad).unwrap_err().to_string();
        assert!(
            e.contains("supplement.signatures[0].name") && e.contains("`{oficer}`"),
            "{e}"
        );
        let line = bad.lines().position(|l| l.contains("{oficer}")).unwrap() + 1;
        assert!(e.contains(&format!("line {line}:")), "{e}");
        // {new_due} belongs to the apology only.
        let bad = BUILTIN.replacen("Lý do: {reason}\",\n  \"Trong", "Lý do: {new_due}\",\n  \"Trong", 1);
        assert_ne!(bad, BUILTIN);
        let e = Layouts::parse(&bad).unwrap_err().to_string();
        assert!(e.contains("supplement.closing[0]") && e.contains("{new_due}"), "{e}");
        // An open brace, a stray one, a missing table, an unknown key.
        let e = Layouts::parse(&BUILTIN.replacen("{unit} {agency}", "{unit {agency}", 1)).unwrap_err();
        assert!(e.to_string().contains("receipt.intro[0]"), "{e}");
        let e = Layouts::parse(&BUILTIN.replacen("Mẫu số 02", "Mẫu số 02}", 1)).unwrap_err();
        assert!(e.to_string().contains("supplement.form"), "{e}");
        let e = Layouts::parse(&BUILTIN.replacen("[control]", "[kontrol]", 1)).unwrap_err();
        assert!(
            e.to_string().contains("kontrol") || e.to_string().contains("control"),
            "{e}"
        );
        assert!(Layouts::parse("").is_err());
        assert!(Layouts::parse("\u{0}[[[").is_err());
    }

    #[test]
    fn placeholders_fill_and_what_is_unknown_stays_empty() {
        assert_eq!(fill("Mã hồ sơ: {code}.", &[("code", "H26-1")]), "Mã hồ sơ: H26-1.");
        assert_eq!(fill("{a}{b}-{c}", &[("a", "1"), ("c", "3")]), "1-3");
        assert_eq!(fill("open { brace", &[]), "open { brace");
        assert_eq!(fill("ế {code} ế", &[("code", "ữ")]), "ế ữ ế");
    }
}
