//! A scanned document as one PDF: one JPEG image per page (grey pages
//! as grey JPEG, a third of the bytes of colour), each page the size of
//! the paper (pixels over dpi: A4 at 300 dpi is 595 × 842 pt), written
//! as PDF/A-2b: XMP metadata matching the document information, a file
//! identifier, and calibrated colour (CalGray, CalRGB with sRGB's
//! primaries) so that the images mean the same on any reader, no
//! encryption. Nothing in it depends on the clock or on chance: the same
//! pages, title and time give the same bytes and the same SHA-256.
//!
//! JPEG by `jpeg-encoder` (pure Rust, no dependencies, several times
//! faster than the image crate's baseline encoder); quality 80 keeps
//! small print and stamps legible at a few hundred kB per A4 page.

use pdf_writer::{Content, Date, Filter, Finish, Name, Rect, Ref, TextStr};
use sha2::{Digest, Sha256};

use super::{Mode, Page, Pdf, PdfError};

/// JPEG quality: text and seals stay crisp, the grain of paper goes.
pub const QUALITY: u8 = 80;
/// D65, sRGB's white point.
const WHITE: [f32; 3] = [0.9505, 1.0, 1.089];
/// sRGB's primaries as XYZ (the columns of its matrix), for CalRGB.
const SRGB_MATRIX: [f32; 9] = [0.4124, 0.2126, 0.0193, 0.3576, 0.7152, 0.1192, 0.1805, 0.0722, 0.9505];
const GAMMA: f32 = 2.2;

pub(super) fn encode(pages: &[Page], title: &str, at: jiff::Timestamp) -> Result<Pdf, PdfError> {
    if pages.is_empty() {
        return Err(PdfError::NoPages);
    }
    if let Some(bad) = pages.iter().position(|p| !p.is_whole() || p.dpi == 0) {
        return Err(PdfError::BadPage(bad + 1));
    }
    let jpegs = jpegs(pages)?;

    // The file identifier: a digest of what the file holds.
    let mut id = Sha256::new();
    id.update(title.as_bytes());
    id.update(at.as_second().to_be_bytes());
    for j in &jpegs {
        id.update(j);
    }
    let id: [u8; 32] = id.finalize().into();
    let id = id[..16].to_vec();

    let mut next = 0;
    let mut alloc = || {
        next += 1;
        Ref::new(next)
    };
    let (catalog, tree, info, metadata) = (alloc(), alloc(), alloc(), alloc());
    let refs: Vec<(Ref, Ref, Ref)> = pages.iter().map(|_| (alloc(), alloc(), alloc())).collect();

    let mut pdf = pdf_writer::Pdf::with_capacity(jpegs.iter().map(Vec::len).sum::<usize>() + 16 * 1024);
    pdf.set_file_id((id.clone(), id.clone()));
    pdf.catalog(catalog).pages(tree).metadata(metadata);
    pdf.pages(tree)
        .kids(refs.iter().map(|(p, _, _)| *p))
        .count(refs.len() as i32);
    let date = pdf_date(at);
    pdf.document_info(info)
        .title(TextStr(title))
        .creator(TextStr("motcua"))
        .producer(TextStr("motcua"))
        .creation_date(date)
        .modified_date(date);
    pdf.metadata(metadata, xmp(title, at, &id).as_bytes());

    for ((page, jpeg), (page_ref, content_ref, image_ref)) in pages.iter().zip(&jpegs).zip(&refs) {
        let (w, h) = points(page);
        let mut p = pdf.page(*page_ref);
        p.parent(tree)
            .media_box(Rect::new(0.0, 0.0, w, h))
            .contents(*content_ref);
        p.resources().x_objects().pair(Name(b"Im0"), *image_ref);
        p.finish();

        let mut content = Content::new();
        content.save_state();
        content.transform([w, 0.0, 0.0, h, 0.0, 0.0]);
        content.x_object(Name(b"Im0"));
        content.restore_state();
        pdf.stream(*content_ref, &content.finish());

        let mut image = pdf.image_xobject(*image_ref, jpeg);
        image.filter(Filter::DctDecode);
        image
            .width(page.width as i32)
            .height(page.height as i32)
            .bits_per_component(8);
        match page.mode {
            Mode::Grey => image.color_space().cal_gray(WHITE, None, Some(GAMMA)),
            Mode::Colour => image
                .color_space()
                .cal_rgb(WHITE, None, Some([GAMMA; 3]), Some(SRGB_MATRIX)),
        }
        image.finish();
    }
    let bytes = pdf.finish();
    Ok(Pdf {
        sha256: hex(&Sha256::digest(&bytes)),
        pages: pages.len() as u32,
        bytes,
    })
}

/// The page's size in points: its pixels at its dpi.
fn points(page: &Page) -> (f32, f32) {
    let scale = 72.0 / page.dpi as f32;
    (page.width as f32 * scale, page.height as f32 * scale)
}

