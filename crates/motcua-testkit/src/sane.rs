//! SANE's `test` backend as the counter's scanner: a virtual device that
//! makes real pages with no hardware (Debian's sane-utils and libsane1,
//! which `scripts/test` installs). Each test gets a SANE configuration
//! directory of its own, so that no system file is read or changed and
//! a test's faults stay its own.

use std::path::{Path, PathBuf};

use motcua::scan::Scanner;

/// The test backend's settings: A4 possible (its own default stops at
/// 200 mm) and the page A4 unless a test says otherwise, 8-bit grey.
const TEST_CONF: &str = r#"number_of_devices 2
mode Gray
depth 8
hand-scanner false
three-pass false
three-pass-order RGB
resolution_min 1.0
resolution_max 1200.0
resolution_quant 1.0
resolution 300.0
test-picture "Solid black"
invert-endianess false
read-limit false
read-limit-size 1
read-delay false
read-delay-duration 1000
read-status-code "Default"
fuzzy-parameters false
ppl-loss 0
non-blocking false
select-fd false
enable-test-options false
geometry_min 0.0
geometry_max 300.0
geometry_quant 1.0
tl_x 0.0
tl_y 0.0
br_x 210.0
br_y 297.0
"#;

/// A SANE configuration directory that knows the test backend alone.
pub struct Sane {
    dir: tempfile::TempDir,
}

impl Sane {
    /// The test backend with its settings as in [`TEST_CONF`].
    pub fn new() -> Self {
        Self::with(&[])
    }

    /// The test backend with some of its settings replaced, each a
    /// `test.conf` line's name and value: `("test-picture", "\"Grid\"")`,
    /// `("read-status-code", "\"SANE_STATUS_JAMMED\"")`.
    pub fn with(settings: &[(&str, &str)]) -> Self {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let conf: String = TEST_CONF
            .lines()
            .map(|line| {
                let name = line.split(' ').next().unwrap_or_default();
                match settings.iter().find(|(n, _)| *n == name) {
                    Some((n, v)) => format!("{n} {v}\n"),
                    None => format!("{line}\n"),
                }
            })
            .collect();
        std::fs::write(dir.path().join("dll.conf"), "test\n").unwrap();
        std::fs::write(dir.path().join("test.conf"), conf).unwrap();
        Self { dir }
    }

    /// The directory, for `SANE_CONFIG_DIR`.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The environment `scanimage` needs to use it ([`Scanner::env`]).
    pub fn env(&self) -> Vec<(String, String)> {
        vec![("SANE_CONFIG_DIR".into(), self.path().display().to_string())]
    }

    /// The counter's scanner on its device `device` (`test:0`), through
    /// the installed `scanimage`.
    pub fn scanner(&self, device: &str) -> Scanner {
        Scanner {
            program: PathBuf::from("scanimage"),
            device: Some(device.to_string()),
            env: self.env(),
        }
    }
}

impl Default for Sane {
    fn default() -> Self {
        Self::new()
    }
}
