//! Finding a procedure by typing on the on-screen keyboard.

use iced::widget::{column, container, row, scrollable, text};
use iced::{Element, Length, Padding};

use crate::ui::app::{Kiosk, SEARCH_RESULTS_SHOWN};
use crate::ui::screen::Nav;
use crate::ui::screen::keyboard::Key;
use crate::ui::screen::{fields, keyboard};
use crate::ui::style::BOLD;
use crate::ui::widgets::{nav, page_fitted, title};
use motcua_core::search::Index;

/// What is typed, and what it finds.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchView {
    pub query: String,
    /// Catalog positions, best first.
    pub hits: Vec<usize>,
}

#[derive(Debug, Clone)]
pub enum Message {
    Key(Key),
    /// A procedure's details, by code.
    Open(String),
    Nav(Nav),
}

impl From<Nav> for Message {
    fn from(nav: Nav) -> Self {
        Message::Nav(nav)
    }
}

pub enum Event {
    OpenProcedure(String),
    Nav(Nav),
}

impl SearchView {
    /// `index` is the catalog's search index, to find what was typed.
    pub fn update(&mut self, message: Message, index: &Index) -> Option<Event> {
        match message {
            Message::Key(key) => {
                key.apply(&mut self.query);
                self.hits = index.search(&self.query).into_iter().map(|h| h.index).collect();
                None
            }
            Message::Open(code) => Some(Event::OpenProcedure(code)),
            Message::Nav(nav) => Some(Event::Nav(nav)),
        }
    }

    pub fn view<'a>(&'a self, k: &'a Kiosk) -> Element<'a, Message> {
        view(k, &self.query, &self.hits)
    }
}

fn view<'a>(k: &'a Kiosk, query: &str, hits: &[usize]) -> Element<'a, Message> {
    let shown = if query.trim().is_empty() {
        text(k.t("search-placeholder"))
            .size(k.look.button)
            .style(k.look.muted())
    } else {
        // A caret shows where the next letter goes.
        text(format!("{query}|")).size(k.look.button).font(BOLD)
    };
    let field = container(shown)
        .id("search-query")
        .padding(Padding::from([k.look.s, k.look.m]))
        .width(Length::Fill)
        .height(Length::Fixed(k.look.target))
        .center_y(Length::Fixed(k.look.target))
        .style(k.look.card());

    let mut results = column![].spacing(k.look.s);
    if !query.trim().is_empty() {
        if hits.is_empty() {
            results = results.push(text(k.t("search-none")).size(k.look.body));
        } else {
            results = results.push(
                text(k.ta("search-results", &[("count", hits.len().into())]))
                    .size(k.look.body)
                    .style(k.look.muted()),
            );
            for (i, &index) in hits.iter().take(SEARCH_RESULTS_SHOWN).enumerate() {
                results = results.push(fields::item(k, i, &k.catalog.procedures[index], Message::Open));
            }
            if hits.len() > SEARCH_RESULTS_SHOWN {
                results = results.push(
                    text(k.ta("search-more", &[("count", (hits.len() - SEARCH_RESULTS_SHOWN).into())]))
                        .size(k.look.body),
                );
            }
        }
    }
    let results = scrollable(container(results).padding(Padding::from([0.0, k.look.s]))).height(Length::Fill);

    let body: Element<'a, Message> = if k.portrait() {
        column![
            title(k, k.t("search-title")),
            field,
            results,
            keyboard::view_of(k, &keyboard::LETTERS, true, Message::Key)
        ]
        .spacing(k.look.m)
        .into()
    } else {
        row![
            column![title(k, k.t("search-title")), results]
                .spacing(k.look.m)
                .width(Length::FillPortion(1)),
            column![field, keyboard::view_of(k, &keyboard::LETTERS, true, Message::Key)]
                .spacing(k.look.m)
                .width(Length::FillPortion(1)),
        ]
        .spacing(k.look.l)
        .into()
    };
    page_fitted(k, body, Some(nav(k)))
}
