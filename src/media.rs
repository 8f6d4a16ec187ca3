//! Photo evidence: validate uploads by content, normalise them to upright,
//! metadata-free JPEGs with a thumbnail, and name them by content hash.
//! Pure: no HTTP, no database.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits, RgbImage};
use sha2::{Digest, Sha256};

pub const MAX_UPLOAD_BYTES: usize = 10 * 1024 * 1024;
/// Decoding more than this is refused before any pixel buffer is allocated.
const MAX_PIXELS: u64 = 40_000_000;
/// What the decoded pixels may take: a 40-megapixel 8-bit RGB photo (120 MB) fits, a 16-bit
/// or RGBA image of that size does not — the budget is bytes, not pixels, because a 300 KB
/// 16-bit PNG can ask for half a gigabyte.
pub const MAX_DECODED_BYTES: u64 = 128 * 1024 * 1024;
/// Everything the decoder may allocate, including its own buffers.
const MAX_ALLOC: u64 = 192 * 1024 * 1024;
const MAX_SIDE: u32 = 2560;
const THUMB_SIDE: u32 = 320;
const QUALITY: u8 = 85;
const THUMB_QUALITY: u8 = 75;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    Jpeg,
    Png,
    Webp,
}

/// Recognises the format by content (magic bytes), never by file name or declared type.
pub fn sniff(bytes: &[u8]) -> Option<ImageKind> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(ImageKind::Jpeg)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(ImageKind::Png)
    } else if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(&b"WEBP"[..]) {
        Some(ImageKind::Webp)
    } else {
        None
    }
}

#[derive(Debug, Clone)]
pub struct Processed {
    pub jpeg: Vec<u8>,
    pub thumb: Vec<u8>,
    pub width: u32,
    pub height: u32,
    /// Lower-case hex SHA-256 of `jpeg`.
    pub sha256: String,
}

#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    #[error("file is too large")]
    TooLarge,
    #[error("file is not a JPEG, PNG or WebP image")]
    NotAnImage,
    #[error("image could not be decoded: {0}")]
    Undecodable(String),
    #[error("image has too many pixels")]
    TooManyPixels,
    #[error("image could not be encoded: {0}")]
    Encode(String),
    #[error("file is neither a PDF nor a JPEG, PNG or WebP image")]
    NotADocument,
    #[error("the PDF carries scripts, launch actions or embedded files")]
    ActivePdf,
}

fn decode_error(e: ImageError) -> MediaError {
    match e {
        ImageError::Limits(_) => MediaError::TooManyPixels,
        other => MediaError::Undecodable(other.to_string()),
    }
}

/// Checks size, sniffs, decodes with limits (max 40 megapixels and 128 MiB of pixels) to refuse
/// decompression bombs, applies the EXIF orientation so the photo stands upright, downsizes so
/// the longer side is at most 2560 px, and re-encodes as JPEG quality 85 — which drops every
/// metadata block (EXIF/GPS, XMP, ICC, comments). Alpha is flattened onto white. Also makes a
/// thumbnail (longer side at most 320 px, JPEG quality 75). Images are never enlarged.
pub fn process(bytes: &[u8]) -> Result<Processed, MediaError> {
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(MediaError::TooLarge);
    }
    let format = match sniff(bytes).ok_or(MediaError::NotAnImage)? {
        ImageKind::Jpeg => ImageFormat::Jpeg,
        ImageKind::Png => ImageFormat::Png,
        ImageKind::Webp => ImageFormat::WebP,
    };
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_ALLOC);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits.clone());
    // Only headers are read here; dimensions are checked before pixels are allocated.
    let mut decoder = reader.into_decoder().map_err(decode_error)?;
    let (w, h) = decoder.dimensions();
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(MediaError::TooManyPixels);
    }
    let need = decoder.total_bytes();
    if need > MAX_DECODED_BYTES {
        return Err(MediaError::TooManyPixels);
    }
    limits.reserve(need).map_err(decode_error)?;
    // Broken or odd EXIF must not cost the upload: fall back to "as stored".
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).map_err(decode_error)?;
    img.apply_orientation(orientation);

    let flat = flatten(img);
    let full = shrunk(&flat, MAX_SIDE).unwrap_or(flat);
    let jpeg = encode(&full, QUALITY)?;
    let small = shrunk(&full, THUMB_SIDE);
    let thumb = encode(small.as_ref().unwrap_or(&full), THUMB_QUALITY)?;
    Ok(Processed {
        sha256: hex::encode(Sha256::digest(&jpeg)),
        width: full.width(),
        height: full.height(),
        jpeg,
        thumb,
    })
}

