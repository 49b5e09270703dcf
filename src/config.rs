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

/// The office's form layouts: `[counter] forms` when set, else the
/// built-in ones. A file that does not read, or uses a name a form does
/// not fill, is an error naming the file and every problem with its line.
pub fn form_layouts(config: &Config) -> Result<std::sync::Arc<motcua_core::forms::Layouts>, ConfigError> {
    use motcua_core::forms::Layouts;
    let Some(path) = &config.counter.forms else {
        return Ok(std::sync::Arc::new(Layouts::builtin()));
    };
    let path = PathBuf::from(path);
    let text = std::fs::read_to_string(&path).map_err(|e| ConfigError {
        path: path.clone(),
        message: format!("[counter] forms: {e}"),
    })?;
    Layouts::parse(&text)
        .map(std::sync::Arc::new)
        .map_err(|problems| ConfigError {
            path,
            message: format!("[counter] forms: {problems}"),
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

    #[test]
    fn an_offices_form_layouts_are_read_and_a_bad_one_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let mut config = Config::default();
        assert_eq!(form_layouts(&config).unwrap().receipt.form, "Mẫu số 01");
        let path = dir.path().join("forms.toml");
        let own = motcua_core::forms::BUILTIN.replace("Mẫu số 01", "Mẫu số 01 (Hoàn Kiếm)");
        std::fs::write(&path, &own).unwrap();
        config.counter.forms = Some(path.display().to_string());
        assert_eq!(form_layouts(&config).unwrap().receipt.form, "Mẫu số 01 (Hoàn Kiếm)");
        std::fs::write(&path, own.replace("{officer}", "{cán bộ}")).unwrap();
        let e = form_layouts(&config).unwrap_err();
        assert_eq!(e.path, path);
        assert!(
            e.message.contains("[counter] forms") && e.message.contains("{cán bộ}") && e.message.contains("line "),
            "{}",
            e.message
        );
        config.counter.forms = Some(dir.path().join("missing.toml").display().to_string());
        assert!(
            form_layouts(&config)
                .unwrap_err()
                .message
                .starts_with("[counter] forms")
        );
    }
}
