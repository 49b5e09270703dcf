//! The iced interface: the citizen kiosk and its screens.

pub mod access;
pub mod admin;
pub mod app;
pub mod board;
pub mod counter;
pub mod cursor;
pub mod keys;
pub mod screen;
pub mod speak;
pub mod style;
pub mod tour;
pub mod widgets;
pub mod wrap;

use std::time::Instant;

use iced::window;

use crate::setup::Setup;
use app::{App, LANDSCAPE, Mode, PORTRAIT};
use tour::Tour;

/// iced's executor on the process's one runtime ([`crate::runtime`]): the
/// screens' tasks and subscriptions run beside the sync link's loops, not
/// on a second runtime of iced's own. Every window (kiosk, counter, board)
/// uses it.
pub struct SharedRuntime(tokio::runtime::Handle);

impl iced::Executor for SharedRuntime {
    fn new() -> Result<Self, std::io::Error> {
        Ok(Self(crate::runtime::handle()))
    }

    fn spawn(&self, future: impl Future<Output = ()> + Send + 'static) {
        drop(self.0.spawn(future));
    }

    fn block_on<T>(&self, future: impl Future<Output = T>) -> T {
        self.0.block_on(future)
    }

    fn enter<R>(&self, f: impl FnOnce() -> R) -> R {
        let _inside = self.0.enter();
        f()
    }
}

/// Window options of the kiosk.
#[derive(Debug, Clone, Copy, Default)]
pub struct WindowOptions {
    pub fullscreen: bool,
    pub landscape: bool,
    /// Walk every screen, report the figures and exit.
    pub tour: bool,
}

/// Opens the kiosk window and runs until it is closed.
pub fn run(setup: Setup, options: WindowOptions, started: Instant) -> iced::Result {
    let size = if options.landscape { LANDSCAPE } else { PORTRAIT };
    // `boot` may be called more than once by the runtime; each call gets
    // the same start-up outcome.
    let boot = move || {
        let mut app = App::new(setup.clone(), jiff::Timestamp::now(), started);
        if let Mode::Serving(k) = &mut app.mode {
            // Through update, so the look follows the size (low reach).
            let _ = k.update(app::Message::Resized(size));
        }
        // Fullscreen is the locked-down kiosk: no cursor.
        app.hide_cursor = options.fullscreen;
        app
    };
    // The same window for the kiosk alone and for the kiosk walked by the
    // measuring tour.
    macro_rules! launch {
        ($boot:expr, $shell:ident) => {
            iced::application($boot, $shell::update, $shell::screen)
                .executor::<SharedRuntime>()
                .title(|_: &$shell| "motcua".to_string())
                .theme($shell::theme)
                .subscription($shell::subscription)
                .font(style::FONT_REGULAR_BYTES)
                .font(style::FONT_BOLD_BYTES)
                .default_font(style::FONT)
                .window(window::Settings {
                    size,
                    fullscreen: options.fullscreen,
                    decorations: !options.fullscreen,
                    ..window::Settings::default()
                })
                .run()
        };
    }
    if options.tour {
        launch!(move || Tour::new(boot()), Tour)
    } else {
        launch!(boot, App)
    }
}
