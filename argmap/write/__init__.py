"""Stage 5, write: put rendered bytes on disk atomically, as a set, and never over an input.

Every file is first written in full to a temporary file in its own folder and flushed to the
disk; only when all of them are there is each moved over its old version with `os.replace`.
The pictures in a subfolder (claims/ID.svg, overview/page-N.svg: 1,375 files at 10,000
points, where an fsync each took 6 s of a build's wall time and 0.4 s of its CPU) are renamed
into place the same way, without an fsync each, their folder's entries flushed once: a reader
still sees the whole old or the whole new picture; after a power cut one may be empty, and
the next build, which compares each picture's bytes with what it would write, writes it again.
A file that already holds the bytes it would get is left alone (no copy, no fsync). `argmap
watch` has its page renamed into place first and flushed after (`write_all`'s `placed`).
So a reader sees the old whole file or the new whole file, never a part; and a build that
fails while writing (a full disk, a folder that is not writable) leaves every previous output
as it was, and no temporary file behind.

The rename is only for files. A path that is a character device (`/dev/null`), a pipe, or a
name for one of argmap's own open files (`/dev/stdout`) is written into, as the shell's `>`
would: replacing `/dev/null` with a regular file, as root, breaks every later `> /dev/null`.

A set of outputs is written under a lock on its folder (`flock` on `.argmap.lock`, which
exists only while a set is being written), so two builds into one folder at once end with
the whole set of one of them, never a mix: the second waits for the first to finish writing.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import stat
import tempfile
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from pathlib import Path, PurePosixPath
from typing import Final

from argmap.errors import UsageError, WriteError
from argmap.outputs import CLAIM_ID
from argmap.text import plural
from argmap.write.streams import is_stream, kind, own_fd, stream, write_fd

LOCK: Final = ".argmap.lock"
Inputs = Mapping[Path, str]
"""Files argmap must never write over, each with what it is in words ("the map")."""

# A picture argmap writes into a subfolder of the output folder (claims/ID.svg): only files
# named so are ever pruned from there.
_PICTURE: Final = re.compile(rf"^{CLAIM_ID}\.(?:svg|png)$")


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` in one step; `WriteError` (old file intact) if that fails."""
    _prepare(path.parent, None)
    _write_set(path.parent, {path.name: data}, {})


def refuse_inputs(paths: Iterable[Path], inputs: Inputs) -> None:
    """`UsageError` if writing any of `paths` would write over one of `inputs`: to say so
    before the work of rendering (the writes check again)."""
    for path in paths:
        own = own_fd(path)
        if own is not None:
            _refuse_inputs(path, _identity(os.fstat, own), inputs)
            continue
        try:
            st = path.stat() if is_stream(path.stat().st_mode) else path.lstat()
        except OSError:
            continue  # nothing there yet, or a dangling link (replaced)
        _refuse_inputs(path, (st.st_dev, st.st_ino), inputs)


def write_file(
    path: Path,
    data: bytes,
    *,
    inside: Path | None = None,
    inputs: Inputs | None = None,
) -> bool:
    """Write one output at `path`; True if it was streamed into a device or pipe, False if a
    file was (atomically) replaced or made.

    `UsageError` (nothing written) if `path` is one of `inputs` or something that is neither
    a file nor a stream (a block device, a socket); `inside` as for `write_all`.
    """
    own = own_fd(path)
    if own is not None:
        _refuse_inputs(path, _identity(os.fstat, own), inputs or {})
        write_fd(own, data, path)
        return True
    try:
        st: os.stat_result | None = path.stat()
    except OSError:
        st = None  # missing, or a dangling link (replaced, as any link is)
    if st is not None and is_stream(st.st_mode):
        _refuse_inputs(path, (st.st_dev, st.st_ino), inputs or {})
        stream(path, data)
        return True
    if st is not None and not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode)):
        raise UsageError(
            f"{path} is {kind(st.st_mode)}; argmap writes files, character devices "
            "and pipes only: choose another path"
        )
    _prepare(path.parent, inside)
    _write_set(path.parent, {path.name: data}, inputs or {})
    return False