/// A report file (an appraisal's, say) as it may be stored: a PDF kept as it is, after its
/// content is checked — a real PDF header and end marker, and none of the names that make it
/// act when opened (scripts, launch and submit actions, embedded files and media, XFA forms),
/// which no appraisal report needs. Names are compared whole, with `#xx` escapes decoded (so
/// `/J#53` is `/JS`, and a font called `/JSKQWE+SimSun` is not). Best effort: what hides in a
/// compressed object stream is not seen, which is why PDFs are only ever served as downloads.
/// Images go through [`process`] instead.
pub fn check_pdf(bytes: &[u8]) -> Result<(), MediaError> {
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(MediaError::TooLarge);
    }
    let header = bytes.starts_with(b"%PDF-1.") || bytes.starts_with(b"%PDF-2.");
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    if !header || !tail.windows(5).any(|w| w == b"%%EOF") {
        return Err(MediaError::NotADocument);
    }
    const ACTIVE: [&[u8]; 10] = [
        b"JavaScript",
        b"JS",
        b"Launch",
        b"SubmitForm",
        b"ImportData",
        b"EmbeddedFile",
        b"EmbeddedFiles",
        b"RichMedia",
        b"XFA",
        b"AA",
    ];
    if pdf_names(bytes).any(|n| ACTIVE.contains(&n.as_slice())) {
        return Err(MediaError::ActivePdf);
    }
    Ok(())
}

/// Every name token (`/Name`) of a PDF's bytes, `#xx` escapes decoded.
fn pdf_names(bytes: &[u8]) -> impl Iterator<Item = Vec<u8>> + '_ {
    let delimiter = |b: u8| b.is_ascii_whitespace() || b"()<>[]{}/%".contains(&b) || b == 0;
    bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'/')
        .map(move |(i, _)| {
            let raw: Vec<u8> = bytes[i + 1..]
                .iter()
                .copied()
                .take_while(|b| !delimiter(*b))
                .collect();
            let mut name = Vec::with_capacity(raw.len());
            let mut k = 0;
            while k < raw.len() {
                let hex = raw
                    .get(k + 1..k + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match (raw[k], hex) {
                    (b'#', Some(v)) => {
                        name.push(v);
                        k += 3;
                    }
                    (b, _) => {
                        name.push(b);
                        k += 1;
                    }
                }
            }
            name
        })
}

/// Whether these bytes are a PDF at all (by content), to choose how to check them.
pub fn is_pdf(bytes: &[u8]) -> bool {
    bytes.starts_with(b"%PDF-")
}

/// Relative storage path of a stored PDF with this sha256 hex: "ab/abcdef….pdf".
pub fn pdf_storage_path(sha256: &str) -> String {
    let folder = sha256.get(..2).unwrap_or("__");
    format!("{folder}/{sha256}.pdf")
}

/// Relative storage path for content with this sha256 hex: "ab/abcdef….jpg" (first two hex
/// chars as a folder); thumbnails "ab/abcdef…_t.jpg". Expects the hex produced by `process`.
pub fn storage_path(sha256: &str, thumb: bool) -> String {
    debug_assert!(
        sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_hexdigit()),
        "storage_path needs a sha256 hex digest"
    );
    let folder = sha256.get(..2).unwrap_or("__");
    let suffix = if thumb { "_t" } else { "" };
    format!("{folder}/{sha256}{suffix}.jpg")
}

