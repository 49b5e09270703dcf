//! The city's visual identity as a theme pack: `branding/<name>/theme.toml`
//! (palette, type scale, spacing, radii, minimum touch target), a mark, the
//! office and city names, and pictograms (`pictograms/<name>.svg`) for the
//! main actions and the service groups, so a citizen who does not read
//! finds "take a number".
//!
//! Pictograms are single-colour SVG, drawn in black on a 96 × 96 grid; the
//! screens recolour them (iced's svg style) for the theme in use, high
//! contrast included. A pack on disk may replace any of the built-in ones
//! or add its own; one that cannot be read or is not a valid SVG is
//! reported and the built-in one is used, the rest of the pack still is.
//! Which pictogram a service group shows is set in theme.toml, by the
//! group's letter in the catalog:
//!
//! ```toml
//! [pictograms]
//! groups = { A = "civil-status", B = "land" }
//! ```
//!
//! A group not named there, or naming a pictogram that does not exist,
//! shows `other`.
//!
//! A theme that is missing or broken is reported with its file and key and
//! the built-in Hà Nội theme is used: a typo in a colour must never leave a
//! kiosk dark. A theme whose text falls below a 7:1 contrast, or whose touch
//! targets or text are too small for the hall, counts as broken.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use toml::Spanned;

use motcua_core::tomlcheck::{Checker, Entry, Problems, Table};

const BUILTIN_NAME: &str = "hanoi";
const BUILTIN_THEME: &str = include_str!("../branding/hanoi/theme.toml");
const BUILTIN_MARK: &[u8] = include_bytes!("../branding/hanoi/mark.svg");

macro_rules! pictograms {
    ($($name:literal),* $(,)?) => {
        [$(($name, include_bytes!(concat!("../branding/hanoi/pictograms/", $name, ".svg")).as_slice())),*]
    };
}

/// The built-in pictograms: the main actions, then the service groups.
const BUILTIN_PICTOGRAMS: [(&str, &[u8]); 16] = pictograms![
    "take-ticket",
    "procedures",
    "lookup",
    "rate",
    "speech",
    "large-text",
    "high-contrast",
    "back",
    "home",
    "civil-status",
    "land",
    "construction",
    "business",
    "social",
    "education",
    "other",
];

/// The pictogram of a service group that has none of its own.
pub const OTHER_GROUP: &str = "other";

/// The names of the built-in pictograms.
pub fn pictogram_names() -> impl Iterator<Item = &'static str> {
    BUILTIN_PICTOGRAMS.iter().map(|(name, _)| *name)
}

/// Largest pictogram file read from a pack.
const MAX_PICTOGRAM: u64 = 256 * 1024;

/// Smallest sizes a theme may set, from the kiosk's accessibility rules.
pub const MIN_TOUCH_TARGET: f32 = 72.0;
pub const MIN_BODY_TEXT: f32 = 24.0;
pub const MIN_TICKET_NUMBER: f32 = 120.0;
pub const MIN_CONTRAST: f32 = 7.0;

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// Parses `#RRGGBB`.
    pub fn parse(s: &str) -> Option<Self> {
        let hex = s.strip_prefix('#')?;
        if hex.len() != 6 || !hex.is_ascii() {
            return None;
        }
        let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        Some(Self(byte(0)?, byte(2)?, byte(4)?))
    }

    /// Relative luminance (WCAG 2).
    pub fn luminance(self) -> f32 {
        let lin = |c: u8| {
            let c = f32::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(self.0) + 0.7152 * lin(self.1) + 0.0722 * lin(self.2)
    }

    /// Contrast ratio (WCAG 2), from 1 to 21.
    pub fn contrast(self, other: Rgb) -> f32 {
        let (a, b) = (self.luminance(), other.luminance());
        let (hi, lo) = if a > b { (a, b) } else { (b, a) };
        (hi + 0.05) / (lo + 0.05)
    }
}

impl fmt::Display for Rgb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02X}{:02X}{:02X}", self.0, self.1, self.2)
    }
}

