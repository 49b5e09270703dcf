//! The procedure catalog ("danh mục thủ tục hành chính"): what a citizen can
//! ask for, what to bring, what it costs and which queue serves it.
//!
//! The catalog is a TOML file (see `assets/catalog/demo-hanoi.toml`). Loading
//! checks every entry and reports *all* problems with their place (line and
//! key), so IT staff can fix a catalog in one pass instead of one error at a
//! time.

use std::collections::{BTreeMap, HashSet};

use toml::Spanned;

use crate::tomlcheck::{Checker, Entry, Problem, Problems, Table};

/// The demo catalog built into the binary: used when no catalog is configured.
pub const DEMO_TOML: &str = include_str!("../../../assets/catalog/demo-hanoi.toml");

/// A validated catalog.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Catalog {
    pub name: String,
    pub name_en: String,
    /// True for demonstration data that must not be taken as official.
    pub demo: bool,
    pub version: String,
    pub source: String,
    pub groups: Vec<Group>,
    pub fields: Vec<Field>,
    pub procedures: Vec<Procedure>,
}

/// A service group: one queue, named by its letter (A, B, …).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Group {
    pub letter: String,
    pub name: String,
    pub name_en: String,
}

/// A field of procedures ("lĩnh vực").
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Field {
    pub id: String,
    pub name: String,
    pub name_en: String,
}

/// Administrative level that decides the procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Level {
    #[serde(rename = "xa")]
    /// Commune, ward or special zone ("cấp xã").
    Commune,
    /// The former district level ("cấp huyện"), kept for older catalogs.
    #[serde(rename = "huyen")]
    District,
    /// Province or centrally-run city ("cấp tỉnh").
    #[serde(rename = "tinh")]
    Province,
}

impl Level {
    fn parse(s: &str) -> Option<Self> {
        match s {
            "xa" => Some(Self::Commune),
            "huyen" => Some(Self::District),
            "tinh" => Some(Self::Province),
            _ => None,
        }
    }

    /// The key of this level's label in the string resources.
    pub fn label_key(self) -> &'static str {
        match self {
            Self::Commune => "level-commune",
            Self::District => "level-district",
            Self::Province => "level-province",
        }
    }
}

/// One administrative procedure ("thủ tục hành chính").
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Procedure {
    /// National code, e.g. `1.001193`.
    pub code: String,
    pub name: String,
    pub name_en: String,
    /// Id of its [`Field`].
    pub field: String,
    pub level: Level,
    /// Legal processing time in working days; 0 means within the working day.
    pub processing_days: u16,
    pub processing_note: Option<String>,
    /// Letter of the [`Group`] whose queue serves it.
    pub group: String,
    pub agency: String,
    pub result: String,
    /// Interlinked ("liên thông") with other agencies.
    pub interlinked: bool,
    pub keywords: Vec<String>,
    pub fees: Vec<Fee>,
    pub documents: Vec<Document>,
}

/// A fee or charge ("phí, lệ phí").
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Fee {
    pub name: String,
    /// In Vietnamese đồng.
    pub amount: u64,
    pub note: Option<String>,
    /// What it costs when the procedure is filed online, where that is
    /// less (Hà Nội's Resolution 77/2025/NQ-HĐND: city-set fees are 0 đ
    /// online); `None` when the same.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub online: Option<u64>,
}

impl Fee {
    /// How much less it costs filed online, if anything.
    pub fn online_saving(&self) -> Option<u64> {
        self.online.filter(|o| *o < self.amount).map(|o| self.amount - o)
    }
}

/// A document to bring ("thành phần hồ sơ").
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Document {
    pub name: String,
    pub originals: u8,
    pub copies: u8,
}

impl Catalog {
    /// Parses and validates a catalog; on failure returns every problem found.
    pub fn from_toml(text: &str) -> Result<Self, Problems> {
        Loader::new(text).load()
    }

