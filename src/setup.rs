//! Start-up: read the configuration, the theme, the catalog and the store,
//! and decide whether the kiosk can serve or must show a fault screen.
//! Nothing here panics on bad input: every failure becomes a [`Fault`]
//! with the path it is about, logged once.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use crate::branding::{self, Brand, BrandingError};
use crate::config::{Config, ConfigError};
use crate::i18n::Lang;
use crate::local_central::{LocalCentral, LocalCentralError};
use crate::secret_file::SecretFileError;
use crate::store::{Store, StoreError};
use crate::sync::device::DeviceFile;
use crate::sync::{Client, Identity, Link};
use motcua_api::model::Role;
use motcua_core::catalog::Catalog;
use motcua_core::search;
use motcua_core::tomlcheck::Problems;

/// The store shared between the UI and its background tasks.
pub type SharedStore = Arc<Mutex<Store>>;

/// The machine's central as start-up set it up, kept for as long as the
/// process runs: the windows take what they need from [`Ready`] and may let
/// the rest go, but the central this process serves must outlive them all.
/// [`stop_local_central`] stops it when the device is done.
static LOCAL_CENTRAL: Mutex<Vec<Arc<LocalCentral>>> = Mutex::new(Vec::new());

/// Stops the machine's central this process served, once its windows are
/// closed (the next role of the machine that finds it silent takes over).
pub fn stop_local_central() {
    let held = std::mem::take(&mut *LOCAL_CENTRAL.lock().unwrap_or_else(|p| p.into_inner()));
    drop(held);
}

/// What the command line adds to or overrides in the configuration.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub config: Option<PathBuf>,
    pub data_dir: Option<PathBuf>,
    pub catalog: Option<PathBuf>,
    pub branding: Option<String>,
    pub lang: Option<Lang>,
    /// Run as the citizen display of this counter.
    pub counter_display: Option<String>,
}

/// Everything the kiosk needs to serve citizens.
#[derive(Debug, Clone)]
pub struct Ready {
    pub catalog: Arc<Catalog>,
    pub index: Arc<search::Index>,
    pub store: SharedStore,
    pub data_dir: PathBuf,
    /// The link to central; none for a kiosk standing alone (tests).
    pub link: Option<Arc<Link>>,
    /// The machine's own central when none is configured: served by this
    /// process or by another role of the machine. Owned by start-up.
    pub local: Option<Arc<LocalCentral>>,
}

impl Ready {
    /// A kiosk standing alone: local numbering, nothing sent anywhere.
    pub fn new(catalog: Catalog, store: Store, data_dir: PathBuf) -> Self {
        Self {
            index: Arc::new(search::Index::new(&catalog)),
            catalog: Arc::new(catalog),
            store: Arc::new(Mutex::new(store)),
            data_dir,
            link: None,
            local: None,
        }
    }
}

/// Why the kiosk cannot serve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    Config(ConfigError),
    CatalogUnreadable {
        path: PathBuf,
        reason: String,
    },
    CatalogInvalid {
        path: PathBuf,
        problems: Problems,
    },
    Store(StoreError),
    /// Central cannot be set up: not enrolled, or the local one cannot start.
    Central {
        reason: String,
    },
}

/// The outcome of start-up.
#[derive(Debug, Clone)]
pub struct Setup {
    pub config: Config,
    pub brand: Brand,
    pub brand_error: Option<BrandingError>,
    pub ready: Result<Ready, Fault>,
}

/// The data directory: `--data-dir`, else the configuration, else the
/// user's data directory.
pub fn data_dir(opts: &Options, config: &Config) -> PathBuf {
    opts.data_dir
        .clone()
        .or_else(|| config.data_dir.clone())
        .or_else(|| directories::ProjectDirs::from("vn", "motcua", "motcua").map(|d| d.data_dir().to_path_buf()))
        .unwrap_or_else(|| PathBuf::from("motcua-data"))
}

