//! The counter's scanner keys: `[scanner] device`, `resolution`, `mode`,
//! `program`.

use super::*;
use crate::scanner::ScanMode;

#[test]
fn scanner_keys_are_read_with_300_dpi_grey_by_default() {
    let (c, unknown) = Config::parse("").unwrap();
    assert!(unknown.is_empty());
    assert_eq!(c.scanner.device, None, "the first device found");
    assert_eq!((c.scanner.resolution, c.scanner.mode), (300, ScanMode::Grey));
    assert_eq!(c.scanner.program, "scanimage");

    let text = "[scanner]\ndevice = \"airscan:e0:Canon MF260\"\nresolution = 200\nmode = \"colour\"\nprogram = \"/usr/local/bin/scanimage\"\n";
    let (c, unknown) = Config::parse(text).unwrap();
    assert!(unknown.is_empty(), "{unknown:?}");
    assert_eq!(c.scanner.device.as_deref(), Some("airscan:e0:Canon MF260"));
    assert_eq!((c.scanner.resolution, c.scanner.mode), (200, ScanMode::Colour));
    assert_eq!(c.scanner.program, "/usr/local/bin/scanimage");
    // The American spelling SANE itself uses is understood.
    let (c, _) = Config::parse("[scanner]\nmode = \"color\"\n").unwrap();
    assert_eq!(c.scanner.mode, ScanMode::Colour);
}

#[test]
fn a_bad_scanner_value_names_its_key_line_and_what_it_accepts() {
    for (text, key, accepts, line) in [
        ("[scanner]\nresolution = 50\n", "scanner.resolution", "75 to 1200", 2),
        (
            "[scanner]\n\nresolution = 2400\n",
            "scanner.resolution",
            "75 to 1200",
            3,
        ),
        ("[scanner]\nmode = \"sepia\"\n", "mode", "grey", 2),
        ("[scanner]\ndevice = \" \"\n", "scanner.device", "scanimage -L", 2),
        ("[scanner]\nprogram = \"\"\n", "scanner.program", "scanimage", 2),
    ] {
        let e = Config::parse(text).unwrap_err();
        assert!(e.contains(key), "{text:?}: {e}");
        assert!(e.contains(accepts), "{text:?}: {e}");
        assert!(e.contains(&format!("line {line}")), "{text:?}: {e}");
    }
}

#[test]
fn a_misspelt_scanner_key_is_pointed_at() {
    let (c, unknown) = Config::parse("[scanner]\nresolutoin = 600\n").unwrap();
    assert_eq!(c.scanner.resolution, 300, "the misspelt key did nothing");
    assert_eq!(unknown.len(), 1);
    assert_eq!(unknown[0].suggestion.as_deref(), Some("[scanner] resolution"));
}