    /// Checks a catalog that did not come from a file (central's JSON, a
    /// portal's import) by the very rules a catalog file is loaded with,
    /// and returns every problem found, with its place
    /// (`procedures[3] (1.001193).name: empty`).
    ///
    /// There is one set of rules: the catalog is written out as the file
    /// it would be and read back by the same loader.
    pub fn validate(&self) -> Result<(), Problems> {
        let whole = |message: String| {
            Problems(vec![Problem {
                line: None,
                place: "catalog".into(),
                message,
            }])
        };
        // A file cannot hold an amount past TOML's integers: say so, and
        // check the rest with the largest it can hold.
        let mut found = Vec::new();
        let mut capped = None;
        for (i, p) in self.procedures.iter().enumerate() {
            for (j, f) in p.fees.iter().enumerate() {
                if i64::try_from(f.amount).is_err() {
                    found.push(Problem {
                        line: None,
                        place: format!("procedures[{i}] ({}).fees[{j}].amount", p.code),
                        message: format!("{} is not an amount in đồng", f.amount),
                    });
                    let c: &mut Catalog = capped.get_or_insert_with(|| self.clone());
                    c.procedures[i].fees[j].amount = i64::MAX as u64;
                }
            }
        }
        let text = capped
            .as_ref()
            .unwrap_or(self)
            .as_toml()
            .map_err(|e| whole(e.to_string()))?;
        if let Err(Problems(more)) = Loader::new(&text).load() {
            // Lines of the written-out text mean nothing to the reader.
            found.extend(more.into_iter().map(|p| Problem { line: None, ..p }));
        }
        if found.is_empty() { Ok(()) } else { Err(Problems(found)) }
    }

    /// The catalog in the layout of a catalog file. Optional texts that
    /// are empty are left out, as a file would leave them.
    fn as_toml(&self) -> Result<String, toml::ser::Error> {
        let mut meta = Table::new();
        meta.insert("name".into(), self.name.clone().into());
        meta.insert("name_en".into(), self.name_en.clone().into());
        meta.insert("demo".into(), self.demo.into());
        for (key, value) in [("version", &self.version), ("source", &self.source)] {
            if !value.is_empty() {
                meta.insert(key.into(), value.clone().into());
            }
        }
        let mut doc = Table::new();
        doc.insert("catalog".into(), meta.into());
        doc.insert("groups".into(), toml::Value::try_from(&self.groups)?);
        doc.insert("fields".into(), toml::Value::try_from(&self.fields)?);
        doc.insert("procedures".into(), toml::Value::try_from(&self.procedures)?);
        toml::to_string(&doc)
    }

    /// The embedded demo catalog.
    pub fn demo() -> Self {
        Self::from_toml(DEMO_TOML).expect("the embedded demo catalog is checked by tests")
    }

    pub fn procedure(&self, code: &str) -> Option<&Procedure> {
        self.procedures.iter().find(|p| p.code == code)
    }

    pub fn field(&self, id: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.id == id)
    }

    pub fn group(&self, letter: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.letter == letter)
    }

    /// Procedures of one field, in catalog order.
    pub fn procedures_of<'a>(&'a self, field: &'a str) -> impl Iterator<Item = &'a Procedure> {
        self.procedures.iter().filter(move |p| p.field == field)
    }

    /// Fields that have at least one procedure, with their counts.
    pub fn fields_in_use(&self) -> Vec<(&Field, usize)> {
        self.fields
            .iter()
            .map(|f| (f, self.procedures_of(&f.id).count()))
            .filter(|(_, n)| *n > 0)
            .collect()
    }
}

/// Walks the parsed TOML and collects problems instead of stopping at the first.
struct Loader<'a> {
    check: Checker<'a>,
}

