//! What a citizen can change about the kiosk for themself: larger text,
//! high contrast, speech, and whether they move with keys. It all goes back
//! to normal when the citizen leaves ([`crate::ui::app::Kiosk::reset`]).

use crate::branding::{Palette, Rgb};

/// How large the text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TextSize {
    #[default]
    Normal,
    /// One and a half times.
    Large,
    /// Twice.
    Larger,
}

impl TextSize {
    pub fn scale(self) -> f32 {
        match self {
            TextSize::Normal => 1.0,
            TextSize::Large => 1.5,
            TextSize::Larger => 2.0,
        }
    }

    /// The next size on the welcome screen's "A A+ A++" switch.
    pub fn next(self) -> Self {
        match self {
            TextSize::Normal => TextSize::Large,
            TextSize::Large => TextSize::Larger,
            TextSize::Larger => TextSize::Normal,
        }
    }
}

/// The citizen's choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Access {
    pub text: TextSize,
    /// Light on dark.
    pub contrast: bool,
    /// Every screen speaks its title, what can be done, and the option in
    /// focus.
    pub speech: bool,
    /// The citizen used the keypad or a keyboard: the focus ring shows.
    pub keys: bool,
}

impl Access {
    /// Whether the citizen needs more time: speech, keys or large text
    /// double the idle timeout.
    pub fn needs_time(&self) -> bool {
        self.speech || self.keys || self.text != TextSize::Normal
    }
}

/// The high-contrast theme: light on dark, every text colour at least 7:1
/// on what it is drawn on (checked by [`crate::branding::contrast_problems`]
/// in a test), and nothing told by colour alone (the chosen option carries
/// a mark, the priority lane its words).
pub const HIGH_CONTRAST: Palette = Palette {
    primary: Rgb(0xFF, 0xE0, 0x4D),
    on_primary: Rgb(0x00, 0x00, 0x00),
    accent: Rgb(0x7F, 0xDB, 0xFF),
    on_accent: Rgb(0x00, 0x00, 0x00),
    background: Rgb(0x00, 0x00, 0x00),
    surface: Rgb(0x12, 0x12, 0x12),
    text: Rgb(0xFF, 0xFF, 0xFF),
    text_muted: Rgb(0xE8, 0xE8, 0xE8),
    border: Rgb(0xFF, 0xFF, 0xFF),
    danger: Rgb(0xFF, 0xA0, 0xA0),
    on_danger: Rgb(0x00, 0x00, 0x00),
    success: Rgb(0x9C, 0xF5, 0x9C),
    on_success: Rgb(0x00, 0x00, 0x00),
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_high_contrast_theme_passes_the_contrast_checker() {
        assert_eq!(crate::branding::contrast_problems(&HIGH_CONTRAST), Vec::<String>::new());
        // Light on dark.
        assert!(HIGH_CONTRAST.text.luminance() > HIGH_CONTRAST.background.luminance());
    }

    #[test]
    fn text_sizes_go_round() {
        let mut t = TextSize::Normal;
        let mut scales = vec![];
        for _ in 0..3 {
            t = t.next();
            scales.push(t.scale());
        }
        assert_eq!(scales, [1.5, 2.0, 1.0]);
        assert!(!Access::default().needs_time());
        assert!(
            Access {
                text: TextSize::Large,
                ..Access::default()
            }
            .needs_time()
        );
    }
}
