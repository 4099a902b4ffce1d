"""Finding input files and reading them safely: regular files only, within a size limit,
symbolic links out of an input directory reported rather than followed."""

from __future__ import annotations

import os
import stat
from pathlib import Path


class UnreadableFile(Exception):
    """A file that is not read as an article; the message says why."""


# What a path that is not a regular file is, to name it in the reason.
_FILE_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a directory"),
)


def not_regular(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    kind = next((name for test, name in _FILE_KINDS if test(mode)), "not a regular file")
    return f"{kind}, not a regular file: only regular files are read"


def read_bounded(path: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most `max_bytes`; raises UnreadableFile otherwise.

    A FIFO, device or socket is refused before it is opened for reading (opening a FIFO would
    wait for a writer), and the read itself stops after `max_bytes` + 1 bytes, so a file that
    grows, or lies about its size, cannot make the read unbounded.
    """
    try:
        problem = not_regular(os.stat(path).st_mode)
        if problem:
            raise UnreadableFile(problem)
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(descriptor, "rb") as handle:
            problem = not_regular(os.fstat(handle.fileno()).st_mode)  # swapped since stat
            if problem:
                raise UnreadableFile(problem)
            data = handle.read(max_bytes + 1)
    except OSError as error:
        raise UnreadableFile(f"unreadable: {error}") from None
    if len(data) > max_bytes:
        size = max(len(data), _size_or_zero(path))
        raise UnreadableFile(
            f"file is {size:,} bytes or more, over the limit of {max_bytes:,} (--max-file-bytes)"
        )
    return data


def _size_or_zero(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _outside(path: Path, root: Path) -> str | None:
    """Why a symbolic link under `root` is not followed (it leads outside), or None."""
    if not path.is_symlink():
        return None
    target = path.resolve()
    if target.is_relative_to(root):
        return None
    return (
        f"symbolic link to {target}, outside the input directory {root}: not followed "
        "(--follow-symlinks follows it)"
    )


def discover_files(
    paths: list[Path], follow_symlinks: bool = False
) -> list[tuple[Path, str | None]]:
    """(file, why it is not read or None) for every input, in a stable order.

    Directories are walked recursively, hidden files and directories skipped. A symbolic link
    that leads outside its input directory is reported, not followed, unless `follow_symlinks`;
    a path given by hand is read wherever it leads.
    """
    found: list[tuple[Path, str | None]] = []
    for path in paths:
        if not path.is_dir():
            found.append((path, None))
            continue
        root = path.resolve()
        walked: list[tuple[Path, str | None]] = []
        for directory, dirs, files in os.walk(path, followlinks=follow_symlinks):
            here = Path(directory)
            dirs[:] = [d for d in sorted(dirs) if not d.startswith(".")]
            if not follow_symlinks:
                # os.walk does not enter linked directories: one leading outside is reported.
                walked.extend(
                    (here / d, _outside(here / d, root))
                    for d in dirs
                    if _outside(here / d, root) is not None
                )
            for name in files:
                if not name.startswith("."):
                    file = here / name
                    walked.append((file, None if follow_symlinks else _outside(file, root)))
        found.extend(sorted(walked))
    return found
