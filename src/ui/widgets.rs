//! Pieces every kiosk screen is built from: the header band, big touch
//! buttons with stable ids for tests, the bottom navigation.

use iced::widget::{button, column, container, row, svg, text};
use iced::{Alignment, Element, Length, Padding};

use super::app::Kiosk;
use super::screen::Nav;
use super::style::{BOLD, Kind, Look};

/// A button wrapped in a container carrying `id`, so tests can press it
/// by id.
pub fn tap<'a, M: Clone + 'a>(
    look: &Look,
    id: impl Into<iced::widget::Id>,
    content: impl Into<Element<'a, M>>,
    on_press: M,
    kind: Kind,
) -> Element<'a, M> {
    sized_tap(look, id, content, on_press, kind, Length::Shrink)
}

fn sized_tap<'a, M: Clone + 'a>(
    look: &Look,
    id: impl Into<iced::widget::Id>,
    content: impl Into<Element<'a, M>>,
    on_press: M,
    kind: Kind,
    height: Length,
) -> Element<'a, M> {
    let id = id.into();
    let button = button(content)
        .on_press(on_press.clone())
        .style(look.button(kind))
        .padding(Padding::from([look.s, look.m]))
        .width(Length::Fill)
        .height(height);
    // The keypad's option wears a ring inside its own bounds: moving the
    // focus never moves the layout.
    let inner: Element<'a, M> = if look.focused(&id) {
        let ringed = container(button)
            .padding(FOCUS_RING)
            .style(look.ring())
            .width(Length::Fill)
            .height(height);
        super::keys::entered(ringed, on_press)
    } else {
        button.into()
    };
    container(inner).id(id).width(Length::Fill).height(height).into()
}

/// Thickness of the focus ring.
const FOCUS_RING: f32 = 6.0;

/// A button holding one centred label, at least a touch target high.
pub fn label_button<'a, M: Clone + 'a>(
    look: &Look,
    id: impl Into<iced::widget::Id>,
    label: String,
    on_press: M,
    kind: Kind,
) -> Element<'a, M> {
    icon_button(look, id, None, label, on_press, kind)
}

/// A pictogram drawn in `colour` (the pictograms are one colour, recoloured
/// to the button they sit on), `side` pixels square.
pub fn picto<'a, M: 'a>(handle: svg::Handle, colour: iced::Color, side: f32) -> Element<'a, M> {
    svg(handle)
        .width(Length::Fixed(side))
        .height(Length::Fixed(side))
        .style(move |_, _| svg::Style { color: Some(colour) })
        .into()
}

/// The colour of words on a button of `kind`.
fn ink(look: &Look, kind: Kind) -> iced::Color {
    match kind {
        Kind::Primary | Kind::Selected => look.c.on_primary,
        Kind::Accent => look.c.on_accent,
        Kind::Tile | Kind::Nav | Kind::Key => look.c.text,
    }
}

/// A button holding a pictogram (when given) and a centred label, at
/// least a touch target high: a citizen who does not read finds it by its
/// picture.
pub fn icon_button<'a, M: Clone + 'a>(
    look: &Look,
    id: impl Into<iced::widget::Id>,
    icon: Option<svg::Handle>,
    label: String,
    on_press: M,
    kind: Kind,
) -> Element<'a, M> {
    let id = id.into();
    // The ring takes its room from the label's, not from the row's.
    let ring = if look.focused(&id) { 2.0 * FOCUS_RING } else { 0.0 };
    let mut content = row![].spacing(look.xs).align_y(Alignment::Center);
    if let Some(icon) = icon {
        content = content.push(picto(icon, ink(look, kind), look.button * 1.2));
    }
    content = content.push(text(label).size(look.button).font(BOLD).center());
    let content = container(content)
        .center_x(Length::Fill)
        .center_y(Length::Shrink)
        .height(Length::Fixed(look.target - 2.0 * look.s - ring));
    tap(look, id, content, on_press, kind)
}

/// A button for an option that is on or off (a language, high contrast, a
/// criterion): when on, it is filled and carries a check mark, so the
/// choice is told by more than its colour.
pub fn toggle_button<'a, M: Clone + 'a>(
    look: &Look,
    id: impl Into<iced::widget::Id>,
    label: String,
    on_press: M,
    on: bool,
) -> Element<'a, M> {
    toggle_icon_button(look, id, None, label, on_press, on)
}

