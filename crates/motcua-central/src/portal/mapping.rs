//! The table from motcua's dossier statuses and satisfaction answers to a
//! national portal's codes, kept in data (`assets/portal/mapping.toml`)
//! so a city can change it without a new build.

use std::collections::BTreeMap;

use serde::Deserialize;

/// The mapping every office starts with.
pub const DEFAULT_TEXT: &str = include_str!("../../../../assets/portal/mapping.toml");

/// One of the portal's three satisfaction levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    RatHaiLong,
    HaiLong,
    ChuaHaiLong,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusRule {
    /// TrangThaiHoSo sent for this status; 0 sends nothing.
    pub national: u8,
    /// NoiDungXuLy of the progress item.
    pub action: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RatingRule {
    pub satisfied: Level,
    pub neutral: Level,
    pub unsatisfied: Level,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    status: BTreeMap<String, StatusRule>,
    pub rating: RatingRule,
}

/// Why a mapping table is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MappingError {
    #[error("{0}")]
    Toml(String),
    #[error("`status.{0}`: motcua's statuses are 1 to 10")]
    UnknownStatus(String),
    #[error("`status.{key}.national` = {national}: accepts 1 to 10, or 0 to send nothing")]
    NationalOutOfRange { key: String, national: u8 },
    #[error("`status.{0}.action`: the progress text is empty")]
    EmptyAction(String),
    #[error("`status.{0}` is missing: every status 1 to 10 needs a rule")]
    Missing(u8),
}

impl Mapping {
    /// Parses and checks a mapping: every status 1–10 present, each sent
    /// as a code 1–10 or 0, and an action text for each.
    pub fn parse(text: &str) -> Result<Self, MappingError> {
        let m: Mapping = toml::from_str(text).map_err(|e| MappingError::Toml(e.to_string()))?;
        for (key, rule) in &m.status {
            let ok = key.parse::<u8>().is_ok_and(|s| (1..=10).contains(&s));
            if !ok {
                return Err(MappingError::UnknownStatus(key.clone()));
            }
            if rule.national > 10 {
                return Err(MappingError::NationalOutOfRange {
                    key: key.clone(),
                    national: rule.national,
                });
            }
            if rule.national != 0 && rule.action.trim().is_empty() {
                return Err(MappingError::EmptyAction(key.clone()));
            }
        }
        if let Some(missing) = (1..=10u8).find(|s| !m.status.contains_key(&s.to_string())) {
            return Err(MappingError::Missing(missing));
        }
        Ok(m)
    }

    pub fn default_mapping() -> Self {
        Self::parse(DEFAULT_TEXT).expect("the built-in mapping is valid")
    }

    /// The portal's code and progress text for a motcua status; `None`
    /// when that status is not sent.
    pub fn status(&self, status: u8) -> Option<(u8, &str)> {
        let rule = self.status.get(&status.to_string())?;
        (rule.national != 0).then_some((rule.national, rule.action.as_str()))
    }

    pub fn level(&self, answer: &str) -> Option<Level> {
        match answer {
            "satisfied" => Some(self.rating.satisfied),
            "neutral" => Some(self.rating.neutral),
            "unsatisfied" => Some(self.rating.unsatisfied),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_table_sends_every_status_as_its_national_code() {
        let m = Mapping::default_mapping();
        for s in 1..=10 {
            let (code, action) = m.status(s).unwrap();
            assert_eq!(code, s);
            assert!(!action.is_empty());
        }
        assert_eq!(m.status(2), Some((2, "Tiếp nhận hồ sơ")));
        assert_eq!(m.status(10), Some((10, "Đã trả kết quả")));
        assert_eq!(m.status(11), None);
        assert_eq!(m.level("unsatisfied"), Some(Level::ChuaHaiLong));
        assert_eq!(m.level("satisfied"), Some(Level::HaiLong));
    }

    #[test]
    fn a_city_can_fold_statuses_or_hold_them_back() {
        // Like systems that report 5, 6 and 8 as 9, and never report 1.
        let text = DEFAULT_TEXT
            .replace("[status.5]\nnational = 5", "[status.5]\nnational = 9")
            .replace("[status.1]\nnational = 1", "[status.1]\nnational = 0");
        let m = Mapping::parse(&text).unwrap();
        assert_eq!(m.status(5), Some((9, "Yêu cầu bổ sung giấy tờ")));
        assert_eq!(m.status(1), None);
    }

    #[test]
    fn broken_tables_say_what_is_wrong() {
        let missing = DEFAULT_TEXT.replace(
            "[status.7]\nnational = 7\naction = \"Công dân yêu cầu rút hồ sơ\"\n",
            "",
        );
        assert!(Mapping::parse(&missing).unwrap_err().to_string().contains("status.7"));
        let too_big = DEFAULT_TEXT.replace("[status.4]\nnational = 4", "[status.4]\nnational = 14");
        assert!(
            Mapping::parse(&too_big)
                .unwrap_err()
                .to_string()
                .contains("status.4.national")
        );
        let unknown = format!("{DEFAULT_TEXT}\n[status.11]\nnational = 1\naction = \"x\"\n");
        assert!(Mapping::parse(&unknown).unwrap_err().to_string().contains("status.11"));
        let level = DEFAULT_TEXT.replace("neutral = \"hai_long\"", "neutral = \"so_so\"");
        assert!(Mapping::parse(&level).unwrap_err().to_string().contains("so_so"));
    }
}
