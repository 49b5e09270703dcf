//! Every string a person reads, in Vietnamese first and English second,
//! from Fluent resources under `assets/i18n/`: `motcua.ftl` for the
//! screens, `messages.ftl` for the domain's errors (citizen inputs,
//! receipts, printers). The resources are compiled in; reading them is no
//! I/O. The device side uses it through `motcua::i18n`.

use std::borrow::Cow;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

const VI: &str = include_str!("../../../assets/i18n/vi/motcua.ftl");
const EN: &str = include_str!("../../../assets/i18n/en/motcua.ftl");
const VI_MESSAGES: &str = include_str!("../../../assets/i18n/vi/messages.ftl");
const EN_MESSAGES: &str = include_str!("../../../assets/i18n/en/messages.ftl");

/// A language of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Vi, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }
}

/// The string resources of both languages.
pub struct I18n {
    vi: FluentBundle<FluentResource>,
    en: FluentBundle<FluentResource>,
}

impl std::fmt::Debug for I18n {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("I18n")
    }
}

/// The Fluent sources of a language, screens first.
fn sources(lang: Lang) -> [&'static str; 2] {
    match lang {
        Lang::Vi => [VI, VI_MESSAGES],
        Lang::En => [EN, EN_MESSAGES],
    }
}

fn bundle(lang: Lang) -> FluentBundle<FluentResource> {
    let id = lang.code().parse().expect("a valid language id");
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Isolation marks would show as boxes in a kiosk font; all text is LTR.
    bundle.set_use_isolating(false);
    for source in sources(lang) {
        let resource = FluentResource::try_new(source.to_string())
            .unwrap_or_else(|(_, errors)| panic!("{} strings do not parse: {errors:?}", lang.code()));
        bundle
            .add_resource(resource)
            .unwrap_or_else(|errors| panic!("{} strings: {errors:?}", lang.code()));
    }
    bundle
}

/// The strings of both languages, parsed once for the whole process.
pub fn strings() -> &'static I18n {
    static STRINGS: std::sync::LazyLock<I18n> = std::sync::LazyLock::new(I18n::new);
    &STRINGS
}

/// The message `id` in `lang` with text arguments: how the domain's errors
/// put their words on a screen.
pub fn say(lang: Lang, id: &str, args: &[(&str, String)]) -> String {
    let args: Vec<(&str, Arg)> = args.iter().map(|(n, v)| (*n, Arg::from(v.as_str()))).collect();
    strings().ta(lang, id, &args)
}

impl Default for I18n {
    fn default() -> Self {
        Self::new()
    }
}

impl I18n {
    pub fn new() -> Self {
        Self {
            vi: bundle(Lang::Vi),
            en: bundle(Lang::En),
        }
    }

    fn bundle(&self, lang: Lang) -> &FluentBundle<FluentResource> {
        match lang {
            Lang::Vi => &self.vi,
            Lang::En => &self.en,
        }
    }

    /// The string `key` in `lang`.
    pub fn t(&self, lang: Lang, key: &str) -> String {
        self.format(lang, key, None)
    }

    /// The string `key` in `lang`, with arguments.
    pub fn ta(&self, lang: Lang, key: &str, args: &[(&str, Arg)]) -> String {
        let mut fa = FluentArgs::new();
        for (name, value) in args {
            let v: FluentValue = match value {
                Arg::Num(n) => (*n).into(),
                Arg::Str(s) => s.to_string().into(),
            };
            fa.set(*name, v);
        }
        self.format(lang, key, Some(&fa))
    }

    fn format(&self, lang: Lang, key: &str, args: Option<&FluentArgs>) -> String {
        let bundle = self.bundle(lang);
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            tracing::warn!(key, lang = lang.code(), "missing string");
            return key.to_string();
        };
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, args, &mut errors);
        if !errors.is_empty() {
            tracing::warn!(key, lang = lang.code(), ?errors, "string did not format cleanly");
        }
        text.into_owned()
    }

    /// Message ids defined for a language.
    pub fn keys(lang: Lang) -> Vec<String> {
        let mut keys = Vec::new();
        for source in sources(lang) {
            let resource = FluentResource::try_new(source.to_string()).unwrap_or_else(|(r, _)| r);
            keys.extend(resource.entries().filter_map(|e| match e {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
                _ => None,
            }));
        }
        keys
    }
}

