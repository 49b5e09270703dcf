//! The one theme of the kiosk: colours, sizes and named widget styles, all
//! from the branding. Screens never use literal colours.

use iced::widget::{button, container, text};
use iced::{Background, Border, Color, Font, Shadow, Theme, font};

use super::access::{Access, HIGH_CONTRAST};
use crate::branding::{Brand, Rgb};

/// The embedded fonts, registered at start-up and in tests.
pub use crate::fonts::{FONT_BOLD_BYTES, FONT_REGULAR_BYTES};

pub const FONT: Font = Font::with_name("Noto Sans");
pub const BOLD: Font = Font {
    weight: font::Weight::Bold,
    ..FONT
};

fn color(c: Rgb) -> Color {
    Color::from_rgb8(c.0, c.1, c.2)
}

/// The palette as iced colours.
#[derive(Debug, Clone, Copy)]
pub struct Colors {
    pub primary: Color,
    pub on_primary: Color,
    pub accent: Color,
    pub on_accent: Color,
    pub background: Color,
    pub surface: Color,
    pub text: Color,
    pub muted: Color,
    pub border: Color,
    pub danger: Color,
    pub on_danger: Color,
    pub success: Color,
    pub on_success: Color,
}

/// Sizes and colours of the current branding, adapted to what the citizen
/// chose ([`Look::adapted`]).
#[derive(Debug, Clone)]
pub struct Look {
    pub c: Colors,
    pub body: f32,
    pub small: f32,
    pub button: f32,
    pub heading: f32,
    pub title: f32,
    pub ticket_number: f32,
    pub xs: f32,
    pub s: f32,
    pub m: f32,
    pub l: f32,
    pub xl: f32,
    pub radius_s: f32,
    pub radius_m: f32,
    pub radius_l: f32,
    /// Minimum height of anything pressable.
    pub target: f32,
    /// The option the keypad is on: its button wears the focus ring.
    pub focus: Option<iced::widget::Id>,
    /// Light on dark.
    pub contrast: bool,
    /// Mutiplier of the text sizes (1, 1.5 or 2).
    pub scale: f32,
    /// The brand's smallest touch target, before the text grew.
    min_target: f32,
    /// Pages scroll rather than share out the screen's height: larger
    /// text, or the shorter band of low reach.
    pub scrolls: bool,
}

/// Kinds of buttons on the kiosk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The main action of a screen.
    Primary,
    /// A large choice on a white card.
    Tile,
    /// Back, home, language.
    Nav,
    /// A key of the on-screen keyboard.
    Key,
    /// The chosen one of a set (the current language).
    Selected,
    /// A warm highlight (priority lane).
    Accent,
}

impl Look {
    pub fn from_brand(b: &Brand) -> Self {
        Self::with_palette(b, &b.palette)
    }

    fn with_palette(b: &Brand, p: &crate::branding::Palette) -> Self {
        Self {
            c: Colors {
                primary: color(p.primary),
                on_primary: color(p.on_primary),
                accent: color(p.accent),
                on_accent: color(p.on_accent),
                background: color(p.background),
                surface: color(p.surface),
                text: color(p.text),
                muted: color(p.text_muted),
                border: color(p.border),
                danger: color(p.danger),
                on_danger: color(p.on_danger),
                success: color(p.success),
                on_success: color(p.on_success),
            },
            body: b.type_scale.body,
            small: b.type_scale.small,
            button: b.type_scale.button,
            heading: b.type_scale.heading,
            title: b.type_scale.title,
            ticket_number: b.type_scale.ticket_number,
            xs: b.spacing.xs,
            s: b.spacing.s,
            m: b.spacing.m,
            l: b.spacing.l,
            xl: b.spacing.xl,
            radius_s: b.radius.s,
            radius_m: b.radius.m,
            radius_l: b.radius.l,
            target: b.min_target,
            focus: None,
            contrast: false,
            scale: 1.0,
            min_target: b.min_target,
            scrolls: false,
        }
    }

    /// The brand's look with the citizen's choices: text `scale`d (touch
    /// targets grow with it so a label always fits), the high-contrast
    /// palette, and the option in `focus` ringed.
    pub fn adapted(b: &Brand, access: &Access, focus: Option<iced::widget::Id>) -> Self {
        let mut look = if access.contrast {
            Self::with_palette(b, &HIGH_CONTRAST)
        } else {
            Self::from_brand(b)
        };
        look.contrast = access.contrast;
        look.focus = focus.filter(|_| access.keys);
        look.rescaled(access.text.scale())
    }

    /// The same look with text `k` times the brand's.
    fn rescaled(mut self, k: f32) -> Self {
        let by = k / self.scale;
        for size in [
            &mut self.body,
            &mut self.small,
            &mut self.button,
            &mut self.heading,
            &mut self.title,
            &mut self.ticket_number,
        ] {
            *size *= by;
        }
        // A label line and the button's padding.
        self.target = self.min_target.max((self.button * 1.4 + 2.0 * self.s).ceil());
        self.scale = k;
        self.scrolls = self.scrolls || k > 1.0;
        self
    }

    /// The look with its text at most `max` times the brand's: the keys of
    /// an on-screen keyboard hold one letter each, large enough at 1.5×,
    /// and a keyboard at 2× would not fit the screen.
    pub fn capped(&self, max: f32) -> Self {
        if self.scale <= max {
            return self.clone();
        }
        self.clone().rescaled(max)
    }