/// Loads a catalog file, or the built-in demo catalog when `path` is None.
pub fn load_catalog(path: Option<&std::path::Path>) -> Result<Catalog, Fault> {
    let Some(path) = path else {
        return Ok(Catalog::demo());
    };
    let text = std::fs::read_to_string(path).map_err(|e| Fault::CatalogUnreadable {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    Catalog::from_toml(&text).map_err(|problems| Fault::CatalogInvalid {
        path: path.to_path_buf(),
        problems,
    })
}

/// A device enrolled with `motcua enroll URL TOKEN` uses that central and
/// that office unless the configuration names a central itself.
pub fn adopt_enrollment(config: &mut Config, data_dir: &std::path::Path) {
    if !config.central.addresses().is_empty() {
        return;
    }
    if let Ok(Some(device)) = DeviceFile::load(data_dir)
        && let Some(url) = device.central_url.clone()
    {
        tracing::info!(central = %url, office = %device.office, "using this machine's enrollment");
        let addresses = device.addresses();
        config.central.url = Some(url);
        config.central.urls = (addresses.len() > 1).then_some(addresses);
        config.office_code = device.office;
    }
}

/// Start-up of a kiosk.
pub fn prepare(opts: &Options) -> Setup {
    prepare_as(opts, Role::Kiosk)
}

/// Start-up of a device with `role`.
pub fn prepare_as(opts: &Options, role: Role) -> Setup {
    let (mut config, config_fault) = match crate::config::load(opts.config.as_deref()) {
        Ok(loaded) => {
            for key in &loaded.unknown_keys {
                tracing::warn!(file = ?loaded.path, key = %key.key, line = ?key.line, "unknown configuration key, ignored");
            }
            (loaded.config, None)
        }
        Err(e) => {
            tracing::error!(file = %e.path.display(), error = %e.message, "invalid configuration");
            (Config::default(), Some(Fault::Config(e)))
        }
    };
    if let Some(lang) = opts.lang {
        config.language = lang;
    }
    let dir = data_dir(opts, &config);
    adopt_enrollment(&mut config, &dir);
    if let Some(n) = &opts.counter_display {
        config.kiosk.counter_display = Some(n.clone());
    }
    if let Some(b) = &opts.branding {
        config.branding = b.clone();
    }

    let dir = branding::find(&config.branding, &branding::search_dirs());
    let (brand, brand_error) = Brand::load_or_builtin(&config.branding, dir.as_deref());
    if let Some(e) = &brand_error {
        for p in &e.problems.0 {
            tracing::warn!(file = %e.file.display(), problem = %p, "branding problem; the built-in version is used");
        }
    }

    let ready = match config_fault {
        Some(fault) => Err(fault),
        None => open(opts, &config, role),
    };
    if let Err(fault) = &ready {
        log_fault(fault);
    }
    Setup {
        config,
        brand,
        brand_error,
        ready,
    }
}

fn open(opts: &Options, config: &Config, role: Role) -> Result<Ready, Fault> {
    // The process's one runtime, built here before anything runs on it.
    let _ = crate::runtime::handle();
    let data_dir = data_dir(opts, config);
    let file = opts.catalog.as_deref().or(config.catalog.as_deref());
    // A catalog file given by IT staff wins; else the last good copy from
    // central; else the built-in demo catalog.
    let catalog = match (file, crate::sync::cached_catalog(&data_dir)) {
        (None, Some(cached)) => cached,
        (file, _) => load_catalog(file)?,
    };
    let follow_central = file.is_none();
    let store = Store::open(&data_dir).map_err(Fault::Store)?;
    let mut ready = Ready::new(catalog, store, data_dir.clone());
    let catalog_dir = follow_central.then(|| data_dir.clone());
    let (link, local) = connect(config, &data_dir, ready.store.clone(), catalog_dir, role)
        .map_err(|e| Fault::Central { reason: e.to_string() })?;
    link.start_worker();
    link.start_retention(config.retention.days);
    tracing::info!(
        data_dir = %data_dir.display(),
        procedures = ready.catalog.procedures.len(),
        demo = ready.catalog.demo,
        central = %link.client().base(),
        slot = link.slot(),
        "kiosk ready"
    );
    if let Some(local) = &local {
        LOCAL_CENTRAL
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(local.clone());
    }
    ready.link = Some(link);
    ready.local = local;
    Ok(ready)
}

/// Why a device cannot be connected to its central.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("this kiosk is not enrolled with {url}: run `motcua enroll {url} TOKEN` with a token from central")]
    NotEnrolled { url: String },
    #[error("this kiosk is enrolled with {enrolled}, not {url}: enroll it again")]
    EnrolledElsewhere { enrolled: String, url: String },
    #[error(transparent)]
    Device(#[from] SecretFileError),
    #[error(transparent)]
    Local(#[from] LocalCentralError),
    /// The machine's own central did not enroll this role.
    #[error(transparent)]
    Enroll(#[from] motcua_central::CentralError),
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    /// Central cannot be reached securely with what this device keeps.
    #[error(transparent)]
    Trust(#[from] crate::sync::SyncError),
}

/// Connects to the configured central, or to the machine's own (served by
/// this process or another role of the machine), on the process's runtime.
/// The machine's own central is returned to the caller, who owns it: the
/// link only has a client for it.
pub fn connect(
    config: &Config,
    data_dir: &std::path::Path,
    store: SharedStore,
    catalog_dir: Option<PathBuf>,
    role: Role,
) -> Result<(Arc<Link>, Option<Arc<LocalCentral>>), ConnectError> {
    let runtime = crate::runtime::handle();
    let timeout = std::time::Duration::from_millis(config.central.timeout_ms);
    let addresses = config.central.addresses();
    match addresses.first() {
        Some(url) => {
            let device = DeviceFile::load(data_dir)?.ok_or_else(|| ConnectError::NotEnrolled { url: url.clone() })?;
            // Enrolled at one address of central (any, when it has several).
            if !device.addresses().iter().any(|a| addresses.contains(a)) {
                return Err(ConnectError::EnrolledElsewhere {
                    enrolled: device.central_url.clone().unwrap_or_else(|| "the local central".into()),
                    url: url.clone(),
                });
            }
            let identity = Identity {
                device: device.device_id,
                slot: device.slot,
                role: device.role,
            };
            // An enrolled machine is one device: what an earlier device
            // left on this data directory (a replaced machine's, copied
            // over) goes out from this one.
            let link = Link::with_options(
                Client::for_device_at(&addresses, &device.credential, timeout, data_dir)?,
                store,
                identity,
                true,
                catalog_dir,
                Some(runtime),
            );
            Ok((link, None))
        }
        None => {
            let dir = data_dir.join("central");
            let local = Arc::new(LocalCentral::open(&dir)?);
            let url = local.url()?;
            // One enrollment per role on this machine.
            let local_file = dir.join(role.as_str());
            let device = match DeviceFile::load(&local_file)? {
                Some(d) => d,
                None => {
                    let office = config.office_code.clone();
                    let enrolled = motcua_central::manage::enroll_local(&dir, &office, role)?;
                    let d = DeviceFile::from_enrolled(None, enrolled);
                    std::fs::create_dir_all(&local_file).map_err(|source| ConnectError::Io {
                        path: local_file.clone(),
                        source,
                    })?;
                    d.save(&local_file)?;
                    d
                }
            };
            let identity = Identity {
                device: device.device_id,
                slot: device.slot,
                role,
            };
            // The link gets a client; start-up keeps the central itself.
            let client = Client::new(&url, &device.credential, timeout).with_local(&local);
            // Roles of one machine share the data directory, never records.
            let link = Link::with_options(client, store, identity, false, catalog_dir, Some(runtime));
            Ok((link, Some(local)))
        }
    }
}

fn log_fault(fault: &Fault) {
    match fault {
        Fault::Config(_) => {}
        Fault::CatalogUnreadable { path, reason } => {
            tracing::error!(path = %path.display(), reason, "cannot read the catalog")
        }
        Fault::CatalogInvalid { path, problems } => {
            for p in &problems.0 {
                tracing::error!(path = %path.display(), problem = %p, "invalid catalog");
            }
        }
        Fault::Store(e) => tracing::error!(path = %e.path().display(), error = %e, "cannot open the store"),
        Fault::Central { reason } => tracing::error!(reason, "cannot reach or start central"),
    }
}
