//! Handing worksheets over with no network at all: a compact payload shown as one or more QR codes on
//! one phone and read back from a photo on another.
//!
//! The payload is the worksheets as short-keyed JSON, deflated, in Base45 (RFC 9285) so that it fits the
//! QR *alphanumeric* mode (5.5 bits a character), cut into parts of at most [`PART_CHARS`] characters.
//! Each code reads `PCR1:<i>/<n>:<CRC>:<data>`: part `i` of `n` (from 1), and the CRC-32 of the whole
//! deflated payload, which names the set (parts of two different sets are never mixed) and proves it
//! arrived whole. Codes can be read in any order; a code read twice is harmless.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

#[cfg(feature = "qr-read")]
use crate::picture;
use crate::picture::PictureError;
use crate::worksheet::WorksheetDoc;

/// The first field of every code; the digit is the payload's version.
pub const PREFIX: &str = "PCR1";
/// Base45 characters per code: with its header, at error-correction level M, a version-16 code (81 × 81
/// modules), about 4 px a module across a 360 px phone screen, which a phone camera reads at arm's length.
pub const PART_CHARS: usize = 600;
/// A handover never inflates to more than this (a group's worksheets are a few kilobytes).
pub const MAX_INFLATED: usize = 1024 * 1024;
/// At most this many codes in one set.
pub const MAX_PARTS: usize = 99;

#[derive(Serialize, Deserialize)]
struct Payload {
    /// Device that made it, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    d: Option<String>,
    w: Vec<Sheet>,
}

#[derive(Serialize, Deserialize)]
struct Sheet {
    i: String,
    p: String,
    k: String,
    f: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    r: Option<String>,
    c: NaiveDateTime,
    u: NaiveDateTime,
}

