"""Stage 5, write: put rendered bytes on disk atomically, as a set.

Every file is first written in full to a temporary file in its own folder and flushed to the
disk; only when all of them are there is each moved over its old version with `os.replace`.
So a reader sees the old whole file or the new whole file, never a part; and a build that
fails while writing (a full disk, a folder that is not writable) leaves every previous output
as it was, and no temporary file behind.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from argmap.errors import WriteError


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` in one step; `WriteError` (old file intact) if that fails."""
    write_all(path.parent, {path.name: data})


def write_all(
    folder: Path,
    files: Mapping[str, bytes],
    *,
    inside: Path | None = None,
) -> list[Path]:
    """Write every file (already rendered in memory) into `folder`; the paths written.

    With `inside` (the map's folder, when the output folder was not chosen on the command
    line), `folder` must not lead out of it through a symbolic link: a map folder from
    someone else must not make argmap write elsewhere.
    """
    _prepare(folder, inside)
    staged: list[tuple[str, Path]] = []
    moved = 0
    try:
        for name, data in files.items():
            staged.append((_stage(folder, data), folder / name))
        for _, path in staged:
            if path.is_dir():
                raise WriteError(
                    f"cannot write {path}: a folder of that name is in the way; move it",
                    elsewhere=True,
                )
        for tmp, path in staged:
            try:
                os.replace(tmp, path)
            except OSError as e:
                done = [p.name for _, p in staged[:moved]]
                new = f"{', '.join(done)} {'is' if len(done) == 1 else 'are'} new, the others"
                raise WriteError(
                    f"could not write {path} ({e.strerror}); "
                    f"{new if done else 'the files'} are left as they were"
                ) from None
            moved += 1
    except OSError as e:  # while staging: nothing was replaced
        raise WriteError(
            f"could not write into {folder}/ ({e.strerror}); the previous files "
            f"are left as they were{_advice(e)}",
            elsewhere=True,
        ) from None
    finally:
        for tmp, _ in staged[moved:]:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    _sync(folder)
    return [path for _, path in staged]


def _prepare(folder: Path, inside: Path | None) -> None:
    """Make `folder`, or `WriteError` saying why it cannot be written into."""
    if inside is not None and not folder.resolve().is_relative_to(inside.resolve()):
        raise WriteError(
            f"{folder} is a link to a folder outside the map's folder; argmap "
            "writes there only when asked: remove the link",
            elsewhere=True,
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise WriteError(
            f"cannot write into {folder}/ ({e.strerror}){_advice(e)}", elsewhere=True
        ) from None


def _advice(e: OSError) -> str:
    """What to do about `e`, as the end of a message ("" when there is nothing to add)."""
    if e.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return ": free some space"
    if e.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return ": check that the folder is writable"
    if e.errno in (errno.ENOENT, errno.ENOTDIR):
        return ": the folder (or one above it) is missing or is not a folder"
    return ""


def _stage(folder: Path, data: bytes) -> str:
    """A temporary file in `folder` holding `data`, on the disk; removed again on failure."""
    fd, tmp = tempfile.mkstemp(prefix=".argmap-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


def _sync(folder: Path) -> None:
    """Flush the folder's entries too, so the new names survive a power cut (POSIX only)."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
