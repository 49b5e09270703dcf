//! Thumbnails: a page shrunk by averaging the block of pixels under each
//! thumbnail pixel (a box filter). One pass over the page, integer sums:
//! a 300 dpi A4 page shrinks in a few milliseconds, and a thin stroke
//! stays visible as grey instead of falling between sampled pixels.

use super::{Page, Thumbnail};

pub(super) fn thumbnail(page: &Page, max_width: u32) -> Thumbnail {
    let (sw, sh) = (page.width as usize, page.height as usize);
    if !page.is_whole() {
        // Nothing to average: a white square says "no image" without a crash.
        let side = max_width.clamp(1, 64);
        return Thumbnail {
            width: side,
            height: side,
            rgba: vec![255; (side * side * 4) as usize],
        };
    }
    let w = max_width.clamp(1, page.width) as usize;
    let h = ((sh * w + sw / 2) / sw).clamp(1, sh);
    // Output column i averages source columns xs[i]..xs[i + 1]; never empty,
    // as the thumbnail is no larger than the page.
    let xs: Vec<usize> = (0..=w).map(|i| i * sw / w).collect();
    let ys: Vec<usize> = (0..=h).map(|i| i * sh / h).collect();
    let ch = page.channels();
    let mut rgba = Vec::with_capacity(w * h * 4);
    let mut sums = vec![0u64; w * ch];
    for oy in 0..h {
        sums.fill(0);
        for y in ys[oy]..ys[oy + 1] {
            let row = &page.pixels[y * sw * ch..(y + 1) * sw * ch];
            if ch == 1 {
                for (sum, span) in sums.iter_mut().zip(xs.windows(2)) {
                    let block: u32 = row[span[0]..span[1]].iter().map(|&v| u32::from(v)).sum();
                    *sum += u64::from(block);
                }
            } else {
                for (sum, span) in sums.chunks_exact_mut(3).zip(xs.windows(2)) {
                    for px in row[span[0] * 3..span[1] * 3].chunks_exact(3) {
                        sum[0] += u64::from(px[0]);
                        sum[1] += u64::from(px[1]);
                        sum[2] += u64::from(px[2]);
                    }
                }
            }
        }
        let rows = (ys[oy + 1] - ys[oy]) as u64;
        for (ox, span) in xs.windows(2).enumerate() {
            let n = rows * (span[1] - span[0]) as u64;
            let mean = |s: u64| ((s + n / 2) / n) as u8;
            if ch == 1 {
                let v = mean(sums[ox]);
                rgba.extend_from_slice(&[v, v, v, 255]);
            } else {
                let s = &sums[ox * 3..ox * 3 + 3];
                rgba.extend_from_slice(&[mean(s[0]), mean(s[1]), mean(s[2]), 255]);
            }
        }
    }
    Thumbnail {
        width: w as u32,
        height: h as u32,
        rgba,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::super::Mode;
    use super::*;

    fn page(width: u32, height: u32, mode: Mode, pixels: Vec<u8>) -> Page {
        Page {
            width,
            height,
            dpi: 300,
            mode,
            pixels: Arc::new(pixels),
        }
    }

    #[test]
    fn a_grey_page_shrinks_by_averaging_with_its_proportions() {
        // 4×2: a black left half, a white right half, one grey pixel.
        let p = page(4, 2, Mode::Grey, vec![0, 0, 255, 255, 0, 100, 255, 255]);
        let t = p.thumbnail(2);
        assert_eq!((t.width, t.height), (2, 1));
        assert_eq!(t.rgba, [25, 25, 25, 255, 255, 255, 255, 255]);
        // A4 at 300 dpi to the screen's 360: the proportions kept.
        let a4 = page(2480, 3508, Mode::Grey, vec![200; 2480 * 3508]);
        let t = a4.thumbnail(360);
        assert_eq!((t.width, t.height), (360, 509));
        assert!(t.rgba.chunks(4).all(|px| px == [200, 200, 200, 255]));
        // Never wider than the page.
        assert_eq!(p.thumbnail(1000).width, 4);
    }

    #[test]
    fn a_colour_page_keeps_its_colours_and_a_broken_one_gives_a_blank() {
        let p = page(2, 1, Mode::Colour, vec![255, 0, 0, 0, 0, 255]);
        assert_eq!(p.thumbnail(1).rgba, [128, 0, 128, 255]);
        assert_eq!(p.thumbnail(2).rgba, [255, 0, 0, 255, 0, 0, 255, 255]);
        let broken = page(10, 10, Mode::Grey, vec![0; 5]);
        let t = broken.thumbnail(360);
        assert_eq!(t.rgba.len(), (t.width * t.height * 4) as usize);
    }
}
