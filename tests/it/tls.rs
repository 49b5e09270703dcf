//! Trust on the office network: HTTPS pinned at enrollment, devices known
//! by their certificates, a revoked device refused at the handshake, a
//! server with another certificate refused before anything is sent, and
//! a central that a host sending nothing cannot choke.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use motcua::sync::{Client, SyncError};
use motcua_api::model::{NewTicket, Role};
use motcua_central::Running;
use motcua_central::tls::{DeviceIdentity, PinnedVerifier, TlsSetup, token_with_pin};
use motcua_testkit::{OFFICE, runtime, token};

const TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

fn tls_central(dir: &Path) -> Running {
    let options = motcua_central::Options {
        tls: Some(TlsSetup::default()),
        ..Default::default()
    };
    Running::start(SocketAddr::from(([127, 0, 0, 1], 0)), dir, &options).expect("central starts with TLS")
}

fn pin(central: &Running) -> String {
    central.app.tls.as_ref().expect("TLS").authority.pin().to_string()
}

/// A device enrolled over HTTPS with the token's pin; its client and
/// credential.
fn enroll_with(central: &Running, central_dir: &Path, device_dir: &Path, role: Role) -> (Client, String) {
    let secret = token(central_dir, OFFICE, role, "device");
    let token = token_with_pin(&secret, &pin(central));
    let rt = runtime();
    let enrolled = rt
        .block_on(Client::enroll_into(&central.url(), &token, device_dir))
        .expect("enrollment over HTTPS");
    assert!(enrolled.tls.is_some(), "central certified the device's key");
    let client =
        Client::for_device(&central.url(), &enrolled.credential, TIMEOUT, device_dir).expect("the device's client");
    (client, enrolled.credential)
}

fn enroll(central: &Running, central_dir: &Path, device_dir: &Path, role: Role) -> Client {
    enroll_with(central, central_dir, device_dir, role).0
}

fn ticket() -> NewTicket {
    NewTicket {
        group: "A".into(),
        procedure: None,
        lane: motcua_core::queue::Lane::Normal,
    }
}

fn responses(central: &Running) -> u64 {
    central.app.metrics.requests.lock().unwrap().values().sum()
}

