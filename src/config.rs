//! The configuration file: found and read here; its text is parsed and
//! checked by [`motcua_core::config`] (re-exported here).

use std::path::{Path, PathBuf};

pub use motcua_core::config::*;

/// Reads `explicit` (which must exist), else `MOTCUA_CONFIG`, else the
/// default path if it exists, else the built-in defaults.
pub fn load(explicit: Option<&Path>) -> Result<Loaded, ConfigError> {
    let env = std::env::var_os("MOTCUA_CONFIG").map(PathBuf::from);
    let path = match (explicit, env) {
        (Some(p), _) => Some(p.to_path_buf()),
        (None, Some(p)) => Some(p),
        (None, None) => Some(PathBuf::from(DEFAULT_PATH)).filter(|p| p.exists()),
    };
    let Some(path) = path else {
        return Ok(Loaded {
            config: Config::default(),
            path: None,
            unknown_keys: Vec::new(),
        });
    };
    let text = std::fs::read_to_string(&path).map_err(|e| ConfigError {
        path: path.clone(),
        message: e.to_string(),
    })?;
    let (config, unknown_keys) = Config::parse(&text).map_err(|message| ConfigError {
        path: path.clone(),
        message,
    })?;
    Ok(Loaded {
        config,
        path: Some(path),
        unknown_keys,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_explicit_missing_file_is_an_error() {
        let e = load(Some(Path::new("/nonexistent/motcua.toml"))).unwrap_err();
        assert_eq!(e.path, Path::new("/nonexistent/motcua.toml"));
    }
}
