//! Fields of procedures, and the procedures of one field. No state of its
//! own: the field shown is named by the kiosk's screen.

use iced::widget::{column, container, scrollable, text};
use iced::{Element, Length, Padding};

use crate::ui::app::Kiosk;
use crate::ui::screen::Nav;
use crate::ui::style::{BOLD, Kind};
use crate::ui::widgets::{label_button, nav, page, rows_of, tap, title};
use motcua_core::catalog::Procedure;

/// What the citizen chose.
#[derive(Debug, Clone)]
pub enum Message {
    OpenField(String),
    OpenSearch,
    /// A procedure's details, by code.
    OpenProcedure(String),
    Nav(Nav),
}

impl From<Nav> for Message {
    fn from(nav: Nav) -> Self {
        Message::Nav(nav)
    }
}

pub fn view(k: &Kiosk) -> Element<'_, Message> {
    let fields = k.catalog.fields_in_use();
    let columns = if k.portrait() { 2 } else { 3 };
    let tiles = fields
        .iter()
        .enumerate()
        .map(|(i, (field, count))| {
            let name = match k.lang {
                crate::i18n::Lang::Vi => field.name.clone(),
                crate::i18n::Lang::En => field.name_en.clone(),
            };
            let content = column![
                text(name).size(k.look.button).font(BOLD),
                text(k.ta("fields-count", &[("count", (*count).into())])).size(k.look.body),
            ]
            .spacing(k.look.xs);
            let height = Length::Fixed(k.look.target * 1.6);
            let content = container(content).height(height).center_y(height);
            tap(
                &k.look,
                format!("field-{i}"),
                content,
                Message::OpenField(field.id.clone()),
                Kind::Tile,
            )
        })
        .collect();
    let grid = rows_of(&k.look, tiles, columns);
    let body = column![
        title(k, k.t("fields-title")),
        label_button(
            &k.look,
            "open-search",
            k.t("search-open"),
            Message::OpenSearch,
            Kind::Primary
        ),
        text(k.t("fields-prompt")).size(k.look.body),
        scrollable(container(grid).padding(Padding::from([k.look.xs, k.look.s]))).height(Length::Fill),
    ]
    .spacing(k.look.m);
    page(k, body, Some(nav(k)))
}

/// One procedure as a list item: name, code and legal time; `open` gets its
/// code when pressed.
pub fn item<'a, M: Clone + 'a>(k: &Kiosk, i: usize, p: &Procedure, open: impl Fn(String) -> M) -> Element<'a, M> {
    let name = match k.lang {
        crate::i18n::Lang::Vi => p.name.clone(),
        crate::i18n::Lang::En => p.name_en.clone(),
    };
    let facts = format!(
        "{} · {} · {}",
        p.code,
        k.ta("processing-days", &[("days", u32::from(p.processing_days).into())]),
        k.t(p.level.label_key())
    );
    let content = column![
        text(name).size(k.look.button).font(BOLD),
        text(facts).size(k.look.body).style(k.look.muted())
    ]
    .spacing(k.look.xs);
    tap(&k.look, format!("item-{i}"), content, open(p.code.clone()), Kind::Tile)
}

pub fn procedures<'a>(k: &'a Kiosk, field: &str) -> Element<'a, Message> {
    let Some(f) = k.catalog.field(field) else {
        return view(k);
    };
    let name = match k.lang {
        crate::i18n::Lang::Vi => f.name.clone(),
        crate::i18n::Lang::En => f.name_en.clone(),
    };
    let items: Vec<_> = k
        .catalog
        .procedures_of(field)
        .enumerate()
        .map(|(i, p)| item(k, i, p, Message::OpenProcedure))
        .collect();
    let count = items.len();
    let body = column![
        title(k, name),
        text(k.ta("procedures-count", &[("count", count.into())])).size(k.look.body),
        scrollable(container(column(items).spacing(k.look.m)).padding(Padding::from([k.look.xs, k.look.s])))
            .height(Length::Fill),
    ]
    .spacing(k.look.m);
    page(k, body, Some(nav(k)))
}
