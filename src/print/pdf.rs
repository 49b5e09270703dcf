//! Paged documents as PDF: text as text (selectable, searchable, copied out
//! with every Vietnamese diacritic), in the kiosk's own Noto Sans embedded
//! as a subset of the glyphs used (`subsetter`, from the typst project),
//! each glyph mapped back to its letters by a ToUnicode map; rules and QR
//! codes as filled rectangles. A receipt is a few tens of kilobytes.

use std::collections::BTreeMap;

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use sha2::Digest;
use subsetter::GlyphRemapper;

use super::page::{Document, Face, Glyph, Item, Mark};

/// A4 in points.
pub const A4_POINTS: (f32, f32) = (595.28, 841.89);

/// What the PDF needs to know of an embedded face. The figures are those
/// of the `head`, `hhea` and `OS/2` tables of the files in `assets/fonts`
/// (units per em: 1000).
struct FaceInfo {
    postscript: &'static str,
    bytes: &'static [u8],
    bbox: [f32; 4],
    ascent: f32,
    descent: f32,
    cap_height: f32,
    stem_v: f32,
}

fn face_info(face: Face) -> FaceInfo {
    match face {
        Face::Regular => FaceInfo {
            postscript: "NotoSans-Regular",
            bytes: crate::fonts::FONT_REGULAR_BYTES,
            bbox: [-621.0, -389.0, 2800.0, 1067.0],
            ascent: 1069.0,
            descent: -293.0,
            cap_height: 714.0,
            stem_v: 80.0,
        },
        Face::Bold => FaceInfo {
            postscript: "NotoSans-Bold",
            bytes: crate::fonts::FONT_BOLD_BYTES,
            bbox: [-644.0, -389.0, 2800.0, 1069.0],
            ascent: 1069.0,
            descent: -293.0,
            cap_height: 714.0,
            stem_v: 140.0,
        },
    }
}

/// The glyphs of one face that the document uses.
#[derive(Default)]
struct Used {
    remapper: GlyphRemapper,
    /// New glyph id → advance in thousandths of the font size.
    widths: BTreeMap<u16, f32>,
    /// New glyph id → the letters it stands for (the first seen wins).
    text: BTreeMap<u16, String>,
}

impl Used {
    fn add(&mut self, g: &Glyph) -> u16 {
        let id = self.remapper.remap(g.layout.glyph_id);
        if g.layout.font_size > 0.0 {
            self.widths
                .entry(id)
                .or_insert(g.layout.w / g.layout.font_size * 1000.0);
        }
        if !g.text.is_empty() {
            self.text.entry(id).or_insert_with(|| g.text.clone());
        }
        id
    }
}

fn resource_name(face: Face) -> Name<'static> {
    match face {
        Face::Regular => Name(b"R"),
        Face::Bold => Name(b"B"),
    }
}

/// Hands out object numbers in order.
struct Refs(i32);

impl Refs {
    fn next(&mut self) -> Ref {
        self.0 += 1;
        Ref::new(self.0)
    }
}

fn deflate(bytes: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(bytes, 6)
}