/// Each text colour against the background it is drawn on, by index in
/// [`PALETTE_KEYS`].
const CONTRAST_PAIRS: [(usize, usize); 9] = [
    (6, 4),
    (6, 5),
    (7, 4),
    (7, 5),
    (1, 0),
    (3, 2),
    (10, 9),
    (12, 11),
    (0, 4),
];
const PALETTE_KEYS: [&str; 13] = [
    "primary",
    "on_primary",
    "accent",
    "on_accent",
    "background",
    "surface",
    "text",
    "text_muted",
    "border",
    "danger",
    "on_danger",
    "success",
    "on_success",
];

/// The text/background pairs below [`MIN_CONTRAST`], each with the key to
/// blame and the sentence saying so.
fn pair_problems(colours: &[Option<Rgb>; 13]) -> Vec<(&'static str, String)> {
    let mut problems = Vec::new();
    for (fg, bg) in CONTRAST_PAIRS {
        if let (Some(f), Some(b)) = (colours[fg], colours[bg]) {
            let ratio = f.contrast(b);
            if ratio < MIN_CONTRAST {
                let (fk, bk) = (PALETTE_KEYS[fg], PALETTE_KEYS[bg]);
                problems.push((
                    fk,
                    format!("contrast of {fk} on {bk} is {ratio:.1}:1, at least {MIN_CONTRAST}:1 is required"),
                ));
            }
        }
    }
    problems
}

/// What the contrast checker finds wrong with a palette (empty when every
/// pair reaches 7:1): the theme packs and the kiosk's high-contrast theme
/// go through the same check.
pub fn contrast_problems(p: &Palette) -> Vec<String> {
    let colours = [
        p.primary,
        p.on_primary,
        p.accent,
        p.on_accent,
        p.background,
        p.surface,
        p.text,
        p.text_muted,
        p.border,
        p.danger,
        p.on_danger,
        p.success,
        p.on_success,
    ]
    .map(Some);
    pair_problems(&colours).into_iter().map(|(_, p)| p).collect()
}

/// Names shown on every screen and ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub city: String,
    pub city_en: String,
    pub office: String,
    pub office_en: String,
    pub unit: String,
    pub unit_en: String,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Palette {
    pub primary: Rgb,
    pub on_primary: Rgb,
    pub accent: Rgb,
    pub on_accent: Rgb,
    pub background: Rgb,
    pub surface: Rgb,
    pub text: Rgb,
    pub text_muted: Rgb,
    pub border: Rgb,
    pub danger: Rgb,
    pub on_danger: Rgb,
    pub success: Rgb,
    pub on_success: Rgb,
}

