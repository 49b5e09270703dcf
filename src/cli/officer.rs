//! `motcua counter-officer` and `motcua admin-pin`: the PINs of this
//! machine's officers and of its locked-down kiosk.

use std::process::ExitCode;

use clap::Args;

use super::{KioskArgs, kiosk_data_dir};
use motcua::store::{OfficerError, Store};

#[derive(Args, Debug)]
pub struct OfficerArgs {
    #[arg(long)]
    pub id: String,
    #[arg(long)]
    pub name: String,
}

pub fn counter_officer(id: &str, name: &str, args: KioskArgs) -> ExitCode {
    let dir = match kiosk_data_dir(&args) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let mut pin = String::new();
    if std::io::stdin().read_line(&mut pin).is_err() {
        eprintln!("motcua: no PIN on standard input");
        return ExitCode::FAILURE;
    }
    let result = Store::open(&dir)
        .map_err(OfficerError::from)
        .and_then(|mut s| s.set_officer(id, name, pin.trim()));
    match result {
        Ok(()) => {
            println!("officer {id} can sign in at this counter");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("motcua: {e}");
            ExitCode::FAILURE
        }
    }
}

pub fn admin_pin() -> ExitCode {
    let mut pin = String::new();
    if std::io::stdin().read_line(&mut pin).is_err() {
        eprintln!("motcua: no PIN on standard input");
        return ExitCode::FAILURE;
    }
    match motcua::ui::admin::hash_pin(pin.trim()) {
        Ok(hash) => {
            println!("[admin]\nexit_pin_hash = \"{hash}\"");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("motcua: {e}");
            ExitCode::FAILURE
        }
    }
}
