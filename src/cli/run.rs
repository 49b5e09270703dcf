//! `motcua`, `motcua kiosk`, `motcua counter`, `motcua board`: the three
//! device roles' windows.

use std::process::ExitCode;

use clap::Args;

use super::{KioskArgs, options};
use motcua::setup;

pub fn kiosk(args: KioskArgs, started: std::time::Instant) -> ExitCode {
    let setup = setup::prepare(&options(&args));
    let fullscreen = args.fullscreen || setup.config.kiosk.fullscreen;
    let window = motcua::ui::WindowOptions {
        fullscreen,
        landscape: args.landscape || setup.config.orientation == motcua::config::Orientation::Landscape,
        tour: args.tour,
    };
    let ran = motcua::ui::run(setup, window, started);
    // The windows are closed: the machine's central served here stops.
    setup::stop_local_central();
    match ran {
        Ok(()) if motcua::ui::admin::exit_requested() => ExitCode::from(motcua::ui::admin::EXIT_CODE),
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("motcua: the window could not run: {e}");
            ExitCode::FAILURE
        }
    }
}

pub fn counter(args: KioskArgs) -> ExitCode {
    let setup = setup::prepare_as(&options(&args), motcua_api::model::Role::Counter);
    let fullscreen = args.fullscreen || setup.config.kiosk.fullscreen;
    let ran = motcua::ui::counter::run(setup, fullscreen);
    // The windows are closed: the machine's central served here stops.
    setup::stop_local_central();
    match ran {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("motcua: the window could not run: {e}");
            ExitCode::FAILURE
        }
    }
}

#[derive(Args, Debug, Default)]
pub struct BoardArgs {
    /// Also announce calls in English
    #[arg(long)]
    pub english: bool,
}

pub fn board(args: KioskArgs, english: bool) -> ExitCode {
    let setup = setup::prepare_as(&options(&args), motcua_api::model::Role::Board);
    let fullscreen = args.fullscreen || setup.config.kiosk.fullscreen;
    let ran = motcua::ui::board::run(setup, fullscreen, english);
    // The windows are closed: the machine's central served here stops.
    setup::stop_local_central();
    match ran {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("motcua: the window could not run: {e}");
            ExitCode::FAILURE
        }
    }
}
