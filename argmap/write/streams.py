"""Part of stage 5, write: outputs that are streams, not files (a device, a pipe, one of
argmap's own open descriptors such as `/dev/stdout`), written into as the shell's `>` would."""

from __future__ import annotations

import errno
import os
import re
import select
import stat
from pathlib import Path
from typing import Final

from argmap.errors import WriteError

# Names for the process's own open files: written through the descriptor itself, so that
# `-o /dev/stdout >> log` appends as the shell set it up (reopening would start at byte 0).
_OWN_FD: Final = re.compile(
    r"/dev/(?:(stdout)|(stderr)|fd/(\d+))|/proc/(?:self|thread-self)/fd/(\d+)"
)


def own_fd(path: Path) -> int | None:
    """The descriptor that `/dev/stdout`, `/dev/fd/N` or `/proc/self/fd/N` names, if any."""
    m = _OWN_FD.fullmatch(os.path.normpath(os.path.abspath(path)))
    if m is None:
        return None
    return 1 if m[1] else 2 if m[2] else int(m[3] or m[4])


def stream(path: Path, data: bytes) -> None:
    """Write into the device or pipe at `path` (a pipe: once a reader has opened it)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as e:
        raise WriteError(f"could not open {path} ({e.strerror})") from None
    try:
        mode = os.fstat(fd).st_mode
        if not is_stream(mode):  # swapped since the check
            raise WriteError(f"{path} changed while argmap opened it; nothing was written")
        write_fd(fd, data, path)
    finally:
        os.close(fd)


def write_fd(fd: int, data: bytes, path: Path) -> None:
    view = memoryview(data)
    try:
        while view:
            try:
                view = view[os.write(fd, view) :]
            except BlockingIOError:  # a descriptor set non-blocking by whoever gave it
                select.select([], [fd], [])
    except OSError as e:
        what = "its reader went away" if e.errno == errno.EPIPE else e.strerror
        raise WriteError(f"could not write to {path} ({what})") from None


def is_stream(mode: int) -> bool:
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)


def kind(mode: int) -> str:
    if stat.S_ISBLK(mode):
        return "a block device (a disk)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    return "not a file"