impl<'a> Loader<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            check: Checker::new(text),
        }
    }

    fn line(&self, t: &Spanned<Table>) -> Option<usize> {
        Some(self.check.line_of(t.span().start))
    }

    fn load(mut self) -> Result<Catalog, Problems> {
        #[derive(serde::Deserialize)]
        struct Document {
            catalog: Option<Spanned<Table>>,
            #[serde(default)]
            groups: Vec<Spanned<Table>>,
            #[serde(default)]
            fields: Vec<Spanned<Table>>,
            #[serde(default)]
            procedures: Vec<Spanned<Table>>,
            #[serde(flatten)]
            other: BTreeMap<String, toml::Value>,
        }

        let Some(doc) = self.check.parse::<Document>("catalog") else {
            return Err(Problems(self.check.problems));
        };
        for key in doc.other.keys() {
            self.check.problem(
                None,
                key.clone(),
                "unknown section (expected catalog, groups, fields, procedures)",
            );
        }

        let mut meta = (String::new(), None, false, None, None);
        match &doc.catalog {
            Some(t) => {
                let line = self.line(t);
                let mut e = Entry::new(&mut self.check, t.get_ref(), "catalog", line);
                meta = (
                    e.required::<String>("name").unwrap_or_default(),
                    e.optional::<String>("name_en"),
                    e.optional::<bool>("demo").unwrap_or(false),
                    e.optional::<String>("version"),
                    e.optional::<String>("source"),
                );
                e.finish();
            }
            None => self
                .check
                .problem(None, "catalog", "missing [catalog] section with at least `name`"),
        }

        let groups = self.groups(&doc.groups);
        let fields = self.fields(&doc.fields);
        let procedures = self.procedures(&doc.procedures, &groups, &fields);
        if procedures.is_empty() && self.check.problems.is_empty() {
            self.check.problem(None, "procedures", "the catalog has no procedures");
        }

        let (name, name_en, demo, version, source) = meta;
        self.check.finish(|| Catalog {
            name_en: name_en.unwrap_or_else(|| name.clone()),
            name,
            demo,
            version: version.unwrap_or_default(),
            source: source.unwrap_or_default(),
            groups,
            fields,
            procedures,
        })
    }

    fn groups(&mut self, raw: &[Spanned<Table>]) -> Vec<Group> {
        let mut out: Vec<Group> = Vec::new();
        for (i, t) in raw.iter().enumerate() {
            let line = self.line(t);
            let mut e = Entry::new(&mut self.check, t.get_ref(), format!("groups[{i}]"), line);
            let (letter, name, name_en) = (
                e.required::<String>("letter"),
                e.required::<String>("name"),
                e.optional::<String>("name_en"),
            );
            if let Some(l) = &letter {
                if l.len() != 1 || !l.chars().all(|c| c.is_ascii_uppercase()) {
                    e.problem("letter", format!("`{l}` is not one capital letter A–Z"));
                } else if out.iter().any(|g| &g.letter == l) {
                    e.problem("letter", format!("group `{l}` is defined twice"));
                }
            }
            e.finish();
            if let (Some(letter), Some(name)) = (letter, name)
                && !out.iter().any(|g| g.letter == letter)
                && letter.len() == 1
            {
                out.push(Group {
                    name_en: name_en.unwrap_or_else(|| name.clone()),
                    letter,
                    name,
                });
            }
        }
        if raw.is_empty() {
            self.check.problem(
                None,
                "groups",
                "no service groups: add at least one [[groups]] with a letter",
            );
        }
        out
    }

    fn fields(&mut self, raw: &[Spanned<Table>]) -> Vec<Field> {
        let mut out: Vec<Field> = Vec::new();
        for (i, t) in raw.iter().enumerate() {
            let line = self.line(t);
            let mut e = Entry::new(&mut self.check, t.get_ref(), format!("fields[{i}]"), line);
            let (id, name, name_en) = (
                e.required::<String>("id"),
                e.required::<String>("name"),
                e.optional::<String>("name_en"),
            );
            if let Some(id) = &id
                && out.iter().any(|f| &f.id == id)
            {
                e.problem("id", format!("field `{id}` is defined twice"));
            }
            e.finish();
            if let (Some(id), Some(name)) = (id, name)
                && !out.iter().any(|f| f.id == id)
            {
                out.push(Field {
                    name_en: name_en.unwrap_or_else(|| name.clone()),
                    id,
                    name,
                });
            }
        }
        out
    }

    fn procedures(&mut self, raw: &[Spanned<Table>], groups: &[Group], fields: &[Field]) -> Vec<Procedure> {
        let mut out: Vec<Procedure> = Vec::new();
        let mut codes: HashSet<String> = HashSet::new();
        for (i, t) in raw.iter().enumerate() {
            let line = self.line(t);
            let code_hint = t.get_ref().get("code").and_then(|v| v.as_str()).unwrap_or("?");
            let place = format!("procedures[{i}] ({code_hint})");
            let before = self.check.problems.len();
            let mut e = Entry::new(&mut self.check, t.get_ref(), place.clone(), line);
            let code = e.required::<String>("code");
            let name = e.required::<String>("name");
            let name_en = e.optional::<String>("name_en");
            let field = e.required::<String>("field");
            let level = e.required::<String>("level");
            let processing_days = e.required::<i64>("processing_days");
            let processing_note = e.optional::<String>("processing_note");
            let group = e.required::<String>("group");
            let agency = e.required::<String>("agency");
            let result = e.required::<String>("result");
            let interlinked = e.optional::<bool>("interlinked").unwrap_or(false);
            let keywords = e.optional::<Vec<String>>("keywords").unwrap_or_default();
            let fees = e.optional::<Vec<Table>>("fees").unwrap_or_default();
            let documents = e.required::<Vec<Table>>("documents").unwrap_or_default();

            if let Some(code) = &code {
                if !is_procedure_code(code) {
                    e.problem("code", format!("`{code}` is not a procedure code like 1.001193"));
                } else if !codes.insert(code.clone()) {
                    e.problem("code", format!("duplicate code `{code}`"));
                }
            }
            if let Some(f) = &field
                && !fields.iter().any(|x| &x.id == f)
            {
                e.problem("field", format!("unknown field `{f}`"));
            }
            if let Some(g) = &group
                && !groups.iter().any(|x| &x.letter == g)
            {
                e.problem("group", format!("unknown group `{g}`"));
            }
            let level = level.and_then(|l| {
                let parsed = Level::parse(&l);
                if parsed.is_none() {
                    e.problem("level", format!("`{l}` is not one of xa, huyen, tinh"));
                }
                parsed
            });
            let processing_days = processing_days.and_then(|d| match u16::try_from(d) {
                Ok(d) if d <= 365 => Some(d),
                _ => {
                    e.problem(
                        "processing_days",
                        format!("{d} is not a number of working days (0 to 365)"),
                    );
                    None
                }
            });
            e.finish();
            let fees = self.fees(&fees, &place, line);
            let documents = self.documents(&documents, &place, line);
            if documents.is_empty() && self.check.problems.len() == before {
                self.check
                    .problem(line, format!("{place}.documents"), "at least one document is required");
            }
            if self.check.problems.len() != before {
                continue;
            }
            let (
                Some(code),
                Some(name),
                Some(field),
                Some(level),
                Some(processing_days),
                Some(group),
                Some(agency),
                Some(result),
            ) = (code, name, field, level, processing_days, group, agency, result)
            else {
                continue;
            };
            out.push(Procedure {
                name_en: name_en.unwrap_or_else(|| name.clone()),
                code,
                name,
                field,
                level,
                processing_days,
                processing_note,
                group,
                agency,
                result,
                interlinked,
                keywords,
                fees,
                documents,
            });
        }
        out
    }

    fn fees(&mut self, raw: &[Table], place: &str, line: Option<usize>) -> Vec<Fee> {
        let mut out = Vec::new();
        for (j, t) in raw.iter().enumerate() {
            let mut e = Entry::new(&mut self.check, t, format!("{place}.fees[{j}]"), line);
            let (name, amount, note, online) = (
                e.required::<String>("name"),
                e.required::<i64>("amount"),
                e.optional::<String>("note"),
                e.optional::<i64>("online"),
            );
            let amount = amount.and_then(|a| match u64::try_from(a) {
                Ok(a) => Some(a),
                Err(_) => {
                    e.problem("amount", format!("{a} is not an amount in đồng (0 or more)"));
                    None
                }
            });
            // Online it costs as much or less, never more: the kiosk tells
            // a citizen when filing online is cheaper.
            let online = match (online, amount) {
                (Some(o), Some(a)) if o < 0 || o as u64 > a => {
                    e.problem(
                        "online",
                        format!("{o} is not an amount in đồng from 0 to the fee's amount ({a})"),
                    );
                    None
                }
                (o, _) => o.map(|o| o as u64),
            };
            e.finish();
            if let (Some(name), Some(amount)) = (name, amount) {
                out.push(Fee {
                    name,
                    amount,
                    note,
                    online,
                });
            }
        }
        out
    }

    fn documents(&mut self, raw: &[Table], place: &str, line: Option<usize>) -> Vec<Document> {
        let mut out = Vec::new();
        for (j, t) in raw.iter().enumerate() {
            let mut e = Entry::new(&mut self.check, t, format!("{place}.documents[{j}]"), line);
            let (name, originals, copies) = (
                e.required::<String>("name"),
                e.required::<i64>("originals"),
                e.required::<i64>("copies"),
            );
            if let (Some(name), Some(o), Some(c)) = (name, originals, copies) {
                match (u8::try_from(o), u8::try_from(c)) {
                    (Ok(o), Ok(c)) if o + c > 0 && o <= 20 && c <= 20 => out.push(Document {
                        name,
                        originals: o,
                        copies: c,
                    }),
                    _ => e.problem(
                        "originals",
                        format!("originals = {o}, copies = {c}: each must be 0 to 20 and together at least 1"),
                    ),
                }
            }
            e.finish();
        }
        out
    }
}