/// Text sizes, in logical pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TypeScale {
    pub body: f32,
    pub small: f32,
    pub button: f32,
    pub heading: f32,
    pub title: f32,
    pub ticket_number: f32,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spacing {
    pub xs: f32,
    pub s: f32,
    pub m: f32,
    pub l: f32,
    pub xl: f32,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Radius {
    pub s: f32,
    pub m: f32,
    pub l: f32,
}

/// A loaded theme pack.
#[derive(Debug, Clone, PartialEq)]
pub struct Brand {
    pub name: String,
    pub identity: Identity,
    pub palette: Palette,
    pub type_scale: TypeScale,
    pub spacing: Spacing,
    pub radius: Radius,
    /// Minimum height of anything pressable.
    pub min_target: f32,
    /// The mark as SVG bytes.
    pub mark: Arc<[u8]>,
    /// Pictograms by name, as SVG bytes: the built-in ones, replaced or
    /// added to by the pack's.
    pub pictograms: BTreeMap<String, Arc<[u8]>>,
    /// The pictogram of each service group, by the group's letter.
    pub group_pictograms: BTreeMap<String, String>,
}

/// Why a theme pack could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("theme {file}: {problems}")]
pub struct BrandingError {
    pub file: PathBuf,
    pub problems: Problems,
}

impl Brand {
    /// The Hà Nội theme built into the binary.
    pub fn builtin() -> Self {
        Self::parse(BUILTIN_NAME, BUILTIN_THEME, None).expect("the built-in theme is checked by tests")
    }

    /// Loads `<dir>/theme.toml` (and its mark). On any problem returns the
    /// built-in theme together with the error to report.
    pub fn load_or_builtin(name: &str, dir: Option<&Path>) -> (Self, Option<BrandingError>) {
        let Some(dir) = dir else {
            if name == BUILTIN_NAME {
                return (Self::builtin(), None);
            }
            let error = BrandingError {
                file: PathBuf::from(format!("branding/{name}/theme.toml")),
                problems: Problems(vec![motcua_core::tomlcheck::Problem {
                    line: None,
                    place: "branding".into(),
                    message: format!("no branding folder named `{name}` was found"),
                }]),
            };
            return (Self::builtin(), Some(error));
        };
        match Self::load_theme(name, dir) {
            Ok(mut brand) => {
                let error = brand.read_pictograms(dir);
                (brand, error)
            }
            Err(e) => (Self::builtin(), Some(e)),
        }
    }

    /// Loads `<dir>/theme.toml` strictly, and the pack's pictograms that
    /// can be used (the problems with the others are what
    /// [`Brand::load_or_builtin`] reports).
    pub fn load(name: &str, dir: &Path) -> Result<Self, BrandingError> {
        let mut brand = Self::load_theme(name, dir)?;
        brand.read_pictograms(dir);
        Ok(brand)
    }

    /// A pictogram's SVG bytes, by name (`take-ticket`, `land`).
    pub fn pictogram(&self, name: &str) -> Option<&[u8]> {
        self.pictograms.get(name).map(|b| &b[..])
    }

    /// The name of the pictogram a service group shows, by the group's
    /// letter: the one theme.toml sets, else `other`.
    pub fn group_pictogram_name(&self, letter: &str) -> &str {
        self.group_pictograms
            .get(letter)
            .map(String::as_str)
            .filter(|name| self.pictograms.contains_key(*name))
            .unwrap_or(OTHER_GROUP)
    }

    /// The SVG bytes of the pictogram a service group shows.
    pub fn group_pictogram(&self, letter: &str) -> &[u8] {
        self.pictogram(self.group_pictogram_name(letter))
            .or_else(|| self.pictogram(OTHER_GROUP))
            .unwrap_or(BUILTIN_PICTOGRAMS[BUILTIN_PICTOGRAMS.len() - 1].1)
    }

    /// Reads `<dir>/pictograms/*.svg` over the built-in ones; a file that
    /// cannot be read or is not a valid SVG leaves the built-in one in
    /// place and is reported, as is a group naming a pictogram there is
    /// none of.
    fn read_pictograms(&mut self, dir: &Path) -> Option<BrandingError> {
        let folder = dir.join("pictograms");
        let mut problems = Vec::new();
        let problem = |place: String, message: String| motcua_core::tomlcheck::Problem {
            line: None,
            place,
            message,
        };
        let mut files: Vec<PathBuf> = match std::fs::read_dir(&folder) {
            Ok(entries) => entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x.eq_ignore_ascii_case("svg")))
                .collect(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => {
                problems.push(problem("pictograms".into(), format!("cannot read the folder: {e}")));
                Vec::new()
            }
        };
        files.sort();
        for path in files {
            let Some(name) = path.file_stem().and_then(|s| s.to_str()).map(str::to_string) else {
                continue;
            };
            let place = format!("pictograms/{name}.svg");
            let fallback = if self.pictograms.contains_key(&name) {
                "the built-in one is used"
            } else {
                "it is not shown"
            };
            match read_svg(&path) {
                Ok(bytes) => {
                    self.pictograms.insert(name, bytes.into());
                }
                Err(why) => problems.push(problem(place, format!("{why}; {fallback}"))),
            }
        }
        for (letter, name) in &self.group_pictograms {
            if !self.pictograms.contains_key(name) {
                problems.push(problem(
                    format!("pictograms.groups.{letter}"),
                    format!("there is no pictogram `{name}`; `{OTHER_GROUP}` is shown"),
                ));
            }
        }
        if problems.is_empty() {
            return None;
        }
        Some(BrandingError {
            file: folder,
            problems: Problems(problems),
        })
    }

    /// Loads `<dir>/theme.toml` strictly, with the built-in pictograms.
    fn load_theme(name: &str, dir: &Path) -> Result<Self, BrandingError> {
        let file = dir.join("theme.toml");
        let fail = |message: String, place: &str| BrandingError {
            file: file.clone(),
            problems: Problems(vec![motcua_core::tomlcheck::Problem {
                line: None,
                place: place.into(),
                message,
            }]),
        };
        let text = std::fs::read_to_string(&file).map_err(|e| fail(e.to_string(), "file"))?;
        Self::parse(name, &text, Some(dir)).map_err(|problems| BrandingError {
            file: file.clone(),
            problems,
        })
    }

    /// Parses a theme; the mark is read from `dir` when given, else the
    /// built-in mark is used.
    pub fn parse(name: &str, text: &str, dir: Option<&Path>) -> Result<Self, Problems> {
        let mut check = Checker::new(text);
        let Some(doc) = check.parse::<std::collections::BTreeMap<String, Spanned<Table>>>("theme") else {
            return Err(Problems(check.problems));
        };
        let empty = Spanned::new(0..0, Table::new());
        let section = |check: &mut Checker, key: &'static str| {
            let t = doc.get(key).unwrap_or_else(|| {
                check.problem(None, key, "missing section");
                &empty
            });
            (t.get_ref().clone(), Some(check.line_of(t.span().start)))
        };
        for key in doc.keys() {
            if ![
                "identity",
                "palette",
                "type",
                "spacing",
                "radius",
                "touch",
                "pictograms",
            ]
            .contains(&key.as_str())
            {
                check.problem(None, key.clone(), "unknown section");
            }
        }

        let (t, line) = section(&mut check, "identity");
        let mut e = Entry::new(&mut check, &t, "identity", line);
        let s = |e: &mut Entry, k| e.required::<String>(k).unwrap_or_default();
        let identity = Identity {
            city: s(&mut e, "city"),
            city_en: s(&mut e, "city_en"),
            office: s(&mut e, "office"),
            office_en: s(&mut e, "office_en"),
            unit: s(&mut e, "unit"),
            unit_en: s(&mut e, "unit_en"),
        };
        let mark_file = e.optional::<String>("mark");
        let mark: Arc<[u8]> = match (dir, mark_file) {
            (Some(dir), Some(m)) => match std::fs::read(dir.join(&m)) {
                Ok(bytes) => bytes.into(),
                Err(err) => {
                    e.problem("mark", format!("cannot read {}: {err}", dir.join(&m).display()));
                    BUILTIN_MARK.into()
                }
            },
            _ => BUILTIN_MARK.into(),
        };
        e.finish();

        let (t, line) = section(&mut check, "palette");
        let mut e = Entry::new(&mut check, &t, "palette", line);
        let c = |e: &mut Entry, k: &'static str| {
            let v = e.required::<String>(k)?;
            let parsed = Rgb::parse(&v);
            if parsed.is_none() {
                e.problem(k, format!("`{v}` is not a colour like #8E1B1F"));
            }
            parsed
        };
        let colours = [
            c(&mut e, "primary"),
            c(&mut e, "on_primary"),
            c(&mut e, "accent"),
            c(&mut e, "on_accent"),
            c(&mut e, "background"),
            c(&mut e, "surface"),
            c(&mut e, "text"),
            c(&mut e, "text_muted"),
            c(&mut e, "border"),
            c(&mut e, "danger"),
            c(&mut e, "on_danger"),
            c(&mut e, "success"),
            c(&mut e, "on_success"),
        ];
        for (key, problem) in pair_problems(&colours) {
            e.problem(key, problem);
        }
        let palette = colours.iter().all(Option::is_some).then(|| {
            let [
                primary,
                on_primary,
                accent,
                on_accent,
                background,
                surface,
                text,
                text_muted,
                border,
                danger,
                on_danger,
                success,
                on_success,
            ] = colours.map(Option::unwrap);
            Palette {
                primary,
                on_primary,
                accent,
                on_accent,
                background,
                surface,
                text,
                text_muted,
                border,
                danger,
                on_danger,
                success,
                on_success,
            }
        });
        e.finish();

        let (t, line) = section(&mut check, "type");
        let mut e = Entry::new(&mut check, &t, "type", line);
        let type_scale = (
            number(&mut e, "body", MIN_BODY_TEXT),
            number(&mut e, "small", MIN_BODY_TEXT),
            number(&mut e, "button", MIN_BODY_TEXT),
            number(&mut e, "heading", MIN_BODY_TEXT),
            number(&mut e, "title", MIN_BODY_TEXT),
            number(&mut e, "ticket_number", MIN_TICKET_NUMBER),
        );
        e.finish();

        let (t, line) = section(&mut check, "spacing");
        let mut e = Entry::new(&mut check, &t, "spacing", line);
        let spacing = (
            number(&mut e, "xs", 0.0),
            number(&mut e, "s", 0.0),
            number(&mut e, "m", 0.0),
            number(&mut e, "l", 0.0),
            number(&mut e, "xl", 0.0),
        );
        e.finish();

        let (t, line) = section(&mut check, "radius");
        let mut e = Entry::new(&mut check, &t, "radius", line);
        let radius = (
            number(&mut e, "s", 0.0),
            number(&mut e, "m", 0.0),
            number(&mut e, "l", 0.0),
        );
        e.finish();

        let (t, line) = section(&mut check, "touch");
        let mut e = Entry::new(&mut check, &t, "touch", line);
        let min_target = number(&mut e, "min_target", MIN_TOUCH_TARGET);
        e.finish();

        // Optional: which pictogram each service group shows.
        let group_pictograms = match doc.get("pictograms") {
            Some(t) => {
                let line = Some(check.line_of(t.span().start));
                let table = t.get_ref().clone();
                let mut e = Entry::new(&mut check, &table, "pictograms", line);
                let groups = e.optional::<BTreeMap<String, String>>("groups").unwrap_or_default();
                e.finish();
                groups
            }
            None => BTreeMap::new(),
        };

        let built = (|| {
            Some(Brand {
                name: name.to_string(),
                identity,
                palette: palette?,
                type_scale: TypeScale {
                    body: type_scale.0?,
                    small: type_scale.1?,
                    button: type_scale.2?,
                    heading: type_scale.3?,
                    title: type_scale.4?,
                    ticket_number: type_scale.5?,
                },
                spacing: Spacing {
                    xs: spacing.0?,
                    s: spacing.1?,
                    m: spacing.2?,
                    l: spacing.3?,
                    xl: spacing.4?,
                },
                radius: Radius {
                    s: radius.0?,
                    m: radius.1?,
                    l: radius.2?,
                },
                min_target: min_target?,
                mark,
                pictograms: BUILTIN_PICTOGRAMS
                    .iter()
                    .map(|(name, bytes)| (name.to_string(), Arc::from(*bytes)))
                    .collect(),
                group_pictograms,
            })
        })();
        check.finish(|| ())?;
        Ok(built.expect("no problems means every value is present"))
    }
}