/// [`toggle_button`] with its pictogram, which the check mark replaces when
/// on.
pub fn toggle_icon_button<'a, M: Clone + 'a>(
    look: &Look,
    id: impl Into<iced::widget::Id>,
    icon: Option<svg::Handle>,
    label: String,
    on_press: M,
    on: bool,
) -> Element<'a, M> {
    let (mark, kind) = if on {
        (Some(CHECK.clone()), Kind::Selected)
    } else {
        (icon, Kind::Nav)
    };
    icon_button(look, id, mark, label, on_press, kind)
}

/// The check mark of a chosen option, drawn: the font has no ✓.
static CHECK: std::sync::LazyLock<svg::Handle> =
    std::sync::LazyLock::new(|| svg::Handle::from_memory(include_bytes!("../../assets/icons/check.svg")));

/// Side of a tile's pictogram.
const TILE_ICON: f32 = 96.0;

/// A big choice filling the space it is given: a title in bold and a hint
/// under it.
pub fn tile<'a, M: Clone + 'a>(
    look: &Look,
    id: impl Into<iced::widget::Id>,
    title: String,
    hint: String,
    on_press: M,
    kind: Kind,
) -> Element<'a, M> {
    icon_tile(look, id, None, title, hint, on_press, kind)
}

/// [`tile`] led by a large pictogram.
pub fn icon_tile<'a, M: Clone + 'a>(
    look: &Look,
    id: impl Into<iced::widget::Id>,
    icon: Option<svg::Handle>,
    title: String,
    hint: String,
    on_press: M,
    kind: Kind,
) -> Element<'a, M> {
    let words = column![text(title).size(look.heading).font(BOLD), text(hint).size(look.body),]
        .spacing(look.xs)
        .width(Length::Fill);
    let mut content = row![].spacing(look.m).align_y(Alignment::Center);
    if let Some(icon) = icon {
        content = content.push(picto(icon, ink(look, kind), TILE_ICON * look.scale.min(1.5)));
    }
    let content = content.push(words);
    // Larger text scrolls the page: a tile is then as high as its words.
    let height = if look.scrolls { Length::Shrink } else { Length::Fill };
    let content = container(content)
        .padding(Padding::from([look.m, look.s]))
        .center_y(height);
    sized_tap(look, id, content, on_press, kind, height)
}

/// The band across the top: the mark, the unit and office, date and time.
pub fn header<'a, M: Clone + From<Nav> + 'a>(k: &Kiosk) -> Element<'a, M> {
    let id = &k.brand.identity;
    let (unit, office) = match k.lang {
        crate::i18n::Lang::Vi => (id.unit.clone(), id.office.clone()),
        crate::i18n::Lang::En => (id.unit_en.clone(), id.office_en.clone()),
    };
    let now = motcua_core::time::local(k.now);
    // The band names the place: it keeps its size when the citizen makes
    // the text larger, leaving the room to what they read and press.
    let (heading, small) = (k.look.heading / k.look.scale, k.look.small / k.look.scale);
    let weekday = k.t(&format!("weekday-{}", now.weekday().to_monday_one_offset()));
    let date = k.ta(
        "date-line",
        &[
            ("weekday", weekday.into()),
            ("date", now.strftime("%d/%m/%Y").to_string().into()),
        ],
    );
    let mut clock = column![
        text(now.strftime("%H:%M").to_string()).size(heading).font(BOLD),
        text(date).size(small),
    ]
    .align_x(Alignment::End);
    if let Some(line) = sync_line(k) {
        clock = clock.push(text(line).size(small));
    }
    let names = column![text(unit).size(heading).font(BOLD), text(office).size(small),]
        .spacing(2)
        .width(Length::Fill);
    let mark = svg(k.mark.clone())
        .width(Length::Fixed(96.0))
        .height(Length::Fixed(96.0));
    // On a locked-down kiosk, quick taps on the mark open the admin PIN pad.
    let mark: Element<'a, M> = if k.admin_exit_enabled() {
        container(
            button(mark)
                .on_press(M::from(Nav::AdminTap))
                .padding(0)
                .style(|_, _| button::Style::default()),
        )
        .id("mark")
        .into()
    } else {
        mark.into()
    };
    let band = row![mark, names, clock].spacing(k.look.m).align_y(Alignment::Center);
    container(band)
        .padding(Padding::from([k.look.m, k.look.l]))
        .width(Length::Fill)
        .style(k.look.header())
        .into()
}

