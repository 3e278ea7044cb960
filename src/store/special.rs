//! Refusing special files (named pipes, devices, sockets) before they are opened: opening a
//! named pipe blocks until something writes to it, and a device such as `/dev/zero` never ends.
//! Every reader of a path someone gave (a project, an article, an annotated corpus) checks it
//! with [`regular_file`] or [`file_or_folder`] first. Links are followed: a link to a regular file
//! is a regular file.

use std::fs::{self, FileType, Metadata};
use std::io;
use std::path::Path;

/// The metadata of `path` (following links) when it is a regular file; otherwise an error that
/// says what it is ("a named pipe (FIFO), not a regular file"), without opening it.
pub fn regular_file(path: &Path) -> io::Result<Metadata> {
    let meta = fs::metadata(path)?;
    if meta.is_file() { Ok(meta) } else { Err(refusal(meta.file_type(), "a regular file")) }
}

/// The metadata of `path` (following links) when it is a regular file or a folder; otherwise an
/// error that says what it is, without opening it.
pub fn file_or_folder(path: &Path) -> io::Result<Metadata> {
    let meta = fs::metadata(path)?;
    if meta.is_file() || meta.is_dir() { Ok(meta) } else { Err(refusal(meta.file_type(), "a file or a folder")) }
}

/// True when `file_type` is a named pipe, a device or a socket: neither a regular file, nor a
/// folder, nor a link.
pub fn is_special(file_type: FileType) -> bool {
    !(file_type.is_file() || file_type.is_dir() || file_type.is_symlink())
}

/// What a file system object is, for messages: "a named pipe (FIFO)", "a character device"...
pub fn kind_name(file_type: FileType) -> &'static str {
    if file_type.is_file() {
        return "a regular file";
    }
    if file_type.is_dir() {
        return "a folder";
    }
    if file_type.is_symlink() {
        return "a symbolic link";
    }
    special_kind_name(file_type)
}

#[cfg(unix)]
fn special_kind_name(file_type: FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt as _;
    if file_type.is_fifo() {
        "a named pipe (FIFO)"
    } else if file_type.is_char_device() {
        "a character device"
    } else if file_type.is_block_device() {
        "a block device"
    } else if file_type.is_socket() {
        "a socket"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn special_kind_name(_: FileType) -> &'static str {
    "a special file"
}

/// "a named pipe (FIFO), not a regular file".
fn refusal(file_type: FileType, wanted: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, format!("{}, not {wanted}", kind_name(file_type)))
}

/// A named pipe made at `path`, for the tests of every reader that must refuse one.
#[cfg(all(test, unix))]
pub(crate) fn make_fifo(path: &Path) {
    let made = std::process::Command::new("mkfifo").arg(path).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo {}", path.display());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_files_and_folders_pass_and_the_rest_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.txt");
        fs::write(&file, "text").unwrap();
        assert!(regular_file(&file).unwrap().is_file());
        assert!(file_or_folder(&file).is_ok());
        assert!(file_or_folder(dir.path()).unwrap().is_dir());
        let err = regular_file(dir.path()).unwrap_err();
        assert_eq!(err.to_string(), "a folder, not a regular file");
        assert_eq!(regular_file(&dir.path().join("missing")).unwrap_err().kind(), io::ErrorKind::NotFound);
    }

    #[cfg(unix)]
    #[test]
    fn devices_are_refused_without_being_opened() {
        // Following a link: /dev/null is a character device.
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("null");
        std::os::unix::fs::symlink("/dev/null", &link).unwrap();
        assert_eq!(regular_file(&link).unwrap_err().to_string(), "a character device, not a regular file");
        assert_eq!(file_or_folder(&link).unwrap_err().to_string(), "a character device, not a file or a folder");
        assert!(is_special(fs::metadata(&link).unwrap().file_type()));
        assert!(!is_special(fs::symlink_metadata(&link).unwrap().file_type()));
    }
}
