//! Receipt keys with an owner and an end, against a real central: a
//! revoked counter's receipts signed after its revocation are refused at
//! another station (its desk and `motcua receipt verify`), while those
//! signed before still verify and name the retired key; a key list that
//! names a known key id with another key changes nothing at a station; a
//! counter publishing key after key does not spend the office's key ids.

use motcua_testkit as kit;

use std::path::Path;
use std::process::Command;
use std::sync::RwLock;
use std::time::Duration;

use jiff::Timestamp;
use motcua::counter::{Desk, Letterhead};
use motcua::receipt::keys::{Keyring, Signer};
use motcua::receipt::{Payload, ReceiptError};
use motcua_api::model::Role;

const OFFICE: &str = kit::OFFICE;

/// When the counter is revoked, on central's clock.
fn revoked_at() -> Timestamp {
    "2026-11-29T08:00:00Z".parse().unwrap()
}

/// A counter enrolled over HTTP, with the key and keyring it starts with.
struct Station {
    kit: kit::Kiosk,
    signer: Signer,
}

impl Station {
    fn enrolled(central: &motcua_central::Running, dir: &Path) -> Self {
        let kit = kit::kiosk(
            &central.url(),
            kit::enroll(central, dir, OFFICE, Role::Counter),
            Duration::from_secs(3),
        );
        let (signer, _) = kit
            .link
            .block_on(motcua::counter::prepare_keys(Some(&kit.link), kit.dir.path(), OFFICE))
            .unwrap();
        Self { kit, signer }
    }

    fn device_id(&self) -> i64 {
        self.kit.enrolled.device.device_id
    }

    /// A receipt of this counter, received at `at`.
    fn receipt(&self, at: Timestamp, n: u32) -> String {
        Payload {
            key_id: self.signer.key_id,
            office: OFFICE.into(),
            dossier_code: format!("{OFFICE}-261129-{n:04}"),
            procedure: "1.001193".into(),
            received: at,
            appointment: jiff::civil::date(2026, 12, 4),
            secret: [7; 8],
        }
        .sign(&self.signer.key().unwrap())
        .unwrap()
    }

    /// The counter's desk, online, with the keyring it keeps on disk.
    fn desk(&self) -> Desk {
        let link = self.kit.link.clone();
        assert!(link.block_on(link.probe()), "central answers");
        let config = motcua::config::Config::default();
        Desk {
            store: self.kit.store.clone(),
            link: Some(link),
            office: OFFICE.into(),
            slot: self.kit.enrolled.device.slot,
            signer: self.signer.clone(),
            keyring: RwLock::new(Keyring::load(self.kit.dir.path())),
            calendar: motcua_core::calendar::Calendar::builtin(),
            cutoff: config.counter.cutoff_time().unwrap(),
            letterhead: Letterhead {
                agency: "UBND".into(),
                unit: "Bộ phận một cửa".into(),
                place: String::new(),
                collect_at: String::new(),
                ..Default::default()
            },
            data_dir: self.kit.dir.path().to_path_buf(),
            scanner: Default::default(),
            scan_defaults: Default::default(),
        }
    }

    fn verify(&self, desk: &Desk, text: &str) -> Result<motcua::receipt::Verified, ReceiptError> {
        self.kit.link.block_on(desk.verify(text))
    }
}

/// `motcua receipt verify` on `data`: whether it called the receipt valid,
/// and what it printed.
fn verify_cli(text: &str, data: &Path) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_motcua"))
        .args(["receipt", "verify", text])
        .arg("--data-dir")
        .arg(data)
        .env("MOTCUA_LOG", "error")
        .env("MOTCUA_CONFIG", "/dev/null")
        .output()
        .unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn a_revoked_counter_s_later_receipts_are_refused_at_another_station_and_its_earlier_ones_name_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let central = kit::start_central(dir.path());
    let stolen = Station::enrolled(&central, dir.path());
    let other = Station::enrolled(&central, dir.path());
    assert_ne!(stolen.signer.key_id, other.signer.key_id);

    let hour = jiff::SignedDuration::from_hours(1);
    let before = stolen.receipt(revoked_at() - hour, 1);
    let after = stolen.receipt(revoked_at() + hour, 2);
    let desk = other.desk();
    // While the counter is trusted, both verify at the other station.
    assert_eq!(other.verify(&desk, &after).unwrap().retired, None);

    assert!(
        motcua_central::admin(dir.path(), |c| motcua_central::auth::revoke_at(
            c,
            stolen.device_id(),
            revoked_at()
        ))
        .unwrap()
    );
    // The stolen counter can no longer reach central, even to publish a key.
    let fresh = Signer::generate(OFFICE, 0).public_hex().unwrap();
    assert!(
        stolen
            .kit
            .link
            .block_on(stolen.kit.link.client().add_key(&fresh, "after-revocation"))
            .is_err()
    );

    // The other station's desk learns the retirement at its next scan.
    let refused = other.verify(&desk, &after).unwrap_err();
    assert_eq!(
        refused,
        ReceiptError::SignedAfterRetirement {
            office: OFFICE.into(),
            key_id: stolen.signer.key_id,
            retired: revoked_at(),
            signed: revoked_at() + hour,
        }
    );
    let earlier = other.verify(&desk, &before).unwrap();
    assert_eq!(earlier.payload.dossier_code, format!("{OFFICE}-261129-0001"));
    assert_eq!(earlier.retired, Some(revoked_at()));

    // `motcua receipt verify` at that station says the same from its keyring,
    // in English and in Vietnamese.
    let data = other.kit.dir.path();
    let (ok, why) = verify_cli(&after, data);
    assert!(!ok, "{why}");
    assert!(
        why.contains(&format!(
            "receipt key {} of office {OFFICE} was retired",
            stolen.signer.key_id
        )),
        "{why}"
    );
    assert!(
        why.contains("15:00:00 29/11/2026") && why.contains("ngừng sử dụng"),
        "{why}"
    );
    let (ok, said) = verify_cli(&before, data);
    assert!(ok, "{said}");
    assert!(said.contains(&format!("key: {}", stolen.signer.key_id)), "{said}");
    assert!(
        said.contains(&format!(
            "key {} was retired at 15:00:00 29/11/2026, after this receipt was signed",
            stolen.signer.key_id
        )),
        "{said}"
    );
    // The other counter's own key is untouched: its receipts verify as ever.
    let (ok, said) = verify_cli(&other.receipt(revoked_at() + hour, 3), data);
    assert!(ok && !said.contains("retired"), "{said}");
}

