//! Uploaded files under the data dir, stored by content hash (never by the client's name),
//! outside any web root; served only through authorised handlers.

use std::io;
use std::path::{Path, PathBuf};

use sha2::Digest;

use crate::media::{self, MediaError};

/// A processed file written to disk, as its attachment row describes it.
#[derive(Clone, Debug)]
pub struct Saved {
    pub sha256: String,
    pub content_type: &'static str,
    pub file_name: String,
    pub bytes: i32,
    pub width: Option<i32>,
    pub height: Option<i32>,
}

fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if path.exists() {
        // Same hash, same content. Marked as used now, so a sweep of unused files spares it.
        std::fs::File::options()
            .append(true)
            .open(path)?
            .set_modified(std::time::SystemTime::now())?;
        return Ok(());
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    // A random name: two uploads of the same photo at once, or instances sharing a volume,
    // never write the same temporary file.
    let tmp = path.with_extension(format!("{TEMP_MARK}{}", crate::auth::token::random_token()));
    let written = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() {
        // A full disk leaves a partial file: it must not stay for ever.
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// What marks a file being written (`<hash>.tmp-<random>`).
const TEMP_MARK: &str = "tmp-";

/// Removes temporary files older than `older_than` under the uploads (two levels: the hash
/// folders). At start-up every one is stale; later sweeps spare those an upload is writing.
pub fn remove_stale_temporaries(dir: &Path, older_than: std::time::Duration) -> io::Result<usize> {
    let Ok(folders) = std::fs::read_dir(dir) else {
        return Ok(0);
    };
    let now = std::time::SystemTime::now();
    let mut removed = 0;
    for folder in folders.flatten() {
        let Ok(files) = std::fs::read_dir(folder.path()) else {
            continue;
        };
        for file in files.flatten() {
            let name = file.file_name();
            let is_temp = name
                .to_str()
                .and_then(|n| n.rsplit_once('.'))
                .is_some_and(|(_, ext)| ext.starts_with(TEMP_MARK));
            let old = file
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| now.duration_since(t).unwrap_or_default() >= older_than);
            if is_temp && old {
                std::fs::remove_file(file.path())?;
                removed += 1;
            }
        }
    }
    Ok(removed)
}

/// Checks and re-encodes a photo (dropping its metadata), then stores it and its thumbnail.
/// The outer error is the server's (disk); the inner one is the upload's fault.
pub fn save_photo(dir: &Path, bytes: &[u8]) -> io::Result<Result<Saved, MediaError>> {
    let p = match media::process(bytes) {
        Ok(p) => p,
        Err(e) => return Ok(Err(e)),
    };
    write_atomically(&dir.join(media::storage_path(&p.sha256, false)), &p.jpeg)?;
    write_atomically(&dir.join(media::storage_path(&p.sha256, true)), &p.thumb)?;
    Ok(Ok(Saved {
        sha256: p.sha256,
        content_type: "image/jpeg",
        file_name: "photo.jpg".into(),
        bytes: i32::try_from(p.jpeg.len()).unwrap_or(i32::MAX),
        width: i32::try_from(p.width).ok(),
        height: i32::try_from(p.height).ok(),
    }))
}

/// Checks and stores a report file: a PDF kept as it is (after `media::check_pdf`), or an image
/// re-encoded like a photo. The outer error is the server's (disk); the inner one the upload's.
pub fn save_document(dir: &Path, bytes: &[u8]) -> io::Result<Result<Saved, MediaError>> {
    if !media::is_pdf(bytes) {
        return Ok(match save_photo(dir, bytes)? {
            Err(MediaError::NotAnImage) => Err(MediaError::NotADocument),
            other => other,
        });
    }
    if let Err(e) = media::check_pdf(bytes) {
        return Ok(Err(e));
    }
    let sha256 = hex::encode(sha2::Sha256::digest(bytes));
    write_atomically(&dir.join(media::pdf_storage_path(&sha256)), bytes)?;
    Ok(Ok(Saved {
        sha256,
        content_type: PDF,
        file_name: "report.pdf".into(),
        bytes: i32::try_from(bytes.len()).unwrap_or(i32::MAX),
        width: None,
        height: None,
    }))
}

/// The content type stored PDFs are served as.
pub const PDF: &str = "application/pdf";

/// Where a stored file lives: a PDF by its hash, a photo (or its thumbnail) likewise.
pub fn stored_path(dir: &Path, sha256: &str, content_type: &str, thumb: bool) -> PathBuf {
    if content_type == PDF {
        dir.join(media::pdf_storage_path(sha256))
    } else {
        photo_path(dir, sha256, thumb)
    }
}

/// Where a stored photo (or its thumbnail) lives. `sha256` comes from our own table.
pub fn photo_path(dir: &Path, sha256: &str, thumb: bool) -> PathBuf {
    dir.join(media::storage_path(sha256, thumb))
}

/// Removes a stored photo and its thumbnail that no record uses any more, unless they were
/// written or reused since `unused_since` (an upload of the same picture may be on its way).
/// Returns how many files went.
pub fn remove_unused(
    dir: &Path,
    sha256: &str,
    unused_since: std::time::SystemTime,
) -> io::Result<usize> {
    let mut removed = 0;
    let paths = [
        photo_path(dir, sha256, false),
        photo_path(dir, sha256, true),
        dir.join(media::pdf_storage_path(sha256)),
    ];
    for path in paths {
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        if meta.modified()? < unused_since {
            std::fs::remove_file(&path)?;
            removed += 1;
        }
    }
    Ok(removed)
}
