//! The embedded Noto Sans faces (OFL), which draw every Vietnamese
//! diacritic right: the screens register them, printed tickets and the A4
//! PDFs draw with them, `doctor` checks them. Here, beside both, so
//! printing does not reach into the GUI.

pub const FONT_REGULAR_BYTES: &[u8] = include_bytes!("../assets/fonts/NotoSans-Regular.ttf");
pub const FONT_BOLD_BYTES: &[u8] = include_bytes!("../assets/fonts/NotoSans-Bold.ttf");
