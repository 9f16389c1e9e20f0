"""Graphviz's `dot`, run here and nowhere else: every picture laid out once, cached, in parallel.

`lay_out` takes the DOT sources of a build (the whole map, each claim's diagram) and returns
their SVG and PNG bytes, the pictures that could not be drawn (each with its reason), and notes
for the reader (a PNG drawn smaller, or left out, and why).

- **One layout per picture.** dot lays a picture out once and writes the SVG and, beside it,
  the laid-out graph (`-Tdot`, positions included). The PNG is drawn from that with
  `-Kneato -n2`, which keeps every position and only paints: so its resolution is chosen
  *after* the layout is known, and a picture too large for a sensible PNG is never rasterised
  at full size (a 1,000-point map made a 32767×12330 canvas, 1.6 GB).
- **Layout options by size.** Large graphs get dot's cheaper network-simplex limits (see
  `options_for`); small ones keep dot's defaults, and so their look.
- **A cache.** Results are stored in `cache_dir` under a hash of everything that decides them
  (DOT source, formats, options, `dot -V`); a rebuild lays out only what changed. Entries are
  checked (length and hash) when read, so a corrupt or truncated one is ignored and rewritten;
  they are written (atomically) by `keep`, after the build's outputs, and entries this build
  did not use are pruned beyond `CACHE_BYTES`.
- **Both cores.** Pictures not in the cache are laid out in parallel, at most one per CPU,
  largest first, each run bounded by `timeout`; one failing picture does not lose the others.
  Small pictures (a claim's diagram) go several to one dot run: starting dot costs more.
- **dot dies with argmap.** Every dot runs in a session of its own (so a wrapper script's
  children go too) and, on Linux, with PR_SET_PDEATHSIG, so the kernel kills it when argmap
  dies, even by SIGKILL; an exception or signal while waiting (the CLI turns SIGTERM and SIGHUP
  into SystemExit) kills every running dot before it propagates.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from argmap.errors import MissingTool

FORMATS: Final = ("svg", "png")
PNG_DPI: Final = 96.0
# The PNG is a convenience (the SVG has every detail): it is drawn at 96 dpi when that stays
# within these bounds, smaller when a smaller copy keeps the text readable, and not at all
# otherwise. Cairo holds 4 bytes a pixel, so 24 MP is about 100 MB of memory.
PNG_MAX_SIDE: Final = 16384  # pixels, either side (cairo's own limit is 32767)
PNG_MAX_PIXELS: Final = 24_000_000
PNG_MIN_SCALE: Final = 0.5  # below half size, 11 pt text is under 8 px: unreadable
# A graph of at least this many statements (lines of DOT) is large: it gets these options.
LARGE_GRAPH_LINES: Final = 400
LARGE_GRAPH_OPTIONS: Final = ("-Gnslimit=1",)
# Pictures whose DOT is at most this long, SVG only, are laid out several to a dot run, at most
# BATCH_SIZE to a run: starting dot costs ~13 ms of CPU, laying out a claim's picture ~0.4 ms.
BATCH_CHARS: Final = 30_000
BATCH_SIZE: Final = 100
CACHE_BYTES: Final = 64 * 1024 * 1024  # entries not used by this build are kept up to this
STALE_TMP: Final = 3600.0  # seconds after which a temporary file in the cache is a leftover
CACHE_VERSION: Final = "argmap-layout/1"  # bump when what a key stands for changes
# How to install Graphviz, one line per system: the same file feeds this message, the README
# and scripts/ensure-dot (a test keeps them in step).
INSTALL_LINES: Final = tuple(
    (Path(__file__).parent.parent / "install-graphviz.txt").read_text("utf-8").splitlines()
)
INSTALL_HINT: Final = (
    "Graphviz's dot was not found on PATH. Install Graphviz: "
    + "; ".join(" ".join(line.split()) for line in INSTALL_LINES)
    + " (or run `make diagram`, which installs it as root on Debian/Ubuntu)"
)
_NAMED: Final = re.compile(r'\s*(?:strict\s+)?(?:di)?graph\s+(?:"[^"]+"|[A-Za-z_0-9]+)\s*\{')
_PAGED: Final = b'<g id="page0,1_graph0" class="graph"'
_UNPAGED: Final = b'<g id="graph0" class="graph"'
_SIZE: Final = re.compile(rb'<svg\s+width="([0-9.]+)pt"\s+height="([0-9.]+)pt"')


@dataclass(frozen=True)
class Picture:
    """One DOT source to lay out: `name` is "argmap", or "claims/<id>" for a claim's diagram."""

    name: str
    dot: str
    formats: tuple[str, ...]


