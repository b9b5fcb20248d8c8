//! Recordings and photos: their format told from their first bytes, their size checked.

use super::{Doc, Loader};
use crate::pack::raw::{self, Loc, S};
use crate::pack::*;

/// The largest recording a pack may carry (about ten minutes of speech as 96 kbit/s MP3).
pub const MAX_AUDIO_BYTES: usize = 8 * 1024 * 1024;

/// The MIME type of a recording, from its name and its first bytes: MP3 (`.mp3`, an ID3 tag or an MPEG
/// frame) or AAC in MP4 (`.m4a`, an `ftyp` box), the formats WebKitGTK, Chrome and Safari all play.
pub fn audio_mime(path: &str, bytes: &[u8]) -> Result<&'static str, String> {
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".mp3") {
        let frame = bytes.len() > 1 && bytes[0] == 0xFF && bytes[1] & 0xE0 == 0xE0;
        if bytes.starts_with(b"ID3") || frame {
            return Ok("audio/mpeg");
        }
        return Err("is not an MP3 file (no ID3 tag, no MPEG audio frame at its start)".into());
    }
    if lower.ends_with(".m4a") {
        if bytes.get(4..8) == Some(b"ftyp") {
            return Ok("audio/mp4");
        }
        return Err("is not an MP4 audio file (no ftyp box at its start)".into());
    }
    Err("is not MP3 (.mp3) or AAC in MP4 (.m4a), the formats that play in WebKitGTK, Chrome and Safari".into())
}

/// A photo's MIME type, width and height, from its name and its header (nothing is decoded): JPEG
/// (`.jpg`, `.jpeg`), PNG (`.png`) or WebP (`.webp`), the formats every browser shows.
pub fn photo_info(path: &str, bytes: &[u8]) -> Result<(&'static str, u32, u32), String> {
    use imagesize::ImageType;
    let lower = path.to_ascii_lowercase();
    let (mime, kind, name) = if lower.ends_with(".jpg") || lower.ends_with(".jpeg") {
        ("image/jpeg", ImageType::Jpeg, "JPEG")
    } else if lower.ends_with(".png") {
        ("image/png", ImageType::Png, "PNG")
    } else if lower.ends_with(".webp") {
        ("image/webp", ImageType::Webp, "WebP")
    } else {
        return Err("is not a JPEG (.jpg), PNG (.png) or WebP (.webp) picture, the formats every browser shows".into());
    };
    if imagesize::image_type(bytes).ok() != Some(kind) {
        return Err(format!("is not a {name} picture (its first bytes are not a {name} file's)"));
    }
    let size = imagesize::blob_size(bytes).map_err(|_| "is a damaged picture: its size cannot be read".to_owned())?;
    // The header may be whole while the rest is missing: a picture must end as its format ends.
    let whole = match kind {
        ImageType::Png => bytes.ends_with(b"IEND\xAE\x42\x60\x82"),
        ImageType::Jpeg => {
            bytes.len() > 4 && bytes[bytes.len().saturating_sub(64)..].windows(2).any(|w| w == [0xFF, 0xD9])
        }
        _ => bytes.get(4..8).is_some_and(|n| {
            let riff = u32::from_le_bytes([n[0], n[1], n[2], n[3]]) as usize + 8;
            riff == bytes.len() || riff + 1 == bytes.len()
        }),
    };
    if !whole {
        return Err("is cut short: the end of the picture is missing (copy the file again)".into());
    }
    let (w, h) = (size.width, size.height);
    if w == 0 || h == 0 || w > MAX_PHOTO_SIDE as usize || h > MAX_PHOTO_SIDE as usize {
        return Err(format!("is {w} × {h} pixels, at most {MAX_PHOTO_SIDE} a side: save it 1,200 pixels wide"));
    }
    Ok((mime, w as u32, h as u32))
}

impl Loader<'_> {
    /// A stop's recordings: each file present, named for its format, of that format, not too big.
    pub(super) fn audio(&mut self, doc: &Doc, value: Option<&Loc>, stop: &StopId, what: &str) -> Vec<Audio> {
        let Some(value) = value else { return Vec::new() };
        // A recording is optional per language: only the languages are checked, not that each has one.
        let line = doc.line(value.span());
        let mut out = Vec::new();
        for (lang, path) in value.get_ref().clone() {
            if !self.languages.contains(&lang) {
                self.problem(doc, line, format!("{what}'s audio is in \"{lang}\", which pack.toml does not list"));
                continue;
            }
            let path = path.trim().to_owned();
            self.used_files.insert(path.clone());
            let Some(bytes) = self.source.get(&path) else {
                self.problem(doc, line, format!("{what}'s audio in \"{lang}\": file {path} is missing"));
                continue;
            };
            if bytes.len() > MAX_AUDIO_BYTES {
                let size = bytes.len();
                self.problem(
                    doc,
                    line,
                    format!(
                        "{what}'s audio {path} is {size} bytes, at most {MAX_AUDIO_BYTES}: record it at 64 to 96 kbit/s"
                    ),
                );
                continue;
            }
            match audio_mime(&path, bytes) {
                Ok(mime) => {
                    self.media.insert(Pack::media_key(stop, &lang), bytes.to_vec());
                    out.push(Audio { lang, mime: mime.to_owned(), bytes: bytes.len() as u64 });
                }
                Err(reason) => self.problem(doc, line, format!("{what}'s audio {path} {reason}")),
            }
        }
        out
    }

    /// A stop's photo: the file present, a picture of the format its name says, not too big, described.
    pub(super) fn photo(
        &mut self,
        doc: &Doc,
        value: Option<&S<raw::RawPhoto>>,
        stop: &StopId,
        what: &str,
    ) -> Option<Photo> {
        let value = value?;
        let line = doc.line(value.span());
        let raw = value.get_ref();
        let alt = self.loc(doc, &raw.alt, &format!("{what}'s photo alt (what it shows)"));
        let credit = self.required(doc, &raw.credit, "photo credit");
        let path = raw.file.get_ref().trim().to_owned();
        self.used_files.insert(path.clone());
        let Some(bytes) = self.source.get(&path) else {
            self.problem(doc, line, format!("{what}'s photo: file {path} is missing"));
            return None;
        };
        if bytes.len() as u64 > MAX_PHOTO_BYTES {
            let size = bytes.len();
            self.problem(
                doc,
                line,
                format!("{what}'s photo {path} is {size} bytes, at most {MAX_PHOTO_BYTES}: save it 1,200 pixels wide"),
            );
            return None;
        }
        match photo_info(&path, bytes) {
            Ok((mime, width, height)) => {
                let bytes = bytes.to_vec();
                let size = bytes.len() as u64;
                self.media.insert(Pack::photo_key(stop), bytes);
                Some(Photo { mime: mime.to_owned(), width, height, bytes: size, alt, credit })
            }
            Err(reason) => {
                self.problem(doc, line, format!("{what}'s photo {path} {reason}"));
                None
            }
        }
    }
}
