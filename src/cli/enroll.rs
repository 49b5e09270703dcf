//! `motcua enroll`: exchange a one-time token for this device's credential.

use std::process::ExitCode;

use clap::Args;

use super::{KioskArgs, kiosk_data_dir};

#[derive(Args, Debug)]
pub struct EnrollArgs {
    /// Central's URL, e.g. https://10.0.0.5:8686; several addresses of
    /// the same central separated by commas (each tried in turn)
    pub url: String,
    /// The one-time token from `motcua central enroll`, with central's pin
    /// (SECRET:sha256:PIN)
    pub token: String,
}

pub fn enroll(url: &str, token: &str, args: KioskArgs) -> ExitCode {
    use motcua::sync::{Client, device::DeviceFile};
    let dir = match kiosk_data_dir(&args) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let runtime = motcua::runtime::handle();
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("motcua enroll: {}: {e}", dir.display());
        return ExitCode::FAILURE;
    }
    let urls: Vec<String> = url
        .split(',')
        .map(|u| u.trim().trim_end_matches('/').to_string())
        .filter(|u| !u.is_empty())
        .collect();
    let url = urls.join(", ");
    match runtime.block_on(Client::enroll_into_any(&urls, token, &dir)) {
        Ok((answered, enrolled)) => {
            let mut device = DeviceFile::from_enrolled(Some(answered), enrolled);
            if urls.len() > 1 {
                device.central_urls = urls.clone();
            }
            if let Err(e) = std::fs::create_dir_all(&dir)
                .map_err(|e| e.to_string())
                .and_then(|_| device.save(&dir).map_err(String::from))
            {
                eprintln!("motcua enroll: {e}");
                return ExitCode::FAILURE;
            }
            println!(
                "enrolled as {} {} of office {} (slot {}); credential saved in {}",
                device.role.as_str(),
                device.device_id,
                device.office,
                device.slot,
                DeviceFile::path(&dir).display()
            );
            // The office's catalog now, so the first start needs nothing more.
            let client =
                match Client::for_device_at(&urls, &device.credential, std::time::Duration::from_secs(10), &dir) {
                    Ok(c) => c,
                    Err(e) => {
                        eprintln!("motcua enroll: {e}");
                        return ExitCode::FAILURE;
                    }
                };
            match runtime.block_on(motcua::sync::pull_catalog(&client, &dir)) {
                Ok(Some(c)) => println!("catalog of office {}: {} procedures", device.office, c.procedures.len()),
                Ok(None) => println!("catalog of office {}: already current", device.office),
                Err(e) => eprintln!("motcua enroll: the catalog did not come ({e}); it will be pulled at start"),
            }
            println!(
                "this machine now uses {url} and office {}; start it with `systemctl enable --now motcua-{}`",
                device.office,
                device.role.as_str()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("motcua enroll: {e}");
            ExitCode::FAILURE
        }
    }
}
