//! The Debian packaging: the systemd units pass `systemd-analyze verify`
//! and keep the kiosk running; the example configuration is one this
//! version reads without a warning.

use std::path::{Path, PathBuf};
use std::process::Command;

const GUI_UNITS: [&str; 3] = ["motcua-kiosk.service", "motcua-counter.service", "motcua-board.service"];
const CENTRAL_UNIT: &str = "motcua-central.service";

/// Keys of the configuration that a later version adds; the example file
/// shows them commented out until then.
const UPCOMING_KEYS: [&str; 5] = ["role", "device_name", "orientation", "retention", "admin"];

fn packaging() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("packaging")
}

fn read(name: &str) -> String {
    let path = packaging().join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The values of `key` in a unit file (comments skipped).
fn values<'a>(unit: &'a str, key: &str) -> Vec<&'a str> {
    unit.lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('#') && !l.starts_with(';'))
        .filter_map(|l| l.split_once('='))
        .filter(|(k, _)| k.trim() == key)
        .map(|(_, v)| v.trim())
        .collect()
}

fn systemd_analyze() -> PathBuf {
    ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!(
                "systemd-analyze is not installed: install the Debian package `systemd` \
                 (apt-get install systemd) to check the units"
            )
        })
}

#[test]
fn every_unit_passes_systemd_analyze_verify() {
    let analyze = systemd_analyze();
    let motcua = env!("CARGO_BIN_EXE_motcua");
    let cage = if Path::new("/usr/bin/cage").is_file() {
        "/usr/bin/cage"
    } else {
        "/bin/true"
    };
    let dir = tempfile::tempdir().unwrap();
    for name in GUI_UNITS.iter().chain([&CENTRAL_UNIT]) {
        let text = read(name);
        let exec = values(&text, "ExecStart");
        assert_eq!(exec.len(), 1, "{name}: one ExecStart");
        assert!(
            exec[0].contains("/usr/bin/motcua "),
            "{name}: runs /usr/bin/motcua: {}",
            exec[0]
        );
        let rewritten = text
            .replace("/usr/bin/cage ", &format!("{cage} "))
            .replace("/usr/bin/motcua ", &format!("{motcua} "));
        let path = dir.path().join(name);
        std::fs::write(&path, rewritten).unwrap();
        let out = Command::new(&analyze)
            .arg("verify")
            .arg(&path)
            .env("SYSTEMD_LOG_COLOR", "0")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{name}: systemd-analyze verify failed:\n{stderr}");
        // Warnings about the machine's own units are not ours; any line
        // about this unit is (an unknown key is only a warning).
        let ours: Vec<&str> = stderr
            .lines()
            .filter(|l| l.contains(*name) || l.contains("Unknown key") || l.contains("Unknown section"))
            .collect();
        assert!(
            ours.is_empty(),
            "{name}: systemd-analyze verify warns:\n{}",
            ours.join("\n")
        );
    }
}

#[test]
fn the_gui_units_keep_the_program_running_under_cage() {
    for name in GUI_UNITS {
        let text = read(name);
        let one = |key: &str| {
            let v = values(&text, key);
            assert_eq!(v.len(), 1, "{name}: one {key}=, found {v:?}");
            v[0].to_string()
        };
        assert_eq!(one("Restart"), "always", "{name}");
        assert_eq!(one("RestartSec"), "2", "{name}");
        assert_eq!(one("WatchdogSec"), "30", "{name}");
        assert_eq!(one("NotifyAccess"), "all", "{name}: motcua is a child of cage");
        assert_eq!(one("Type"), "notify", "{name}");
        assert_eq!(one("User"), "motcua", "{name}");
        assert_eq!(one("TTYPath"), "/dev/tty1", "{name}");
        assert_eq!(one("StandardInput"), "tty-fail", "{name}");
        assert_eq!(one("PAMName"), "login", "{name}");
        assert_eq!(one("StateDirectory"), "motcua", "{name}");
        assert!(
            values(&text, "Conflicts")
                .iter()
                .any(|v| v.contains("getty@tty1.service")),
            "{name}"
        );
        assert!(
            values(&text, "Environment").contains(&"MOTCUA_CONFIG=/etc/motcua/motcua.toml"),
            "{name}"
        );
        let role = name.trim_start_matches("motcua-").trim_end_matches(".service");
        // Without cage's -s no Ctrl+Alt+Fn leaves for another console.
        assert_eq!(
            one("ExecStart"),
            format!("/usr/bin/cage -- /usr/bin/motcua --fullscreen --data-dir /var/lib/motcua {role}"),
            "{name}"
        );
    }
}