/// Reads an SVG file and checks that it parses and draws something.
fn read_svg(path: &Path) -> Result<Vec<u8>, String> {
    let size = std::fs::metadata(path)
        .map_err(|e| format!("cannot read it: {e}"))?
        .len();
    if size > MAX_PICTOGRAM {
        return Err(format!("it is {size} bytes, more than {MAX_PICTOGRAM}"));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read it: {e}"))?;
    check_svg(&bytes)?;
    Ok(bytes)
}

/// An SVG that parses and draws something.
pub fn check_svg(bytes: &[u8]) -> Result<(), String> {
    let tree = usvg::Tree::from_data(bytes, &usvg::Options::default()).map_err(|e| format!("not a valid SVG: {e}"))?;
    if !tree.root().has_children() {
        return Err("the SVG draws nothing".into());
    }
    Ok(())
}

/// A size in logical pixels, from `min` to 1000.
fn number(e: &mut Entry, key: &'static str, min: f32) -> Option<f32> {
    let v = e.required::<f64>(key)? as f32;
    if !(min..=1000.0).contains(&v) {
        e.problem(key, format!("{v} is out of range ({min} to 1000)"));
        return None;
    }
    Some(v)
}

/// Where branding folders are looked for, in order.
pub fn search_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Ok(exe) = std::env::current_exe()
        && let Some(parent) = exe.parent()
    {
        dirs.push(parent.join("branding"));
    }
    dirs.push(PathBuf::from("branding"));
    dirs.push(PathBuf::from("/usr/share/motcua/branding"));
    dirs
}

