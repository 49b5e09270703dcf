//! The receiving officer's station, headless with iced_test against a real
//! central on loopback: sign in, call a ticket a kiosk issued, take a
//! dossier in from a scanned ID card, print the signed receipt, then scan
//! it back and return the result.

use motcua_testkit as kit;
use motcua_testkit::ui::settings;

use std::sync::Once;
use std::time::Duration;

use iced::Size;
use iced::keyboard::{self, key::Named};
use iced_test::{Simulator, selector};
use jiff::Timestamp;

use motcua::counter::{Desk, Letterhead};
use motcua::receipt::keys::{Keyring, Signer};
use motcua::setup::{Options, prepare_as};
use motcua::store::Store;
use motcua::ui::counter::{self, CardField, Counter, Edit, Message, Panel, Stage, Station};
use motcua_api::model::Role;
use motcua_core::catalog::Catalog;

const OFFICE: &str = kit::OFFICE;

const SIZE: Size = Size::new(1920.0, 1080.0);

/// 09:41 on Saturday 28 November 2026 in Hà Nội.
fn now() -> Timestamp {
    "2026-11-28T02:41:00Z".parse().unwrap()
}

/// A signing key that is the same at every run (never a real office's).
fn fixed_signer() -> Signer {
    serde_json::from_value(serde_json::json!({
        "office": OFFICE,
        "key_id": 1,
        "secret": "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
    }))
    .unwrap()
}

/// `office-yymmdd-nnnn`: the office, a day, a sequence of 4 digits or more.
fn is_dossier_code(code: &str) -> bool {
    let Some(rest) = code.strip_prefix(&format!("{OFFICE}-")) else {
        return false;
    };
    let Some((day, seq)) = rest.split_once('-') else {
        return false;
    };
    day.len() == 6
        && day.bytes().all(|b| b.is_ascii_digit())
        && seq.len() >= 4
        && seq.bytes().all(|b| b.is_ascii_digit())
}

pub(crate) struct Harness {
    pub(crate) c: Counter,
    pub(crate) dir: tempfile::TempDir,
}

impl Harness {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("motcua.toml"), "[counter]\nnumber = \"3\"\n").unwrap();
        let opts = Options {
            config: Some(dir.path().join("motcua.toml")),
            data_dir: Some(dir.path().join("data")),
            ..Options::default()
        };
        let Station::Serving(c) = counter::station(prepare_as(&opts, Role::Counter), now()) else {
            panic!("the counter does not serve")
        };
        Self { c: *c, dir }
    }

    /// A counter standing alone with central out of reach: a fixed
    /// signing key, the fixed clock, an officer of its own; everything it
    /// shows is the same at every run.
    fn offline() -> Self {
        Self::offline_paid_into(None)
    }

    /// [`Harness::offline`] with fees asked for by VietQR into `payment`.
    fn offline_paid_into(payment: Option<motcua_core::vietqr::Payment>) -> Self {
        Self::offline_with(payment, Default::default(), Default::default())
    }

    /// [`Harness::offline`] with its scanner, scanning as `scan` asks.
    pub(crate) fn offline_with(
        payment: Option<motcua_core::vietqr::Payment>,
        scanner: motcua::scan::Scanner,
        scan: motcua::scan::ScanRequest,
    ) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let mut store = Store::open(&data).unwrap();
        store.set_officer("CB07", "Nguyễn Thị Hồng Nhung", "246810").unwrap();
        let signer = fixed_signer();
        let mut keyring = Keyring::default();
        keyring.add(OFFICE, signer.key_id, &signer.public_hex().unwrap());
        let config = motcua::config::Config::default();
        let brand = motcua::branding::Brand::builtin();
        let catalog = std::sync::Arc::new(Catalog::demo());
        let desk = Desk {
            store: std::sync::Arc::new(std::sync::Mutex::new(store)),
            link: None,
            office: OFFICE.into(),
            slot: 1,
            signer,
            keyring: std::sync::RwLock::new(keyring),
            calendar: motcua_core::calendar::Calendar::builtin(),
            cutoff: config.counter.cutoff_time().unwrap(),
            letterhead: Letterhead {
                agency: brand.identity.office.clone(),
                unit: "Bộ phận tiếp nhận và trả kết quả".into(),
                place: config.counter.place.clone(),
                collect_at: config.counter.collect_at.clone(),
                payment,
                ..Default::default()
            },
            data_dir: data.clone(),
            scanner,
            scan_defaults: scan,
        };
        let settings = counter::Settings {
            number: "3".into(),
            groups: catalog.groups.iter().map(|g| g.letter.clone()).collect(),
            demo_hint: false,
        };
        let printer = motcua::print::device::Printer::Folder {
            path: data.join("spool"),
        };
        let c = Counter::new(std::sync::Arc::new(desk), catalog, brand, printer, settings, now());
        Self { c, dir }
    }

    /// Takes the dossier on the form in; the receipt's random lookup
    /// secret is replaced by a fixed one (and signed again with the same
    /// key), so the QR on screen is the same at every run.
    pub(crate) fn take_in_with_fixed_secret(&mut self) {
        let job = self.c.update(Message::TakeIn);
        let Some(Message::TakenIn(Ok(mut taken))) = self.c.run_now(job) else {
            panic!("the dossier is not taken in: {:?}", self.c.stage)
        };
        let mut payload = motcua::receipt::decode_unverified(&taken.qr_text).unwrap();
        payload.secret = *b"MOTCUA01";
        let text = payload.sign(&self.c.desk.signer.key().unwrap()).unwrap();
        taken.qr_text = text.clone();
        taken.doc.qr_text = text;
        taken.doc.lookup_secret = motcua::receipt::secret_text(&payload.secret);
        self.send(Message::TakenIn(Ok(taken)));
    }

    pub(crate) fn ui(&self) -> Simulator<'_, Message> {
        Simulator::with_size(settings(), SIZE, self.c.view())
    }

    pub(crate) fn send(&mut self, m: Message) {
        let job = self.c.update(m);
        if let Some(next) = self.c.run_now(job) {
            self.send(next);
        }
    }

    pub(crate) fn feed(&mut self, messages: Vec<Message>) {
        for m in messages {
            self.send(m);
        }
    }

    pub(crate) fn tap(&mut self, id: &str) {
        let mut ui = self.ui();
        ui.click(selector::id(id.to_string()))
            .unwrap_or_else(|e| panic!("cannot press {id}: {e}"));
        let messages: Vec<Message> = ui.into_messages().collect();
        self.feed(messages);
    }

    /// Focuses a field and types into it, as a person or a scanner would.
    pub(crate) fn type_into(&mut self, id: &str, text: &str, enter: bool) {
        let mut ui = self.ui();
        ui.click(selector::id(id.to_string()))
            .unwrap_or_else(|e| panic!("no field {id}: {e}"));
        ui.typewrite(text);
        if enter {
            ui.tap_key(keyboard::Key::Named(Named::Enter));
        }
        let messages: Vec<Message> = ui.into_messages().collect();
        self.feed(messages);
    }

    pub(crate) fn shows(&self, text: &str) -> bool {
        self.ui().find(text).is_ok()
    }

    /// Renders a screen whose content is random by nature (a fresh
    /// signature, a fresh secret) into the target directory, to look at;
    /// what it says is asserted separately.
    fn look(&self, name: &str) {
        let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
        let _ = std::fs::remove_file(format!("{}-tiny-skia.png", path.display()));
        self.ui()
            .snapshot(&self.c.theme())
            .unwrap()
            .matches_image(&path)
            .unwrap();
    }

    pub(crate) fn snapshot(&self, name: &str) {
        kit::ui::assert_snapshot(&self.ui().snapshot(&self.c.theme()).unwrap(), name);
    }

    /// The screen in a window tall enough to show the whole intake form
    /// (on the counter's screen its lower part scrolls).
    pub(crate) fn snapshot_tall(&self, name: &str) {
        let mut ui = Simulator::with_size(settings(), Size::new(SIZE.width, 2200.0), self.c.view());
        kit::ui::assert_snapshot(&ui.snapshot(&self.c.theme()).unwrap(), name);
    }

    /// A kiosk of the same office issues a ticket through central.
    fn kiosk_ticket(&self, group: &str, procedure: Option<&str>) {
        let link = self.c.desk.link.clone().unwrap();
        let (_, credential) = kit::enroll_direct(&self.dir.path().join("data/central"), Role::Kiosk, "test kiosk");
        let kiosk = motcua::sync::Client::new(&link.client().base(), &credential, Duration::from_secs(3));
        let new = motcua_api::model::NewTicket {
            group: group.into(),
            lane: motcua_core::queue::Lane::Normal,
            procedure: procedure.map(String::from),
        };
        link.block_on(kiosk.issue_ticket(&new, &motcua_core::ids::random_hex(8)))
            .unwrap();
    }
}