#[test]
fn an_admin_exit_from_the_kiosk_is_not_restarted() {
    let text = read("motcua-kiosk.service");
    assert_eq!(
        values(&text, "RestartPreventExitStatus"),
        [motcua::ui::admin::EXIT_CODE.to_string().as_str()]
    );
}

#[test]
fn the_central_unit_is_a_hardened_server_without_cage() {
    let text = read(CENTRAL_UNIT);
    let exec = values(&text, "ExecStart");
    assert_eq!(
        exec,
        ["/usr/bin/motcua central --listen 0.0.0.0:8686 --data-dir /var/lib/motcua-central"]
    );
    assert!(!text.contains("cage"), "central runs no compositor");
    for (key, value) in [
        ("Type", "notify"),
        ("StateDirectory", "motcua-central"),
        ("ProtectSystem", "strict"),
        ("ProtectHome", "yes"),
        ("NoNewPrivileges", "yes"),
        ("PrivateTmp", "yes"),
        ("WatchdogSec", "30"),
        ("LimitNOFILE", "65536"),
        ("UMask", "0077"),
    ] {
        assert_eq!(values(&text, key), [value], "{CENTRAL_UNIT}: {key}");
    }
}

#[test]
fn the_command_lines_of_the_units_parse() {
    // Each ExecStart's motcua arguments, with `--help` appended, must be
    // accepted by this binary's parser (a misplaced flag exits 2).
    let motcua = env!("CARGO_BIN_EXE_motcua");
    for name in GUI_UNITS.iter().chain([&CENTRAL_UNIT]) {
        let text = read(name);
        let exec = values(&text, "ExecStart")[0];
        let args = exec.split_once("/usr/bin/motcua ").expect("runs motcua").1;
        let out = Command::new(motcua)
            .args(args.split_whitespace())
            .arg("--help")
            .env_remove("MOTCUA_CONFIG")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{name}: `motcua {args}` is refused:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// The dotted key of an unknown-key report, whether the report is the key
/// itself or says "line N: `key`".
fn key_of(report: &impl std::fmt::Display) -> String {
    let report = report.to_string();
    match report.split('`').nth(1) {
        Some(key) => key.to_string(),
        None => report,
    }
}

#[test]
fn the_example_configuration_has_no_unknown_keys() {
    let text = read("motcua.toml");
    let (config, unknown) = motcua::config::Config::parse(&text).expect("the example configuration is valid");
    let unknown: Vec<String> = unknown.iter().map(key_of).collect();
    assert!(unknown.is_empty(), "unknown keys in packaging/motcua.toml: {unknown:?}");
    assert_eq!(config.data_dir.as_deref(), Some(Path::new("/var/lib/motcua")));
}

#[test]
fn the_commented_out_examples_are_valid_settings() {
    // "#key = value" and "#[table]" lines are settings shown commented out;
    // with the "#" removed they must still be a valid configuration whose
    // only unknown keys are the ones a later version adds. A value with
    // "…" in it is a placeholder to fill in, and stays commented out.
    let text = read("motcua.toml");
    let is_setting = |rest: &str| {
        rest.starts_with('[')
            || rest.split_once(" = ").is_some_and(|(k, v)| {
                !k.is_empty() && k.chars().all(|c| c.is_ascii_lowercase() || c == '_') && !v.contains('…')
            })
    };
    let uncommented: String = text
        .lines()
        .map(|l| match l.strip_prefix('#') {
            Some(rest) if is_setting(rest) => rest,
            _ => l,
        })
        .flat_map(|l| [l, "\n"])
        .collect();
    assert!(uncommented.contains("\nidle_timeout_secs = 60\n"), "{uncommented}");
    assert!(
        uncommented.contains("\n[printer]\nkind = \"network\"\n"),
        "{uncommented}"
    );
    let (config, unknown) = motcua::config::Config::parse(&uncommented)
        .unwrap_or_else(|e| panic!("the commented-out examples are invalid: {e}"));
    let upcoming = |k: &String| UPCOMING_KEYS.iter().any(|u| k == u || k.starts_with(&format!("{u}.")));
    let stray: Vec<String> = unknown.iter().map(key_of).filter(|k| !upcoming(k)).collect();
    assert!(stray.is_empty(), "unknown keys among the examples: {stray:?}");
    assert!(config.printer.is_some());
    assert_eq!(config.central.url.as_deref(), Some("https://10.0.0.5:8686"));
    assert_eq!(config.counter.groups, ["A", "B"]);
}
