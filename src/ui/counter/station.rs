//! Start-up of the counter's station: the desk from the setup (its
//! receipt key registered with central, the keyring, a demo officer for a
//! demo standing alone), or the fault screen; and its window.

use super::*;

/// The demo officer's ID and PIN, known to anyone who read the README.
pub const DEMO_OFFICER: (&str, &str) = ("CB01", "123456");

/// Gives a standalone demo its demo officer (when it has no officer yet)
/// and takes it from any other counter; says whether the sign-in screen
/// may show the demo officer's ID and PIN.
pub fn demo_officer(store: &crate::setup::SharedStore, demo_catalog: bool, standalone: bool) -> bool {
    let mut store = store.lock().unwrap_or_else(|p| p.into_inner());
    let (id, pin) = DEMO_OFFICER;
    if !standalone {
        match store.remove_officer_with_pin(id, pin) {
            Ok(true) => tracing::warn!("demo officer {id} removed: this counter is enrolled with a central"),
            Ok(false) => {}
            Err(e) => tracing::error!(error = %e, "the demo officer could not be removed"),
        }
        return false;
    }
    if !demo_catalog {
        return false;
    }
    if store.officer_count().unwrap_or(1) == 0 {
        // A demo on its own gets a demo officer, so the station can be tried.
        let _ = store.set_officer(id, "Cán bộ minh họa", pin);
        tracing::warn!("demo officer {id} created; add real officers with `motcua counter-officer`");
    }
    true
}

/// The counter, or why it cannot serve.
pub enum Station {
    Serving(Box<Counter>),
    Fault(Box<crate::ui::screen::fault::State>),
}

/// Builds the counter's desk from start-up: its receipt key registered
/// with central, the keyring, and (for a demo standing alone) a demo
/// officer.
pub fn station(setup: crate::setup::Setup, now: Timestamp) -> Station {
    use crate::setup::Fault;
    let ready = match setup.ready {
        Ok(r) => r,
        Err(fault) => return Station::Fault(Box::new(crate::ui::screen::fault::State::new(fault, setup.brand))),
    };
    let config = &setup.config;
    let office = config.office_code.clone();
    let keys = {
        let link = ready.link.clone();
        let dir = ready.data_dir.clone();
        let fut = async move { crate::counter::prepare_keys(link.as_deref(), &dir, &office).await };
        match &ready.link {
            Some(link) => link.block_on(fut),
            None => crate::runtime::handle().block_on(fut),
        }
    };
    let (signer, keyring) = match keys {
        Ok(k) => k,
        Err(reason) => {
            tracing::error!(%reason, "receipt keys unavailable");
            return Station::Fault(Box::new(crate::ui::screen::fault::State::new(
                Fault::Central {
                    reason: reason.to_string(),
                },
                setup.brand,
            )));
        }
    };
    // Only a machine running the whole demo on its own (no central
    // configured, nor adopted from an enrollment) may have the demo
    // officer: central serves the demo catalog to any office without its
    // own, and a well-known PIN has no place on a real counter.
    let standalone = config.central.url.is_none();
    let demo_hint = demo_officer(&ready.store, ready.catalog.demo, standalone);
    let groups = if config.counter.groups.is_empty() {
        ready.catalog.groups.iter().map(|g| g.letter.clone()).collect()
    } else {
        config.counter.groups.clone()
    };
    let agency = if config.counter.agency.trim().is_empty() {
        setup.brand.identity.office.clone()
    } else {
        config.counter.agency.clone()
    };
    let layouts = match crate::config::form_layouts(config) {
        Ok(l) => l,
        Err(e) => {
            return Station::Fault(Box::new(crate::ui::screen::fault::State::new(
                Fault::Config(e),
                setup.brand,
            )));
        }
    };
    let desk = crate::counter::Desk {
        store: ready.store.clone(),
        link: ready.link.clone(),
        office: config.office_code.clone(),
        slot: ready.link.as_ref().map(|l| l.slot()).unwrap_or(1),
        signer,
        keyring: std::sync::RwLock::new(keyring),
        calendar: motcua_core::calendar::Calendar::builtin(),
        cutoff: config
            .counter
            .cutoff_time()
            .unwrap_or(jiff::civil::Time::constant(16, 0, 0, 0)),
        letterhead: crate::counter::Letterhead {
            agency,
            unit: "Bộ phận tiếp nhận và trả kết quả".into(),
            place: config.counter.place.clone(),
            collect_at: config.counter.collect_at.clone(),
            register_book: config.counter.register_book.clone(),
            layouts,
            payment: config.payment.clone(),
        },
        data_dir: ready.data_dir.clone(),
        scanner: crate::scan::Scanner::from_config(&config.scanner),
        scan_defaults: crate::scan::ScanRequest::from_config(&config.scanner),
    };
    let printer = config
        .printer
        .clone()
        .unwrap_or_else(|| Printer::default_for(&ready.data_dir));
    let settings = Settings {
        number: config.counter.number.clone(),
        groups,
        demo_hint,
    };
    Station::Serving(Box::new(Counter::new(
        Arc::new(desk),
        ready.catalog.clone(),
        setup.brand,
        printer,
        settings,
        now,
    )))
}

impl Station {
    pub fn update(&mut self, message: Message) -> Task<Message> {
        match self {
            Station::Serving(c) => {
                let job = c.update(message);
                c.perform(job)
            }
            Station::Fault(_) => {
                // Out of service on purpose: the screen still lives.
                crate::service::alive();
                Task::none()
            }
        }
    }

    pub fn view(&self) -> Element<'_, Message> {
        match self {
            Station::Serving(c) => c.view(),
            Station::Fault(f) => f.view(),
        }
    }

    pub fn theme(&self) -> Theme {
        match self {
            Station::Serving(c) => c.theme(),
            Station::Fault(f) => f.look.theme(),
        }
    }

    pub fn subscription(&self) -> Subscription<Message> {
        match self {
            Station::Serving(c) => c.subscription(),
            Station::Fault(_) => iced::time::every(crate::service::PING_EVERY).map(|_| Message::Tick(Timestamp::now())),
        }
    }
}

/// Opens the counter window.
pub fn run(setup: crate::setup::Setup, fullscreen: bool) -> iced::Result {
    let station = std::sync::Mutex::new(Some(station(setup, Timestamp::now())));
    let boot = move || {
        station
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
            .expect("the counter boots once")
    };
    iced::application(boot, Station::update, Station::view)
        .executor::<crate::ui::SharedRuntime>()
        .title(|_: &Station| "motcua — quầy tiếp nhận".to_string())
        .theme(Station::theme)
        .subscription(Station::subscription)
        .font(crate::ui::style::FONT_REGULAR_BYTES)
        .font(crate::ui::style::FONT_BOLD_BYTES)
        .default_font(crate::ui::style::FONT)
        .window(iced::window::Settings {
            size: SIZE,
            fullscreen,
            decorations: !fullscreen,
            ..iced::window::Settings::default()
        })
        .run()
}
