//! A configuration file: any text. Reading it answers a configuration
//! (with the unknown keys listed) or a message, never panics; a
//! configuration that is accepted is written out and read back the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use motcua_core::config::Config;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok((config, _unknown)) = Config::parse(text) else {
        return;
    };
    let written = toml::to_string(&config).expect("an accepted configuration is written");
    let (back, unknown) = Config::parse(&written).expect("what was written is accepted");
    assert!(unknown.is_empty(), "{unknown:?}");
    assert_eq!(back, config);
});
