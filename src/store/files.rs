//! Uploaded files under the data dir, stored by content hash (never by the client's name),
//! outside any web root; served only through authorised handlers.

use std::io;
use std::path::{Path, PathBuf};

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
    let tmp = path.with_extension(format!("tmp-{}", crate::auth::token::random_token()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
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
    for thumb in [false, true] {
        let path = photo_path(dir, sha256, thumb);
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