/// A small, calm line about the link to central.
fn sync_line(k: &Kiosk) -> Option<String> {
    let s = k.sync.as_ref()?;
    Some(match (s.online, s.offline_since) {
        (true, _) if s.pending == 0 => k.t("sync-online"),
        (true, _) => k.ta("sync-sending", &[("count", s.pending.into())]),
        (false, since) => {
            let time = since
                .map(|t| motcua_core::time::local(t).strftime("%H:%M").to_string())
                .unwrap_or_default();
            k.ta("sync-offline", &[("time", time.into()), ("count", s.pending.into())])
        }
    })
}

/// Back and start buttons along the bottom, where a hand rests.
pub fn nav<'a, M: Clone + From<Nav> + 'a>(k: &Kiosk) -> Element<'a, M> {
    row![
        icon_button(
            &k.look,
            "back",
            k.picto("back"),
            k.t("back"),
            M::from(Nav::Back),
            Kind::Nav
        ),
        icon_button(
            &k.look,
            "home",
            k.picto("home"),
            k.t("home"),
            M::from(Nav::Home),
            Kind::Nav
        ),
    ]
    .spacing(k.look.m)
    .into()
}

/// A screen title.
pub fn title<'a, M: 'a>(k: &Kiosk, s: String) -> Element<'a, M> {
    // With low reach the title shows above the band, with room to read.
    if k.reach_band().is_some() {
        return iced::widget::space().into();
    }
    text(s).size(k.look.title).font(BOLD).into()
}

/// The notices strip: demo data, a theme fallback.
pub fn notices<'a, M: 'a>(k: &Kiosk) -> Option<Element<'a, M>> {
    let mut items: Vec<Element<'a, M>> = Vec::new();
    if k.catalog.demo {
        items.push(
            container(text(k.t("demo-badge")).size(k.look.small).font(BOLD))
                .padding(Padding::from([k.look.xs, k.look.s]))
                .style(k.look.badge(Kind::Accent))
                .into(),
        );
    }
    if let Some(n) = &k.notice {
        items.push(
            container(text(n.clone()).size(k.look.small))
                .padding(Padding::from([k.look.xs, k.look.s]))
                .style(k.look.badge(Kind::Nav))
                .width(Length::Fill)
                .into(),
        );
    }
    (!items.is_empty()).then(|| row(items).spacing(k.look.s).align_y(Alignment::Center).into())
}

/// The speech control, at the same place on every screen: it reads the
/// screen aloud, or stops.
pub fn speech_control<'a, M: Clone + From<Nav> + 'a>(k: &Kiosk) -> Element<'a, M> {
    container(speech_button(k))
        .width(Length::Fixed(SPEECH_WIDTH * k.look.scale.min(1.5)))
        .into()
}

/// The speech control as wide as it is placed.
pub fn speech_button<'a, M: Clone + From<Nav> + 'a>(k: &Kiosk) -> Element<'a, M> {
    let label = k.t(super::speak::speech_label(k));
    toggle_icon_button(
        &k.look,
        "speech",
        k.picto("speech"),
        label,
        M::from(Nav::Speech),
        k.access.speech,
    )
}

/// Width of the speech control.
const SPEECH_WIDTH: f32 = 300.0;

/// A whole page: header, the body filling the middle, and a footer led by
/// the speech control.
pub fn page<'a, M: Clone + From<Nav> + 'a>(
    k: &Kiosk,
    body: impl Into<Element<'a, M>>,
    footer: Option<Element<'a, M>>,
) -> Element<'a, M> {
    paged(k, body, footer, Fit::Scroll)
}

/// How a page's body meets the screen when the text grows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// The body scrolls as a whole.
    Scroll,
    /// The body fits itself: an on-screen keyboard stays put and what
    /// grows (results, an answer) scrolls inside it.
    Fitted,
}

