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
    container(
        button(content)
            .on_press(on_press)
            .style(look.button(kind))
            .padding(Padding::from([look.s, look.m]))
            .width(Length::Fill)
            .height(height),
    )
    .id(id)
    .width(Length::Fill)
    .height(height)
    .into()
}

/// A button holding one centred label, at least a touch target high.
pub fn label_button<'a, M: Clone + 'a>(
    look: &Look,
    id: impl Into<iced::widget::Id>,
    label: String,
    on_press: M,
    kind: Kind,
) -> Element<'a, M> {
    let content = container(text(label).size(look.button).font(BOLD).center())
        .center_x(Length::Fill)
        .center_y(Length::Shrink)
        .height(Length::Fixed(look.target - 2.0 * look.s));
    tap(look, id, content, on_press, kind)
}

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
    let content = column![text(title).size(look.heading).font(BOLD), text(hint).size(look.body),]
        .spacing(look.xs)
        .width(Length::Fill);
    let content = container(content)
        .padding(Padding::from([look.m, look.s]))
        .center_y(Length::Fill);
    sized_tap(look, id, content, on_press, kind, Length::Fill)
}

/// The band across the top: the mark, the unit and office, date and time.
pub fn header<'a, M: Clone + From<Nav> + 'a>(k: &Kiosk) -> Element<'a, M> {
    let id = &k.brand.identity;
    let (unit, office) = match k.lang {
        crate::i18n::Lang::Vi => (id.unit.clone(), id.office.clone()),
        crate::i18n::Lang::En => (id.unit_en.clone(), id.office_en.clone()),
    };
    let now = motcua_core::time::local(k.now);
    let weekday = k.t(&format!("weekday-{}", now.weekday().to_monday_one_offset()));
    let date = k.ta(
        "date-line",
        &[
            ("weekday", weekday.into()),
            ("date", now.strftime("%d/%m/%Y").to_string().into()),
        ],
    );
    let mut clock = column![
        text(now.strftime("%H:%M").to_string()).size(k.look.heading).font(BOLD),
        text(date).size(k.look.small),
    ]
    .align_x(Alignment::End);
    if let Some(line) = sync_line(k) {
        clock = clock.push(text(line).size(k.look.small));
    }
    let names = column![
        text(unit).size(k.look.heading).font(BOLD),
        text(office).size(k.look.small),
    ]
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
        label_button(&k.look, "back", k.t("back"), M::from(Nav::Back), Kind::Nav),
        label_button(&k.look, "home", k.t("home"), M::from(Nav::Home), Kind::Nav),
    ]
    .spacing(k.look.m)
    .into()
}

/// A screen title.
pub fn title<'a, M: 'a>(k: &Kiosk, s: String) -> Element<'a, M> {
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

/// A whole page: header, the body filling the middle, and a footer.
pub fn page<'a, M: Clone + From<Nav> + 'a>(
    k: &Kiosk,
    body: impl Into<Element<'a, M>>,
    footer: Option<Element<'a, M>>,
) -> Element<'a, M> {
    let mut inner = column![container(body).height(Length::Fill).width(Length::Fill)].spacing(k.look.m);
    if let Some(f) = footer {
        inner = inner.push(f);
    }
    let content = column![
        header(k),
        container(inner)
            .padding(Padding::from([k.look.l, k.look.l]))
            .height(Length::Fill),
    ];
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