/// The folder of the branding called `name`, if one exists.
pub fn find(name: &str, dirs: &[PathBuf]) -> Option<PathBuf> {
    dirs.iter()
        .map(|d| d.join(name))
        .find(|d| d.join("theme.toml").is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_theme_meets_the_rules() {
        let b = Brand::builtin();
        assert!(b.min_target >= MIN_TOUCH_TARGET);
        assert!(b.type_scale.body >= MIN_BODY_TEXT);
        assert!(b.type_scale.ticket_number >= MIN_TICKET_NUMBER);
        assert!(b.palette.text.contrast(b.palette.background) >= 7.0);
        assert_eq!(b.identity.city, "Thành phố Hà Nội");
    }

    #[test]
    fn contrast_is_computed_as_wcag_says() {
        let black = Rgb(0, 0, 0);
        let white = Rgb(255, 255, 255);
        assert!((black.contrast(white) - 21.0).abs() < 0.01);
        assert!((white.contrast(white) - 1.0).abs() < 0.01);
        // #777 on white is the classic 4.48:1.
        assert!((Rgb(0x77, 0x77, 0x77).contrast(white) - 4.48).abs() < 0.02);
    }

    #[test]
    fn a_broken_theme_names_the_file_and_every_key() {
        let dir = tempfile::tempdir().unwrap();
        let broken = BUILTIN_THEME
            .replace("primary = \"#8E1B1F\"", "primary = \"dark red\"")
            .replace("text_muted = \"#44403C\"", "text_muted = \"#A8A29E\"")
            .replace("body = 26", "body = 12")
            .replace("min_target = 88", "min_target = \"big\"");
        std::fs::write(dir.path().join("theme.toml"), broken).unwrap();
        std::fs::write(dir.path().join("mark.svg"), BUILTIN_MARK).unwrap();
        let (brand, err) = Brand::load_or_builtin("test", Some(dir.path()));
        assert_eq!(brand, Brand::builtin(), "the built-in theme is used");
        let err = err.expect("the problem is reported");
        assert_eq!(err.file, dir.path().join("theme.toml"));
        let all: Vec<String> = err.problems.0.iter().map(|p| p.to_string()).collect();
        let has = |s: &str| all.iter().any(|p| p.contains(s));
        assert!(has("palette.primary: `dark red` is not a colour"), "{all:#?}");
        assert!(
            has("palette.text_muted: contrast of text_muted on background"),
            "{all:#?}"
        );
        assert!(has("type.body: 12 is out of range"), "{all:#?}");
        assert!(has("touch.min_target: wrong type"), "{all:#?}");
    }

    #[test]
    fn a_missing_theme_is_reported_and_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let (brand, err) = Brand::load_or_builtin("nowhere", Some(&dir.path().join("nowhere")));
        assert_eq!(brand.name, "hanoi");
        assert!(err.unwrap().to_string().contains("theme.toml"));
        let (_, err) = Brand::load_or_builtin("danang", None);
        assert!(err.unwrap().to_string().contains("danang"));
    }

    #[test]
    fn syntax_errors_have_a_line() {
        let p = Brand::parse("x", "[palette\nprimary = 1", None).unwrap_err();
        assert_eq!(p.0[0].line, Some(1));
    }

    #[test]
    fn the_repository_theme_loads_from_disk() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("branding/hanoi");
        let b = Brand::load("hanoi", &dir).unwrap();
        assert_eq!(b.palette, Brand::builtin().palette);
        assert!(std::str::from_utf8(&b.mark).unwrap().contains("<svg"));
    }

    #[test]
    fn every_builtin_pictogram_is_a_valid_svg_in_one_colour() {
        let b = Brand::builtin();
        for name in pictogram_names() {
            let bytes = b.pictogram(name).unwrap_or_else(|| panic!("no pictogram {name}"));
            check_svg(bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
            // One colour, so the screens can recolour it: black ink only.
            let text = std::str::from_utf8(bytes).unwrap();
            for colour in ["fill=\"#", "stroke=\"#"].iter().flat_map(|a| text.match_indices(a)) {
                let value = &text[colour.0 + colour.1.len() - 1..][..4];
                assert_eq!(value, "#000", "{name} uses a colour other than black");
            }
            assert!(!text.contains("<text"), "{name} has text, which needs fonts");
        }
        for group in [
            "civil-status",
            "land",
            "construction",
            "business",
            "social",
            "education",
            OTHER_GROUP,
        ] {
            assert!(b.pictogram(group).is_some(), "{group}");
        }
    }

    #[test]
    fn every_demo_group_has_its_pictogram() {
        let b = Brand::builtin();
        let catalog = motcua_core::catalog::Catalog::demo();
        for g in &catalog.groups {
            let name = b.group_pictogram_name(&g.letter);
            assert_ne!(name, OTHER_GROUP, "group {} has no pictogram", g.letter);
            assert_eq!(b.group_pictogram(&g.letter), b.pictogram(name).unwrap());
        }
        assert_eq!(b.group_pictogram_name("Z"), OTHER_GROUP);
        assert_eq!(b.group_pictogram("Z"), b.pictogram(OTHER_GROUP).unwrap());
    }

    /// A copy of the repository's pack in a scratch folder.
    fn pack() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("branding/hanoi");
        for f in ["theme.toml", "mark.svg"] {
            std::fs::copy(repo.join(f), dir.path().join(f)).unwrap();
        }
        std::fs::create_dir(dir.path().join("pictograms")).unwrap();
        dir
    }

    const SQUARE: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 96 96"><rect width="96" height="96" fill="#000"/></svg>"##;

    /// Sets the pack's group B to show the pictogram `name`.
    fn group_b_shows(pack: &Path, name: &str) {
        let theme = pack.join("theme.toml");
        let text = std::fs::read_to_string(&theme)
            .unwrap()
            .replace("B = \"land\"", &format!("B = \"{name}\""));
        std::fs::write(&theme, text).unwrap();
    }

    #[test]
    fn a_pack_replaces_a_pictogram_and_adds_its_own() {
        let dir = pack();
        std::fs::write(dir.path().join("pictograms/home.svg"), SQUARE).unwrap();
        std::fs::write(dir.path().join("pictograms/harbour.svg"), SQUARE).unwrap();
        group_b_shows(dir.path(), "harbour");
        let (b, error) = Brand::load_or_builtin("hanoi", Some(dir.path()));
        assert_eq!(error, None);
        assert_eq!(b.pictogram("home"), Some(SQUARE.as_bytes()));
        assert_eq!(b.group_pictogram("B"), SQUARE.as_bytes());
        assert_eq!(
            b.pictogram("back"),
            Brand::builtin().pictogram("back"),
            "the others stay"
        );
    }

    #[test]
    fn a_broken_pictogram_is_reported_and_the_builtin_one_used() {
        let dir = pack();
        std::fs::write(dir.path().join("pictograms/home.svg"), "<svg><path d=").unwrap();
        std::fs::write(dir.path().join("pictograms/rate.svg"), [0xff, 0xfe, 0x00]).unwrap();
        std::fs::write(dir.path().join("pictograms/back.svg"), SQUARE).unwrap();
        group_b_shows(dir.path(), "lnad");
        let (b, error) = Brand::load_or_builtin("hanoi", Some(dir.path()));
        let builtin = Brand::builtin();
        assert_eq!(b.pictogram("home"), builtin.pictogram("home"));
        assert_eq!(b.pictogram("rate"), builtin.pictogram("rate"));
        assert_eq!(b.pictogram("back"), Some(SQUARE.as_bytes()), "a good one is still used");
        assert_eq!(b.group_pictogram_name("B"), OTHER_GROUP);
        assert_eq!(b.palette, builtin.palette);
        let error = error.expect("the problems are reported");
        assert!(error.file.ends_with("pictograms"));
        let places: Vec<&str> = error.problems.0.iter().map(|p| p.place.as_str()).collect();
        assert_eq!(
            places,
            ["pictograms/home.svg", "pictograms/rate.svg", "pictograms.groups.B"]
        );
        assert!(error.to_string().contains("the built-in one is used"), "{error}");
    }

    #[test]
    fn a_pictogram_mapping_of_the_wrong_type_is_a_theme_problem() {
        let text = format!(
            "{}\n[pictograms]\ngroups = [\"land\"]\n",
            BUILTIN_THEME.split("[pictograms]").next().unwrap()
        );
        let problems = Brand::parse("x", &text, None).unwrap_err();
        assert!(problems.to_string().contains("pictograms"), "{problems}");
    }
}