/// Set in the process that runs the logging test alone.
const LOG_CHILD: &str = "MOTCUA_TEST_LOG_CHILD";

/// Every log line of this test process, as the log would hold them.
static LOG: std::sync::Mutex<Vec<u8>> = std::sync::Mutex::new(Vec::new());
static LOGGING: Once = Once::new();

struct Captured;

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        LOG.lock().unwrap_or_else(|e| e.into_inner()).extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Logs everything motcua says, at its most talkative, as JSON lines.
fn capture_logs() {
    LOGGING.call_once(|| {
        let subscriber = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new("debug,motcua=trace"))
            .json()
            .with_writer(|| Captured)
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("one logger per test process");
    });
}

#[test]
fn an_officer_signs_in_takes_a_dossier_in_and_returns_its_result() {
    if std::env::var_os(LOG_CHILD).is_none() {
        // The logger is global to a process, and the other tests of this
        // binary would log into it too: this test runs in a process of its
        // own.
        let exe = std::env::current_exe().unwrap();
        let name = "counter_ui::an_officer_signs_in_takes_a_dossier_in_and_returns_its_result";
        return kit::run_alone(&exe, name, |child| {
            child.env(LOG_CHILD, "1");
        });
    }
    capture_logs();
    let mut h = Harness::new();
    h.snapshot("counter-signin");
    // A wrong PIN is refused with the tries left.
    h.type_into("officer-id", "CB01", false);
    h.type_into("officer-pin", "999999", true);
    assert!(h.shows("Mã cán bộ hoặc mã PIN không đúng. Còn 4 lần thử."));
    h.type_into("officer-pin", "123456", true);
    assert!(matches!(h.c.stage, Stage::Desk { .. }), "signed in");

    h.kiosk_ticket("A", Some("1.001193"));
    h.tap("call-next");
    assert_eq!(h.c.current.as_ref().map(|t| t.display.as_str()), Some("A-001"));
    // The called ticket's procedure is already chosen.
    let Stage::Desk {
        panel: Panel::Intake(form),
        ..
    } = &h.c.stage
    else {
        panic!()
    };
    assert_eq!(form.procedure.as_ref().map(|p| p.code.as_str()), Some("1.001193"));

    // The USB scanner types the card's QR text and Enter into the scan
    // field: first the wrong card of the family (a new one, read by
    // shape), then the applicant's, which replaces it whole.
    h.type_into("cccd-scan", NEW_CARD, true);
    h.type_into(
        "cccd-scan",
        "001099012345|013456789|Nguyễn Văn An|15031999|Nam|Số 12 Hàng Bạc, Hoàn Kiếm, Hà Nội|20042021",
        true,
    );
    h.type_into("phone", "0912345678", false);
    // Taking it in without the documents ticked says what is missing.
    h.tap("take-in");
    assert!(h.shows("• Đánh dấu ít nhất một giấy tờ đã nhận"));
    h.tap("doc-0");
    h.tap("doc-1");
    h.snapshot("counter-intake");
    h.tap("take-in");
    let r = the_receipt(&h);
    let code = r.taken.code.clone();
    let text = r.taken.qr_text.clone();
    // Central numbers the dossier on its own clock's day: the shape is
    // checked here, not the day, so the test passes at any hour.
    assert!(is_dossier_code(&code), "{code}");
    h.look("counter-receipt");
    h.tap("print-receipt");
    let r = the_receipt(&h);
    assert_eq!(r.print, Some(Ok(())));
    assert!(h.dir.path().join(format!("data/receipts/{code}.pdf")).exists());
    assert!(h.dir.path().join(format!("data/spool/receipt-{code}.bin")).exists());

    // The dossier reaches central.
    let link = h.c.desk.link.clone().unwrap();
    assert_eq!(link.block_on(link.drain()), motcua::sync::Step::Empty);

    // Later the citizen comes back with the receipt.
    h.tap("tab-verify");
    h.type_into("receipt-scan", &text, true);
    assert!(h.shows("Biên nhận hợp lệ"), "{:?}", h.c.stage);
    assert!(h.shows("Đã tiếp nhận"), "the history from central");
    h.look("counter-verify");
    h.tap("return-result");
    assert!(h.shows("Đã ghi nhận trả kết quả"));
    assert_eq!(link.block_on(link.drain()), motcua::sync::Step::Empty);
    let history = link.block_on(link.client().dossier(&code)).unwrap().history;
    assert_eq!(history.last().map(|s| s.status), Some(10));

    // A forged receipt is refused with the reason.
    h.tap("tab-verify");
    let mut forged: Vec<char> = text.chars().collect();
    let i = forged.len() - 5;
    forged[i] = if forged[i] == '0' { '1' } else { '0' };
    h.type_into("receipt-scan", &forged.into_iter().collect::<String>(), true);
    assert!(h.shows("Biên nhận không hợp lệ: Chữ ký không khớp: biên nhận bị sửa hoặc giả mạo"));
    h.look("counter-verify-forged");

    // The counter's key is rotated after it signed: the receipt still
    // verifies, and the officer sees which key and since when.
    let fresh = ed25519_dalek::SigningKey::from_bytes(&[9u8; 32]);
    let hex: String = fresh
        .verifying_key()
        .to_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    link.block_on(link.client().add_key(&hex, "rotate-1")).unwrap();
    h.tap("tab-verify");
    h.type_into("receipt-scan", &text, true);
    assert!(h.shows("Biên nhận hợp lệ"), "{:?}", h.c.stage);
    let Stage::Desk {
        panel: Panel::Verify(v),
        ..
    } = &h.c.stage
    else {
        panic!("{:?}", h.c.stage)
    };
    let note = v
        .result
        .as_ref()
        .unwrap()
        .as_ref()
        .unwrap()
        .retired_note(motcua::i18n::Lang::Vi);
    let note = note.expect("the retired key is named");
    assert!(note.starts_with("Khóa ký 1 đã ngừng sử dụng từ"), "{note}");
    assert!(h.shows(&note), "the note is on screen");
    h.look("counter-verify-retired");

    // Done with the citizen: nothing personal stays on screen.
    h.tap("complete");
    h.tap("tab-intake");
    assert!(!h.shows("Nguyễn Văn An"));

    // Nor in any log line, from the counter, the sync or central.
    let log = String::from_utf8_lossy(&LOG.lock().unwrap()).to_string();
    assert!(log.contains(&code), "the intake was logged by its dossier code");
    for personal in [
        "Nguyễn Văn An",
        "Nguyen Van An",
        "001099012345",
        "013456789",
        "0912345678",
        "Hàng Bạc",
        "15031999",
        "Trần Thị Bình",
        "001301012345",
        "01022041",
        "Ba Đình",
    ] {
        let line = log.lines().find(|l| l.contains(personal));
        assert!(line.is_none(), "`{personal}` in the log: {line:?}");
    }
}