def write_all(
    folder: Path,
    files: Mapping[str, bytes],
    *,
    inside: Path | None = None,
    inputs: Inputs | None = None,
    waiting: Callable[[], None] | None = None,
    keep: Mapping[str, Collection[str]] | None = None,
    placed: Callable[[], None] | None = None,
) -> list[Path]:
    """Write every file (already rendered in memory) into `folder`, as a set; the paths.

    A name may lead one folder down ("claims/ID.svg"); that folder is made, and must not be
    a link out of `folder`. With `inside` (the map's folder, when the output folder was not
    chosen on the command line), `folder` must not lead out of it through a symbolic link: a
    map folder from someone else must not make argmap write elsewhere. `UsageError` (nothing
    written) if an output would replace one of `inputs`. While another argmap writes into
    `folder`, this one calls `waiting` (to say so) and waits for it.

    `keep` maps a subfolder to the names that belong there ("claims" -> every claim's
    picture): once all is written, other pictures in it (a deleted claim's) are removed.
    `placed` is called once every file is in place, before they are flushed to the disk
    (`argmap watch` tells the page to reload then: an fsync is the disk's time, not the
    reader's, who sees the whole new file as soon as it is renamed).
    """
    _prepare(folder, inside)
    subfolders = sorted({str(PurePosixPath(name).parent) for name in files} - {"."})
    for sub in subfolders:
        if "/" in sub or sub in ("..", ""):
            raise ValueError(f"not an output name: {sub!r}")  # names come from argmap itself
        _prepare(folder / sub, folder, "the output folder")
    with locked(folder, waiting):
        paths = _write_set(folder, files, inputs or {}, placed)
        for sub in subfolders:
            _sync(folder / sub)
        for sub, names in (keep or {}).items():
            _prune(folder / sub, set(names))
        return paths


def written(paths: list[Path]) -> list[str]:
    """The files written, for people: one a line, a subfolder's pictures as one line.

    >>> written([Path("out/brief.html"), Path("out/claims/a.svg"), Path("out/claims/b.svg")])
    ['out/brief.html', 'out/claims/ (2 pictures)']
    >>> written([Path("out/argmap.svg"), Path("out/overview/page-2.svg")])
    ['out/argmap.svg', 'out/overview/ (page 2 of the overview; page 1 is argmap.svg)']
    >>> written([Path(f"out/overview/page-{n}.svg") for n in (2, 3, 4)])
    ['out/overview/ (pages 2 to 4 of the overview; page 1 is argmap.svg)']
    """
    folders = ("claims", "overview")
    lines = [str(p) for p in paths if not _PICTURE.match(p.name) or p.parent.name not in folders]
    for folder in folders:
        pictures = [p for p in paths if p.parent.name == folder and _PICTURE.match(p.name)]
        if not pictures:
            continue
        n = len(pictures)
        pages = "page 2" if n == 1 else f"pages 2 to {n + 1}"  # page 1 is the diagram itself
        said = plural(n, "picture") if folder == "claims" else f"{pages} of the overview"
        said += "; page 1 is argmap.svg" * (folder == "overview")
        lines.append(f"{pictures[0].parent}/ ({said})")
    return lines


def _prune(folder: Path, keep: set[str]) -> None:
    """Remove the pictures in `folder` that are not in `keep` (claims no longer in the map).
    Best effort: a picture left behind is stale, not wrong, and nothing links to it."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if (
            _PICTURE.match(entry.name)
            and entry.name not in keep
            and entry.is_file(follow_symlinks=False)
        ):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)


@contextlib.contextmanager
def locked(folder: Path, waiting: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the write lock of `folder` (made if need be); `waiting()` first if it is taken.

    The lock file is removed by its holder before it lets go; whoever then gets the lock on
    that removed file sees that the name no longer leads to it, and tries again. So the
    lock is always on the file the name leads to, and the folder keeps no trace of it.
    """
    path = folder / LOCK
    told = False
    while True:
        fd = _open_lock(path)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if waiting is not None and not told:
                    waiting()
                    told = True
                fcntl.flock(fd, fcntl.LOCK_EX)
            if _identity(os.stat, path, follow=False) != _identity(os.fstat, fd):
                continue  # its holder removed it as we waited: take the one there now
            try:
                yield
            finally:
                with contextlib.suppress(OSError):
                    os.unlink(path)
            return
        finally:
            os.close(fd)