/// JPEG has no alpha; composite onto white so transparent areas do not turn black.
fn flatten(img: DynamicImage) -> RgbImage {
    if !img.color().has_alpha() {
        return img.into_rgb8();
    }
    let rgba = img.into_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let p = rgba.get_pixel(x, y).0;
        let a = u32::from(p[3]);
        let mix = |c: u8| ((u32::from(c) * a + 255 * (255 - a) + 127) / 255) as u8;
        image::Rgb([mix(p[0]), mix(p[1]), mix(p[2])])
    })
}

/// The size with the longer side `max_side`, or None if already small enough.
fn fit(w: u32, h: u32, max_side: u32) -> Option<(u32, u32)> {
    let long = w.max(h);
    if long <= max_side {
        return None;
    }
    let scale = |side: u32| {
        let s = (u64::from(side) * u64::from(max_side) + u64::from(long) / 2) / u64::from(long);
        u32::try_from(s).unwrap_or(max_side).clamp(1, max_side)
    };
    Some((scale(w), scale(h)))
}

/// The thumbnail's size for a stored photo of this size, so pages can reserve its space.
pub fn thumb_size(w: u32, h: u32) -> (u32, u32) {
    fit(w, h, THUMB_SIDE).unwrap_or((w, h))
}

/// Downscaled copy with the longer side `max_side`, or None if already small enough.
fn shrunk(img: &RgbImage, max_side: u32) -> Option<RgbImage> {
    let (w, h) = img.dimensions();
    let (nw, nh) = fit(w, h, max_side)?;
    Some(image::imageops::thumbnail(img, nw, nh))
}

