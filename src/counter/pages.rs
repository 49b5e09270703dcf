//! The pages of a scanned document read back from its PDF, to show at the
//! counter. Only the PDFs counters make are read: one JPEG image
//! (`/DCTDecode`) per page, its length given in its dictionary. Anything
//! else is refused, not guessed at.
//!
//! Grey pages come back grey, colour ones as RGB.

use std::sync::Arc;

use zune_core::colorspace::ColorSpace;
use zune_core::options::DecoderOptions;
use zune_jpeg::JpegDecoder;

use crate::scan::{Mode, Page};

/// The most pages read from one document.
const MAX_PAGES: usize = 500;

/// Why a document's pages could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PagesError {
    #[error("the file has no page image a counter would have made")]
    NoImages,
    #[error("a page image is cut short or its length is wrong")]
    Truncated,
    #[error("a page image does not decode: {0}")]
    Decode(String),
}

/// Every page image of a counter's PDF, in order, as RGB pages.
pub fn pages(pdf: &[u8]) -> Result<Vec<Page>, PagesError> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(found) = find(&pdf[at..], b"/DCTDecode") {
        let filter = at + found;
        // The dictionary around the filter: from its `<<` to the `stream`
        // keyword that follows it.
        let dict_start = rfind(&pdf[..filter], b"<<").ok_or(PagesError::Truncated)?;
        let stream = filter + find(&pdf[filter..], b"stream").ok_or(PagesError::Truncated)?;
        let length = length(&pdf[dict_start..stream]).ok_or(PagesError::Truncated)?;
        let mut data = stream + b"stream".len();
        if pdf.get(data) == Some(&b'\r') {
            data += 1;
        }
        if pdf.get(data) == Some(&b'\n') {
            data += 1;
        }
        let jpeg = pdf.get(data..data + length).ok_or(PagesError::Truncated)?;
        out.push(decode(jpeg)?);
        if out.len() > MAX_PAGES {
            break;
        }
        at = data + length;
    }
    if out.is_empty() {
        return Err(PagesError::NoImages);
    }
    Ok(out)
}

fn decode(jpeg: &[u8]) -> Result<Page, PagesError> {
    let options = DecoderOptions::default().jpeg_set_out_colorspace(ColorSpace::RGB);
    let mut decoder = JpegDecoder::new_with_options(jpeg, options);
    let pixels = decoder.decode().map_err(|e| PagesError::Decode(format!("{e:?}")))?;
    let info = decoder.info().ok_or(PagesError::Truncated)?;
    let (width, height) = (u32::from(info.width), u32::from(info.height));
    // A grey page decodes grey whatever is asked; a colour one as RGB.
    let area = width as usize * height as usize;
    let mode = match pixels.len() {
        n if n == area => Mode::Grey,
        n if n == area * 3 => Mode::Colour,
        _ => return Err(PagesError::Truncated),
    };
    Ok(Page {
        width,
        height,
        dpi: u32::from(info.x_density).max(1),
        mode,
        pixels: Arc::new(pixels),
    })
}

/// The `/Length N` of a dictionary, when given directly.
fn length(dict: &[u8]) -> Option<usize> {
    let at = find(dict, b"/Length")? + b"/Length".len();
    let digits: String = dict[at..]
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .take_while(|b| b.is_ascii_digit())
        .map(|b| *b as char)
        .collect();
    // `/Length 5 0 R` (an indirect length) is not what counters write.
    let rest = &dict[at..];
    let after = rest
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .skip_while(|b| b.is_ascii_digit())
        .skip_while(|b| b.is_ascii_whitespace())
        .take(3)
        .copied()
        .collect::<Vec<u8>>();
    if after.first().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    digits.parse().ok()
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_not_a_counters_pdf_is_refused_not_guessed() {
        assert_eq!(pages(b"").unwrap_err(), PagesError::NoImages);
        assert_eq!(
            pages(b"%PDF-1.7\n1 0 obj << >> endobj").unwrap_err(),
            PagesError::NoImages
        );
        // A length past the end of the file.
        let cut = b"%PDF-1.7\n1 0 obj << /Filter /DCTDecode /Length 900 >>\nstream\n\xff\xd8\xff";
        assert_eq!(pages(cut).unwrap_err(), PagesError::Truncated);
        // An indirect length.
        // (Bytes enough after it that reading 5 of them would be tried.)
        let indirect = b"<< /Length 5 0 R /Filter /DCTDecode >>\nstream\n\xff\xd8\xff\xe0\x00\x10JFIF";
        assert_eq!(pages(indirect).unwrap_err(), PagesError::Truncated);
        // A length that fits, bytes that are not a JPEG.
        let garbage = b"<< /Filter /DCTDecode /Length 4 >>\nstream\nabcd\nendstream";
        assert!(matches!(pages(garbage).unwrap_err(), PagesError::Decode(_)));
    }
}