def _open_lock(path: Path) -> int:
    flags = os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        try:
            fd = os.open(path, os.O_RDWR | flags, 0o644)
        except PermissionError:  # left by another user: a read-only descriptor locks too
            fd = os.open(path, os.O_RDONLY | flags)
    except OSError as e:
        raise WriteError(
            f"cannot lock {path} ({e.strerror}){_advice(e) or f': remove {path}'}",
            elsewhere=True,
        ) from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise WriteError(f"cannot lock {path}: it is not a file; remove it")
    return fd


def _write_set(
    folder: Path,
    files: Mapping[str, bytes],
    inputs: Inputs,
    placed: Callable[[], None] | None = None,
) -> list[Path]:
    """Stage every file, then move each over its old version (see the module's docstring);
    `placed` as for `write_all`, after which the files moved are flushed."""
    targets = [folder / name for name in files]
    for path in targets:
        _check_target(path, inputs)
    staged: list[tuple[str, Path]] = []
    moved = 0
    try:
        for path, data in zip(targets, files.values(), strict=True):
            if _same(path, data):
                continue  # as it was (a claim's picture, 125 at 1,000 points): no copy, no fsync
            # beside it: os.replace is atomic; a subfolder's pictures without an fsync each
            sync = path.parent == folder and placed is None
            staged.append((_stage(path.parent, data, sync=sync), path))
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
    if placed is not None:
        placed()
        for _, path in staged:
            if path.parent == folder:
                _sync(path)
    if staged:
        _sync(folder)
    return targets


def _same(path: Path, data: bytes) -> bool:
    """Whether `path` is a regular file (not a link) that holds exactly `data`."""
    try:
        st = path.lstat()
        if not stat.S_ISREG(st.st_mode) or st.st_size != len(data):
            return False
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        with os.fdopen(fd, "rb") as f:
            return f.read(len(data) + 1) == data
    except OSError:
        return False


def _check_target(path: Path, inputs: Inputs) -> None:
    """`UsageError` or `WriteError` unless a rename over `path` is safe and wanted."""
    try:
        st = path.lstat()
    except OSError:
        return  # nothing there yet
    if stat.S_ISDIR(st.st_mode):
        raise WriteError(
            f"cannot write {path}: a folder of that name is in the way; move it",
            elsewhere=True,
        )
    if not (stat.S_ISREG(st.st_mode) or stat.S_ISLNK(st.st_mode)):
        raise WriteError(
            f"cannot write {path}: it is {kind(st.st_mode)}, and argmap replaces only files "
            "in an output folder: remove it",
            elsewhere=True,
        )
    # A link is replaced, not followed, so only the name itself is at stake.
    _refuse_inputs(path, (st.st_dev, st.st_ino), inputs)


def _refuse_inputs(path: Path, target: tuple[int, int] | None, inputs: Inputs) -> None:
    """`UsageError` if `target` (device and inode about to be written) is one of `inputs`,
    or the link an input was given as."""
    for given, what in inputs.items():
        if target is not None and target in (
            _identity(os.stat, given),
            _identity(os.stat, given, follow=False),
        ):
            raise UsageError(
                f"{path} is {what}; argmap never writes over its inputs: choose another output path"
            )


def _identity(
    how: Callable[..., os.stat_result], what: Path | int, *, follow: bool = True
) -> tuple[int, int] | None:
    try:
        st = how(what) if follow else how(what, follow_symlinks=False)
    except (OSError, ValueError):
        return None
    return st.st_dev, st.st_ino


def _prepare(folder: Path, inside: Path | None, what: str = "the map's folder") -> None:
    """Make `folder`, or `WriteError` saying why it cannot be written into."""
    if inside is not None and not folder.resolve().is_relative_to(inside.resolve()):
        raise WriteError(
            f"{folder} is a link to a folder outside {what}; argmap "
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


def _stage(folder: Path, data: bytes, *, sync: bool = True) -> str:
    """A temporary file in `folder` holding `data`, on the disk; removed again on failure."""
    fd, tmp = tempfile.mkstemp(prefix=".argmap-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            if sync:
                os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


def _sync(path: Path) -> None:
    """Flush a file, or a folder's entries, so the new names survive a power cut (POSIX)."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
