//! `motcua sync-status`: what waits to be sent to central and what central
//! refused.

use std::process::ExitCode;

use clap::Args;

use super::{KioskArgs, kiosk_data_dir};
use motcua::store::Store;

#[derive(Args, Debug)]
pub struct SyncStatusArgs {
    /// Put the refused records back in line, once their cause is fixed
    /// (e.g. after `motcua central replace`)
    #[arg(long)]
    pub retry: bool,
}

pub fn sync_status(args: KioskArgs, retry: bool) -> ExitCode {
    let dir = match kiosk_data_dir(&args) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let mut store = match Store::open(&dir) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("motcua: {e}");
            return ExitCode::FAILURE;
        }
    };
    if retry {
        match store.retry_failed() {
            Ok(n) => println!("put back in line: {n}"),
            Err(e) => {
                eprintln!("motcua: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    let counts = store.outbox_counts().unwrap_or_default();
    println!("waiting to send: {}", counts.pending);
    println!("refused by central: {}", counts.failed);
    for (id, kind, reason) in store.failed_records().unwrap_or_default() {
        println!("  #{id} {kind}: {reason}");
    }
    // Background loops of the device that died and were started again.
    for f in store.loop_failures().unwrap_or_default() {
        println!(
            "background loop {}: died {} time(s), started again; last at {}: {}",
            f.name, f.restarts, f.at, f.last_error
        );
    }
    if counts.failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
