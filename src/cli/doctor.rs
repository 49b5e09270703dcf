//! `motcua doctor`: check this machine as the device would run.

use std::process::ExitCode;

use clap::Args;

use super::{KioskArgs, options};
use motcua::setup;

#[derive(Args, Debug)]
pub struct DoctorArgs {
    /// Fail on warnings too (an unknown configuration key, for one)
    #[arg(long)]
    pub strict: bool,
}

pub fn doctor(args: &KioskArgs, strict: bool) -> ExitCode {
    let loaded = motcua::config::load(args.config.as_deref());
    // The rest is checked as the device would run: with its enrollment,
    // and on defaults where the configuration is broken.
    let mut config = loaded.as_ref().map(|l| l.config.clone()).unwrap_or_default();
    // A central machine is checked in central's data directory.
    let dir = match config.role {
        motcua::config::Role::Central => super::central::central_dir(args),
        _ => setup::data_dir(&options(args), &config),
    };
    setup::adopt_enrollment(&mut config, &dir);
    let (table, ok) = motcua::doctor::table(&motcua::doctor::run(&loaded, &config, &dir), strict);
    print!("{table}");
    if ok { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}