#[test]
fn bad_card_scans_and_inputs_are_explained() {
    let mut h = Harness::new();
    h.type_into("officer-id", "CB01", false);
    h.type_into("officer-pin", "123456", true);
    h.type_into("cccd-scan", "xin|42|?", true);
    let Stage::Desk {
        panel: Panel::Intake(form),
        ..
    } = &h.c.stage
    else {
        panic!()
    };
    assert!(matches!(form.scanned, Some(Err(_))));
    assert!(h.shows(&format!(
        "Không đọc được mã trên thẻ: {}",
        motcua_core::citizen::CitizenError::QrNothingRecognised { fields: 3 }.vi()
    )));
    h.tap("take-in");
    assert!(h.shows("• Chọn thủ tục trước khi tiếp nhận"));
}

#[test]
fn a_ticket_is_called_out_of_turn_and_sent_to_another_counter() {
    let mut h = Harness::new();
    h.type_into("officer-id", "CB01", false);
    h.type_into("officer-pin", "123456", true);
    h.kiosk_ticket("B", None);
    h.kiosk_ticket("B", None);
    h.type_into("call-number", "b-002", true);
    assert_eq!(h.c.current.as_ref().map(|t| t.display.as_str()), Some("B-002"));
    assert_eq!(
        h.c.waiting.iter().map(|w| w.normal).sum::<u32>(),
        1,
        "B-001 still waits"
    );
    h.type_into("transfer-counter", "5", true);
    assert!(h.c.current.is_none(), "the ticket left this desk");
    // A number nobody holds is said plainly.
    h.type_into("call-number", "C-099", true);
    let said = h.c.queue_error.clone().unwrap_or_default();
    // Central's refusal, with its reason: not "out of reach".
    assert!(said.starts_with("Máy chủ trung tâm không chấp nhận: "), "{said}");
    assert!(said.contains("C-099"), "{said}");
}

