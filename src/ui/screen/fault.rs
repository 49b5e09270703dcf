//! The screen a kiosk shows when it cannot serve: a calm apology for the
//! citizen, and for IT staff what is wrong, where, and what to do, in
//! Vietnamese and English at once (nobody can switch languages here).
//! It has nothing to press: its view is of any message type, so the kiosk
//! and the counter show it alike.

use iced::widget::{column, container, row, svg, text};
use iced::{Element, Length, Padding};

use crate::branding::Brand;
use crate::i18n::{Arg, I18n, Lang};
use crate::setup::Fault;
use crate::store::StoreError;
use crate::ui::style::{BOLD, Look};

/// Problems listed on screen; the log has them all.
const SHOWN_PROBLEMS: usize = 8;

pub struct State {
    pub fault: Fault,
    pub look: Look,
    brand: Brand,
    mark: svg::Handle,
    /// What IT staff should read, per language.
    advice: [String; 2],
    details: Vec<String>,
    i18n: I18n,
}

impl State {
    pub fn new(fault: Fault, brand: Brand) -> Self {
        let i18n = I18n::new();
        let advice = Lang::ALL.map(|lang| advice(&i18n, lang, &fault));
        let details = match &fault {
            Fault::CatalogInvalid { problems, .. } => {
                let mut d: Vec<String> = problems.0.iter().take(SHOWN_PROBLEMS).map(|p| p.to_string()).collect();
                if problems.0.len() > SHOWN_PROBLEMS {
                    d.push(format!("… +{}", problems.0.len() - SHOWN_PROBLEMS));
                }
                d
            }
            Fault::Store(e) => vec![e.to_string()],
            Fault::Config(e) => vec![e.to_string()],
            Fault::CatalogUnreadable { .. } | Fault::Central { .. } => Vec::new(),
        };
        Self {
            look: Look::from_brand(&brand),
            mark: svg::Handle::from_memory(brand.mark.to_vec()),
            brand,
            fault,
            advice,
            details,
            i18n,
        }
    }

    pub fn view<'a, M: 'a>(&'a self) -> Element<'a, M> {
        let l = &self.look;
        let id = &self.brand.identity;
        let both = |key: &str| -> Element<'a, M> {
            column![
                text(self.i18n.t(Lang::Vi, key)).size(l.heading).font(BOLD),
                text(self.i18n.t(Lang::En, key)).size(l.body).style(l.muted()),
            ]
            .spacing(l.xs)
            .into()
        };
        let header = container(
            row![
                svg(self.mark.clone())
                    .width(Length::Fixed(96.0))
                    .height(Length::Fixed(96.0)),
                column![
                    text(id.unit.clone()).size(l.heading).font(BOLD),
                    text(id.office.clone()).size(l.small)
                ]
                .spacing(2),
            ]
            .spacing(l.m)
            .align_y(iced::Alignment::Center),
        )
        .padding(Padding::from([l.m, l.l]))
        .width(Length::Fill)
        .style(l.header());

        let mut it = column![
            text(format!(
                "{} / {}",
                self.i18n.t(Lang::Vi, "fault-it"),
                self.i18n.t(Lang::En, "fault-it")
            ))
            .size(l.body)
            .font(BOLD),
            text(self.advice[0].clone()).size(l.body),
            text(self.advice[1].clone()).size(l.body).style(l.muted()),
        ]
        .spacing(l.s);
        for d in &self.details {
            it = it.push(text(d.clone()).size(l.small));
        }
        let body = column![
            text(self.i18n.t(Lang::Vi, "fault-title")).size(l.title).font(BOLD),
            text(self.i18n.t(Lang::En, "fault-title"))
                .size(l.heading)
                .style(l.muted()),
            both("fault-citizen"),
            container(it).padding(l.m).width(Length::Fill).style(l.card()),
        ]
        .spacing(l.l);
        container(column![header, container(body).padding(l.l)])
            .width(Length::Fill)
            .height(Length::Fill)
            .style(l.page())
            .into()
    }
}

fn path_arg(p: &std::path::Path) -> Arg<'static> {
    p.display().to_string().into()
}

/// The advice for IT staff in one language.
fn advice(i: &I18n, lang: Lang, fault: &Fault) -> String {
    match fault {
        Fault::Config(e) => i.ta(
            lang,
            "fault-config",
            &[("path", path_arg(&e.path)), ("reason", e.message.clone().into())],
        ),
        Fault::CatalogUnreadable { path, reason } => i.ta(
            lang,
            "fault-catalog-unreadable",
            &[("path", path_arg(path)), ("reason", reason.clone().into())],
        ),
        Fault::CatalogInvalid { path, problems } => i.ta(
            lang,
            "fault-catalog-invalid",
            &[("path", path_arg(path)), ("count", problems.0.len().into())],
        ),
        Fault::Central { reason } => i.ta(lang, "fault-central", &[("reason", reason.clone().into())]),
        Fault::Store(e) => match e {
            StoreError::Corrupt { path, .. } => i.ta(lang, "fault-db-corrupt", &[("path", path_arg(path))]),
            StoreError::ReadOnly { path } => i.ta(lang, "fault-db-readonly", &[("path", path_arg(path))]),
            StoreError::DataDir { path, reason } => i.ta(
                lang,
                "fault-db-datadir",
                &[("path", path_arg(path)), ("reason", reason.clone().into())],
            ),
            StoreError::TooNew { path, .. } => i.ta(lang, "fault-db-too-new", &[("path", path_arg(path))]),
            StoreError::Full { path } => i.ta(lang, "fault-db-full", &[("path", path_arg(path))]),
            StoreError::Sqlite { path, reason } => i.ta(
                lang,
                "fault-db-other",
                &[("path", path_arg(path)), ("reason", reason.clone().into())],
            ),
        },
    }
}