@dataclass(frozen=True)
class _Result:
    files: dict[str, bytes]
    notes: tuple[str, ...]


@dataclass
class Drawn:
    """What `lay_out` made: picture name -> format -> bytes; the pictures it could not draw,
    each with its reason; and notes for the reader, e.g. a PNG left out above the cap.

    The layouts new to the cache are held here until `keep` stores them: the cache is written
    with the outputs, so a build that fails later (a broken template) leaves no folder behind.
    """

    files: dict[str, dict[str, bytes]] = field(default_factory=dict)
    failures: dict[str, MissingTool] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    cache_dir: Path | None = None
    fresh: dict[str, _Result] = field(default_factory=dict, repr=False)  # key -> new layout
    used: set[str] = field(default_factory=set, repr=False)  # the keys this build used


def keep(drawn: Drawn) -> None:
    """Store the layouts `lay_out` made in its cache folder (made if missing), then prune
    the entries no build used lately. Call it once the outputs are written. Never fails: a
    cache that cannot be written only makes the next build slower."""
    if drawn.cache_dir is None:
        return
    cache = _Cache(drawn.cache_dir)
    for key, result in drawn.fresh.items():
        cache.put(key, result)
    drawn.fresh = {}
    cache.prune(keep=drawn.used)


def options_for(dot_source: str) -> tuple[str, ...]:
    r"""dot's layout options for a graph of this size (measurements: docs/layout.md).

    A large graph gets `nslimit=1`: dot's x-positioning (network simplex, most of its time
    on large maps) stops after one pass per component instead of converging, with the same
    ranks and order. The seed map comes out identical with it, but small graphs keep dot's
    defaults all the same: they cost little, and their look is tuned (the claim pictures).

    >>> options_for("digraph { a -> b }")
    ()
    >>> options_for("digraph {\n" + "\ta -> b\n" * LARGE_GRAPH_LINES + "}")
    ('-Gnslimit=1',)
    """
    return LARGE_GRAPH_OPTIONS if dot_source.count("\n") >= LARGE_GRAPH_LINES else ()


def lay_out(
    pictures: Sequence[Picture],
    *,
    timeout: float,
    cache_dir: Path | None,
    workers: int | None = None,
) -> Drawn:
    """Lay out and draw every picture in the formats it names ("svg", "png").

    `timeout` bounds each dot run, in seconds. Layouts are looked up in `cache_dir` (None:
    no cache); new ones are stored there by `keep`, once the build's outputs are written.
    `workers` defaults to the number of CPUs this process may use. Raises nothing for a
    picture that cannot be drawn: it is named in `failures` with a `MissingTool`.
    """
    for picture in pictures:
        unknown = set(picture.formats) - set(FORMATS)
        if unknown:
            raise ValueError(f"{picture.name}: unknown formats {sorted(unknown)}")
    if len({p.name for p in pictures}) != len(pictures):
        raise ValueError("two pictures of the same name")
    drawn = Drawn(cache_dir=cache_dir)
    version = _dot_version(timeout)
    if isinstance(version, MissingTool):
        drawn.failures = {picture.name: version for picture in pictures}
        return drawn
    cache = _Cache(cache_dir) if cache_dir is not None else None
    keys = {p.name: _key(p, version) for p in pictures}
    results: dict[str, _Result] = {}
    todo: list[Picture] = []
    for picture in pictures:
        hit = cache.get(keys[picture.name], picture.formats) if cache else None
        if hit is None:
            todo.append(picture)
        else:
            results[picture.name] = hit
    todo.sort(key=lambda p: len(p.dot), reverse=True)  # the longest first: they bound the end
    for name, outcome in _run_all(todo, timeout, workers):
        if isinstance(outcome, MissingTool):
            drawn.failures[name] = outcome
            continue
        results[name] = outcome
        if cache is not None:
            drawn.fresh[keys[name]] = outcome
    for picture in pictures:  # in the caller's order, whatever order they finished in
        result = results.get(picture.name)
        if result is not None:
            drawn.files[picture.name] = result.files
            drawn.notes.extend(result.notes)
    drawn.used = {keys[name] for name in results}
    return drawn