/// A counter whose central does not answer says so, and not as a refusal:
/// the officer knows the call did not happen and may try again.
#[test]
fn a_counter_tells_central_out_of_reach_from_central_refusing() {
    let mut h = Harness::offline();
    h.type_into("officer-id", "CB07", false);
    h.type_into("officer-pin", "246810", true);
    assert!(matches!(h.c.stage, Stage::Desk { .. }), "signed in");
    h.send(Message::CallNext);
    assert_eq!(
        h.c.queue_error.as_deref(),
        Some("Không kết nối được máy chủ trung tâm: chưa thực hiện được, xin thử lại")
    );
    assert!(h.c.current.is_none());
}

#[test]
fn the_receipt_and_verify_screens_match_their_snapshots() {
    let mut h = filled_in(None, "1.001193");
    assert!(matches!(h.c.stage, Stage::Desk { .. }), "signed in");
    h.tap("doc-1");
    h.take_in_with_fixed_secret();
    let r = the_receipt(&h);
    // Received on the counter's clock, not the machine's.
    assert_eq!(r.taken.doc.received_date, "28/11/2026");
    assert_eq!(r.taken.doc.received_time, "09:41");
    assert!(is_dossier_code(&r.taken.code), "{}", r.taken.code);
    let text = r.taken.qr_text.clone();
    h.snapshot("counter-receipt");

    h.tap("tab-verify");
    h.type_into("receipt-scan", &text, true);
    assert!(h.shows("Biên nhận hợp lệ"), "{:?}", h.c.stage);
    assert!(h.shows("Tiếp nhận lúc 09:41 28/11/2026"));
    h.snapshot("counter-verify");

    h.tap("tab-verify");
    let mut forged: Vec<char> = text.chars().collect();
    let i = forged.len() - 5;
    forged[i] = if forged[i] == '0' { '1' } else { '0' };
    h.type_into("receipt-scan", &forged.into_iter().collect::<String>(), true);
    assert!(h.shows("Biên nhận không hợp lệ: Chữ ký không khớp: biên nhận bị sửa hoặc giả mạo"));
    h.snapshot("counter-verify-forged");
}

/// A căn cước card's QR in a layout the counter does not know: fields in
/// another order, `;` between them, no old ID, "Nu" without diacritics, an
/// expiry date.
const NEW_CARD: &str = "Trần Thị Bình;001301012345;Nu;01022001;Số 7 ngõ 15, Phường Ba Đình, Hà Nội;15082024;01022041";

pub(crate) fn the_receipt(h: &Harness) -> &counter::ReceiptView {
    let Stage::Desk {
        panel: Panel::Receipt(r),
        ..
    } = &h.c.stage
    else {
        panic!("no receipt on screen")
    };
    r
}

fn the_form(h: &Harness) -> &counter::Form {
    let Stage::Desk {
        panel: Panel::Intake(form),
        ..
    } = &h.c.stage
    else {
        panic!("no intake form: {:?}", h.c.stage)
    };
    form
}

#[test]
fn a_new_card_prefills_what_is_certain_and_asks_to_check_the_guesses() {
    let mut h = Harness::offline();
    h.type_into("officer-id", "CB07", false);
    h.type_into("officer-pin", "246810", true);
    h.send(Message::Form(Edit::Procedure("1.001193".into())));
    // The scan area tells where each card generation carries its QR.
    assert!(h.shows("CCCD gắn chip: mã QR ở mặt trước · Thẻ căn cước (từ 01/7/2024): mã QR ở mặt sau"));
    h.type_into("cccd-scan", NEW_CARD, true);
    let form = the_form(&h);
    assert_eq!(
        (form.name.as_str(), form.id_number.as_str(), form.birth.as_str()),
        ("Trần Thị Bình", "001301012345", "01/02/2001")
    );
    assert_eq!(form.address, "Số 7 ngõ 15, Phường Ba Đình, Hà Nội");
    assert_eq!(form.to_check, vec![CardField::Name, CardField::Address]);
    assert!(h.shows("Đã điền theo thẻ căn cước. Đối chiếu với giấy tờ gốc."));
    assert!(h.shows(
        "Đoán theo dạng, ghi «kiểm tra lại»: Họ và tên người nộp, Địa chỉ. Đối chiếu với thẻ rồi sửa hoặc bấm «Đúng»."
    ));
    // The guesses are marked, each with a button to keep it.
    assert!(h.shows("· kiểm tra lại"));
    assert!(h.ui().find(selector::id("confirm-name")).is_ok());
    assert!(h.ui().find(selector::id("confirm-address")).is_ok());
    assert!(
        h.ui().find(selector::id("confirm-id-number")).is_err(),
        "the ID number is certain"
    );
    // The expiry date is left for the officer to read on the card.
    assert!(h.shows("• trường 7 (ngày sau hôm nay): «01022041»"));

    h.type_into("phone", "0912345678", false);
    h.tap("doc-0");
    h.snapshot("counter-intake-new-card");
    // Not taken in while a guess is unchecked.
    h.tap("take-in");
    assert!(h.shows("• Họ và tên người nộp: chưa đối chiếu với thẻ"));
    assert!(h.shows("• Địa chỉ: chưa đối chiếu với thẻ"));
    assert!(matches!(
        h.c.stage,
        Stage::Desk {
            panel: Panel::Intake(_),
            ..
        }
    ));
    // The officer keeps the name and corrects the address.
    h.tap("confirm-name");
    assert!(h.ui().find(selector::id("confirm-name")).is_err());
    assert!(h.shows("· kiểm tra lại"), "the address is still a guess");
    assert!(h.shows("Đoán theo dạng, ghi «kiểm tra lại»: Địa chỉ. Đối chiếu với thẻ rồi sửa hoặc bấm «Đúng»."));
    // The address is below the fold of the form: typed as the field would send it.
    h.send(Message::Form(Edit::Address(
        "Số 7 ngõ 15, Phường Ba Đình, Hà Nội (tổ 3)".into(),
    )));
    assert!(the_form(&h).to_check.is_empty());
    assert!(h.ui().find("· kiểm tra lại").is_err());
    h.take_in_with_fixed_secret();
    let r = the_receipt(&h);
    assert_eq!(r.taken.doc.applicant, "Trần Thị Bình");
    assert_eq!(r.taken.doc.id_number, "001301012345");
}