/// A page with an on-screen keyboard: see [`Fit::Fitted`].
pub fn page_fitted<'a, M: Clone + From<Nav> + 'a>(
    k: &Kiosk,
    body: impl Into<Element<'a, M>>,
    footer: Option<Element<'a, M>>,
) -> Element<'a, M> {
    paged(k, body, footer, Fit::Fitted)
}

fn paged<'a, M: Clone + From<Nav> + 'a>(
    k: &Kiosk,
    body: impl Into<Element<'a, M>>,
    footer: Option<Element<'a, M>>,
    fit: Fit,
) -> Element<'a, M> {
    // Large text on a narrow screen: the speech control gets a row of its
    // own rather than squeeze the way back and home.
    let bottom: Element<'a, M> = if k.portrait() && k.look.scale > 1.0 {
        let mut bottom = column![].spacing(k.look.m);
        if let Some(f) = footer {
            bottom = bottom.push(f);
        }
        bottom.push(speech_button(k)).into()
    } else {
        let mut bottom = row![speech_control(k)].spacing(k.look.m).align_y(Alignment::End);
        if let Some(f) = footer {
            bottom = bottom.push(container(f).width(Length::Fill));
        }
        bottom.into()
    };
    framed(k, vec![body.into(), bottom], fit)
}

/// The id of the scrollable a page's body sits in when the text is large.
pub const PAGE_SCROLL: &str = "page";

/// A page whose body places the speech control itself (where a keyboard
/// needs the room of a bottom row).
pub fn page_with_speech_inside<'a, M: Clone + From<Nav> + 'a>(
    k: &Kiosk,
    body: impl Into<Element<'a, M>>,
    fit: Fit,
) -> Element<'a, M> {
    framed(k, vec![body.into()], fit)
}

/// The header above, `parts` below it: the first fills the middle.
fn framed<'a, M: Clone + From<Nav> + 'a>(k: &Kiosk, parts: Vec<Element<'a, M>>, fit: Fit) -> Element<'a, M> {
    let mut parts = parts.into_iter();
    let mut inner = column![].spacing(k.look.m);
    if let Some(body) = parts.next() {
        // Larger text, or the band of low reach, may need more height than
        // there is: the body scrolls, nothing is cut off.
        let body: Element<'a, M> = if k.look.scrolls && fit == Fit::Scroll {
            iced::widget::scrollable(container(body).width(Length::Fill).padding(Padding {
                right: k.look.m,
                ..Padding::ZERO
            }))
            .id(PAGE_SCROLL)
            .height(Length::Fill)
            .into()
        } else {
            body
        };
        inner = inner.push(container(body).height(Length::Fill).width(Length::Fill));
    }
    for p in parts {
        inner = inner.push(p);
    }
    let inner = container(inner).padding(Padding::from([k.look.l, k.look.l]));
    let content = match k.reach_band() {
        None => column![header(k), inner.height(Length::Fill)],
        // Low reach: the header and the screen's title and guidance above
        // the band, only to read; every control inside it; nothing below.
        Some(band) => {
            let above = column![
                header(k),
                container(text(k.spoken().title).size(k.look.title).font(BOLD))
                    .padding(Padding::from([k.look.l, k.look.l]))
                    .height(Length::Fill)
                    .center_y(Length::Fill),
            ];
            column![
                container(above).height(Length::Fixed(band.top)).clip(true),
                inner.height(Length::Fixed(band.bottom - band.top)),
                iced::widget::space().height(Length::Fill),
            ]
        }
    };
    container(content)
        .width(Length::Fill)
        .height(Length::Fill)
        .style(k.look.page())
        .into()
}

/// Lays items out in rows of `columns`, the last row padded with space so
/// every cell keeps the same width.
pub fn rows_of<'a, M: 'a>(look: &Look, items: Vec<Element<'a, M>>, columns: usize) -> Element<'a, M> {
    let mut list = column![].spacing(look.m);
    let mut items = items.into_iter().peekable();
    while items.peek().is_some() {
        let mut line = row![].spacing(look.m);
        for _ in 0..columns {
            line = line.push(items.next().unwrap_or_else(|| iced::widget::space::horizontal().into()));
        }
        list = list.push(line);
    }
    list.into()
}
