"""Part of stage 5, write: the new layouts of a build into its cache, after its outputs.

The cache folder is worked on through a descriptor of its own, opened without following a
link: a `.cache` that is a link (to a folder of someone else's) is never written into nor
pruned. Entries are written atomically (a temporary file, then a rename, both in that
folder), and pruning deletes only files named as argmap names its entries, never anything
else that may lie there. Never fails: a cache that cannot be written only makes the next
build slower.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
import time
from pathlib import Path
from typing import TYPE_CHECKING, Final

from argmap.render.cache import ENTRY_NAME, SUFFIX, encode, identity, remember

if TYPE_CHECKING:
    from argmap.render.layout import Drawn

CACHE_BYTES: Final = 64 * 1024 * 1024  # entries not used by this build are kept up to this
STALE_TMP: Final = 3600.0  # seconds after which a temporary file in the cache is a leftover
_TMP: Final = re.compile(r"\.tmp-[0-9a-f]{16}\.layout")
_DIR_FLAGS: Final = (
    os.O_RDONLY
    | getattr(os, "O_DIRECTORY", 0)
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
)


def keep_layouts(folder: Path, drawn: Drawn) -> None:
    """Store the layouts `lay_out` made in `folder` (made if missing, unless a link or not a
    folder is in its place), then prune the entries no build used lately."""
    fd = _open_folder(folder, make=bool(drawn.fresh))
    if fd is None:
        return
    try:
        for key, result in drawn.fresh.items():
            _put(fd, f"{key}{SUFFIX}", encode(result))
            with contextlib.suppress(OSError):  # this very file need not be read again
                file = identity(os.stat(f"{key}{SUFFIX}", dir_fd=fd, follow_symlinks=False))
                if file is not None:
                    remember(key, file, result)
        drawn.fresh = {}
        _prune(fd, {f"{key}{SUFFIX}" for key in drawn.used})
    finally:
        os.close(fd)


def _open_folder(folder: Path, *, make: bool) -> int | None:
    if make:
        with contextlib.suppress(OSError):  # there already (checked below), or not writable
            folder.mkdir()
    try:
        fd = os.open(folder, _DIR_FLAGS)
    except OSError:  # a link (ELOOP), not a folder (ENOTDIR), or not readable
        return None
    if not stat.S_ISDIR(os.fstat(fd).st_mode):
        os.close(fd)
        return None
    return fd


def _put(fd: int, name: str, data: bytes) -> None:
    tmp = f".tmp-{secrets.token_hex(8)}{SUFFIX}"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    with contextlib.suppress(OSError):
        out = os.open(tmp, flags | getattr(os, "O_CLOEXEC", 0), 0o644, dir_fd=fd)
        try:
            with os.fdopen(out, "wb") as f:
                f.write(data)
            os.replace(tmp, name, src_dir_fd=fd, dst_dir_fd=fd)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp, dir_fd=fd)
            raise


def _prune(fd: int, keep: set[str]) -> None:
    """Drop entries this build did not use, oldest first, beyond `CACHE_BYTES` in all; and
    leftover temporary files. Only regular files with the names argmap gives them."""
    try:
        entries = list(os.scandir(fd))
    except OSError:
        return
    others: list[tuple[float, int, str]] = []
    total = 0
    for entry in entries:
        with contextlib.suppress(OSError):
            info = entry.stat(follow_symlinks=False)
            if not stat.S_ISREG(info.st_mode):
                continue
            if _TMP.fullmatch(entry.name):
                if time.time() - info.st_mtime > STALE_TMP:  # left by a killed run
                    os.unlink(entry.name, dir_fd=fd)
            elif ENTRY_NAME.fullmatch(entry.name):
                if entry.name in keep:
                    total += info.st_size
                else:
                    others.append((info.st_mtime, info.st_size, entry.name))
    for _, size, name in sorted(others, reverse=True):
        total += size
        if total > CACHE_BYTES:
            with contextlib.suppress(OSError):
                os.unlink(name, dir_fd=fd)