#[test]
fn an_english_counter_tells_the_card_sides_and_the_guesses_in_english() {
    let mut h = Harness::offline();
    h.c.lang = motcua::i18n::Lang::En;
    h.type_into("officer-id", "CB07", false);
    h.type_into("officer-pin", "246810", true);
    assert!(h.shows("Chip CCCD: QR on the front · Căn cước card (since 1 July 2024): QR on the back"));
    h.type_into("cccd-scan", NEW_CARD, true);
    assert!(h.shows("· please check"));
    assert!(h.shows("Correct"));
    assert!(h.shows("• field 7 (a date after today): «01022041»"));
    assert!(h.shows("Filled in from the căn cước card. Check against the original documents."));
}

/// Options for a counter whose data directory holds an enrollment with
/// `central` and whose configuration names no central (it adopts the
/// enrollment's), as after `motcua enroll URL TOKEN`.
fn enroll_counter(central: &motcua_central::Running, central_dir: &std::path::Path, dir: &std::path::Path) -> Options {
    let enrolled = kit::enroll(central, central_dir, OFFICE, Role::Counter);
    let device = motcua::sync::device::DeviceFile::from_enrolled(Some(central.url()), enrolled);
    std::fs::create_dir_all(dir.join("data")).unwrap();
    device.save(&dir.join("data")).unwrap();
    let config = dir.join("motcua.toml");
    if !config.exists() {
        std::fs::write(&config, "[counter]\nnumber = \"3\"\n").unwrap();
    }
    Options {
        config: Some(config),
        data_dir: Some(dir.join("data")),
        ..Options::default()
    }
}

fn serving(opts: &Options) -> Box<Counter> {
    match counter::station(prepare_as(opts, Role::Counter), now()) {
        Station::Serving(c) => c,
        Station::Fault(_) => panic!("the counter does not serve"),
    }
}

fn demo_officer_signs_in(c: &Counter) -> bool {
    let (id, pin) = counter::DEMO_OFFICER;
    let mut store = c.desk.store.lock().unwrap();
    store.sign_in(id, pin, now()).is_ok()
}

#[test]
fn an_enrolled_counter_with_the_demo_catalog_has_no_demo_officer() {
    let central_dir = tempfile::tempdir().unwrap();
    let central = kit::start_central(central_dir.path());
    let dir = tempfile::tempdir().unwrap();
    let c = serving(&enroll_counter(&central, central_dir.path(), dir.path()));
    assert!(c.catalog.demo, "central has no catalog of this office: the demo one");
    assert!(!demo_officer_signs_in(&c));
    assert_eq!(c.desk.store.lock().unwrap().officer_count().unwrap(), 0);
    let mut ui = Simulator::with_size(settings(), SIZE, c.view());
    assert!(ui.find("Dữ liệu minh họa: cán bộ CB01, mã PIN 123456").is_err());
}

#[test]
fn a_counter_holding_the_demo_officer_loses_it_once_enrolled() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("motcua.toml"), "[counter]\nnumber = \"3\"\n").unwrap();
    let standalone = Options {
        config: Some(dir.path().join("motcua.toml")),
        data_dir: Some(dir.path().join("data")),
        ..Options::default()
    };
    let c = serving(&standalone);
    assert!(demo_officer_signs_in(&c), "the demo on its own has it");
    // An officer of the office, added before enrollment, stays.
    c.desk
        .store
        .lock()
        .unwrap()
        .set_officer("CB02", "Trần Thị Cán Bộ", "246810")
        .unwrap();
    drop(c);

    let central_dir = tempfile::tempdir().unwrap();
    let central = kit::start_central(central_dir.path());
    let c = serving(&enroll_counter(&central, central_dir.path(), dir.path()));
    assert!(!demo_officer_signs_in(&c));
    let mut store = c.desk.store.lock().unwrap();
    assert_eq!(store.officer_count().unwrap(), 1);
    assert!(store.sign_in("CB02", "246810", now()).is_ok());
}

