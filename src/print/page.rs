//! Paged documents (the A4 receipt): text shaped once with the embedded
//! fonts and set into blocks, blocks flowed down pages and onto the next
//! page when a page is full. The same pages are written as a PDF with real
//! text ([`super::pdf`]) and drawn as gray images to look at, so what is
//! seen on screen is what prints.

use cosmic_text::{Align, Attrs, Buffer, Color, Family, LayoutGlyph, Metrics, Shaping, Weight, Wrap};
use unicode_normalization::UnicodeNormalization;

use super::{Canvas, Fonts, Place, Style};

/// Which of the embedded faces a glyph comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Face {
    Regular,
    Bold,
}

/// One glyph as set.
#[derive(Debug, Clone)]
pub struct Glyph {
    pub face: Face,
    /// Id, size, advance and position in its line, in dots.
    pub layout: LayoutGlyph,
    /// The characters the glyph stands for (a ligature stands for several);
    /// empty for the second and later glyphs of one character.
    pub text: String,
}

/// What an item on a page shows.
#[derive(Debug, Clone)]
pub enum Mark {
    /// A line of text, its baseline `baseline` dots below the item's top.
    Text { glyphs: Vec<Glyph>, baseline: f32 },
    /// A black bar (a rule) as wide as given and as tall as the item.
    Bar { width: f32 },
    /// A QR code: `modules` × `modules` dark or light squares of `module`
    /// dots, inside a quiet zone of four modules.
    Qr {
        modules: usize,
        dark: Vec<bool>,
        module: f32,
    },
}

/// Something at a place: `x` from the page's left edge, `top` from the top
/// of its block (or of its page, once placed), all in dots.
#[derive(Debug, Clone)]
pub struct Item {
    pub x: f32,
    pub top: f32,
    pub height: f32,
    pub mark: Mark,
}

/// Items set side by side, that go on a page together when they fit.
#[derive(Debug, Clone, Default)]
pub struct Block {
    items: Vec<Item>,
}

impl Block {
    pub fn new() -> Self {
        Self::default()
    }

    /// The bottom of the lowest item.
    pub fn height(&self) -> f32 {
        self.items.iter().map(|i| i.top + i.height).fold(0.0, f32::max)
    }

    /// Sets `text` wrapped into the column from `x`, `width` dots wide, its
    /// top at `top`; returns its bottom.
    pub fn text(&mut self, fonts: &mut Fonts, text: &str, style: Style, x: f32, width: f32, top: f32) -> f32 {
        // One spelling of each letter: a decomposed "ế" becomes the font's
        // precomposed glyph and is copied out of the PDF as one letter.
        let text: String = text.nfc().collect();
        let metrics = Metrics::new(style.size, (style.size * 1.3).ceil());
        let mut buffer = Buffer::new(&mut fonts.system, metrics);
        buffer.set_size(&mut fonts.system, Some(width), None);
        buffer.set_wrap(&mut fonts.system, Wrap::WordOrGlyph);
        let weight = if style.bold { Weight::BOLD } else { Weight::NORMAL };
        let attrs = Attrs::new().family(Family::Name("Noto Sans")).weight(weight);
        let align = match style.place {
            Place::Left => Align::Left,
            Place::Center => Align::Center,
            Place::Right => Align::Right,
        };
        buffer.set_text(&mut fonts.system, &text, &attrs, Shaping::Advanced, Some(align));
        buffer.shape_until_scroll(&mut fonts.system, false);
        let mut bottom = top;
        for run in buffer.layout_runs() {
            bottom = bottom.max(top + run.line_top + run.line_height);
            let mut seen = std::collections::HashSet::new();
            let glyphs: Vec<Glyph> = run
                .glyphs
                .iter()
                .map(|g| {
                    let bold = fonts.system.db().face(g.font_id).is_some_and(|f| f.weight.0 >= 600);
                    let text = if seen.insert((g.start, g.end)) {
                        run.text.get(g.start..g.end).unwrap_or("").to_string()
                    } else {
                        String::new()
                    };
                    Glyph {
                        face: if bold { Face::Bold } else { Face::Regular },
                        layout: g.clone(),
                        text,
                    }
                })
                .collect();
            if glyphs.is_empty() {
                continue;
            }
            self.items.push(Item {
                x,
                top: top + run.line_top,
                height: run.line_height,
                mark: Mark::Text {
                    glyphs,
                    baseline: run.line_y - run.line_top,
                },
            });
        }
        bottom
    }

    /// A horizontal rule from `from` to `to`, its top at `y`.
    pub fn rule(&mut self, from: f32, to: f32, y: f32, thickness: f32) {
        self.items.push(Item {
            x: from,
            top: y,
            height: thickness,
            mark: Mark::Bar { width: to - from },
        });
    }

    /// A black rectangle `width` × `height` with its top left at (`x`, `y`):
    /// a table's vertical rules.
    pub fn bar(&mut self, x: f32, y: f32, width: f32, height: f32) {
        self.items.push(Item {
            x,
            top: y,
            height,
            mark: Mark::Bar { width },
        });
    }