fn encode(img: &RgbImage, quality: u8) -> Result<Vec<u8>, MediaError> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(img)
        .map_err(|e| MediaError::Encode(e.to_string()))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{Rgb, Rgba, RgbaImage};

    fn encoded(img: DynamicImage, format: ImageFormat) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, format).expect("encode test image");
        out.into_inner()
    }

    fn photo(w: u32, h: u32) -> DynamicImage {
        DynamicImage::ImageRgb8(RgbImage::from_fn(w, h, |x, y| Rgb([x as u8, y as u8, 90])))
    }

    fn dims(jpeg: &[u8]) -> (u32, u32) {
        let img = image::load_from_memory_with_format(jpeg, ImageFormat::Jpeg);
        img.expect("output decodes").to_rgb8().dimensions()
    }

    /// A JPEG with an APP1 "Exif" segment spliced in right after SOI.
    fn jpeg_with_exif(img: DynamicImage, tiff: &[u8]) -> Vec<u8> {
        let plain = encoded(img, ImageFormat::Jpeg);
        let len = u16::try_from(tiff.len() + 8).unwrap().to_be_bytes();
        let app1 = [&[0xFF, 0xE1][..], &len, b"Exif\0\0", tiff].concat();
        [&plain[..2], &app1, &plain[2..]].concat()
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &b in data {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = (crc >> 1) ^ (0xEDB8_8320 & (crc & 1).wrapping_neg());
            }
        }
        !crc
    }

    /// A PNG whose header claims `w`x`h` RGB pixels but carries almost no data.
    fn png_claiming(w: u32, h: u32) -> Vec<u8> {
        png_claiming_depth(w, h, 8, 2)
    }

    /// The same with a bit depth and colour type of its own (6: RGBA).
    fn png_claiming_depth(w: u32, h: u32, depth: u8, colour: u8) -> Vec<u8> {
        let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
        let ihdr = [
            &w.to_be_bytes()[..],
            &h.to_be_bytes(),
            &[depth, colour, 0, 0, 0],
        ]
        .concat();
        let idat = [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01];
        for (kind, data) in [(b"IHDR", &ihdr[..]), (b"IDAT", &idat), (b"IEND", &[])] {
            let body = [&kind[..], data].concat();
            out.extend_from_slice(&u32::try_from(data.len()).unwrap().to_be_bytes());
            out.extend_from_slice(&body);
            out.extend_from_slice(&crc32(&body).to_be_bytes());
        }
        out
    }

    #[test]
    fn formats_are_recognised_by_content() {
        let cases = [
            (ImageFormat::Png, ImageKind::Png),
            (ImageFormat::Jpeg, ImageKind::Jpeg),
            (ImageFormat::WebP, ImageKind::Webp),
        ];
        for (format, kind) in cases {
            let bytes = encoded(photo(8, 8), format);
            assert_eq!(sniff(&bytes), Some(kind));
            assert_eq!(process(&bytes).expect("decodes").width, 8, "{kind:?}");
        }
    }

    #[test]
    fn non_images_are_refused_as_not_an_image() {
        let inputs: [&[u8]; 6] = [
            b"just some notes\n",
            b"<!DOCTYPE html><html><body>hi</body></html>",
            b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>",
            b"GIF89a\x01\x00\x01\x00\x80\x00\x00",
            b"RIFF\x10\x00\x00\x00WAVEfmt ",
        ];
        for input in inputs {
            assert_eq!(sniff(input), None);
            assert!(matches!(process(input), Err(MediaError::NotAnImage)));
            assert!(matches!(check_pdf(input), Err(MediaError::NotADocument)));
        }
    }

    #[test]
    fn a_sixteen_bit_image_under_the_pixel_cap_is_refused_by_its_decoded_bytes() {
        // 6000 x 6600 = 39.6 MP passes the pixel cap, but 16-bit RGBA needs 317 MB.
        let png = png_claiming_depth(6000, 6600, 16, 6);
        assert!(matches!(process(&png), Err(MediaError::TooManyPixels)));
        // The same size in 8-bit RGB (119 MB) is within the budget: refused only for its
        // missing pixel data, after the budget check.
        let png = png_claiming_depth(6000, 6600, 8, 2);
        assert!(matches!(process(&png), Err(MediaError::Undecodable(_))));
    }

    #[test]
    fn oversized_upload_is_too_large() {
        let mut big = vec![0u8; MAX_UPLOAD_BYTES + 1];
        big[..8].copy_from_slice(b"\x89PNG\r\n\x1a\n");
        assert!(matches!(process(&big), Err(MediaError::TooLarge)));
    }

    #[test]
    fn truncated_png_is_undecodable() {
        let png = encoded(photo(64, 64), ImageFormat::Png);
        let cut = &png[..png.len() / 2];
        assert!(matches!(process(cut), Err(MediaError::Undecodable(_))));
    }

    #[test]
    fn exif_and_gps_are_stripped() {
        // IFD0 holds a GPSInfo pointer to a stub "GPS IFD" that is mostly ASCII tag names.
        let mut tiff = b"II*\0\x08\0\0\0\x01\0\x25\x88\x04\0\x01\0\0\0\x1A\0\0\0\0\0\0\0".to_vec();
        tiff.extend_from_slice(b"GPSLatitude\0N\0\x1F\0\0\0\x01\0\0\0");
        let input = jpeg_with_exif(photo(32, 24), &tiff);
        let has = |hay: &[u8], n: &[u8]| hay.windows(n.len()).any(|w| w == n);
        assert!(has(&input, b"Exif") && has(&input, b"GPS"));
        let out = process(&input).expect("jpeg with exif processes");
        for bytes in [&out.jpeg, &out.thumb] {
            assert!(!has(bytes, b"Exif") && !has(bytes, b"GPS"));
        }
    }

    #[test]
    fn exif_orientation_is_applied() {
        // IFD0 with a single Orientation=6 entry: "rotate 90° clockwise to view".
        let tiff = b"II*\0\x08\0\0\0\x01\0\x12\x01\x03\0\x01\0\0\0\x06\0\0\0\0\0\0\0";
        let out = process(&jpeg_with_exif(photo(40, 20), tiff)).expect("processes");
        assert_eq!((out.width, out.height), (20, 40));
    }

    #[test]
    fn the_thumbnail_size_is_known_from_the_photo_size() {
        let p =
            process(&encoded(photo(1000, 600), ImageFormat::Png)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(dims(&p.thumb), thumb_size(p.width, p.height));
        assert_eq!(
            thumb_size(200, 100),
            (200, 100),
            "small photos are their own thumbnail"
        );
    }

    #[test]
    fn wide_image_is_downsized_to_2560_with_320_thumbnail() {
        let out = process(&encoded(photo(4000, 1000), ImageFormat::Png)).expect("processes");
        assert_eq!((out.width, out.height), (2560, 640));
        assert_eq!(dims(&out.jpeg), (2560, 640));
        assert_eq!(dims(&out.thumb), (320, 80));
    }

    #[test]
    fn transparent_png_becomes_jpeg_on_white() {
        let clear = DynamicImage::ImageRgba8(RgbaImage::from_pixel(16, 16, Rgba([0, 0, 0, 0])));
        let out = process(&encoded(clear, ImageFormat::Png)).expect("processes");
        assert!(out.jpeg.starts_with(&[0xFF, 0xD8, 0xFF]));
        assert!(out.thumb.starts_with(&[0xFF, 0xD8, 0xFF]));
        let back = image::load_from_memory(&out.jpeg).expect("decodes");
        let white = back.to_rgb8().get_pixel(8, 8).0.iter().all(|&c| c > 240);
        assert!(white, "not flattened onto white");
    }

    #[test]
    fn sha256_matches_output_bytes() {
        let out = process(&encoded(photo(10, 10), ImageFormat::Png)).expect("processes");
        assert_eq!(out.sha256, hex::encode(Sha256::digest(&out.jpeg)));
        assert_eq!(out.sha256.len(), 64);
    }

    #[test]
    fn storage_path_uses_first_two_hex_chars_as_folder() {
        let sha = format!("ab{}", "c".repeat(62));
        assert_eq!(storage_path(&sha, false), format!("ab/{sha}.jpg"));
        assert_eq!(storage_path(&sha, true), format!("ab/{sha}_t.jpg"));
    }

    #[test]
    fn decompression_bomb_is_refused_before_allocating() {
        // 900 MP is past the 512 MiB allocation limit; 48 MP fits it but not the pixel cap.
        for (w, h) in [(30_000, 30_000), (8_000, 6_000)] {
            let r = process(&png_claiming(w, h));
            assert!(
                matches!(r, Err(MediaError::TooManyPixels)),
                "{w}x{h}: {r:?}"
            );
        }
    }

    fn pdf(body: &str) -> Vec<u8> {
        format!("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n{body}\ntrailer << /Root 1 0 R >>\n%%EOF\n").into_bytes()
    }

    #[test]
    fn a_plain_pdf_is_kept_and_an_active_or_truncated_one_refused() {
        assert!(check_pdf(&pdf("")).is_ok());
        assert!(is_pdf(&pdf("")));
        for active in [
            "/OpenAction << /S /JavaScript /JS (app.alert(1)) >>",
            "/Launch",
            "/EmbeddedFiles",
        ] {
            assert!(
                matches!(check_pdf(&pdf(active)), Err(MediaError::ActivePdf)),
                "{active}"
            );
        }
        // Whole names only: a subset font whose tag starts like a script name is fine.
        assert!(check_pdf(&pdf("/BaseFont /JSKQWE+SimSun /Font /JSON")).is_ok());
        let mut cut = pdf("");
        cut.truncate(cut.len() - 8);
        assert!(
            matches!(check_pdf(&cut), Err(MediaError::NotADocument)),
            "no end marker"
        );
        assert!(matches!(
            check_pdf(b"%PDX-1.4 %%EOF"),
            Err(MediaError::NotADocument)
        ));
        let mut big = pdf("");
        big.resize(MAX_UPLOAD_BYTES + 1, b' ');
        assert!(matches!(check_pdf(&big), Err(MediaError::TooLarge)));
        assert_eq!(
            pdf_storage_path(&"ab".repeat(32)),
            format!("ab/{}.pdf", "ab".repeat(32))
        );
    }
}
