//! The screens, headless with iced_test: the settings every simulator
//! uses and the check of a rendering against its snapshot.

use std::path::Path;

use iced::Settings;
use motcua::ui::style;

/// The simulator's settings: motcua's fonts and default font.
///
/// The font system is global to the process; iced loads each font from
/// the same static bytes once and ignores it after that, so every
/// simulator can be given the fonts and no test renders before they are
/// loaded, whichever runs first.
pub fn settings() -> Settings {
    Settings {
        fonts: vec![style::FONT_REGULAR_BYTES.into(), style::FONT_BOLD_BYTES.into()],
        default_font: style::FONT,
        ..Settings::default()
    }
}

/// Set to `1` to write (or rewrite) the snapshots a test renders.
pub const UPDATE_SNAPSHOTS: &str = "MOTCUA_UPDATE_SNAPSHOTS";

/// Checks a rendered screen against `tests/snapshots/<name>-<renderer>.png`.
///
/// iced_test writes a missing file and passes; here a missing snapshot
/// fails unless `MOTCUA_UPDATE_SNAPSHOTS=1` asks for it to be written, so
/// a screen nobody looked at cannot slip in. A screen that differs leaves
/// what it rendered beside the snapshot as `<name>-<renderer>-actual.png`
/// (ignored by git) to compare by eye.
pub fn assert_snapshot(shot: &iced_test::simulator::Snapshot, name: &str) {
    let dir = super::workspace_root().join("tests/snapshots");
    // Render into a scratch directory first: iced_test names the file
    // after its renderer, and that name is the one to look for.
    let scratch = tempfile::tempdir().expect("a scratch directory");
    shot.matches_image(scratch.path().join(name))
        .expect("the snapshot can be written");
    let rendered = std::fs::read_dir(scratch.path())
        .expect("the scratch directory")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "png"))
        .expect("iced_test wrote the rendering");
    let file_name = rendered.file_name().expect("a file name").to_owned();
    let expected = dir.join(&file_name);
    let actual = dir.join(format!(
        "{}-actual.png",
        Path::new(&file_name).file_stem().expect("a stem").to_string_lossy()
    ));
    let _ = std::fs::remove_file(&actual);
    let update = std::env::var(UPDATE_SNAPSHOTS).is_ok_and(|v| !v.is_empty() && v != "0");
    if update {
        std::fs::create_dir_all(&dir).expect("the snapshot directory");
        std::fs::copy(&rendered, &expected).expect("the snapshot is written");
        return;
    }
    assert!(
        expected.exists(),
        "no snapshot {} for screen `{name}`: run with {UPDATE_SNAPSHOTS}=1, look at the new PNG and commit it",
        expected.display()
    );
    if !shot.matches_image(dir.join(name)).expect("the snapshot can be read") {
        let _ = std::fs::copy(&rendered, &actual);
        panic!(
            "screen `{name}` differs from {}; what it renders now is in {}",
            expected.display(),
            actual.display()
        );
    }
}