#[test]
fn revoking_or_replacing_a_counter_from_the_command_line_retires_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let central = kit::start_central(dir.path());
    let revoked = Station::enrolled(&central, dir.path());
    let replaced = Station::enrolled(&central, dir.path());
    let successor = Station::enrolled(&central, dir.path());
    let central_cli = |args: &[String]| {
        let out = Command::new(env!("CARGO_BIN_EXE_motcua"))
            .args(["--data-dir", dir.path().to_str().unwrap(), "central"])
            .args(args)
            .env("MOTCUA_LOG", "error")
            .env("MOTCUA_CONFIG", "/dev/null")
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    };
    central_cli(&["revoke".into(), "--device".into(), revoked.device_id().to_string()]);
    central_cli(&[
        "replace".into(),
        "--device".into(),
        replaced.device_id().to_string(),
        "--with".into(),
        successor.device_id().to_string(),
    ]);
    let keys = successor.kit.link.block_on(successor.kit.link.client().keys()).unwrap();
    let retired = |s: &Station| {
        let k = keys.iter().find(|k| k.key_id == s.signer.key_id).unwrap();
        assert_eq!(k.device_id, Some(s.device_id()), "the list names the owner");
        k.retired_at.is_some()
    };
    assert!(retired(&revoked));
    assert!(retired(&replaced));
    assert!(!retired(&successor));
}

#[test]
fn a_key_list_naming_a_known_key_id_with_another_key_changes_nothing_at_a_station() {
    let dir = tempfile::tempdir().unwrap();
    let central = kit::start_central(dir.path());
    let signer = Station::enrolled(&central, dir.path());
    let station = Station::enrolled(&central, dir.path());
    let genuine = signer.receipt(revoked_at(), 1);
    // Someone swaps the signer's key in the list central serves.
    let planted = Signer::generate(OFFICE, signer.signer.key_id);
    kit::central_db(dir.path())
        .execute(
            "UPDATE office_keys SET public_key = ?1 WHERE key_id = ?2",
            motcua_central::params![planted.public_hex().unwrap(), signer.signer.key_id],
        )
        .unwrap();
    let forged = Payload {
        key_id: signer.signer.key_id,
        office: OFFICE.into(),
        dossier_code: format!("{OFFICE}-261129-0666"),
        procedure: "1.001193".into(),
        received: revoked_at(),
        appointment: jiff::civil::date(2026, 12, 4),
        secret: [6; 8],
    }
    .sign(&planted.key().unwrap())
    .unwrap();

    let desk = station.desk();
    // The desk downloads the list at every scan: the known key stays.
    assert_eq!(station.verify(&desk, &forged), Err(ReceiptError::BadSignature));
    assert_eq!(station.verify(&desk, &genuine).unwrap().retired, None);
    let ring = Keyring::load(station.kit.dir.path());
    assert_eq!(ring.refused, 2, "each refused download is counted");
    assert_eq!(
        ring.find(OFFICE, signer.signer.key_id),
        Some(signer.signer.key().unwrap().verifying_key())
    );
    let (ok, _) = verify_cli(&forged, station.kit.dir.path());
    assert!(!ok);
    // A counter starting again (its keyring downloaded again) keeps it too.
    let (_, ring) = station
        .kit
        .link
        .block_on(motcua::counter::prepare_keys(
            Some(&station.kit.link),
            station.kit.dir.path(),
            OFFICE,
        ))
        .unwrap();
    assert_eq!(
        ring.find(OFFICE, signer.signer.key_id),
        Some(signer.signer.key().unwrap().verifying_key())
    );
    assert_eq!(ring.refused, 3);
}

#[test]
fn a_counter_publishing_key_after_key_does_not_spend_the_office_s_ids() {
    let dir = tempfile::tempdir().unwrap();
    let central = kit::start_central(dir.path());
    let greedy = Station::enrolled(&central, dir.path());
    let client = greedy.kit.link.client();
    let (mut created, mut refused) = (0, 0);
    for n in 0..200 {
        let public = Signer::generate(OFFICE, 0).public_hex().unwrap();
        match greedy.kit.link.block_on(client.add_key(&public, &format!("key-{n}"))) {
            Ok(_) => created += 1,
            Err(e) => {
                assert!(e.to_string().contains("motcua central replace"), "{e}");
                refused += 1;
            }
        }
    }
    // Its first key was made at start: 15 more, then no more.
    assert_eq!((created, refused), (15, 185));
    let keys = greedy.kit.link.block_on(client.keys()).unwrap();
    assert_eq!(keys.len(), 16);
    let in_use: Vec<_> = keys.iter().filter(|k| k.retired_at.is_none()).collect();
    assert_eq!(in_use.len(), 1, "one key in use per counter");
    // A new counter of the office still gets a key, the next id.
    let newcomer = Station::enrolled(&central, dir.path());
    assert_eq!(newcomer.signer.key_id, 17);
}
