//! `motcua central portal`: send an office's dossiers on to a
//! national-portal style system.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};

#[derive(Args, Debug)]
pub struct PortalSet {
    #[arg(long)]
    office: String,
    /// The portal's base URL, e.g. https://lgsp.hanoi.gov.vn/dvcqg
    #[arg(long)]
    url: String,
    #[arg(long)]
    username: String,
    /// The routing header (`dstcode`) the gateway expects
    #[arg(long, default_value = "")]
    dstcode: String,
    /// The agency code (`madonvi`), e.g. 000.00.01.H26
    #[arg(long)]
    madonvi: String,
    /// The agency's name, sent with the satisfaction totals
    #[arg(long)]
    tendonvi: String,
    #[arg(long, default_value = motcua_central::portal::AUTH_PATH)]
    auth_path: String,
    #[arg(long, default_value = motcua_central::portal::INTEGRATION_PATH)]
    integration_path: String,
    #[arg(long, default_value = motcua_central::portal::SHARE_PATH)]
    share_path: String,
    /// How long to wait for an answer
    #[arg(long, default_value_t = 6000)]
    timeout_ms: u64,
    /// A status mapping table [default: assets/portal/mapping.toml, built in]
    #[arg(long)]
    mapping: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum PortalCommand {
    /// Connect an office to its portal (the password is read from standard input)
    Set(Box<PortalSet>),
    /// Stop sending an office's dossiers on (central is the system of record)
    Off {
        #[arg(long)]
        office: String,
    },
    /// Log in and list the first procedures, to test the connection
    Check {
        #[arg(long)]
        office: String,
    },
    /// Pull the portal's procedures into the office's catalog (local queue groups kept)
    Import {
        #[arg(long)]
        office: String,
    },
    /// What waits to be sent, what was sent, and what the portal refused
    Status {
        #[arg(long)]
        office: String,
    },
}

pub fn portal(command: PortalCommand, dir: &std::path::Path) -> ExitCode {
    use motcua_central::portal;
    let fail = |e: String| {
        eprintln!("motcua central portal: {e}");
        ExitCode::FAILURE
    };
    let connect = |office: &str| -> Result<portal::Dvcqg, String> {
        let found = motcua_central::admin(dir, |c| portal::settings(c, office))?;
        let (settings, _) = found.ok_or_else(|| {
            format!("office {office} has no portal: set one with `motcua central portal set --office {office} …`")
        })?;
        Ok(portal::Dvcqg::new(settings))
    };
    let runtime = motcua::runtime::handle();
    match command {
        PortalCommand::Set(set) => {
            let PortalSet {
                office,
                url,
                username,
                dstcode,
                madonvi,
                tendonvi,
                auth_path,
                integration_path,
                share_path,
                timeout_ms,
                mapping,
            } = *set;
            let mut password = String::new();
            if std::io::stdin().read_line(&mut password).is_err() || password.trim().is_empty() {
                return fail("no password on standard input".into());
            }
            let mapping = match mapping {
                Some(f) => match std::fs::read_to_string(&f) {
                    Ok(t) => t,
                    Err(e) => return fail(format!("{}: {e}", f.display())),
                },
                None => portal::mapping::DEFAULT_TEXT.to_string(),
            };
            let settings = portal::Settings {
                url,
                auth_path,
                integration_path,
                share_path,
                username,
                password: password.trim_end_matches(['\r', '\n']).into(),
                dstcode,
                madonvi,
                tendonvi,
                timeout: std::time::Duration::from_millis(timeout_ms),
            };
            match motcua_central::admin(dir, |c| portal::configure(c, &office, Some((&settings, &mapping)))) {
                Ok(()) => {
                    println!("office {office}: dossiers go on to {} from now on", settings.url);
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e.into()),
            }
        }
        PortalCommand::Off { office } => match motcua_central::admin(dir, |c| portal::configure(c, &office, None)) {
            Ok(()) => {
                println!("office {office}: central is the system of record; nothing is sent on");
                ExitCode::SUCCESS
            }
            Err(e) => fail(e.into()),
        },
        PortalCommand::Check { office } => {
            let client = match connect(&office) {
                Ok(c) => c,
                Err(e) => return fail(e),
            };
            match runtime.block_on(async {
                client.login().await?;
                client.procedures().await
            }) {
                Ok(list) => {
                    println!(
                        "logged in to {}; {} procedures listed",
                        client.settings().url,
                        list.len()
                    );
                    for (code, name) in list.iter().take(20) {
                        println!("  {code}  {name}");
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e.to_string()),
            }
        }
        PortalCommand::Import { office } => {
            let client = match connect(&office) {
                Ok(c) => c,
                Err(e) => return fail(e),
            };
            let current = match motcua_central::admin(dir, |c| motcua_central::office_catalog(c, &office)) {
                Ok(c) => c,
                Err(e) => return fail(e.into()),
            };
            let (catalog, report) = match runtime.block_on(portal::import_catalog(&client, &current)) {
                Ok(r) => r,
                Err(e) => return fail(e.to_string()),
            };
            match motcua_central::admin(dir, |c| motcua_central::set_catalog(c, &office, &catalog)) {
                Ok(()) => {
                    println!(
                        "office {office}: {} procedures updated, {} added, {} local ones kept, {} without details{}",
                        report.updated,
                        report.added,
                        report.local_only,
                        report.skipped.len(),
                        if report.skipped.is_empty() {
                            String::new()
                        } else {
                            format!(" ({})", report.skipped.join(", "))
                        }
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e.into()),
            }
        }
        PortalCommand::Status { office } => {
            let rows = motcua_central::manage::portal_status(dir, &office);
            match rows {
                Ok((counts, problems)) => {
                    for (state, n) in counts {
                        println!("{state}: {n}");
                    }
                    for (id, code, status, error) in problems {
                        println!("record {id}: dossier {code}, status {status}: {error}");
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e.into()),
            }
        }
    }
}