#[test]
fn the_demo_on_its_own_has_its_demo_officer() {
    let mut h = Harness::new();
    assert!(h.shows("Dữ liệu minh họa: cán bộ CB01, mã PIN 123456"));
    h.type_into("officer-id", "CB01", false);
    h.type_into("officer-pin", "123456", true);
    assert!(matches!(h.c.stage, Stage::Desk { .. }), "signed in");
}

#[test]
fn a_dossier_filed_under_an_authorisation_and_sent_by_post_prints_both_on_its_receipt() {
    use motcua::ui::counter::ProxyEdit;
    let mut h = Harness::offline();
    h.type_into("officer-id", "CB07", false);
    h.type_into("officer-pin", "246810", true);
    h.send(Message::Form(Edit::Procedure("1.001193".into())));
    h.type_into(
        "cccd-scan",
        "001099012345|013456789|Nguyễn Văn An|15031999|Nam|Số 12 Hàng Bạc, Hoàn Kiếm, Hà Nội|20042021",
        true,
    );
    h.type_into("phone", "0912345678", false);
    h.tap("doc-0");
    let proxy = |e| Message::Form(Edit::Proxy(e));
    let nothing_kept = |h: &Harness| {
        let store = h.c.desk.store.lock().unwrap();
        store.next_pending().unwrap().is_none()
    };
    // Under an authorisation with nothing of the principal: each missing
    // field is named, and nothing is kept.
    // (Below the fold of the form: sent as the box would send it.)
    h.send(proxy(ProxyEdit::On(true)));
    h.tap("take-in");
    for missing in [
        "• Họ và tên người ủy quyền: chưa điền",
        "• Số định danh cá nhân/mã số tổ chức của người ủy quyền: chưa điền",
        "• Địa chỉ người ủy quyền: chưa điền",
        "• Văn bản ủy quyền (số, ngày): chưa điền",
    ] {
        assert!(h.shows(missing), "{missing}");
    }
    assert!(nothing_kept(&h), "a dossier was kept half-way");
    h.feed(vec![
        proxy(ProxyEdit::Name("Lê Thị Hoa".into())),
        proxy(ProxyEdit::Id("12345".into())),
        proxy(ProxyEdit::Address("Số 3 Hàng Đào, Hoàn Kiếm, Hà Nội".into())),
        proxy(ProxyEdit::Phone("0987654321".into())),
        proxy(ProxyEdit::Authorisation(
            "Giấy ủy quyền số 15/UQ ngày 20/11/2026".into(),
        )),
    ]);
    // A principal's ID number of the wrong shape is named as the principal's.
    h.tap("take-in");
    let said = the_form(&h).problems.iter().find_map(|p| match p {
        counter::Problem::Principal(e) => Some(format!("• Người ủy quyền: {}", e.text(motcua::i18n::Lang::Vi))),
        _ => None,
    });
    let said = said.expect("the principal's ID number is refused");
    assert!(h.shows(&said), "{said}");
    assert!(nothing_kept(&h));
    h.send(proxy(ProxyEdit::Id("001185000123".into())));
    // By post: the principal's address is offered; emptied, it is missing.
    h.send(proxy(ProxyEdit::Post(true)));
    assert_eq!(the_form(&h).proxy.post_address, "Số 3 Hàng Đào, Hoàn Kiếm, Hà Nội");
    h.send(proxy(ProxyEdit::PostAddress(String::new())));
    h.tap("take-in");
    assert!(h.shows("• Địa chỉ nhận kết quả qua bưu chính: chưa điền"));
    assert!(nothing_kept(&h));
    h.send(proxy(ProxyEdit::PostAddress("Số 3 Hàng Đào, Hoàn Kiếm, Hà Nội".into())));
    h.snapshot_tall("counter-intake-proxy-post");
    h.take_in_with_fixed_secret();
    let r = the_receipt(&h);
    let doc = &r.taken.doc;
    let principal = doc.principal.as_ref().expect("the principal on the receipt");
    assert_eq!(
        (principal.name.as_str(), principal.id_number.as_str()),
        ("Lê Thị Hoa", "001185000123")
    );
    assert_eq!(
        doc.collect_at,
        "Dịch vụ bưu chính công ích, gửi đến: Số 3 Hàng Đào, Hoàn Kiếm, Hà Nội"
    );
    assert_eq!(doc.appointment_time, "16:00");
    // What goes to central carries both, and who took it in.
    let record = h.c.desk.store.lock().unwrap().next_pending().unwrap().unwrap();
    let body: serde_json::Value = serde_json::from_str(&record.body).unwrap();
    assert_eq!(
        body["dossier"]["principal"]["authorisation"],
        "Giấy ủy quyền số 15/UQ ngày 20/11/2026"
    );
    assert_eq!(body["dossier"]["delivery"]["way"], "post");
    assert_eq!(body["dossier"]["officer"], "CB07");
}

/// An officer signed in at an offline counter, a chip card's applicant on
/// the form for procedure `code` (its first document ticked).
fn filled_in(payment: Option<motcua_core::vietqr::Payment>, code: &str) -> Harness {
    let mut h = Harness::offline_paid_into(payment);
    h.type_into("officer-id", "CB07", false);
    h.type_into("officer-pin", "246810", true);
    h.send(Message::Form(Edit::Procedure(code.into())));
    h.type_into(
        "cccd-scan",
        "001099012345|013456789|Nguyễn Văn An|15031999|Nam|Số 12 Hàng Bạc, Hoàn Kiếm, Hà Nội|20042021",
        true,
    );
    h.type_into("phone", "0912345678", false);
    h.tap("doc-0");
    h
}

