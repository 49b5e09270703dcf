//! The kiosk's speech keys: `[kiosk] headset`, `speech_volume`,
//! `speech_rate`.

use super::*;

#[test]
fn speech_keys_are_read_with_safe_defaults() {
    let (c, unknown) = Config::parse("").unwrap();
    assert!(unknown.is_empty());
    // Unplugged unless the jack says otherwise; espeak-ng's own loudness;
    // slower than espeak-ng's 175 words a minute.
    assert_eq!(c.kiosk.headset, HeadsetMode::Auto);
    assert_eq!(c.kiosk.speech_volume, 4);
    assert!(c.kiosk.speech_rate < 175, "{}", c.kiosk.speech_rate);

    let (c, unknown) = Config::parse("[kiosk]\nheadset = \"always\"\nspeech_volume = 6\nspeech_rate = 120\n").unwrap();
    assert!(unknown.is_empty(), "{unknown:?}");
    assert_eq!(c.kiosk.headset, HeadsetMode::Always);
    assert_eq!((c.kiosk.speech_volume, c.kiosk.speech_rate), (6, 120));
    let (c, _) = Config::parse("[kiosk]\nheadset = \"never\"\n").unwrap();
    assert_eq!(c.kiosk.headset, HeadsetMode::Never);
}

#[test]
fn a_bad_speech_value_names_its_key_line_and_what_it_accepts() {
    for (text, key, accepts, line) in [
        ("[kiosk]\nheadset = \"sometimes\"\n", "headset", "always", 2),
        ("[kiosk]\n\nheadset = true\n", "headset", "string", 3),
        ("[kiosk]\nspeech_volume = 0\n", "kiosk.speech_volume", "1 to 6", 2),
        ("[kiosk]\nspeech_volume = 7\n", "kiosk.speech_volume", "1 to 6", 2),
        ("[kiosk]\nspeech_volume = -1\n", "speech_volume", "", 2),
        ("[kiosk]\nspeech_rate = 30\n", "kiosk.speech_rate", "80 to 260", 2),
        ("[kiosk]\nspeech_rate = 900\n", "kiosk.speech_rate", "80 to 260", 2),
    ] {
        let e = Config::parse(text).unwrap_err();
        assert!(e.contains(key), "{text:?}: {e}");
        assert!(e.contains(accepts), "{text:?}: {e}");
        assert!(e.contains(&format!("line {line}")), "{text:?}: {e}");
    }
}

#[test]
fn a_misspelt_speech_key_is_pointed_at() {
    let (c, unknown) = Config::parse("[kiosk]\nheadphones = \"always\"\n").unwrap();
    assert_eq!(c.kiosk.headset, HeadsetMode::Auto, "the misspelt key did nothing");
    assert_eq!(unknown.len(), 1);
    assert_eq!(unknown[0].key, "kiosk.headphones");
}

#[test]
fn a_low_reach_table_is_read_and_one_that_leaves_no_room_is_refused_on_its_line() {
    let (c, unknown) = Config::parse("[kiosk.reach]\nscreen_bottom_mm = 650\nscreen_height_mm = 953\n").unwrap();
    assert!(unknown.is_empty(), "{unknown:?}");
    let reach = c.kiosk.reach.unwrap();
    assert_eq!(
        (reach.screen_bottom_mm, reach.lowest_mm, reach.highest_mm),
        (650, 380, 1220)
    );
    let e = Config::parse("[kiosk]\n[kiosk.reach]\nscreen_bottom_mm = 1100\n").unwrap_err();
    let text = e.to_string();
    assert!(text.contains("kiosk.reach.screen_bottom_mm"), "{text}");
    assert!(text.contains("at least 300 mm"), "{text}");
}