/// National procedure codes look like `1.001193` or `2.000889`.
fn is_procedure_code(code: &str) -> bool {
    match code.split_once('.') {
        Some((a, b)) => {
            !a.is_empty()
                && a.len() <= 2
                && a.bytes().all(|c| c.is_ascii_digit())
                && (4..=8).contains(&b.len())
                && b.bytes().all(|c| c.is_ascii_digit())
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[catalog]
name = "Thử"

[[groups]]
letter = "A"
name = "Tư pháp"

[[fields]]
id = "tu-phap"
name = "Tư pháp"

[[procedures]]
code = "1.001193"
name = "Thủ tục đăng ký khai sinh"
field = "tu-phap"
level = "xa"
processing_days = 0
group = "A"
agency = "UBND cấp xã"
result = "Giấy khai sinh"

[[procedures.documents]]
name = "Tờ khai"
originals = 1
copies = 0
"#;

    #[test]
    fn demo_catalog_loads_and_is_large_enough() {
        let c = Catalog::from_toml(DEMO_TOML).unwrap_or_else(|e| panic!("{e}\n{:#?}", e.0));
        assert!(c.demo, "the demo catalog says it is demo data");
        assert!(c.procedures.len() >= 40, "{} procedures", c.procedures.len());
        assert!(c.fields_in_use().len() >= 8, "{} fields", c.fields_in_use().len());
        for p in &c.procedures {
            assert!(!p.documents.is_empty(), "{} has documents", p.code);
        }
    }

    #[test]
    fn a_fee_can_cost_less_online_never_more() {
        let fee = |online: &str| format!("{GOOD}\n[[procedures.fees]]\nname = \"Lệ phí\"\namount = 5000\n{online}\n");
        let c = Catalog::from_toml(&fee("online = 0")).unwrap();
        assert_eq!(c.procedures[0].fees[0].online_saving(), Some(5000));
        let c = Catalog::from_toml(&fee("")).unwrap();
        assert_eq!(c.procedures[0].fees[0].online_saving(), None);
        let c = Catalog::from_toml(&fee("online = 5000")).unwrap();
        assert_eq!(c.procedures[0].fees[0].online_saving(), None, "the same is no saving");
        for bad in ["online = 6000", "online = -1"] {
            let text = fee(bad);
            let e = Catalog::from_toml(&text).unwrap_err().to_string();
            assert!(
                e.contains(".fees[0].online") && e.contains("from 0 to the fee's amount"),
                "{e}"
            );
        }
        // The demo's Hà Nội fees are waived online (Resolution 77/2025).
        let demo = Catalog::demo();
        let khai_sinh = demo.procedure("1.001193").unwrap();
        assert_eq!(khai_sinh.fees[1].online, Some(0));
    }

    #[test]
    fn a_good_catalog_loads() {
        let c = Catalog::from_toml(GOOD).unwrap();
        assert_eq!(c.procedures[0].code, "1.001193");
        assert_eq!(c.procedures[0].level, Level::Commune);
        assert_eq!(c.procedures[0].name_en, "Thủ tục đăng ký khai sinh");
        assert_eq!(c.procedure("1.001193").unwrap().group, "A");
    }

    #[test]
    fn every_problem_is_reported_with_its_place() {
        let bad = GOOD.replace("processing_days = 0", "processing_days = -3")
            + r#"
[[procedures]]
code = "1.001193"
name = "Trùng mã"
field = "khong-co"
level = "quan"
processing_days = "năm"
group = "Z"
agency = "X"
result = "Y"
colour = "red"

[[procedures.documents]]
name = "Tờ khai"
originals = 0
copies = 0
"#;
        let problems = Catalog::from_toml(&bad).unwrap_err().0;
        let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        let has = |needle: &str| text.iter().any(|t| t.contains(needle));
        assert!(has("procedures[0] (1.001193).processing_days"), "{text:#?}");
        assert!(has("duplicate code `1.001193`"), "{text:#?}");
        assert!(has("unknown field `khong-co`"), "{text:#?}");
        assert!(has("unknown group `Z`"), "{text:#?}");
        assert!(has("`quan` is not one of"), "{text:#?}");
        assert!(has("procedures[1] (1.001193).processing_days: wrong type"), "{text:#?}");
        assert!(has("procedures[1] (1.001193).colour: unknown key"), "{text:#?}");
        assert!(has("documents[0]"), "{text:#?}");
        // The second procedure starts on its own line, and the problem says so.
        let dup = problems.iter().find(|p| p.message.contains("duplicate")).unwrap();
        let second = bad
            .lines()
            .enumerate()
            .filter(|(_, l)| *l == "[[procedures]]")
            .nth(1)
            .unwrap()
            .0
            + 1;
        assert_eq!(dup.line, Some(second));
    }

    #[test]
    fn missing_keys_and_broken_syntax_are_reported() {
        let missing = GOOD
            .replace("agency = \"UBND cấp xã\"\n", "")
            .replace("result = \"Giấy khai sinh\"\n", "");
        let text = Catalog::from_toml(&missing).unwrap_err().to_string();
        assert!(text.contains(".agency: missing"), "{text}");
        assert!(text.contains(".result: missing"), "{text}");

        let broken = Catalog::from_toml("[catalog\nname = 1").unwrap_err();
        assert_eq!(broken.0[0].line, Some(1));

        let empty = Catalog::from_toml("").unwrap_err().to_string();
        assert!(empty.contains("[catalog]"), "{empty}");
    }

    #[test]
    fn a_catalog_value_is_checked_by_the_file_rules() {
        let demo = Catalog::demo();
        demo.validate().unwrap_or_else(|e| panic!("{e}"));
        // Written out and read back, nothing changes.
        assert_eq!(Catalog::from_toml(&demo.as_toml().unwrap()).unwrap(), demo);

        let mut bad = demo.clone();
        bad.procedures[0].name = String::new();
        bad.procedures[2].code = bad.procedures[1].code.clone();
        bad.procedures[3].group = "Z".into();
        bad.procedures[4].documents.clear();
        bad.procedures[5].fees.push(Fee {
            name: "Phí".into(),
            amount: u64::MAX,
            note: None,
            online: None,
        });
        let problems = bad.validate().unwrap_err().0;
        let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
        let has = |needle: &str| text.iter().any(|t| t.contains(needle));
        assert!(has("procedures[0]") && has(".name: empty"), "{text:#?}");
        assert!(
            has(&format!("duplicate code `{}`", bad.procedures[1].code)),
            "{text:#?}"
        );
        assert!(has("unknown group `Z`"), "{text:#?}");
        assert!(has("procedures[4]") && has("at least one document"), "{text:#?}");
        assert!(has("procedures[5]") && has("is not an amount in đồng"), "{text:#?}");
        assert!(
            problems.iter().all(|p| p.line.is_none()),
            "no lines of a file that does not exist"
        );

        let mut empty = demo;
        empty.procedures.clear();
        assert!(empty.validate().unwrap_err().to_string().contains("no procedures"));
    }

    #[test]
    fn procedure_codes() {
        assert!(is_procedure_code("1.001193"));
        assert!(is_procedure_code("2.000889"));
        assert!(!is_procedure_code("1001193"));
        assert!(!is_procedure_code("1.00a193"));
        assert!(!is_procedure_code(".001193"));
    }
}