#[test]
fn a_fee_is_asked_for_by_vietqr_on_screen_and_on_the_receipt_and_without_an_account_at_the_counter() {
    let account = motcua_core::vietqr::Payment {
        bank_bin: "970415".into(),
        account: "113366668888".into(),
        account_name: "TRUNG TAM PHUC VU HANH CHINH CONG".into(),
        bank_name: Some("VietinBank".into()),
    };
    // 1.001022 costs 10.000 đồng.
    let mut h = filled_in(Some(account), "1.001022");
    h.take_in_with_fixed_secret();
    let r = the_receipt(&h);
    let fee = r.taken.doc.fee_qr.clone().expect("a VietQR for the fee");
    let code = r.taken.code.clone();
    let receipt_text = r.taken.qr_text.clone();
    assert_eq!(fee.amount, 10_000);
    assert_eq!(fee.reference, code.replace(['.', '-'], ""));
    assert!(fee.payload.contains("5405100005802VN"), "{}", fee.payload);
    assert!(h.ui().find(selector::id("fee-qr")).is_ok());
    assert!(h.shows("Người nhận: TRUNG TAM PHUC VU HANH CHINH CONG – VietinBank"));
    h.snapshot("counter-receipt-fee");
    // The printed A4 receipt carries both QRs: the signed receipt and the
    // fee's VietQR, each read back by an ordinary reader.
    h.tap("print-receipt");
    let pdf = h.dir.path().join(format!("data/receipts/{code}.pdf"));
    let png = h.dir.path().join("page");
    let ok = std::process::Command::new("pdftoppm")
        .args(["-r", "150", "-f", "1", "-l", "1", "-png", "-singlefile"])
        .arg(&pdf)
        .arg(&png)
        .status()
        .expect("pdftoppm is installed (scripts/test installs poppler-utils)");
    assert!(ok.success());
    let read = kit::zbarimg_all(&h.dir.path().join("page.png"));
    assert!(read.contains(&fee.payload), "{read:?}");
    assert!(read.contains(&receipt_text), "{read:?}");
    // The officer records the fee paid by the transfer: queued for central
    // with its reference, after the dossier.
    h.tap("fee-vietqr");
    assert!(h.shows("Đã ghi phí, lệ phí: Đã nộp qua VietQR"));
    let payment = {
        let mut store = h.c.desk.store.lock().unwrap();
        let dossier = store.next_pending().unwrap().unwrap();
        assert_eq!(dossier.kind, "dossier");
        store.mark_sent(dossier.id).unwrap();
        store.next_pending().unwrap().unwrap()
    };
    assert_eq!(payment.kind, "payment");
    let body: serde_json::Value = serde_json::from_str(&payment.body).unwrap();
    assert_eq!(body["code"], code);
    assert_eq!(
        (
            &body["payment"]["amount"],
            &body["payment"]["paid"],
            &body["payment"]["method"]
        ),
        (
            &serde_json::json!(10_000),
            &serde_json::json!(true),
            &serde_json::json!("vietqr")
        )
    );
    assert_eq!(body["payment"]["reference"], fee.reference);

    // No account configured: the dossier is taken in all the same, the
    // screen says why there is no QR and names the key to set.
    let mut h = filled_in(None, "1.001022");
    h.take_in_with_fixed_secret();
    let r = the_receipt(&h);
    assert!(r.taken.doc.fee_qr.is_none());
    assert!(h.ui().find(selector::id("fee-qr")).is_err());
    let said = format!(
        "Chưa có mã VietQR để nộp phí: {}. Thu phí tại quầy.",
        motcua_core::vietqr::VietQrError::NoAccount.text(motcua::i18n::Lang::Vi)
    );
    assert!(said.contains("[payment] account"), "{said}");
    assert!(h.shows(&said), "{said}");
    // Not paid yet: asked for, which central holds at status 6.
    h.tap("fee-requested");
    assert!(h.shows("Đã ghi phí, lệ phí: Chưa nộp phí"));
    assert_eq!(h.c.desk.store.lock().unwrap().outbox_counts().unwrap().pending, 2);
    // A procedure with no fee due shows neither.
    let mut h = filled_in(None, "1.001193");
    h.take_in_with_fixed_secret();
    assert!(h.ui().find(selector::id("fee-qr")).is_err());
    assert!(h.ui().find("Thu phí tại quầy").is_err());
    assert!(h.ui().find(selector::id("fee-cash")).is_err(), "no fee to record");
}