/// The worksheets read from a complete set of codes.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Handover {
    pub device: Option<String>,
    pub worksheets: Vec<WorksheetDoc>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum HandoverError {
    #[error("this code is not a Parcours worksheet code")]
    NotParcours,
    #[error("this code was made by a newer Parcours ({found}): update Parcours")]
    TooNew { found: String },
    #[error("this code is damaged ({0})")]
    Malformed(&'static str),
    #[error("this code belongs to another set of codes (started with {expected:08X}, this one is {found:08X})")]
    OtherSet { expected: u32, found: u32 },
    #[error("codes missing: {missing:?} of {total}")]
    Incomplete { missing: Vec<usize>, total: usize },
    #[error("the codes do not fit together (checksum differs): read them again")]
    Checksum,
    #[error("the content cannot be read: {0}")]
    Content(String),
    #[error(transparent)]
    Picture(#[from] PictureError),
    #[error("too many worksheets for QR codes ({parts} codes; at most {max}): save them as a file instead")]
    TooLong { parts: usize, max: usize },
}

/// A hand-over error as the interface sees it.
impl From<HandoverError> for crate::wire::AppError {
    fn from(e: HandoverError) -> Self {
        use crate::wire::ErrorCode;
        let code = match e {
            HandoverError::NotParcours => ErrorCode::NotParcours,
            HandoverError::TooNew { .. } => ErrorCode::TooNew,
            HandoverError::TooLong { .. } => ErrorCode::TooLong,
            HandoverError::Content(_) | HandoverError::Picture(_) => ErrorCode::Unreadable,
            _ => ErrorCode::DamagedCode,
        };
        crate::wire::AppError::new(code, e.to_string())
    }
}

/// The codes' texts for these worksheets, in order.
pub fn encode(worksheets: &[WorksheetDoc], device: Option<&str>) -> Result<Vec<String>, HandoverError> {
    let payload = Payload {
        d: device.map(str::to_owned),
        w: worksheets
            .iter()
            .map(|w| Sheet {
                i: w.id.clone(),
                p: w.pack.clone(),
                k: w.workshop.clone(),
                f: w.fields.clone(),
                r: w.rating.clone(),
                c: w.created_at,
                u: w.updated_at,
            })
            .collect(),
    };
    let json = serde_json::to_vec(&payload).map_err(|e| HandoverError::Content(e.to_string()))?;
    let packed = miniz_oxide::deflate::compress_to_vec(&json, 10);
    let crc = crc32(&packed);
    let text = base45_encode(&packed);
    let chunks: Vec<&str> = text.as_bytes().chunks(PART_CHARS).map(|c| std::str::from_utf8(c).unwrap_or("")).collect();
    let n = chunks.len().max(1);
    if n > MAX_PARTS {
        return Err(HandoverError::TooLong { parts: n, max: MAX_PARTS });
    }
    if chunks.is_empty() {
        return Ok(vec![format!("{PREFIX}:1/1:{crc:08X}:")]);
    }
    Ok(chunks.iter().enumerate().map(|(i, c)| format!("{PREFIX}:{}/{n}:{crc:08X}:{c}", i + 1)).collect())
}

/// Collects the codes of one set as they are read, in any order.
#[derive(Default, Debug, Clone)]
pub struct Assembler {
    set: Option<(u32, usize)>,
    parts: BTreeMap<usize, String>,
}

/// How far the reading is.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Progress {
    pub have: usize,
    pub total: usize,
}

impl Assembler {
    pub fn new() -> Assembler {
        Assembler::default()
    }

    /// Adds one code's text. A code of another set is refused (start a new assembler for it).
    pub fn add(&mut self, code: &str) -> Result<Progress, HandoverError> {
        let code = code.trim_matches(|c: char| c == '\n' || c == '\r' || c == '\0');
        let mut fields = code.splitn(4, ':');
        let prefix = fields.next().unwrap_or_default();
        if prefix != PREFIX {
            return Err(match prefix.strip_prefix("PCR") {
                Some(v) if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) => {
                    HandoverError::TooNew { found: prefix.to_owned() }
                }
                _ => HandoverError::NotParcours,
            });
        }
        let (Some(pos), Some(crc), Some(data)) = (fields.next(), fields.next(), fields.next()) else {
            return Err(HandoverError::Malformed("fields missing"));
        };
        let (i, n) = pos.split_once('/').ok_or(HandoverError::Malformed("no part number"))?;
        let (i, n): (usize, usize) = match (i.parse(), n.parse()) {
            (Ok(i), Ok(n)) if i >= 1 && i <= n && n <= MAX_PARTS => (i, n),
            _ => return Err(HandoverError::Malformed("bad part number")),
        };
        let crc = u32::from_str_radix(crc, 16).map_err(|_| HandoverError::Malformed("bad checksum"))?;
        if !data.bytes().all(|b| BASE45.contains(&b)) {
            return Err(HandoverError::Malformed("not Base45"));
        }
        match self.set {
            Some((expected, _)) if expected != crc => return Err(HandoverError::OtherSet { expected, found: crc }),
            Some((_, total)) if total != n => return Err(HandoverError::Malformed("part count differs")),
            _ => self.set = Some((crc, n)),
        }
        self.parts.insert(i, data.to_owned());
        Ok(self.progress())
    }

    pub fn progress(&self) -> Progress {
        Progress { have: self.parts.len(), total: self.set.map_or(0, |s| s.1) }
    }

    /// The worksheets, once every part is in.
    pub fn finish(&self) -> Result<Handover, HandoverError> {
        let Some((crc, total)) = self.set else {
            return Err(HandoverError::Incomplete { missing: vec![1], total: 1 });
        };
        let missing: Vec<usize> = (1..=total).filter(|i| !self.parts.contains_key(i)).collect();
        if !missing.is_empty() {
            return Err(HandoverError::Incomplete { missing, total });
        }
        let text: String = self.parts.values().map(String::as_str).collect();
        let packed = base45_decode(&text).ok_or(HandoverError::Malformed("not Base45"))?;
        if crc32(&packed) != crc {
            return Err(HandoverError::Checksum);
        }
        let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_INFLATED)
            .map_err(|e| HandoverError::Content(format!("{e:?}")))?;
        let payload: Payload = serde_json::from_slice(&json).map_err(|e| HandoverError::Content(e.to_string()))?;
        let mut seen = BTreeSet::new();
        let worksheets = payload
            .w
            .into_iter()
            .filter(|s| seen.insert(s.i.clone()))
            .map(|s| WorksheetDoc {
                id: s.i,
                pack: s.p,
                workshop: s.k,
                fields: s.f,
                rating: s.r,
                created_at: s.c,
                updated_at: s.u,
            })
            .collect();
        Ok(Handover { device: payload.d, worksheets })
    }
}