    /// Whether the option `id` wears the focus ring.
    pub fn focused(&self, id: &iced::widget::Id) -> bool {
        self.focus.as_ref() == Some(id)
    }

    /// The ring around the option in focus: the text colour (dark on the
    /// normal theme, white on high contrast) all around the button.
    pub fn ring(&self) -> impl Fn(&Theme) -> container::Style + use<> {
        let (c, r, contrast) = (self.c, self.radius_m, self.contrast);
        move |_| container::Style {
            background: Some(Background::Color(if contrast { c.primary } else { c.text })),
            border: Border {
                radius: (r + 6.0).into(),
                ..Border::default()
            },
            ..container::Style::default()
        }
    }

    /// The iced theme: our palette for the widgets we do not style by hand.
    pub fn theme(&self) -> Theme {
        Theme::custom(
            "motcua",
            iced::theme::Palette {
                background: self.c.background,
                text: self.c.text,
                primary: self.c.primary,
                success: self.c.success,
                warning: self.c.accent,
                danger: self.c.danger,
            },
        )
    }

    pub fn button(&self, kind: Kind) -> impl Fn(&Theme, button::Status) -> button::Style + use<> {
        let c = self.c;
        let (radius, border_width) = match kind {
            Kind::Key => (self.radius_s, 1.0),
            Kind::Tile => (self.radius_l, 2.0),
            _ => (self.radius_m, 2.0),
        };
        move |_, status| {
            let (bg, fg, border) = match kind {
                Kind::Primary | Kind::Selected => (c.primary, c.on_primary, c.primary),
                Kind::Accent => (c.accent, c.on_accent, c.accent),
                Kind::Tile | Kind::Nav | Kind::Key => (c.surface, c.text, c.border),
            };
            let bg = match status {
                // A pressed key darkens a little: the finger sees it took.
                button::Status::Pressed => mix(bg, c.text, 0.15),
                button::Status::Disabled => mix(bg, c.background, 0.5),
                _ => bg,
            };
            button::Style {
                background: Some(Background::Color(bg)),
                text_color: fg,
                border: Border {
                    color: if kind == Kind::Tile {
                        border
                    } else {
                        mix(border, c.text, 0.1)
                    },
                    width: border_width,
                    radius: radius.into(),
                },
                // No shadows: inside a scrollable they would spill over
                // the buttons below it.
                shadow: Shadow::default(),
                snap: true,
            }
        }
    }

    /// The band across the top with the office name.
    pub fn header(&self) -> impl Fn(&Theme) -> container::Style + use<> {
        let c = self.c;
        move |_| container::Style {
            background: Some(Background::Color(c.primary)),
            text_color: Some(c.on_primary),
            ..container::Style::default()
        }
    }

    /// A white card on the page.
    pub fn card(&self) -> impl Fn(&Theme) -> container::Style + use<> {
        let (c, r) = (self.c, self.radius_l);
        move |_| container::Style {
            background: Some(Background::Color(c.surface)),
            text_color: Some(c.text),
            border: Border {
                color: c.border,
                width: 2.0,
                radius: r.into(),
            },
            ..container::Style::default()
        }
    }

    /// A thin highlighted strip: notices, the priority mark.
    pub fn badge(&self, kind: Kind) -> impl Fn(&Theme) -> container::Style + use<> {
        let (c, r) = (self.c, self.radius_s);
        move |_| {
            let (bg, fg) = match kind {
                Kind::Accent => (c.accent, c.on_accent),
                Kind::Primary => (c.primary, c.on_primary),
                Kind::Tile => (c.surface, c.text),
                _ => (c.danger, c.on_danger),
            };
            container::Style {
                background: Some(Background::Color(bg)),
                text_color: Some(fg),
                border: Border {
                    radius: r.into(),
                    ..Border::default()
                },
                ..container::Style::default()
            }
        }
    }

    /// The page itself.
    pub fn page(&self) -> impl Fn(&Theme) -> container::Style + use<> {
        let c = self.c;
        move |_| container::Style {
            background: Some(Background::Color(c.background)),
            text_color: Some(c.text),
            ..container::Style::default()
        }
    }

    /// The dimmed veil behind a dialog.
    pub fn veil(&self) -> impl Fn(&Theme) -> container::Style + use<> {
        // Dark in either theme: light text on dark would turn it grey.
        let shade = if self.contrast {
            Color { a: 0.8, ..Color::BLACK }
        } else {
            Color { a: 0.6, ..self.c.text }
        };
        move |_| container::Style {
            background: Some(Background::Color(shade)),
            ..container::Style::default()
        }
    }

    pub fn muted(&self) -> impl Fn(&Theme) -> text::Style + use<> {
        let c = self.c;
        move |_| text::Style { color: Some(c.muted) }
    }

    pub fn primary_text(&self) -> impl Fn(&Theme) -> text::Style + use<> {
        let c = self.c;
        move |_| text::Style { color: Some(c.primary) }
    }
}

/// `a` moved towards `b` by `t`.
fn mix(a: Color, b: Color, t: f32) -> Color {
    Color {
        r: a.r + (b.r - a.r) * t,
        g: a.g + (b.g - a.g) * t,
        b: a.b + (b.b - a.b) * t,
        a: a.a,
    }
}