/// The words of a PDF, its lines joined.
fn pdf_words(pdf: &std::path::Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext is installed (scripts/test installs poppler-utils)");
    assert!(out.status.success(), "{}", pdf.display());
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_officer_prints_the_forms_of_the_set_for_a_scanned_dossier() {
    let mut h = filled_in(None, "1.001193");
    h.take_in_with_fixed_secret();
    let r = the_receipt(&h);
    let (code, text) = (r.taken.code.clone(), r.taken.qr_text.clone());
    h.tap("tab-verify");
    h.type_into("receipt-scan", &text, true);
    assert!(h.shows("Biên nhận hợp lệ"));
    let forms = h.dir.path().join("data/forms");
    // The dossier's status here, and the records waiting for central.
    let status = |h: &Harness| -> (u8, u64) {
        let store = h.c.desk.store.lock().unwrap();
        let (_, status) = store.dossier(&code).unwrap().unwrap();
        (status, store.outbox_counts().unwrap().pending)
    };
    assert_eq!(status(&h), (2, 1));

    // The slip prints at once, from the dossier's history.
    h.tap("form-control");
    let slip = forms.join(format!("{code}-control.pdf"));
    assert!(h.shows(&format!("Đã lưu phiếu {code}-control.pdf")));
    let words = pdf_words(&slip);
    for e in [
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        &code,
        "Đã tiếp nhận",
        "Trước hạn",
    ] {
        assert!(words.contains(e), "{e:?} not in the slip: {words}");
    }

    // A draft closes with its button again, and the details come back.
    h.tap("form-stop");
    assert!(
        h.ui().find(selector::id("return-result")).is_err(),
        "the draft in the details' place"
    );
    h.tap("form-stop");
    assert!(h.ui().find(selector::id("return-result")).is_ok());
    // A request to supplement needs what is missing and why.
    h.tap("form-supplement");
    h.tap("form-print");
    assert!(h.shows("• Chọn ít nhất một giấy tờ còn thiếu, hoặc ghi nội dung cần bổ sung"));
    h.tap("missing-1");
    h.tap("form-print");
    assert!(h.shows("• Ghi lý do"));
    assert!(
        !forms.join(format!("{code}-supplement.pdf")).exists(),
        "printed half-way"
    );
    h.type_into("form-reason", "Giấy chứng sinh chưa có xác nhận của cơ sở y tế", false);
    h.snapshot("counter-form-supplement");
    h.tap("form-print");
    let words = pdf_words(&forms.join(format!("{code}-supplement.pdf")));
    for e in [
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        "1. Giấy chứng sinh",
        "Lý do: Giấy chứng sinh chưa có xác nhận của cơ sở y tế",
        "Nguyễn Văn An",
        "Nguyễn Thị Hồng Nhung",
    ] {
        assert!(words.contains(e), "{e:?} not in the request: {words}");
    }
    assert_eq!(status(&h), (5, 2), "status 5 queued for central");

    // An apology needs a new appointment after the old one.
    h.tap("form-apology");
    let Stage::Desk {
        panel: Panel::Verify(v),
        ..
    } = &h.c.stage
    else {
        panic!()
    };
    let proposed = v.draft.as_ref().unwrap().new_due.clone();
    assert_ne!(proposed, "30/11/2026", "proposed after the appointment");
    h.send(Message::Draft(counter::DraftEdit::NewDue("30/11/2026".into())));
    h.type_into("form-reason", "Cần xác minh thêm", false);
    h.tap("form-print");
    assert!(h.shows("• Ngày hẹn mới phải có dạng ngày/tháng/năm và sau ngày hẹn cũ"));
    h.send(Message::Draft(counter::DraftEdit::NewDue(proposed.clone())));
    h.tap("form-print");
    let words = pdf_words(&forms.join(format!("{code}-apology.pdf")));
    assert!(
        words.contains(&format!("xin hẹn trả kết quả vào: 16 giờ 00 phút, ngày {proposed}")),
        "{words}"
    );

    // Stopping at the citizen's request: the notice, and status 7.
    h.tap("form-stop");
    h.type_into("form-reason", "Công dân xin rút hồ sơ", false);
    h.tap("form-print");
    let words = pdf_words(&forms.join(format!("{code}-stop.pdf")));
    assert!(
        words.contains("THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ") && words.contains("Lý do: Công dân xin rút hồ sơ"),
        "{words}"
    );
    assert_eq!(status(&h), (7, 3), "status 7 queued for central");
}

#[test]
fn a_dossier_refused_at_intake_gets_its_refusal_form_and_nothing_is_kept() {
    let mut h = filled_in(None, "1.001193");
    // (At the foot of the form, below the fold: sent as the button would.)
    h.send(Message::Refuse);
    assert!(h.shows("• Lý do từ chối tiếp nhận: chưa điền"));
    h.send(Message::Form(Edit::RefusalReason(
        "Thủ tục thuộc thẩm quyền của UBND cấp tỉnh".into(),
    )));
    h.snapshot_tall("counter-intake-refusal");
    h.send(Message::Refuse);
    let name = "refusal-20261128-094100.pdf";
    assert!(h.shows(&format!("Đã lưu phiếu {name}")));
    let words = pdf_words(&h.dir.path().join("data/forms").join(name));
    for e in [
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        "Nguyễn Văn An",
        "Số định danh cá nhân/Mã số tổ chức: 001099012345",
        "Thủ tục đăng ký khai sinh",
        "Thủ tục thuộc thẩm quyền của UBND cấp tỉnh",
    ] {
        assert!(words.contains(e), "{e:?} not in the refusal: {words}");
    }
    let store = h.c.desk.store.lock().unwrap();
    assert_eq!(
        store.outbox_counts().unwrap().pending,
        0,
        "a refused dossier is not taken in"
    );
}

#[test]
fn taking_a_dossier_in_and_returning_its_result_ask_the_citizen_display() {
    use motcua_api::evaluation::Occasion;
    let mut h = filled_in(None, "1.001193");
    let job = h.c.update(Message::TakeIn);
    let Some(Message::TakenIn(Ok(taken))) = h.c.run_now(job) else {
        panic!("not taken in")
    };
    let (code, text) = (taken.code.clone(), taken.qr_text.clone());
    let job = h.c.update(Message::TakenIn(Ok(taken)));
    assert!(
        matches!(&job, counter::Job::AskEvaluation(c, Occasion::Intake) if *c == code),
        "{job:?}"
    );
    h.tap("tab-verify");
    h.type_into("receipt-scan", &text, true);
    let job = h.c.update(Message::ReturnResult);
    let Some(returned) = h.c.run_now(job) else {
        panic!("not returned")
    };
    let job = h.c.update(returned);
    assert!(
        matches!(&job, counter::Job::AskEvaluation(c, Occasion::Return) if *c == code),
        "{job:?}"
    );
}