/// Decodes a complete set of codes at once (any order).
pub fn decode<S: AsRef<str>>(codes: &[S]) -> Result<Handover, HandoverError> {
    let mut a = Assembler::new();
    for c in codes {
        a.add(c.as_ref())?;
    }
    a.finish()
}

/// One code as an SVG picture (black on white, with its quiet zone), sized by its `viewBox`.
pub fn svg(code: &str) -> Result<String, HandoverError> {
    let qr = qrcode::QrCode::with_error_correction_level(code.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| HandoverError::Content(e.to_string()))?;
    Ok(qr
        .render::<qrcode::render::svg::Color<'_>>()
        .quiet_zone(true)
        .module_dimensions(4, 4)
        .dark_color(qrcode::render::svg::Color("#000000"))
        .light_color(qrcode::render::svg::Color("#ffffff"))
        .build())
}

/// The modules of one code (true = dark) and its width, for drawing it elsewhere (tests, print).
pub fn modules(code: &str) -> Result<(usize, Vec<bool>), HandoverError> {
    let qr = qrcode::QrCode::with_error_correction_level(code.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| HandoverError::Content(e.to_string()))?;
    let colors = qr.to_colors();
    Ok((qr.width(), colors.into_iter().map(|c| c == qrcode::Color::Dark).collect()))
}

/// The Parcours codes visible in a photo or screenshot (PNG or JPEG), decoded here (the `image`
/// crate): the desktop app and the CLI. Held to [`picture::check`] first, read at
/// [`picture::reading_size`]. (The web app lets the browser decode, then [`read_pixels`].)
#[cfg(feature = "photo")]
pub fn read_image(bytes: &[u8]) -> Result<Vec<String>, HandoverError> {
    picture::check(bytes)?;
    let mut reader = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(PictureError::not_a_picture)?;
    // The header's size was checked; the decoder is held to the same limits all the same.
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(picture::MAX_PHOTO_SIDE);
    limits.max_image_height = Some(picture::MAX_PHOTO_SIDE);
    limits.max_alloc = Some(picture::MAX_PHOTO_ALLOC);
    reader.limits(limits);
    let img = reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => PictureError::too_large(),
        e => PictureError::not_a_picture(e),
    })?;
    let mut grey = img.to_luma8();
    let (w, h) = picture::reading_size(grey.width(), grey.height());
    if (w, h) != grey.dimensions() {
        grey = image::imageops::resize(&grey, w, h, image::imageops::FilterType::Triangle);
    }
    read_grey(w as usize, h as usize, grey.into_raw())
}

/// The Parcours codes in a picture's pixels as a browser decodes them: `width` × `height`, four bytes a
/// pixel (red, green, blue, alpha), row after row, already at [`picture::reading_size`].
#[cfg(feature = "qr-read")]
pub fn read_pixels(width: u32, height: u32, rgba: &[u8]) -> Result<Vec<String>, HandoverError> {
    let (w, h) = (width as usize, height as usize);
    let fits = width > 0 && height > 0 && width.max(height) <= picture::READ_SIDE;
    if !fits || w.checked_mul(h).and_then(|n| n.checked_mul(4)) != Some(rgba.len()) {
        return Err(PictureError(format!(
            "{} bytes are not {width} × {height} pixels of at most {} a side",
            rgba.len(),
            picture::READ_SIDE
        ))
        .into());
    }
    read_grey(w, h, rgba.chunks_exact(4).map(|p| luma(p[0], p[1], p[2])).collect())
}

