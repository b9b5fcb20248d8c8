//! A picture handed to the app (a photo of codes): what is held to before any pixel is decoded, and the
//! size its codes are read at. The rules of every reader of pictures: the desktop app and the CLI
//! decode with the `image` crate ([`crate::handover::read_image`]); the web app lets the browser decode
//! (its wasm carries no image decoder) and reads the pixels ([`crate::handover::read_pixels`]).

/// The biggest photo read (a phone's 12-megapixel JPEG is 3 to 6 MB).
pub const MAX_PHOTO_BYTES: usize = 20 * 1024 * 1024;
/// A photo's longest side, in pixels (a 48-megapixel phone's is 8,000).
pub const MAX_PHOTO_SIDE: u32 = 10_000;
/// The memory decoding a photo may take.
pub const MAX_PHOTO_ALLOC: u64 = 512 * 1024 * 1024;
/// Codes are read on the picture scaled down to this longest side, in pixels: enough for a code that
/// fills a tenth of a photo, and a bounded amount of work for the QR reader.
pub const READ_SIDE: u32 = 2_000;

/// Why a picture is not read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("the picture cannot be read: {0}")]
pub struct PictureError(pub String);

impl PictureError {
    /// A picture no decoder could read (`why`, as the decoder says it).
    pub fn not_a_picture(why: impl std::fmt::Display) -> PictureError {
        PictureError(format!("not a picture ({why})"))
    }

    /// A picture bigger than [`MAX_PHOTO_SIDE`] a side, or than [`MAX_PHOTO_ALLOC`] once decoded.
    pub fn too_large() -> PictureError {
        PictureError(format!(
            "it is too large to read (more than {MAX_PHOTO_SIDE} pixels a side or {} MB once decoded)",
            MAX_PHOTO_ALLOC / 1_000_000
        ))
    }
}

/// A picture the interface cannot read, as the interface sees it.
impl From<PictureError> for crate::wire::AppError {
    fn from(e: PictureError) -> Self {
        crate::wire::AppError::new(crate::wire::ErrorCode::Unreadable, e.to_string())
    }
}

/// A picture's width and height from its header (PNG or JPEG), held to [`MAX_PHOTO_BYTES`] and
/// [`MAX_PHOTO_SIDE`] before any pixel is decoded: a small file claiming 60,000 × 60,000 pixels (a
/// decompression bomb) is refused, not decoded.
#[cfg(feature = "picture")]
pub fn check(bytes: &[u8]) -> Result<(u32, u32), PictureError> {
    use imagesize::ImageType;
    if bytes.len() > MAX_PHOTO_BYTES {
        return Err(PictureError(format!(
            "it is {} bytes, at most {MAX_PHOTO_BYTES}: send a smaller photo",
            bytes.len()
        )));
    }
    match imagesize::image_type(bytes) {
        Ok(ImageType::Png | ImageType::Jpeg) => {}
        Ok(other) => return Err(PictureError::not_a_picture(format!("{other:?}: only PNG and JPEG are read"))),
        Err(e) => return Err(PictureError::not_a_picture(e)),
    }
    let size = imagesize::blob_size(bytes).map_err(PictureError::not_a_picture)?;
    let (width, height) = (u32::try_from(size.width), u32::try_from(size.height));
    match (width, height) {
        (Ok(w), Ok(h)) if w > 0 && h > 0 && w <= MAX_PHOTO_SIDE && h <= MAX_PHOTO_SIDE => Ok((w, h)),
        (Ok(0), _) | (_, Ok(0)) => Err(PictureError::not_a_picture("it has no pixels")),
        _ => Err(PictureError::too_large()),
    }
}

/// The size a `width` × `height` picture is read at: scaled down to [`READ_SIDE`] on its longest side,
/// its proportions kept; a smaller one as it is.
pub fn reading_size(width: u32, height: u32) -> (u32, u32) {
    let longest = width.max(height);
    if longest <= READ_SIDE {
        return (width, height);
    }
    let f = f64::from(READ_SIDE) / f64::from(longest);
    let scaled = |side: u32| ((f64::from(side) * f) as u32).clamp(1, READ_SIDE);
    (scaled(width), scaled(height))
}
