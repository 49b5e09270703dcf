//! `motcua dev`: tools for tests and diagnosis (outbox delivery, ticket
//! bursts, the office simulation).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;

use super::{KioskArgs, kiosk_data_dir, options};
use motcua::setup;
use motcua::store::{Store, TicketRequest};
use motcua_core::queue::Lane;

#[derive(Subcommand, Debug)]
pub enum DevCommand {
    /// Deliver the outbox to the enrolled central, printing each record sent
    Sync {
        /// Send only this device's records, as a role sharing the data
        /// directory with others does; without it the records an earlier
        /// device left (a replaced machine's) go out too
        #[arg(long)]
        only_mine: bool,
    },
    /// Issue tickets in a loop, printing each number once committed
    IssueBurst {
        #[arg(long, default_value = "A")]
        group: String,
        #[arg(long, default_value_t = 1000)]
        count: u32,
        /// The kiosk's numbering slot: above 0 each ticket is also queued for central
        #[arg(long, default_value_t = 0)]
        slot: u32,
        /// The time the tickets are issued at (RFC 3339); now if not given
        #[arg(long)]
        at: Option<jiff::Timestamp>,
    },
    /// Run a seeded simulation of one office on loopback and check it each day
    Simulate {
        /// Working days to simulate
        #[arg(long, default_value_t = 7)]
        days: u32,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Where the office's data goes (kept afterwards); a temporary directory if not given
        #[arg(long)]
        dir: Option<PathBuf>,
    },
}

pub fn dev(command: DevCommand, args: KioskArgs) -> ExitCode {
    match command {
        DevCommand::Sync { only_mine } => {
            use motcua::sync::{Client, Link, Step, device::DeviceFile};
            let dir = match kiosk_data_dir(&args) {
                Ok(d) => d,
                Err(code) => return code,
            };
            let device = match DeviceFile::load(&dir) {
                Ok(Some(d)) if d.central_url.is_some() => d,
                other => {
                    eprintln!("motcua: not enrolled with a central: {other:?}");
                    return ExitCode::FAILURE;
                }
            };
            let store = match Store::open(&dir) {
                Ok(s) => std::sync::Arc::new(std::sync::Mutex::new(s)),
                Err(e) => {
                    eprintln!("motcua: {e}");
                    return ExitCode::FAILURE;
                }
            };
            let urls = device.addresses();
            let client = match Client::for_device_at(&urls, &device.credential, std::time::Duration::from_secs(3), &dir)
            {
                Ok(c) => c,
                Err(e) => {
                    eprintln!("motcua: {e}");
                    return ExitCode::FAILURE;
                }
            };
            let link = Link::with_options(
                client,
                store,
                motcua::sync::Identity {
                    device: device.device_id,
                    slot: device.slot,
                    role: device.role,
                },
                !only_mine,
                None,
                None,
            );
            let mut out = std::io::stdout().lock();
            loop {
                match link.block_on(link.step()) {
                    Step::Sent(id) => {
                        let _ = writeln!(out, "sent {id}");
                        let _ = out.flush();
                    }
                    Step::Failed(id, reason) => {
                        let _ = writeln!(out, "failed {id} {reason}");
                    }
                    Step::Empty => return ExitCode::SUCCESS,
                    Step::Retry(wait) => {
                        eprintln!("motcua: central cannot take it now (retry in {wait:?})");
                        return ExitCode::FAILURE;
                    }
                }
            }
        }
        DevCommand::Simulate { days, seed, dir } => {
            let options = motcua::simulate::Options {
                days,
                seed,
                dir,
                exe: std::env::current_exe().ok(),
                print: true,
                ..motcua::simulate::Options::default()
            };
            match motcua::simulate::run(options) {
                Ok(report) => {
                    println!("{}", report.totals());
                    ExitCode::SUCCESS
                }
                Err(failure) => {
                    eprintln!("motcua: {failure}");
                    ExitCode::FAILURE
                }
            }
        }
        DevCommand::IssueBurst { group, count, slot, at } => {
            let opts = options(&args);
            let config = motcua::config::Config::default();
            let dir = setup::data_dir(&opts, &config);
            let mut store = match Store::open(&dir) {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("motcua: {e}");
                    return ExitCode::FAILURE;
                }
            };
            let request = TicketRequest {
                group,
                lane: Lane::Normal,
                procedure: None,
            };
            let mut out = std::io::stdout().lock();
            for _ in 0..count {
                match store.issue(&request, slot, at.unwrap_or_else(jiff::Timestamp::now), None) {
                    Ok(t) => {
                        // Printed only after the commit: whatever the parent
                        // reads here must be in the database.
                        let _ = writeln!(out, "{} {}", t.day, t.number);
                        let _ = out.flush();
                    }
                    Err(e) => {
                        eprintln!("motcua: {e}");
                        return ExitCode::FAILURE;
                    }
                }
            }
            ExitCode::SUCCESS
        }
    }
}