/// Each page as JPEG, the pages shared among the machine's cores.
fn jpegs(pages: &[Page]) -> Result<Vec<Vec<u8>>, PdfError> {
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(pages.len());
    let mut out: Vec<Option<Result<Vec<u8>, PdfError>>> = (0..pages.len()).map(|_| None).collect();
    std::thread::scope(|s| {
        let slots: Vec<_> = out.iter_mut().enumerate().collect();
        let mut shares: Vec<Vec<(usize, &mut Option<_>)>> = (0..threads).map(|_| Vec::new()).collect();
        for (i, slot) in slots {
            shares[i % threads].push((i, slot));
        }
        for share in shares {
            s.spawn(move || {
                for (i, slot) in share {
                    *slot = Some(jpeg(&pages[i], i + 1));
                }
            });
        }
    });
    out.into_iter().map(|j| j.unwrap_or(Err(PdfError::NoPages))).collect()
}

fn jpeg(page: &Page, number: usize) -> Result<Vec<u8>, PdfError> {
    let too_large = |message: String| PdfError::Jpeg { page: number, message };
    let width = u16::try_from(page.width).map_err(|_| too_large("wider than 65,535 pixels".into()))?;
    let height = u16::try_from(page.height).map_err(|_| too_large("taller than 65,535 pixels".into()))?;
    let colour = match page.mode {
        Mode::Grey => jpeg_encoder::ColorType::Luma,
        Mode::Colour => jpeg_encoder::ColorType::Rgb,
    };
    let mut out = Vec::with_capacity(page.pixels.len() / 10);
    jpeg_encoder::Encoder::new(&mut out, QUALITY)
        .encode(&page.pixels, width, height, colour)
        .map_err(|e| too_large(e.to_string()))?;
    Ok(out)
}

fn pdf_date(at: jiff::Timestamp) -> Date {
    let t = at.to_zoned(jiff::tz::TimeZone::UTC);
    Date::new(t.year() as u16)
        .month(t.month() as u8)
        .day(t.day() as u8)
        .hour(t.hour() as u8)
        .minute(t.minute() as u8)
        .second(t.second() as u8)
        .utc_offset_hour(0)
}

/// The XMP packet PDF/A asks for: the same title, dates and tool as the
/// document information, and the PDF/A part and conformance.
fn xmp(title: &str, at: jiff::Timestamp, id: &[u8]) -> String {
    let date = at
        .to_zoned(jiff::tz::TimeZone::UTC)
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    let h = hex(id);
    let uuid = format!(
        "uuid:{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    );
    let title = escape(title);
    format!(
        r#"<?xpacket begin="{bom}" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
   <xmp:CreatorTool>motcua</xmp:CreatorTool>
   <xmp:CreateDate>{date}</xmp:CreateDate>
   <xmp:ModifyDate>{date}</xmp:ModifyDate>
   <xmp:MetadataDate>{date}</xmp:MetadataDate>
   <pdf:Producer>motcua</pdf:Producer>
   <xmpMM:DocumentID>{uuid}</xmpMM:DocumentID>
   <xmpMM:InstanceID>{uuid}</xmpMM:InstanceID>
   <pdfaid:part>2</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"#,
        bom = '\u{feff}'
    )
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // XML 1.0 has no place for the other control characters.
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    fn page(width: u32, height: u32, dpi: u32, mode: Mode) -> Page {
        let n = (width * height) as usize * if mode == Mode::Grey { 1 } else { 3 };
        Page {
            width,
            height,
            dpi,
            mode,
            pixels: Arc::new((0..n).map(|i| (i % 251) as u8).collect()),
        }
    }

    #[test]
    fn a4_at_300_dpi_is_a4_in_points() {
        let (w, h) = points(&page(2480, 3508, 300, Mode::Grey));
        assert!((w - 595.2).abs() < 0.01 && (h - 841.92).abs() < 0.01, "{w} × {h}");
        let (w, _) = points(&page(1240, 1754, 150, Mode::Grey));
        assert!((w - 595.2).abs() < 0.01, "{w}");
    }

    #[test]
    fn the_xmp_says_pdfa_2b_and_escapes_the_title() {
        let at = jiff::Timestamp::from_second(1_795_000_000).unwrap();
        let x = xmp("Giấy <khai> sinh & hộ khẩu", at, &[0xab; 16]);
        assert!(x.contains("<pdfaid:part>2</pdfaid:part>"));
        assert!(x.contains("<pdfaid:conformance>B</pdfaid:conformance>"));
        assert!(x.contains("Giấy &lt;khai&gt; sinh &amp; hộ khẩu"), "{x}");
        assert!(x.contains("<xmp:CreateDate>2026-11-18T"), "{x}");
        assert!(x.contains("uuid:abababab-abab-abab-abab-abababababab"), "{x}");
    }

    #[test]
    fn a_broken_page_is_refused_not_encoded() {
        let at = jiff::Timestamp::UNIX_EPOCH;
        assert!(matches!(encode(&[], "x", at), Err(PdfError::NoPages)));
        let mut short = page(10, 10, 300, Mode::Grey);
        short.pixels = Arc::new(vec![0; 99]);
        let good = page(10, 10, 300, Mode::Colour);
        assert!(matches!(
            encode(&[good.clone(), short], "x", at),
            Err(PdfError::BadPage(2))
        ));
        let mut no_dpi = good.clone();
        no_dpi.dpi = 0;
        assert!(matches!(encode(&[no_dpi], "x", at), Err(PdfError::BadPage(1))));
        let pdf = encode(&[good.clone(), good], "x", at).unwrap();
        assert_eq!(pdf.pages, 2);
        assert!(pdf.bytes.starts_with(b"%PDF-1.7"));
    }
}