/// An argument of a formatted string.
#[derive(Debug, Clone)]
pub enum Arg<'a> {
    Num(f64),
    Str(Cow<'a, str>),
}

impl From<u32> for Arg<'_> {
    fn from(n: u32) -> Self {
        Arg::Num(f64::from(n))
    }
}

impl From<u64> for Arg<'_> {
    fn from(n: u64) -> Self {
        Arg::Num(n as f64)
    }
}

impl From<usize> for Arg<'_> {
    fn from(n: usize) -> Self {
        Arg::Num(n as f64)
    }
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(s: &'a str) -> Self {
        Arg::Str(Cow::Borrowed(s))
    }
}

impl From<String> for Arg<'_> {
    fn from(s: String) -> Self {
        Arg::Str(Cow::Owned(s))
    }
}

/// Groups thousands with dots, as amounts are written in Vietnam: 1.500.000.
pub fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn both_languages_have_every_key() {
        let vi: BTreeSet<String> = I18n::keys(Lang::Vi).into_iter().collect();
        let en: BTreeSet<String> = I18n::keys(Lang::En).into_iter().collect();
        let only_vi: Vec<_> = vi.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&vi).collect();
        assert!(only_vi.is_empty(), "missing in English: {only_vi:?}");
        assert!(only_en.is_empty(), "missing in Vietnamese: {only_en:?}");
        assert!(vi.len() > 50);
    }

    /// Every key the code asks for with `.t("…")` or `.ta("…"` exists.
    #[test]
    fn every_key_used_in_the_code_exists() {
        let vi: BTreeSet<String> = I18n::keys(Lang::Vi).into_iter().collect();
        let mut missing = Vec::new();
        let mut used = 0;
        // Every crate of the workspace: the device side and the crates.
        let top = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut stack = vec![top.join("src")];
        for krate in std::fs::read_dir(top.join("crates")).unwrap() {
            stack.push(krate.unwrap().path().join("src"));
        }
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                for pat in [
                    ".t(\"",
                    ".ta(\"",
                    "key: \"",
                    "_key(\"",
                    "say(lang, \"",
                    "say(Lang::Vi, \"",
                ] {
                    for (i, _) in text.match_indices(pat) {
                        let rest = &text[i + pat.len()..];
                        let key = &rest[..rest.find('"').unwrap()];
                        if !key
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                        {
                            continue;
                        }
                        used += 1;
                        if !vi.contains(key) {
                            missing.push(format!("{}: {key}", path.display()));
                        }
                    }
                }
            }
        }
        assert!(missing.is_empty(), "keys used but not defined: {missing:#?}");
        assert!(used > 30, "the scan found only {used} uses");
    }

    #[test]
    fn formats_with_arguments_and_plurals() {
        let i = I18n::new();
        assert_eq!(
            i.ta(Lang::En, "ticket-ahead", &[("count", 1u32.into())]),
            "1 person ahead of you"
        );
        assert_eq!(
            i.ta(Lang::En, "ticket-ahead", &[("count", 0u32.into())]),
            "You are next"
        );
        assert_eq!(
            i.ta(Lang::Vi, "ticket-ahead", &[("count", 4u32.into())]),
            "Còn 4 người trước quý khách"
        );
        assert_eq!(i.t(Lang::Vi, "action-ticket"), "Lấy số thứ tự");
        // A missing key shows the key rather than nothing.
        assert_eq!(i.t(Lang::Vi, "no-such-key"), "no-such-key");
    }

    #[test]
    fn thousands() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1000), "1.000");
        assert_eq!(group_thousands(1_500_000), "1.500.000");
    }
}