# --- running dot --------------------------------------------------------------------------


def _jobs(todo: list[Picture], workers: int) -> list[list[Picture]]:
    """The dot runs to make: a large picture (or one with a PNG) alone, small SVG-only ones
    together, several graphs to one dot (starting dot costs more than laying out a small
    picture), in about as many runs as there are workers so that both cores stay busy."""
    small = [p for p in todo if _batchable(p)]
    alone = [[p] for p in todo if not _batchable(p)]
    groups: dict[tuple[str, ...], list[Picture]] = {}
    for picture in small:
        groups.setdefault(options_for(picture.dot), []).append(picture)
    batches: list[list[Picture]] = []
    for group in groups.values():
        size = max(1, min(BATCH_SIZE, -(-len(group) // workers)))
        batches += [group[i : i + size] for i in range(0, len(group), size)]
    return alone + batches


def _batchable(picture: Picture) -> bool:
    """Small, SVG only, and named (dot numbers anonymous graphs through a run: `%3`, `%21`)."""
    return (
        picture.formats == ("svg",)
        and len(picture.dot) <= BATCH_CHARS
        and _NAMED.match(picture.dot) is not None
    )


def _run_all(
    todo: list[Picture], timeout: float, workers: int | None
) -> Iterator[tuple[str, _Result | MissingTool]]:
    if not todo:
        return
    count = max(1, workers or _cpus())
    jobs = _jobs(todo, count)
    count = min(count, len(jobs))
    if count == 1:
        for job in jobs:
            yield from _draw_job(job, timeout)
        return
    pool = ThreadPoolExecutor(max_workers=count, thread_name_prefix="dot")
    try:
        pending = {pool.submit(_draw_job, job, timeout) for job in jobs}
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield from future.result()
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        _kill_all()
        raise
    pool.shutdown(wait=True)


def _draw_job(job: list[Picture], timeout: float) -> list[tuple[str, _Result | MissingTool]]:
    """One picture, or a batch of small ones in one dot run; a batch that fails as a whole, or
    says anything on stderr, is drawn again picture by picture, so that each failure and each
    warning is told of the picture it belongs to."""
    if len(job) > 1:
        found = _draw_batch(job, timeout)
        if found is not None:
            return [(p.name, _Result({"svg": svg}, ())) for p, svg in zip(job, found, strict=True)]
    return [(picture.name, _draw_one(picture, timeout)) for picture in job]


def _draw_batch(job: list[Picture], timeout: float) -> list[bytes] | None:
    """The SVGs of several graphs laid out by one dot, or None when that did not work out."""
    source = "\n".join(p.dot for p in job).encode("utf-8")
    try:  # to standard output: with -o, dot 2.43 writes the first graph there, the rest to stdout
        out, err = _run_piped(["dot", *options_for(job[0].dot), "-Tsvg"], source, timeout)
    except MissingTool:
        return None
    if err.strip():
        return None
    # dot writes the SVG documents one after the other; each starts with an XML declaration,
    # which escaped user text can never contain.
    starts = [m.start() for m in re.finditer(rb"<\?xml ", out)]
    if len(starts) != len(job) or starts[0] != 0:
        return None
    svgs = []
    for a, b in zip(starts, [*starts[1:], len(out)], strict=True):
        # dot names the graph group of every graph after the first as if it were a page;
        # renamed, each SVG has the bytes it has when laid out alone (the brief must not
        # depend on which pictures happened to share a run).
        svg = out[a:b].replace(_PAGED, _UNPAGED, 1)
        if _UNPAGED not in svg[:4000]:
            return None
        svgs.append(svg)
    return svgs


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _draw_one(picture: Picture, timeout: float) -> _Result | MissingTool:
    """One picture: dot's layout to SVG (on standard output; with a PNG wanted, to a file
    beside the laid-out graph), then the PNG painted from that graph."""
    options = options_for(picture.dot)
    source = picture.dot.encode("utf-8")
    if "png" not in picture.formats:
        try:
            svg, err = _run_piped(["dot", *options, "-Tsvg"], source, timeout)
        except MissingTool as e:
            return e
        if not svg:
            return MissingTool("Graphviz's dot wrote no SVG output")
        return _Result({"svg": svg}, tuple(_warnings(picture.name, err)))
    with tempfile.TemporaryDirectory(prefix="argmap-dot-") as tmp:
        folder = Path(tmp)
        outputs = ["-Tsvg", f"-o{folder / 'out.svg'}", "-Tdot", f"-o{folder / 'laid.gv'}"]
        try:
            err = _run(["dot", *options, *outputs], source, timeout)
            svg = _read(folder / "out.svg")
        except MissingTool as e:
            return e
        notes = _warnings(picture.name, err)
        files: dict[str, bytes] = {}
        if "svg" in picture.formats:
            files["svg"] = svg
        png, png_notes = _png(picture.name, svg, folder, timeout)
        notes += png_notes
        if isinstance(png, MissingTool):
            return png
        if png is not None:
            files["png"] = png
        return _Result(files, tuple(notes))


def _png(
    name: str, svg: bytes, folder: Path, timeout: float
) -> tuple[bytes | MissingTool | None, list[str]]:
    """The PNG painted from the laid-out graph at 96 dpi, or smaller to stay within the cap,
    or None (with a note) when even half size would be above it."""
    found = _SIZE.search(svg[:2000])
    if found is None:
        return MissingTool(f"Graphviz's dot wrote an SVG without a size for {name}"), []
    width, height = (float(v) * PNG_DPI / 72 for v in found.groups())
    scale = min(
        1.0, PNG_MAX_SIDE / max(width, height, 1), (PNG_MAX_PIXELS / max(width * height, 1)) ** 0.5
    )
    wide, high = round(width), round(height)
    if scale < PNG_MIN_SCALE:
        return None, [
            f"{_picture(name)}: PNG skipped: at 96 dpi it would be {wide}×{high} px, above the "
            f"cap of {PNG_MAX_SIDE} px a side and {PNG_MAX_PIXELS // 1_000_000} megapixels; "
            "the SVG has the whole picture"
        ]
    notes = []
    if scale < 1.0:
        notes.append(
            f"{_picture(name)}: PNG drawn at {scale:.0%} size ({round(width * scale)}×"
            f"{round(height * scale)} px instead of {wide}×{high}) to stay within the cap; "
            "the SVG has every detail"
        )
    try:
        err = _run(
            [
                "dot",
                "-Kneato",
                "-n2",
                f"-Gdpi={PNG_DPI * scale:.2f}",
                "-Tpng",
                f"-o{folder / 'out.png'}",
                str(folder / "laid.gv"),
            ],
            b"",
            timeout,
        )
        png = _read(folder / "out.png")
    except MissingTool as e:
        return e, notes
    return png, notes + _warnings(name, err)


def _picture(name: str) -> str:
    return "the diagram" if name == "argmap" else f"the diagram of {name.removeprefix('claims/')}"


def _warnings(name: str, stderr: bytes) -> list[str]:
    """dot's warnings, kept for the reader (say, "scaling by 0.5 to fit"), each once."""
    lines = _trim(stderr, 600).splitlines()
    return [f"{_picture(name)}: Graphviz: {line}" for line in dict.fromkeys(lines) if line.strip()]


def _read(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except OSError:
        data = b""
    if not data:
        raise MissingTool(f"Graphviz's dot wrote no {path.suffix[1:].upper()} output")
    return data


def _trim(stderr: bytes, limit: int = 1500) -> str:
    text = stderr.decode("utf-8", errors="replace").strip()
    return text if len(text) <= limit else "…" + text[-limit:]


_LIVE: set[subprocess.Popen[bytes]] = set()
_LIVE_LOCK = threading.Lock()


def _run(cmd: list[str], stdin: bytes, timeout: float) -> bytes:
    """Run one dot command that writes files; its stderr."""
    return _run_piped(cmd, stdin, timeout, keep_stdout=False)[1]


def _run_piped(
    cmd: list[str], stdin: bytes, timeout: float, *, keep_stdout: bool = True
) -> tuple[bytes, bytes]:
    """Run one dot command; its stdout and stderr. MissingTool when dot is missing, fails or
    runs longer than `timeout` (then it is killed with whatever it started)."""
    try:
        proc = subprocess.Popen(  # noqa: S603 - dot's own command line, no shell
            cmd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE if keep_stdout else subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
            preexec_fn=_die_with_parent(),  # only a prctl call: safe beside threads
        )
    except FileNotFoundError as e:
        raise MissingTool(INSTALL_HINT) from e
    except OSError as e:
        raise MissingTool(f"Graphviz's dot could not be run: {e}") from e
    with _LIVE_LOCK:
        _LIVE.add(proc)
    try:
        with proc:
            try:
                out, err = proc.communicate(stdin, timeout=timeout)
            except subprocess.TimeoutExpired as e:
                _kill(proc)
                raise MissingTool(
                    f"Graphviz's dot ran longer than {timeout:g} s and was stopped; "
                    "allow it more time",
                    more_time=True,  # the command line says how
                ) from e
            except BaseException:
                _kill(proc)
                raise
    finally:
        with _LIVE_LOCK:
            _LIVE.discard(proc)
    if proc.returncode:
        raise MissingTool(
            f"Graphviz's dot failed (exit {proc.returncode}): {_trim(err) or 'no message'}"
        )
    return out or b"", err


def _kill(proc: subprocess.Popen[bytes]) -> None:
    """Kill dot and whatever it started (its session), then reap it."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (AttributeError, OSError):  # no process groups (Windows), or gone already
        proc.kill()
    proc.wait()


def _kill_all() -> None:
    """Kill every dot still running (argmap is being stopped)."""
    with _LIVE_LOCK:
        live = list(_LIVE)
    for proc in live:
        with contextlib.suppress(OSError):
            os.killpg(proc.pid, signal.SIGKILL)


def _die_with_parent() -> Callable[[], None] | None:
    """On Linux, a function for the child to run before exec: ask the kernel to SIGKILL it
    when argmap dies (PR_SET_PDEATHSIG), and exit at once if argmap is already gone."""
    if not sys.platform.startswith("linux"):
        return None
    prctl = _prctl()
    if prctl is None:
        return None
    parent = os.getpid()

    def preexec() -> None:
        prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        if os.getppid() != parent:  # argmap died between fork and prctl
            os._exit(1)

    return preexec


_PRCTL: list[Callable[..., int] | None] = []


def _prctl() -> Callable[..., int] | None:
    """libc's prctl, looked up once in the parent (a child between fork and exec must not
    load libraries)."""
    if not _PRCTL:
        try:
            import ctypes

            _PRCTL.append(ctypes.CDLL(None, use_errno=True).prctl)
        except (OSError, AttributeError):
            _PRCTL.append(None)
    return _PRCTL[0]


_VERSIONS: dict[str | None, str] = {}


def _dot_version(timeout: float) -> str | MissingTool:
    """`dot -V` (part of every cache key: another Graphviz lays out differently); remembered
    per PATH for the life of the process (watch rebuilds on every save)."""
    key = os.environ.get("PATH")
    if key not in _VERSIONS:
        try:
            _VERSIONS[key] = _run(["dot", "-V"], b"", timeout).decode("utf-8", "replace").strip()
        except MissingTool as e:
            return e
    return _VERSIONS[key]


# --- the cache ----------------------------------------------------------------------------

_MAGIC: Final = b"argmap-layout-cache 1\n"


def _key(picture: Picture, version: str) -> str:
    parts = [
        CACHE_VERSION,
        version,
        ",".join(picture.formats),
        " ".join(options_for(picture.dot)),
        f"png:{PNG_MAX_SIDE}:{PNG_MAX_PIXELS}:{PNG_MIN_SCALE}:{PNG_DPI}",
        picture.name,  # notes name the picture
        picture.dot,
    ]
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


class _Cache:
    """Layouts on disk: one file per key, `_MAGIC`, a JSON header line (each format's length
    and SHA-256, the notes), then the bytes. Anything that does not check out is a miss."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.layout"

    def get(self, key: str, formats: tuple[str, ...]) -> _Result | None:
        path = self._path(key)
        try:
            data = path.read_bytes()
            if not data.startswith(_MAGIC):
                return None
            header_end = data.index(b"\n", len(_MAGIC))
            header = json.loads(data[len(_MAGIC) : header_end])
            files: dict[str, bytes] = {}
            at = header_end + 1
            for fmt, size, digest in header["files"]:
                chunk = data[at : at + size]
                if len(chunk) != size or hashlib.sha256(chunk).hexdigest() != digest:
                    return None
                files[str(fmt)] = chunk
                at += size
            if at != len(data) or not set(files) <= set(formats):
                return None
            notes = tuple(str(note) for note in header["notes"])
            os.utime(path)  # recently used: pruned last
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return _Result(files, notes)

    def put(self, key: str, result: _Result) -> None:
        header = {
            "files": [
                [fmt, len(b), hashlib.sha256(b).hexdigest()] for fmt, b in result.files.items()
            ],
            "notes": list(result.notes),
        }
        data = _MAGIC + json.dumps(header).encode() + b"\n" + b"".join(result.files.values())
        with contextlib.suppress(OSError):  # a cache that cannot be written is only slower
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-", suffix=".layout")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                os.replace(tmp, self._path(key))
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise

    def prune(self, keep: set[str]) -> None:
        """Drop entries this build did not use, oldest first, beyond `CACHE_BYTES` in all;
        and leftover temporary files."""
        try:
            entries = list(os.scandir(self.folder))
        except OSError:
            return
        others: list[tuple[float, int, str]] = []
        total = 0
        for entry in entries:
            with contextlib.suppress(OSError):
                info = entry.stat(follow_symlinks=False)
                if entry.name.startswith(".tmp-"):
                    if time.time() - info.st_mtime > STALE_TMP:  # left by a killed run
                        os.unlink(entry.path)
                elif entry.name.endswith(".layout"):
                    if entry.name.removesuffix(".layout") in keep:
                        total += info.st_size
                    else:
                        others.append((info.st_mtime, info.st_size, entry.path))
        for _, size, path in sorted(others, reverse=True):
            total += size
            if total > CACHE_BYTES:
                with contextlib.suppress(OSError):
                    os.unlink(path)