    /// A QR code of `module` dots a module, its quiet zone's top left
    /// corner at (`x`, `top`); returns its side with the quiet zone.
    pub fn qr(&mut self, code: &qrcode::QrCode, module: f32, x: f32, top: f32) -> f32 {
        let modules = code.width();
        let side = (modules + 8) as f32 * module;
        let dark = code.to_colors().iter().map(|c| *c == qrcode::Color::Dark).collect();
        self.items.push(Item {
            x,
            top,
            height: side,
            mark: Mark::Qr { modules, dark, module },
        });
        side
    }
}

/// Pages of a fixed size, filled from the top margin down to the bottom
/// one; sizes in dots.
#[derive(Debug, Clone)]
pub struct Document {
    pub width: f32,
    pub height: f32,
    top: f32,
    bottom: f32,
    y: f32,
    pages: Vec<Vec<Item>>,
}

impl Document {
    /// An empty first page; content goes between `top` and `bottom`.
    pub fn new(width: f32, height: f32, top: f32, bottom: f32) -> Self {
        Self {
            width,
            height,
            top,
            bottom,
            y: top,
            pages: vec![Vec::new()],
        }
    }

    pub fn pages(&self) -> &[Vec<Item>] {
        &self.pages
    }

    /// Where the next block goes on the current page.
    pub fn cursor(&self) -> f32 {
        self.y
    }

    /// Space before the next block; none at the top of a page.
    pub fn skip(&mut self, dots: f32) {
        if self.y > self.top {
            self.y = (self.y + dots).min(self.bottom);
        }
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = self.top;
    }

    fn put(&mut self, items: Vec<Item>, at: f32) {
        let page = self.pages.last_mut().expect("a document has a page");
        page.extend(items.into_iter().map(|i| Item { top: at + i.top, ..i }));
    }

    /// Places a block below what is there: on this page if it fits, else
    /// at the top of a new page. A block taller than a whole page is cut
    /// between its lines and goes on over as many pages as it needs.
    pub fn place(&mut self, block: Block) {
        let mut items = block.items;
        while !items.is_empty() {
            let height = items.iter().map(|i| i.top + i.height).fold(0.0, f32::max);
            let room = self.bottom - self.y;
            if height <= room {
                self.put(items, self.y);
                self.y += height;
                return;
            }
            if self.y > self.top {
                self.new_page();
                continue;
            }
            // An empty page and still too tall: what fits goes here.
            let (mut here, mut rest): (Vec<Item>, Vec<Item>) =
                items.into_iter().partition(|i| i.top + i.height <= room);
            if here.is_empty() {
                // One item taller than a page (text set absurdly large):
                // it goes alone, cut by the page's edge, and the rest goes on.
                rest.sort_by(|a, b| a.top.total_cmp(&b.top));
                here.push(rest.remove(0));
            }
            self.put(here, self.y);
            self.new_page();
            let shift = rest.iter().map(|i| i.top).fold(f32::INFINITY, f32::min);
            items = rest
                .into_iter()
                .map(|i| Item {
                    top: i.top - shift,
                    ..i
                })
                .collect();
        }
    }

    /// Puts a block on page `page` with its top at `top`, outside the flow
    /// (a page's footer).
    pub fn stamp(&mut self, page: usize, block: Block, top: f32) {
        if let Some(p) = self.pages.get_mut(page) {
            p.extend(block.items.into_iter().map(|i| Item { top: top + i.top, ..i }));
        }
    }

    /// Page `page` as 8-bit gray (white 255), one byte a dot.
    pub fn gray(&self, fonts: &mut Fonts, page: usize) -> (u32, u32, Vec<u8>) {
        let (w, h) = (self.width.ceil() as u32, self.height.ceil() as u32);
        let mut c = Canvas::new(w, 0);
        c.grow_to(h);
        for item in self.pages.get(page).into_iter().flatten() {
            match &item.mark {
                Mark::Text { glyphs, baseline } => {
                    for g in glyphs {
                        let physical = g.layout.physical((item.x, item.top + baseline), 1.0);
                        fonts.cache.with_pixels(
                            &mut fonts.system,
                            physical.cache_key,
                            Color::rgb(0, 0, 0),
                            |x, y, color| {
                                c.put(physical.x + x, physical.y + y, color.a());
                            },
                        );
                    }
                }
                Mark::Bar { width } => c.fill(item.x, item.top, *width, item.height),
                Mark::Qr { modules, dark, module } => {
                    for (i, _) in dark.iter().enumerate().filter(|(_, d)| **d) {
                        let (mx, my) = ((i % modules + 4) as f32, (i / modules + 4) as f32);
                        c.fill(item.x + mx * module, item.top + my * module, *module, *module);
                    }
                }
            }
        }
        c.into_gray(h)
    }
}