#[test]
fn a_device_enrolls_with_the_pin_and_works_over_mutual_tls() {
    let (cdir, ddir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let central = tls_central(cdir.path());
    assert!(central.url().starts_with("https://"));
    let kiosk = enroll(&central, cdir.path(), ddir.path(), Role::Kiosk);
    let rt = runtime();
    let t = rt
        .block_on(kiosk.issue_ticket(&ticket(), "k-1"))
        .expect("a ticket over mutual TLS");
    assert_eq!(t.display, "A-001");
    // The device's key stays on the device, readable by its owner only.
    use std::os::unix::fs::PermissionsExt;
    for f in ["device.key", "device.pem", "ca.pem"] {
        let mode = std::fs::metadata(ddir.path().join("tls").join(f))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{f}");
    }
    let key = std::fs::read_to_string(ddir.path().join("tls/device.key")).unwrap();
    let db = std::fs::read(cdir.path().join("central.db")).unwrap();
    let body = key.lines().filter(|l| !l.starts_with("-----")).collect::<String>();
    assert!(
        !db.windows(body.len().min(40))
            .any(|w| w == &body.as_bytes()[..body.len().min(40)]),
        "central never holds the device's private key"
    );
    // Plain HTTP to a TLS central does not work.
    let plain = Client::new(&central.url().replace("https://", "http://"), "x", TIMEOUT);
    assert!(rt.block_on(plain.me()).is_err());
}

#[test]
fn a_central_that_does_not_match_the_pin_is_refused_before_anything_is_sent() {
    let (cdir, other_dir, ddir) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    let central = tls_central(cdir.path());
    // Another server on the network, with a certificate of its own,
    // between the device and central.
    let impostor = tls_central(other_dir.path());
    let secret = token(cdir.path(), OFFICE, Role::Kiosk, "kiosk");
    let token = token_with_pin(&secret, &pin(&central));
    let rt = runtime();
    let e = rt
        .block_on(Client::enroll_into(&impostor.url(), &token, ddir.path()))
        .expect_err("the impostor is refused");
    assert!(matches!(e, SyncError::Untrusted(_)), "{e:?}");
    let said = e.to_string();
    assert!(
        said.contains("does not match the pin") && said.contains("nothing was sent"),
        "{said}"
    );
    assert_eq!(responses(&impostor), 0, "no request reached the impostor");
    assert!(!ddir.path().join("tls").exists(), "nothing kept");
    // The token was not spent: the real central takes it.
    let enrolled = rt.block_on(Client::enroll_into(&central.url(), &token, ddir.path()));
    assert!(enrolled.is_ok(), "{enrolled:?}");
    // A token without its pin is refused for a central across the network.
    let e = rt
        .block_on(Client::enroll_into(
            &central.url(),
            &secret,
            tempfile::tempdir().unwrap().path(),
        ))
        .unwrap_err();
    assert!(e.to_string().contains("no pin"), "{e}");
}

#[test]
fn an_enrolled_device_refuses_a_server_with_another_certificate() {
    let (cdir, other_dir, ddir) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    let central = tls_central(cdir.path());
    let impostor = tls_central(other_dir.path());
    let kiosk = enroll(&central, cdir.path(), ddir.path(), Role::Kiosk);
    // The network now sends the device to the impostor.
    kiosk.rebase(&impostor.url());
    let rt = runtime();
    let e = rt.block_on(kiosk.issue_ticket(&ticket(), "k-1")).unwrap_err();
    assert!(matches!(e, SyncError::Untrusted(_)), "{e:?}");
    assert!(e.to_string().contains("not the central this device trusts"), "{e}");
    assert_eq!(responses(&impostor), 0, "nothing was sent to the impostor");
}

#[test]
fn every_request_needs_the_devices_own_certificate() {
    let (cdir, d1, d2) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    let central = tls_central(cdir.path());
    let (kiosk, credential) = enroll_with(&central, cdir.path(), d1.path(), Role::Kiosk);
    let counter = enroll(&central, cdir.path(), d2.path(), Role::Counter);
    let rt = runtime();
    // The kiosk's credential without a certificate: refused.
    let ca = std::fs::read_to_string(d1.path().join("tls/ca.pem")).unwrap();
    let ca = rustls::pki_types::pem::PemObject::from_pem_slice(ca.as_bytes()).unwrap();
    let bare = motcua_central::tls::device_config(
        Arc::new(PinnedVerifier::ca(ca).unwrap()),
        Arc::new(DeviceIdentity::none()),
    );
    let http = reqwest::Client::builder()
        .tls_backend_preconfigured(bare)
        .build()
        .unwrap();
    let answer = rt
        .block_on(
            http.get(format!("{}/v1/me", central.url()))
                .bearer_auth(&credential)
                .send(),
        )
        .unwrap();
    assert_eq!(answer.status(), 401);
    let text = rt.block_on(answer.text()).unwrap();
    assert!(text.contains("certificate"), "{text}");
    // Its credential with another device's certificate: refused.
    let trust = counter.trust().expect("the counter's trust").clone();
    let stolen = Client::with_trust(&central.url(), &credential, TIMEOUT, trust);
    let e = rt.block_on(stolen.me()).unwrap_err();
    assert_eq!(e.status(), Some(401), "{e:?}");
    // With its own: accepted.
    assert_eq!(rt.block_on(kiosk.me()).unwrap().role, Role::Kiosk);
}

#[test]
fn a_revoked_device_fails_at_the_handshake() {
    let (cdir, ddir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let central = tls_central(cdir.path());
    let counter = enroll(&central, cdir.path(), ddir.path(), Role::Counter);
    let rt = runtime();
    let me = rt.block_on(counter.me()).expect("works before revocation");
    // Revoked from the command line, in another process: central reads
    // it from its database.
    assert!(
        motcua_central::admin(cdir.path(), |c| motcua_central::auth::revoke(c, me.device_id)).unwrap(),
        "revoked"
    );
    rt.block_on(central.app.refresh_revocations()).unwrap();
    // The connection already open is cut (or, if the request comes
    // first, the request is refused and the connection closed); the next
    // one fails at the handshake.
    let e = rt.block_on(counter.me()).unwrap_err();
    assert!(e.status() == Some(401) || e.is_unreachable(), "{e:?}");
    let e = rt.block_on(counter.me()).unwrap_err();
    assert!(matches!(e, SyncError::Untrusted(_)), "refused at the handshake: {e:?}");
    assert!(e.to_string().contains("revoked"), "{e}");
    // A new connection, made by hand, is refused at the handshake too.
    let trust = counter.trust().unwrap().clone();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(trust.config()));
    let refused = rt.block_on(async {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let tcp = tokio::net::TcpStream::connect(central.addr).await.unwrap();
        let name = rustls::pki_types::ServerName::try_from("central").unwrap();
        let mut tls = connector.connect(name, tcp).await?;
        tls.write_all(b"GET /v1/me HTTP/1.1\r\nHost: central\r\n\r\n").await?;
        let mut buf = Vec::new();
        tls.read_to_end(&mut buf).await.map(|_| buf)
    });
    let e = refused.expect_err("the handshake is refused");
    assert!(format!("{e}").contains("CertificateRevoked"), "{e}");
}

#[test]
fn a_device_certificate_renews_itself_before_it_expires() {
    let (cdir, ddir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let central = tls_central(cdir.path());
    let (kiosk, credential) = enroll_with(&central, cdir.path(), ddir.path(), Role::Kiosk);
    let trust = kiosk.trust().unwrap().clone();
    let first = trust.not_after().expect("an expiry");
    let first_pem = std::fs::read_to_string(ddir.path().join("tls/device.pem")).unwrap();
    let rt = runtime();
    // Ten days after it was issued: not due yet.
    let early = first - jiff::SignedDuration::from_hours(24 * 80);
    assert!(
        !rt.block_on(kiosk.renew_certificate_if_due(early)).unwrap(),
        "not due yet"
    );
    // Two thirds of its life later: renewed, with a new key.
    let later = first - jiff::SignedDuration::from_hours(24 * 20);
    assert!(rt.block_on(kiosk.renew_certificate_if_due(later)).unwrap(), "renewed");
    let pem = std::fs::read_to_string(ddir.path().join("tls/device.pem")).unwrap();
    assert_ne!(pem, first_pem, "a new certificate is kept");
    // The next connection uses it, and central knows it as this device's.
    assert!(rt.block_on(kiosk.issue_ticket(&ticket(), "k-2")).is_ok());
    let kept = motcua::sync::tls::Trust::load(ddir.path()).unwrap().unwrap();
    let fresh = Client::with_trust(&central.url(), &credential, TIMEOUT, kept);
    assert_eq!(rt.block_on(fresh.me()).unwrap().role, Role::Kiosk);
}

#[test]
fn two_thousand_slow_connections_from_one_host_do_not_keep_a_kiosk_out() {
    let (cdir, ddir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let central = tls_central(cdir.path());
    let kiosk = enroll(&central, cdir.path(), ddir.path(), Role::Kiosk);
    let limits = central.app.limits.clone();
    let rt = runtime();
    // One host on the office network (127.0.0.2) opens 2,000 connections
    // and sends half a request, or nothing, on each.
    let held = rt.block_on(async {
        use tokio::io::AsyncWriteExt;
        let mut held = Vec::new();
        for i in 0..2000 {
            let socket = tokio::net::TcpSocket::new_v4().unwrap();
            socket.bind(SocketAddr::from(([127, 0, 0, 2], 0))).unwrap();
            let mut stream = socket
                .connect(central.addr)
                .await
                .expect("the kernel takes the connection");
            if i % 2 == 0 {
                // The start of a TLS ClientHello, never finished.
                let _ = stream.write_all(&[0x16, 0x03, 0x01, 0x02, 0x00, 0x01]).await;
            }
            held.push(stream);
        }
        held
    });
    // The kiosk, on its own address, issues tickets as usual.
    for i in 0..20 {
        let t = rt.block_on(kiosk.issue_ticket(&ticket(), &format!("k-{i}")));
        assert!(t.is_ok(), "ticket {i}: {t:?}");
    }
    // Central kept at most its per-address share of them.
    let refused = central.app.metrics.connections_refused.get();
    assert!(limits.per_address < 2000, "one host may not take every connection");
    assert!(
        refused >= (2000 - limits.per_address) as u64,
        "{refused} of 2000 refused at once; {} allowed per address",
        limits.per_address
    );
    assert_eq!(held.len(), 2000);
}

#[test]
fn the_portal_client_speaks_https_and_trusts_the_citys_authority() {
    use motcua_central::portal::{Dvcqg, PortalError, Settings};
    // A gateway whose certificate the city's own authority issued (here a
    // central's, which the system's roots do not know).
    let (gdir, cdir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let gateway = tls_central(gdir.path());
    let settings = Settings {
        url: gateway.url(),
        auth_path: "/auth".into(),
        integration_path: "/integration".into(),
        share_path: "/share".into(),
        username: "u".into(),
        password: "p".into(),
        dstcode: String::new(),
        madonvi: OFFICE.into(),
        tendonvi: "UBND".into(),
        timeout: TIMEOUT,
    };
    let rt = runtime();
    // With the system's roots alone: refused before anything is sent.
    let e = rt.block_on(Dvcqg::new(settings.clone()).login()).unwrap_err();
    assert!(matches!(e, PortalError::Unreachable(_)), "{e:?}");
    assert_eq!(responses(&gateway), 0, "nothing reached the gateway");
    // With the city's authority in central's tls/portal-ca.pem: the
    // gateway answers (it is not a portal, so the login is refused).
    let ca = gateway.app.tls.as_ref().unwrap().authority.ca_pem().to_string();
    std::fs::create_dir_all(cdir.path().join("tls")).unwrap();
    std::fs::write(cdir.path().join("tls/portal-ca.pem"), ca).unwrap();
    let roots = motcua_central::tls::portal_roots(cdir.path()).unwrap();
    assert_eq!(roots.len(), 1);
    let _ = rt.block_on(Dvcqg::with_roots(settings.clone(), roots).login());
    assert!(responses(&gateway) > 0, "the login reached the gateway over HTTPS");
    // A portal across the network over plain HTTP is refused at set-up;
    // HTTPS, or plain HTTP to this machine, is taken.
    let configure = |url: &str| {
        let s = Settings {
            url: url.into(),
            ..settings.clone()
        };
        motcua_central::admin(cdir.path(), |c| {
            motcua_central::repo::portal::configure(
                c,
                OFFICE,
                Some((&s, motcua_central::portal::mapping::DEFAULT_TEXT)),
            )
        })
    };
    let e = configure("http://10.0.0.9/dvcqg").unwrap_err();
    assert!(e.to_string().contains("https://"), "{e}");
    assert!(configure("https://lgsp.example.gov.vn/dvcqg").is_ok());
    assert!(configure("http://127.0.0.1:8080/dvcqg").is_ok());
}
