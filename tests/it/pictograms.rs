//! The branding pack's pictograms, drawn by iced as the screens draw them:
//! recoloured for the theme (the pack's primary colour on its background,
//! and white on black for high contrast). The snapshot is the contact
//! sheet to look at them by.

use iced::widget::{column, container, row, svg, text};
use iced::{Color, Element, Length, Size};
use iced_test::Simulator;
use motcua::branding::{Brand, pictogram_names};
use motcua_testkit as kit;

fn colour(c: motcua::branding::Rgb) -> Color {
    Color::from_rgb8(c.0, c.1, c.2)
}

/// Every pictogram at 96 px with its name, in `ink` on `paper`.
fn sheet<'a>(brand: &'a Brand, ink: Color, paper: Color) -> Element<'a, ()> {
    let names: Vec<&str> = pictogram_names().collect();
    let mut rows = column![].spacing(16);
    for chunk in names.chunks(8) {
        let mut r = row![].spacing(16);
        for name in chunk {
            let bytes = brand.pictogram(name).expect("a built-in pictogram");
            let icon = svg(svg::Handle::from_memory(bytes.to_vec()))
                .width(Length::Fixed(96.0))
                .height(Length::Fixed(96.0))
                .style(move |_, _| svg::Style { color: Some(ink) });
            r = r.push(
                column![icon, text(*name).size(14).color(ink)]
                    .spacing(4)
                    .align_x(iced::Alignment::Center)
                    .width(Length::Fixed(120.0)),
            );
        }
        rows = rows.push(r);
    }
    container(rows)
        .padding(16)
        .width(Length::Fill)
        .height(Length::Fill)
        .style(move |_| container::Style::default().background(paper))
        .into()
}

#[test]
fn pictograms_take_the_colour_of_the_theme() {
    let brand = Brand::builtin();
    let p = &brand.palette;
    let view = column![
        container(sheet(&brand, colour(p.primary), colour(p.background))).height(Length::Fixed(320.0)),
        container(sheet(&brand, Color::WHITE, Color::BLACK)).height(Length::Fixed(320.0)),
    ];
    let mut ui = Simulator::with_size(kit::ui::settings(), Size::new(1100.0, 640.0), view);
    kit::ui::assert_snapshot(&ui.snapshot(&iced::Theme::Light).expect("it renders"), "pictograms");

    // What was drawn is the snapshot it matched.
    let file = std::fs::read_dir(kit::workspace_root().join("tests/snapshots"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| {
            let n = p.file_name().unwrap().to_string_lossy();
            n.starts_with("pictograms-") && !n.ends_with("-actual.png")
        })
        .expect("the snapshot");
    let img = image::open(file).unwrap().to_rgb8();
    let half = img.height() / 2;
    // The brand's colours only: no black left from the files' own ink.
    let dark = img
        .enumerate_pixels()
        .filter(|(_, y, px)| *y < half && px.0.iter().max().unwrap() < &120)
        .count();
    assert_eq!(dark, 0, "pictograms drawn in black, not in the primary colour");
    let red = img
        .enumerate_pixels()
        .filter(|(_, y, px)| *y < half && px.0[0] > 120 && px.0[1] < 60)
        .count();
    assert!(red > 10_000, "only {red} pixels of the primary colour");
    // High contrast: white on black, nothing else.
    let mut white = 0;
    for (_, y, px) in img.enumerate_pixels() {
        if y < half + 4 {
            continue;
        }
        let [r, g, b] = px.0;
        assert!(
            r.abs_diff(g) <= 2 && g.abs_diff(b) <= 2,
            "a coloured pixel {:?} in high contrast",
            px.0
        );
        if r > 200 {
            white += 1;
        }
    }
    assert!(white > 10_000, "only {white} white pixels");
}
