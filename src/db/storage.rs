//! Whether the server can write: a full disk told apart from other failures (so users hear
//! "storage full", not "something went wrong"), free space, and a write probe of a directory.

use std::io;
use std::path::Path;

/// Below this much free space (the default of `--min-free-mb`) the server reports itself not
/// ready: SQLite needs room for its WAL and a checkpoint, uploads for a photo and its thumbnail.
pub const MIN_FREE_BYTES: u64 = 32 * 1024 * 1024;

/// A database error's text that means the disk or a quota is full (SQLite's SQLITE_FULL,
/// PostgreSQL's disk_full and its "could not extend file", the OS's ENOSPC).
pub fn is_full_message(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    [
        "database or disk is full",
        "no space left on device",
        "disk quota exceeded",
        "could not extend file",
    ]
    .iter()
    .any(|needle| m.contains(needle))
}

pub fn is_full_io(e: &io::Error) -> bool {
    // ENOSPC and EDQUOT on Linux.
    e.kind() == io::ErrorKind::StorageFull || matches!(e.raw_os_error(), Some(28 | 122))
}

/// Bytes an unprivileged writer may still use on the file system holding `path`.
pub fn free_bytes(path: &Path) -> io::Result<u64> {
    let st = rustix::fs::statvfs(path)?;
    Ok(st.f_bavail.saturating_mul(st.f_frsize))
}

/// Writes, syncs and removes a small file in `dir`: a read-only mount, a directory without
/// write permission or a full disk fails here, before the server says it is ready.
pub fn probe_dir(dir: &Path) -> io::Result<()> {
    use std::io::Write;
    let path = dir.join(format!(".write-probe-{:016x}", rand::random::<u64>()));
    let written = std::fs::File::create(&path).and_then(|mut f| {
        f.write_all(b"ok")?;
        f.sync_all()
    });
    let removed = std::fs::remove_file(&path);
    written?;
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_disk_messages_of_both_databases_are_recognised() {
        for m in [
            "database or disk is full",
            "could not extend file \"base/16384/16385\": No space left on device",
            "Disk quota exceeded",
        ] {
            assert!(is_full_message(m), "{m}");
        }
        for m in ["UNIQUE constraint failed", "database is locked", ""] {
            assert!(!is_full_message(m), "{m}");
        }
    }

    #[test]
    fn enospc_is_a_full_disk_and_permission_denied_is_not() {
        assert!(is_full_io(&io::Error::from_raw_os_error(28)));
        assert!(!is_full_io(&io::Error::from_raw_os_error(13)));
    }

    #[test]
    fn a_writable_directory_passes_the_probe_and_keeps_no_file() {
        let dir = std::env::temp_dir().join(format!("xiaoan-probe-{:016x}", rand::random::<u64>()));
        assert!(std::fs::create_dir(&dir).is_ok());
        assert!(probe_dir(&dir).is_ok());
        let left = std::fs::read_dir(&dir).map(|d| d.count()).unwrap_or(99);
        let _ = std::fs::remove_dir(&dir);
        assert_eq!(left, 0);
        assert!(probe_dir(&dir.join("missing")).is_err());
    }
}