/// The document as a PDF, each page A4, `dpi` dots of the layout to the
/// inch; `title` goes into the document's properties.
pub fn write(doc: &Document, dpi: f32, title: &str) -> Vec<u8> {
    let scale = 72.0 / dpi;
    let (pw, ph) = A4_POINTS;
    let mut used: BTreeMap<Face, Used> = BTreeMap::new();
    let contents: Vec<Vec<u8>> = doc
        .pages()
        .iter()
        .map(|items| page_content(items, scale, ph, &mut used))
        .collect();

    let mut refs = Refs(0);
    let (catalog, tree, info) = (refs.next(), refs.next(), refs.next());
    let page_refs: Vec<(Ref, Ref)> = contents.iter().map(|_| (refs.next(), refs.next())).collect();
    let font_refs: BTreeMap<Face, Ref> = used.keys().map(|f| (*f, refs.next())).collect();

    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(page_refs.iter().map(|(p, _)| *p))
        .count(page_refs.len() as i32);
    pdf.document_info(info)
        .title(TextStr(title))
        .producer(TextStr("motcua"));
    for ((page, content), bytes) in page_refs.iter().zip(&contents) {
        let mut p = pdf.page(*page);
        p.parent(tree).media_box(Rect::new(0.0, 0.0, pw, ph)).contents(*content);
        let mut resources = p.resources();
        let mut fonts = resources.fonts();
        for (face, r) in &font_refs {
            fonts.pair(resource_name(*face), *r);
        }
        fonts.finish();
        resources.finish();
        p.finish();
        pdf.stream(*content, &deflate(bytes)).filter(Filter::FlateDecode);
    }
    for (face, glyphs) in &used {
        write_font(&mut pdf, &mut refs, font_refs[face], *face, glyphs);
    }
    pdf.finish()
}

/// The drawing operations of one page; glyphs are registered in `used`
/// and written under their new ids in the subset.
fn page_content(items: &[Item], scale: f32, page_height: f32, used: &mut BTreeMap<Face, Used>) -> Vec<u8> {
    let mut c = Content::new();
    // Dots from the top left → points from the bottom left.
    let y = |dots: f32| page_height - dots * scale;
    for item in items {
        match &item.mark {
            Mark::Text { glyphs, baseline } => {
                c.begin_text();
                text_line(&mut c, glyphs, item.x * scale, y(item.top + baseline), scale, used);
                c.end_text();
            }
            Mark::Bar { width } => {
                c.rect(
                    item.x * scale,
                    y(item.top + item.height),
                    width * scale,
                    item.height * scale,
                );
                c.fill_nonzero();
            }
            Mark::Qr { modules, dark, module } => {
                // One rectangle per run of dark modules in a row.
                let m = module * scale;
                for row in 0..*modules {
                    let mut col = 0;
                    while col < *modules {
                        if !dark[row * modules + col] {
                            col += 1;
                            continue;
                        }
                        let start = col;
                        while col < *modules && dark[row * modules + col] {
                            col += 1;
                        }
                        let left = item.x * scale + (start + 4) as f32 * m;
                        let top = item.top * scale + (row + 4) as f32 * m;
                        c.rect(left, page_height - top - m, (col - start) as f32 * m, m);
                    }
                }
                c.fill_nonzero();
            }
        }
    }
    c.finish().to_vec()
}

/// One line of glyphs from `x` on the baseline `baseline` (points): runs
/// of one face and one size in a `TJ`, each glyph nudged to where the
/// shaper put it (kerning, marks).
fn text_line(c: &mut Content, glyphs: &[Glyph], x: f32, baseline: f32, scale: f32, used: &mut BTreeMap<Face, Used>) {
    let mut i = 0;
    while i < glyphs.len() {
        let first = &glyphs[i];
        let (face, size) = (first.face, first.layout.font_size);
        let dy = first.layout.y_offset * size;
        let mut end = i + 1;
        while end < glyphs.len()
            && glyphs[end].face == face
            && glyphs[end].layout.font_size == size
            && glyphs[end].layout.y_offset * size == dy
        {
            end += 1;
        }
        let run = &glyphs[i..end];
        let left = |g: &Glyph| g.layout.x + g.layout.x_offset * g.layout.font_size;
        c.set_font(resource_name(face), size * scale);
        c.set_text_matrix([1.0, 0.0, 0.0, 1.0, x + left(first) * scale, baseline + dy * scale]);
        let ids: Vec<(u16, f32)> = run
            .iter()
            .map(|g| (used.entry(face).or_default().add(g), left(g)))
            .collect();
        let mut tj = c.show_positioned();
        let mut items = tj.items();
        // Where the viewer's pen stands after each glyph, in dots.
        let mut pen = left(first);
        let mut bytes = Vec::new();
        for (k, (id, at)) in ids.iter().enumerate() {
            let gap = at - pen;
            if k > 0 && gap.abs() > 0.01 && size > 0.0 {
                items.show(Str(&bytes));
                bytes.clear();
                items.adjust(-gap / size * 1000.0);
            }
            bytes.extend_from_slice(&id.to_be_bytes());
            pen = at + run[k].layout.w;
        }
        items.show(Str(&bytes));
        drop(items);
        drop(tj);
        i = end;
    }
}

