//! The counter's scanner (`[scanner]`): which SANE device scans the
//! dossier's documents, and how by default. The device side drives it
//! (`motcua::scan`); here the table is read and checked.

use serde::{Deserialize, Serialize};

/// `[scanner]` of the configuration.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
pub struct Scanner {
    /// The SANE device name, as `scanimage -L` lists it ("airscan:e0:Canon
    /// MF260", "epson2:net:10.0.0.7"); the first device found when unset.
    pub device: Option<String>,
    /// Dots per inch; 300 is what the rules for digitised dossiers ask.
    pub resolution: u32,
    /// Grey for documents; colour when the office keeps seals in colour.
    pub mode: ScanMode,
    /// SANE's command-line front end (Debian's sane-utils).
    pub program: String,
}

/// How pages are scanned unless the officer asks otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ScanMode {
    #[default]
    #[serde(alias = "gray")]
    Grey,
    #[serde(alias = "color")]
    Colour,
}

/// The resolutions a document is scanned at: legible at 75, and 1200 is
/// the most a document scanner gives (and 1.5 GB of a colour A4 page past it).
pub const RESOLUTIONS: std::ops::RangeInclusive<u32> = 75..=1200;

impl Default for Scanner {
    fn default() -> Self {
        Self {
            device: None,
            resolution: 300,
            mode: ScanMode::Grey,
            program: "scanimage".into(),
        }
    }
}

impl Scanner {
    /// Why these values cannot be used, in a sentence naming the key.
    pub fn check(&self) -> Result<(), (&'static str, String)> {
        if !RESOLUTIONS.contains(&self.resolution) {
            return Err((
                "scanner.resolution",
                format!(
                    "`scanner.resolution` = {}: accepts {} to {} (dots per inch)",
                    self.resolution,
                    RESOLUTIONS.start(),
                    RESOLUTIONS.end()
                ),
            ));
        }
        if let Some(device) = &self.device
            && (device.trim().is_empty() || device.chars().any(char::is_control))
        {
            return Err((
                "scanner.device",
                "`scanner.device`: accepts a SANE device name as `scanimage -L` lists it, like \"airscan:e0:Canon MF260\""
                    .into(),
            ));
        }
        if self.program.trim().is_empty() {
            return Err((
                "scanner.program",
                "`scanner.program`: accepts a program name or path, like \"scanimage\"".into(),
            ));
        }
        Ok(())
    }
}
