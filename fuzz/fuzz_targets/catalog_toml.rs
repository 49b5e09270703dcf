//! A catalog file: any text. Loading answers a catalog or the list of its
//! problems, never panics; a catalog that loads passes the very check
//! central's JSON and portal imports go through, and survives the JSON
//! trip to the devices unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use motcua_core::catalog::Catalog;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let catalog = match Catalog::from_toml(text) {
        Ok(catalog) => catalog,
        Err(problems) => {
            assert!(!problems.0.is_empty());
            return;
        }
    };
    if let Err(problems) = catalog.validate() {
        panic!("loaded, then refused: {problems:?}");
    }
    let json = serde_json::to_string(&catalog).expect("a catalog serializes");
    let back: Catalog = serde_json::from_str(&json).expect("its JSON reads back");
    assert_eq!(back, catalog);
});
