//! The command line's shared parts: the options every command takes, the
//! log set-up, and one module per command group.

pub mod catalog;
pub mod central;
pub mod dev;
pub mod doctor;
pub mod enroll;
pub mod move_office;
pub mod officer;
pub mod portal;
pub mod receipt;
pub mod run;
pub mod sync_status;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use motcua::i18n::Lang;
use motcua::setup::{self, Options};

#[derive(Args, Debug, Clone, Default)]
pub struct KioskArgs {
    /// Configuration file [default: $MOTCUA_CONFIG, else /etc/motcua/motcua.toml if present]
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    /// Where the database and print spool live [default: the user's data directory]
    #[arg(long, global = true)]
    pub data_dir: Option<PathBuf>,
    /// A procedure catalog file [default: the built-in demo catalog]
    #[arg(long, global = true)]
    pub catalog: Option<PathBuf>,
    /// Branding folder name under branding/ [default: hanoi]
    #[arg(long)]
    pub branding: Option<String>,
    /// Language of the idle kiosk
    #[arg(long, value_parser = ["vi", "en"])]
    pub lang: Option<String>,
    /// Fill the screen without window decorations (real kiosks)
    #[arg(long, global = true)]
    pub fullscreen: bool,
    /// Open a landscape window (1920×1080) instead of portrait (1080×1920)
    #[arg(long, global = true)]
    pub landscape: bool,
    /// Log lines as text or as JSON objects (under systemd the log goes to the journal)
    #[arg(long, global = true, value_parser = ["text", "json"], default_value = "text")]
    pub log_format: String,
    /// Be the citizen display of this counter (asks for a rating when it completes a ticket)
    #[arg(long, value_name = "COUNTER")]
    pub counter_display: Option<String>,
    /// Walk every screen, print the time to first frame and peak memory, exit
    #[arg(long, hide = true)]
    pub tour: bool,
}

/// Logs to the journal when systemd started us with the journal on
/// stderr, else to stderr as text or JSON. `MOTCUA_LOG` sets the level.
pub fn init_log(format: &str) {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let filter = || tracing_subscriber::EnvFilter::try_from_env("MOTCUA_LOG").unwrap_or_else(|_| "info".into());
    if format != "json"
        && std::env::var_os("JOURNAL_STREAM").is_some()
        && let Ok(journal) = tracing_journald::layer()
    {
        tracing_subscriber::registry()
            .with(filter())
            .with(journal.with_syslog_identifier("motcua".into()))
            .init();
        return;
    }
    let fmt = tracing_subscriber::fmt()
        .with_env_filter(filter())
        .with_writer(std::io::stderr);
    if format == "json" {
        fmt.json().flatten_event(true).with_current_span(false).init();
    } else {
        fmt.with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .init();
    }
}

pub fn options(args: &KioskArgs) -> Options {
    Options {
        config: args.config.clone(),
        data_dir: args.data_dir.clone(),
        catalog: args.catalog.clone(),
        branding: args.branding.clone(),
        lang: args
            .lang
            .as_deref()
            .map(|l| if l == "en" { Lang::En } else { Lang::Vi }),
        counter_display: args.counter_display.clone(),
    }
}

/// The data directory of this machine's device, from its configuration.
pub fn kiosk_data_dir(args: &KioskArgs) -> Result<PathBuf, ExitCode> {
    let config = match motcua::config::load(args.config.as_deref()) {
        Ok(l) => l.config,
        Err(e) => {
            eprintln!("motcua: {e}");
            return Err(ExitCode::FAILURE);
        }
    };
    Ok(setup::data_dir(&options(args), &config))
}

/// The role the configuration gives this machine (a kiosk when it cannot be read).
pub fn configured_role(args: &KioskArgs) -> motcua::config::Role {
    motcua::config::load(args.config.as_deref())
        .map(|l| l.config)
        .unwrap_or_default()
        .role
}
