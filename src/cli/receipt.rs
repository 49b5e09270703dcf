//! `motcua receipt`: sample receipts for printer tests, and receipt checks.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;

use super::{KioskArgs, kiosk_data_dir};

#[derive(Subcommand, Debug)]
pub enum ReceiptCommand {
    /// Write a sample ticket and receipt (PNG, ESC/POS .bin, A4 PDF) and every other form of the set (A4 PDF and PNG) for a demo dossier
    Sample {
        #[arg(long)]
        out: PathBuf,
        /// The moment the samples are dated (RFC 3339); now when not given
        #[arg(long)]
        at: Option<jiff::Timestamp>,
    },
    /// Check a receipt text (what a scanner reads from its QR); exit 0 if valid, 1 if not
    Verify { text: String },
}

pub fn receipt(command: ReceiptCommand, args: KioskArgs) -> ExitCode {
    use motcua::receipt::keys::Keyring;
    let dir = match kiosk_data_dir(&args) {
        Ok(d) => d,
        Err(code) => return code,
    };
    match command {
        ReceiptCommand::Verify { text } => {
            // What this station knows: the keyring the counter keeps,
            // with the retirement times central sent it.
            let keyring = Keyring::load(&dir);
            match keyring.verify(&text) {
                Ok(v) => {
                    let p = &v.payload;
                    println!("valid receipt");
                    println!("dossier code: {}", p.dossier_code);
                    match motcua_core::dossier::parse_code(&p.dossier_code) {
                        Ok(c) => println!(
                            "code layout: {}, received {}, sequence {}",
                            match c.order {
                                motcua_core::dossier::AgencyOrder::LowestFirst =>
                                    "2018 (agency code lowest level first)",
                                motcua_core::dossier::AgencyOrder::TopDown => "2025 (agency code top-down)",
                            },
                            c.day.strftime("%d/%m/%Y"),
                            c.sequence
                        ),
                        Err(e) => println!("code layout: not a dossier code of the national layouts: {e}"),
                    }
                    println!("office: {}", p.office);
                    println!("procedure: {}", p.procedure);
                    println!(
                        "received: {}",
                        motcua_core::time::local(p.received).strftime("%H:%M %d/%m/%Y")
                    );
                    println!("appointment: {}", p.appointment.strftime("%d/%m/%Y"));
                    println!("key: {}", p.key_id);
                    if let Some(note) = v.retired_note(motcua::i18n::Lang::En) {
                        println!("{note}");
                    }
                    if let Some(note) = v.retired_note(motcua::i18n::Lang::Vi) {
                        println!("{note}");
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    println!("invalid receipt: {e}");
                    println!("biên nhận không hợp lệ: {}", e.vi());
                    ExitCode::FAILURE
                }
            }
        }
        ReceiptCommand::Sample { out, at } => {
            let config = motcua::config::load(args.config.as_deref())
                .map(|l| l.config)
                .unwrap_or_default();
            let fail = |e: String| {
                eprintln!("motcua receipt sample: {e}");
                ExitCode::FAILURE
            };
            // Nothing goes into the data directory: the sample is signed
            // with a throwaway key (see `print::sample`).
            if let Err(e) = std::fs::create_dir_all(&out) {
                return fail(e.to_string());
            }
            let layouts = match motcua::config::form_layouts(&config) {
                Ok(l) => l,
                Err(e) => return fail(format!("{}: {}", e.path.display(), e.message)),
            };
            match motcua::print::sample::write(
                &out,
                &config.office_code,
                layouts,
                config.payment.as_ref(),
                at.unwrap_or_else(jiff::Timestamp::now),
            ) {
                Ok(samples) => {
                    for f in samples.files {
                        println!("{}", f.display());
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e.to_string()),
            }
        }
    }
}
