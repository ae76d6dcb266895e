//! State files: atomic writes (temporary file in the same folder, flush, fsync, rename, fsync of
//! the folder), no overwriting of keys and secrets without `--force`, secrets readable by their
//! owner only, and bounded reads.

use crate::CliError;
use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::path::Path;

/// The largest state file we read: the library's cap for a full revocation list (the proving
/// key is about 2.6 MB).
const MAX_FILE: u64 = 256 * 1024 * 1024;

/// Who may read a file we write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Access {
    /// A secret: the owner only (0600 on Unix).
    Secret,
    /// Public state (0644 on Unix).
    Public,
}

/// Reads a whole file, refusing anything larger than [`MAX_FILE`].
pub(crate) fn read(path: &Path) -> Result<Vec<u8>, CliError> {
    read_capped(path, MAX_FILE)
}

/// Reads a whole file of at most `max` bytes. The size the file system reports is refused
/// first, but it is only a hint: a file can grow after it was measured, and a pipe or a device
/// (`/dev/zero`) reports 0. So the read itself stops one byte past `max`, and a file that
/// reached it is refused: memory never exceeds `max + 1` bytes, whatever the path names.
fn read_capped(path: &Path, max: u64) -> Result<Vec<u8>, CliError> {
    let meta = fs::metadata(path).map_err(|e| CliError::io(path, &e))?;
    if meta.len() > max {
        return Err(CliError::Input(format!(
            "{}: {} bytes is more than any vouchsafe file ({max})",
            path.display(),
            meta.len()
        )));
    }
    let file = File::open(path).map_err(|e| CliError::io(path, &e))?;
    // the reported size (at most `max`) as a first allocation, as `fs::read` does
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| CliError::io(path, &e))?;
    if u64::try_from(bytes.len()).map_or(true, |n| n > max) {
        return Err(CliError::Input(format!(
            "{}: more than {max} bytes, more than any vouchsafe file",
            path.display()
        )));
    }
    Ok(bytes)
}

/// Reads a whole UTF-8 file.
pub(crate) fn read_text(path: &Path) -> Result<String, CliError> {
    String::from_utf8(read(path)?)
        .map_err(|_| CliError::Input(format!("{}: not UTF-8 text", path.display())))
}

/// Writes `bytes` to `path` atomically: a reader sees the old content or the new one, never a
/// mix, and a crash at any point leaves one of them. `overwrite` false refuses an existing file.
pub(crate) fn write_atomic(
    path: &Path,
    bytes: &[u8],
    access: Access,
    overwrite: bool,
) -> Result<(), CliError> {
    if !overwrite && path.exists() {
        return Err(CliError::Input(format!(
            "{} exists; pass --force to overwrite it",
            path.display()
        )));
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => Path::new(".").to_path_buf(),
    };
    let name = path
        .file_name()
        .ok_or_else(|| CliError::Input(format!("{}: not a file path", path.display())))?;
    let tmp = dir.join(format!(
        ".{}.tmp-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    let result = (|| -> std::io::Result<()> {
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(match access {
                Access::Secret => 0o600,
                Access::Public => 0o644,
            });
        }
        let mut f = options.open(&tmp)?;
        f.write_all(bytes)?;
        f.flush()?;
        f.sync_all()?;
        drop(f);
        fs::rename(&tmp, path)?;
        // the rename itself is durable once the folder is synced
        if let Ok(d) = File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(CliError::io(path, &e));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(r: Result<Vec<u8>, CliError>) -> String {
        match r {
            Err(CliError::Input(m)) => m,
            Err(CliError::Invalid(m)) => panic!("not an input error: {m}"),
            Ok(bytes) => panic!("read {} bytes", bytes.len()),
        }
    }

    #[test]
    fn reads_up_to_the_cap_and_refuses_beyond() {
        let dir = std::env::temp_dir().join(format!("vouchsafe-files-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("f");
        fs::write(&path, [7u8; 16]).unwrap();
        assert_eq!(read_capped(&path, 16).unwrap(), vec![7u8; 16]);
        let m = message(read_capped(&path, 15));
        assert!(
            m.contains("16 bytes is more than any vouchsafe file (15)"),
            "{m}"
        );
        fs::remove_dir_all(&dir).unwrap();
    }

    /// A device reports size 0: the read itself must stop at the cap.
    #[cfg(unix)]
    #[test]
    fn an_endless_file_is_refused_at_the_cap() {
        let m = message(read_capped(Path::new("/dev/zero"), 1024));
        assert!(m.contains("more than 1024 bytes"), "{m}");
    }
}
