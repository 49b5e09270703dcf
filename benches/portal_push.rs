//! Central sending an office's dossiers on to a national-portal style
//! system (the emulator of the test suite on 127.0.0.1): 500 dossiers taken
//! in, each then moved on once, drained in order — records per second and
//! the time to empty the outbox.
//!
//! Run with `cargo bench --bench portal_push`.

use std::time::{Duration, Instant};

use motcua_api::model::{Applicant, DossierIn};
use motcua_central::Running;
use motcua_central::portal;
use motcua_testkit::OFFICE;
use motcua_testkit::dvcqg::{self, Portal, PortalConfig};

const DOSSIERS: u32 = 500;

fn main() {
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let options = motcua_central::Options {
        portal_worker: false,
        ..motcua_central::Options::default()
    };
    let central = Running::start("127.0.0.1:0".parse().unwrap(), dir.path(), &options).unwrap();
    let emulator = Portal::start(PortalConfig::default());
    let settings = dvcqg::settings(emulator.url(), "UBND phường", Duration::from_secs(5));
    motcua_central::admin(dir.path(), |conn| {
        portal::configure(conn, OFFICE, Some((&settings, portal::mapping::DEFAULT_TEXT)))?;
        for n in 1..=DOSSIERS {
            let code = format!("{OFFICE}-261128-{n:04}");
            let d = DossierIn {
                procedure_code: "1.001193".into(),
                procedure_name: "Thủ tục đăng ký khai sinh".into(),
                applicant: Applicant {
                    name: "Người Thử".into(),
                    id_number: "001099012345".into(),
                    kind: 1,
                    phone: "0912345678".into(),
                    email: None,
                    address: "Hà Nội".into(),
                },
                received_at: "2026-11-28T02:41:00Z".into(),
                due_at: "2026-12-01T09:00:00Z".into(),
                status: 2,
                channel: 1,
                documents: Vec::new(),
                sets: 1,
                fees: 0,
                notes: None,
                lookup_secret: None,
                principal: None,
                delivery: Default::default(),
                register: None,
                officer: None,
            };
            motcua_central::dossier::upsert(conn, OFFICE, &code, &d, "2026-11-28T02:41:00Z")?;
            motcua_central::dossier::set_status(conn, OFFICE, &code, 4, "", "2026-11-28T03:00:00Z")?;
        }
        Ok(())
    })
    .unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let start = Instant::now();
    let drained = rt.block_on(portal::drain(&central.app, OFFICE)).unwrap();
    let took = start.elapsed();
    assert_eq!((drained.sent, drained.failed), (2 * DOSSIERS as usize, 0));
    println!(
        "portal_push: {} records ({DOSSIERS} dossiers, each created then updated) in {:.2} s, {:.0} records/s, {} login(s)",
        drained.sent,
        took.as_secs_f64(),
        drained.sent as f64 / took.as_secs_f64(),
        emulator.logins()
    );
}
