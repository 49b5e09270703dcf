//! Scanning at the counter, timed against SANE's test backend through the
//! real `scanimage`:
//! - scan to thumbnail: from starting scanimage to the first page's
//!   thumbnail (360 px wide, what the screen shows) for a 300 dpi A4
//!   grey page;
//! - the thumbnail alone;
//! - PDF encoding per page (300 dpi A4 grey) for the backend's grid and
//!   for a realistic page (lines of letters, a stamp, paper grain), with the
//!   bytes each page takes in the PDF.
//!
//! Run with `cargo bench --bench scan` (needs sane-utils).

use std::sync::Arc;
use std::time::{Duration, Instant};

use motcua::scan::{Cancel, Mode, Page, ScanRequest, encode_pdf};
use motcua_testkit::bench::Percentiles;
use motcua_testkit::sane::Sane;

const THUMB_WIDTH: u32 = 360;

fn main() {
    let sane = Sane::with(&[("test-picture", "\"Grid\"")]);
    let scanner = sane.scanner("test:0");
    let request = ScanRequest::default();

    let mut to_thumb = Vec::new();
    let mut grid = None;
    for _ in 0..30 {
        let start = Instant::now();
        let mut first = None;
        let pages = scanner
            .scan(&request, &Cancel::default(), &mut |page| {
                if first.is_none() {
                    first = Some((page.thumbnail(THUMB_WIDTH), start.elapsed()));
                }
            })
            .expect("the test backend scans (sane-utils installed?)");
        let (thumb, elapsed) = first.unwrap();
        std::hint::black_box(thumb);
        to_thumb.push(elapsed);
        grid = pages.into_iter().next();
    }
    let grid = grid.unwrap();
    report(
        &format!("scan to thumbnail ({} × {} grey, 300 dpi)", grid.width, grid.height),
        to_thumb,
    );

    let thumbs: Vec<Duration> = (0..200)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(grid.thumbnail(THUMB_WIDTH));
            start.elapsed()
        })
        .collect();
    report("thumbnail alone", thumbs);

    let realistic = realistic(grid.width, grid.height);
    let at = jiff::Timestamp::from_second(1_795_000_000).unwrap();
    for (name, page) in [("grid", &grid), ("realistic", &realistic)] {
        let mut times = Vec::new();
        let mut size = 0;
        for _ in 0..15 {
            let start = Instant::now();
            let pdf = encode_pdf(std::slice::from_ref(page), "Giấy khai sinh", at).unwrap();
            times.push(start.elapsed());
            size = pdf.bytes.len();
        }
        report(&format!("PDF of one page, {name}"), times);
        println!("  bytes per page, {name}: {} kB", size / 1000);
    }
    // Ten pages at once share the cores.
    let ten: Vec<Page> = (0..10).map(|_| realistic.clone()).collect();
    let start = Instant::now();
    let pdf = encode_pdf(&ten, "Hồ sơ", at).unwrap();
    println!(
        "PDF of ten realistic pages: {:.1} ms, {:.1} ms a page, {} kB",
        start.elapsed().as_secs_f64() * 1e3,
        start.elapsed().as_secs_f64() * 1e2,
        pdf.bytes.len() / 1000
    );
}

fn report(what: &str, samples: Vec<Duration>) {
    let p = Percentiles::new(samples);
    println!(
        "{what} ({} runs): p50 {:.2} ms  p99 {:.2} ms",
        p.len(),
        p.ms(0.5),
        p.ms(0.99)
    );
}

/// A typed page as a scanner sees it: off-white paper with grain, lines
/// of letters drawn from strokes and a round stamp (grey).
fn realistic(width: u32, height: u32) -> Page {
    let (w, h) = (width as usize, height as usize);
    let mut seed = 0x2545_f491_u32;
    let mut noise = move || {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        seed
    };
    let mut px = vec![0u8; w * h];
    for (i, p) in px.iter_mut().enumerate() {
        let (x, y) = (i % w, i / w);
        let mut v = 238 + (noise() % 5) as i32;
        // Text: lines every 50 px between the margins, letters 22 px
        // apart drawn from 3 px strokes (stems and bars), a space every
        // seventh letter.
        let (line, in_line) = (y / 50, y % 50);
        if (300..h - 400).contains(&y) && (236..w - 236).contains(&x) && in_line < 28 {
            let (letter, cx) = ((x - 236) / 22, (x - 236) % 22);
            let shape = ((letter as u32) ^ (line as u32).wrapping_mul(7919)).wrapping_mul(2_654_435_761) >> 16;
            let stem = (cx < 3 && shape & 1 != 0) || ((14..17).contains(&cx) && shape & 2 != 0);
            let bar = cx < 17
                && ((in_line < 3 && shape & 4 != 0)
                    || ((12..15).contains(&in_line) && shape & 8 != 0)
                    || (in_line >= 25 && shape & 16 != 0));
            if letter % 7 != 6 && (stem || bar) {
                v = 40 + (noise() % 20) as i32;
            }
        }
        // A stamp: a ring 3 cm across near the bottom right.
        let (cx, cy) = (w as i64 - 700, h as i64 - 600);
        let d2 = (x as i64 - cx).pow(2) + (y as i64 - cy).pow(2);
        if (150i64.pow(2)..175i64.pow(2)).contains(&d2) {
            v = 110;
        }
        *p = v.clamp(0, 255) as u8;
    }
    Page {
        width,
        height,
        dpi: 300,
        mode: Mode::Grey,
        pixels: Arc::new(px),
    }
}