/// A colour's grey (Rec. 709 luma, as the `image` crate makes a picture grey).
#[cfg(feature = "qr-read")]
fn luma(r: u8, g: u8, b: u8) -> u8 {
    ((u32::from(r) * 2126 + u32::from(g) * 7152 + u32::from(b) * 722) / 10_000) as u8
}

/// The Parcours codes in a `w` × `h` grey picture (`grey`, one byte a pixel, row after row); codes
/// that are not Parcours codes are left out, each code once.
#[cfg(feature = "qr-read")]
fn read_grey(w: usize, h: usize, mut grey: Vec<u8>) -> Result<Vec<String>, HandoverError> {
    // The QR reader has panicking paths on odd pictures: a panic there is a picture not read, never the
    // app gone (where panics unwind; the web app's picture reader aborts, in a worker of its own).
    std::panic::catch_unwind(move || {
        black_and_white(&mut grey, w);
        let mut reader = quircs::Quirc::default();
        let mut found = Vec::new();
        for code in reader.identify(w, h, &grey).flatten() {
            if let Ok(data) = code.decode()
                && let Ok(content) = String::from_utf8(data.payload)
                && content.starts_with("PCR")
                && !found.contains(&content)
            {
                found.push(content);
            }
        }
        found
    })
    .map_err(|_| PictureError("it could not be read as QR codes".into()).into())
}

/// Each pixel of `grey` (`w` a row) made black or white by the light around it: darker than 95 % of
/// the average over an eighth of the picture's width to its left and to its right (running averages
/// carried from row to row). A photo of a sheet lit from one side has its dark corner lighter than the
/// code's dark modules on the other side: no single grey splits them, as the QR reader's own threshold
/// (one for the whole picture) would. This is quirc's adaptive threshold, the reader quircs ports.
#[cfg(feature = "qr-read")]
fn black_and_white(grey: &mut [u8], w: usize) {
    let s = (w / 8).max(1);
    let mut averages = vec![0usize; w];
    let (mut forward, mut backward) = (0usize, 0usize);
    for (y, row) in grey.chunks_exact_mut(w).enumerate() {
        averages.fill(0);
        for x in 0..w {
            // Rows one way then the other, so that the averages carried over start beside the row's end.
            let (b, f) = if y % 2 == 0 { (w - 1 - x, x) } else { (x, w - 1 - x) };
            backward = backward * (s - 1) / s + usize::from(row[b]);
            forward = forward * (s - 1) / s + usize::from(row[f]);
            averages[b] += backward;
            averages[f] += forward;
        }
        for (pixel, average) in row.iter_mut().zip(&averages) {
            *pixel = if usize::from(*pixel) * 200 * s < average * 95 { 0 } else { 255 };
        }
    }
}

/// Base45's alphabet (RFC 9285), to refuse a damaged part as soon as it is read.
const BASE45: &[u8; 45] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/// Base45 (RFC 9285): the alphabet of a QR code's alphanumeric mode.
fn base45_encode(bytes: &[u8]) -> String {
    base45::encode(bytes)
}

fn base45_decode(text: &str) -> Option<Vec<u8>> {
    base45::decode(text).ok()
}

/// CRC-32 (IEEE 802.3) of the packed set: the set's identity and its check.
fn crc32(bytes: &[u8]) -> u32 {
    crc32fast::hash(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base45_matches_the_rfc_examples() {
        assert_eq!(base45_encode(b"AB"), "BB8");
        assert_eq!(base45_encode(b"Hello!!"), "%69 VD92EX0");
        assert_eq!(base45_encode(b"base-45"), "UJCLQE7W581");
        assert_eq!(base45_decode("QED8WEX0").as_deref(), Some(&b"ietf!"[..]));
        assert_eq!(base45_decode("GGW"), None, "65535 < GGW = 65536 + …");
        assert_eq!(base45_decode("A"), None);
    }

    #[test]
    fn crc32_of_the_check_string() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }
}