/// A Type 0 font over a CID-keyed TrueType subset, with its ToUnicode map.
fn write_font(pdf: &mut Pdf, refs: &mut Refs, type0: Ref, face: Face, glyphs: &Used) {
    let info = face_info(face);
    let (cid, descriptor, file, cmap) = (refs.next(), refs.next(), refs.next(), refs.next());
    // A subset is named by a tag of six capitals made from its glyphs, so
    // two different subsets of one font never share a name.
    let mut hash = sha2::Sha256::new();
    for g in glyphs.remapper.remapped_gids() {
        hash.update(g.to_be_bytes());
    }
    let tag: String = hash
        .finalize()
        .iter()
        .take(6)
        .map(|b| char::from(b'A' + b % 26))
        .collect();
    let base = format!("{tag}+{}", info.postscript);
    let system = SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"Identity"),
        supplement: 0,
    };

    pdf.type0_font(type0)
        .base_font(Name(base.as_bytes()))
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid)
        .to_unicode(cmap);

    // The embedded fonts are sound TrueType; should subsetting ever fail,
    // the whole font goes in, with a map from the ids used to its own, rather
    // than no text at all.
    let (program, gid_map) = match subsetter::subset(info.bytes, 0, &glyphs.remapper) {
        Ok(program) => (program, None),
        Err(e) => {
            tracing::warn!(error = %e, "the font could not be subset; embedding it whole");
            let map: Vec<u8> = glyphs.remapper.remapped_gids().flat_map(u16::to_be_bytes).collect();
            (info.bytes.to_vec(), Some((refs.next(), map)))
        }
    };

    let count = glyphs.remapper.num_gids();
    let widths: Vec<f32> = (0..count)
        .map(|g| glyphs.widths.get(&g).copied().unwrap_or(0.0))
        .collect();
    let mut font = pdf.cid_font(cid);
    font.subtype(CidFontType::Type2)
        .base_font(Name(base.as_bytes()))
        .system_info(system)
        .font_descriptor(descriptor)
        .default_width(0.0);
    match &gid_map {
        None => font.cid_to_gid_map_predefined(Name(b"Identity")),
        Some((r, _)) => font.cid_to_gid_map_stream(*r),
    };
    font.widths().consecutive(0, widths);
    font.finish();
    if let Some((r, map)) = &gid_map {
        pdf.stream(*r, &deflate(map)).filter(Filter::FlateDecode);
    }

    let [x0, y0, x1, y1] = info.bbox;
    pdf.font_descriptor(descriptor)
        .name(Name(base.as_bytes()))
        .flags(FontFlags::NON_SYMBOLIC)
        .bbox(Rect::new(x0, y0, x1, y1))
        .italic_angle(0.0)
        .ascent(info.ascent)
        .descent(info.descent)
        .cap_height(info.cap_height)
        .stem_v(info.stem_v)
        .font_file2(file);
    pdf.stream(file, &deflate(&program))
        .filter(Filter::FlateDecode)
        .pair(Name(b"Length1"), program.len() as i32);

    let mut map = pdf_writer::types::UnicodeCmap::new(Name(b"Custom"), system);
    for (id, text) in &glyphs.text {
        map.pair_with_multiple(*id, text.chars());
    }
    pdf.stream(cmap, &deflate(&map.finish())).filter(Filter::FlateDecode);
}
