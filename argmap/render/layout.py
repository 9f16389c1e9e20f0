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
- **A cache.** Results are looked up in `cache_dir` under a hash of everything that decides
  them (DOT source, formats, options, `dot -V`); a rebuild lays out only what changed. The
  cache is untrusted input, read by `argmap.render.cache`; the new layouts are held in `Drawn`
  and written by `argmap.write.cache.keep_layouts`, after the build's outputs.
- **Both cores.** Pictures not in the cache are laid out in parallel, at most one per CPU,
  largest first, each run bounded by `timeout`; one failing picture does not lose the others.
  Small pictures go several to one dot run. dot dies with argmap (`render.dot_process`).
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from queue import SimpleQueue
from typing import Final

from argmap.errors import MissingTool
from argmap.render.cache import Cache, LaidOut
from argmap.render.dot import two_way
from argmap.render.dot_process import dot_version, run, run_piped, stopping, trim

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
BATCH_CHARS: Final = 64_000  # (a page of a large map's overview is up to about 31,000)
BATCH_SIZE: Final = 100
CACHE_VERSION: Final = "argmap-layout/2"  # bump when what a key stands for changes
_NAMED: Final = re.compile(r'\s*(?:strict\s+)?(?:di)?graph\s+(?:"[^"]+"|[A-Za-z_0-9]+)\s*\{')
_PAGED: Final = b'<g id="page0,1_graph0" class="graph"'
_UNPAGED: Final = b'<g id="graph0" class="graph"'
# ... and the link of the graph itself (a claim's picture links to its card) likewise.
_PAGED_LINK: Final = b'id="a_page0,1_graph0"'
_UNPAGED_LINK: Final = b'id="a_graph0"'
_SIZE: Final = re.compile(rb'<svg\s+width="([0-9.]+)pt"\s+height="([0-9.]+)pt"')


@dataclass(frozen=True)
class Picture:
    """One DOT source to lay out: `name` is "argmap", "claims/<id>" for a claim's diagram, or
    "overview/page-<n>" for a page of a large map's overview."""

    name: str
    dot: str
    formats: tuple[str, ...]


@dataclass
class Drawn:
    """What `lay_out` made: picture name -> format -> bytes; the pictures it could not draw,
    each with its reason; and notes for the reader, e.g. a PNG left out above the cap.
    Layouts new to the cache wait here until `argmap.write.cache.keep_layouts` stores
    them: the cache is written with the outputs, so a failed build leaves no folder behind."""

    files: dict[str, dict[str, bytes]] = field(default_factory=dict)
    failures: dict[str, MissingTool] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    cache_dir: Path | None = None
    fresh: dict[str, LaidOut] = field(default_factory=dict, repr=False)  # key -> new layout
    used: set[str] = field(default_factory=set, repr=False)  # the keys this build used


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
    no cache); new ones are stored there by `keep_layouts`, once the build's outputs are written.
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
    version = dot_version(timeout)
    if isinstance(version, MissingTool):
        drawn.failures = {picture.name: version for picture in pictures}
        return drawn
    cache = Cache(cache_dir) if cache_dir is not None else None
    keys = {p.name: _key(p, version) for p in pictures}
    results: dict[str, LaidOut] = {}
    count = max(1, workers or _cpus())

    def found(picture: Picture) -> bool:
        hit = cache.get(keys[picture.name], picture.formats) if cache else None
        if hit is not None:
            results[picture.name] = hit
        return hit is not None

    def misses() -> Iterator[list[Picture]]:
        """The dot runs to make, each as soon as it is known: the large pictures first, so
        that dot lays one out while the small ones are looked up (each a parse of its SVG)."""
        by_size = sorted(pictures, key=lambda p: len(p.dot), reverse=True)
        fits = [_batchable(p) for p in by_size]  # once a picture: `two_way` scans its DOT
        yield from ([p] for p, ok in zip(by_size, fits, strict=True) if not ok and not found(p))
        small = [p for p, ok in zip(by_size, fits, strict=True) if ok and not found(p)]
        yield from _batches(small, count)

    for name, outcome in _run_all(misses(), timeout, count):
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
    drawn.notes.extend(cache.notes if cache is not None else ())
    return drawn


def _key(picture: Picture, version: str) -> str:
    """The cache key of a picture: a hash of everything that decides its layout."""
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


# --- running dot --------------------------------------------------------------------------


def _batches(small: list[Picture], workers: int) -> list[list[Picture]]:
    """The dot runs of the small SVG-only pictures (a large picture, or one with a PNG, is
    laid out alone): several graphs to one dot (starting dot costs more than laying out a
    small picture), in about as many runs as there are workers so that both cores stay busy."""
    groups: dict[tuple[str, ...], list[Picture]] = {}
    for picture in small:
        groups.setdefault(options_for(picture.dot), []).append(picture)
    batches: list[list[Picture]] = []
    for group in groups.values():
        size = max(1, min(BATCH_SIZE, -(-len(group) // workers)))
        batches += [group[i : i + size] for i in range(0, len(group), size)]
    return batches


def _batchable(picture: Picture) -> bool:
    """Small, SVG only, named (dot numbers anonymous graphs through a run: `%3`, `%21`), and
    without a loop of two (laid out differently after other graphs: `dot.two_way`)."""
    return (
        picture.formats == ("svg",)
        and len(picture.dot) <= BATCH_CHARS
        and _NAMED.match(picture.dot) is not None
        and not two_way(picture.dot)
    )


def _run_all(
    jobs: Iterator[list[Picture]], timeout: float, workers: int
) -> Iterator[tuple[str, LaidOut | MissingTool]]:
    """Each job's results as it finishes, each started once `jobs` gives it, on `workers` daemon
    threads fed by a queue: not a `concurrent.futures` pool, whose `wait` a signal can leave
    holding a future's lock (its worker then blocks for ever; Python joins pool threads)."""
    if workers == 1:
        yield from (result for job in jobs for result in _draw_job(job, timeout))
        return
    waiting: SimpleQueue[list[Picture] | None] = SimpleQueue()  # None: no more jobs
    done: SimpleQueue[list[tuple[str, LaidOut | MissingTool]] | BaseException] = SimpleQueue()

    def work() -> None:
        while (job := waiting.get()) is not None:
            try:
                done.put(_draw_job(job, timeout))
            except BaseException as e:  # a bug: raised again in the caller's thread
                done.put(e)
        waiting.put(None)  # for the next worker

    threads: list[threading.Thread] = []
    try:
        given = 0
        for job in jobs:  # the longest first
            waiting.put(job)
            given += 1
            if len(threads) < min(workers, given):
                threads.append(threading.Thread(target=work, name=f"dot-{given}", daemon=True))
                threads[-1].start()
        waiting.put(None)
        for _ in range(given):
            result = done.get()
            if isinstance(result, BaseException):
                raise result
            yield from result
    except BaseException:  # a signal, Ctrl-C, a bug: no dot may outlive this
        waiting.put(None)  # the workers stop at the next job
        with stopping():  # the workers end at once: their dots are killed, none starts
            for thread in threads:
                if thread.ident is not None:  # started
                    thread.join()
        raise


def _draw_job(job: list[Picture], timeout: float) -> list[tuple[str, LaidOut | MissingTool]]:
    """One picture, or a batch of small ones in one dot run; a batch that fails as a whole, or
    says anything on stderr, is drawn again picture by picture, so that each failure and each
    warning is told of the picture it belongs to."""
    if len(job) > 1:
        found = _draw_batch(job, timeout)
        if found is not None:
            return [(p.name, LaidOut({"svg": svg}, ())) for p, svg in zip(job, found, strict=True)]
    return [(picture.name, _draw_one(picture, timeout)) for picture in job]


def _draw_batch(job: list[Picture], timeout: float) -> list[bytes] | None:
    """The SVGs of several graphs laid out by one dot, or None when that did not work out."""
    source = "\n".join(p.dot for p in job).encode("utf-8")
    try:  # to standard output: with -o, dot 2.43 writes the first graph there, the rest to stdout
        out, err = run_piped(["dot", *options_for(job[0].dot), "-Tsvg"], source, timeout)
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
        svg = out[a:b].replace(_PAGED, _UNPAGED, 1).replace(_PAGED_LINK, _UNPAGED_LINK, 1)
        if _UNPAGED not in svg[:4000]:
            return None
        svgs.append(svg)
    return svgs


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _draw_one(picture: Picture, timeout: float) -> LaidOut | MissingTool:
    """One picture: dot's layout to SVG (on standard output; with a PNG wanted, to a file
    beside the laid-out graph), then the PNG painted from that graph."""
    options = options_for(picture.dot)
    source = picture.dot.encode("utf-8")
    if "png" not in picture.formats:
        try:
            svg, err = run_piped(["dot", *options, "-Tsvg"], source, timeout)
        except MissingTool as e:
            return e
        if not svg:
            return MissingTool("Graphviz's dot wrote no SVG output")
        return LaidOut({"svg": svg}, tuple(_warnings(picture.name, err)))
    with tempfile.TemporaryDirectory(prefix="argmap-dot-") as tmp:
        folder = Path(tmp)
        outputs = ["-Tsvg", f"-o{folder / 'out.svg'}", "-Tdot", f"-o{folder / 'laid.gv'}"]
        try:
            err = run(["dot", *options, *outputs], source, timeout)
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
        return LaidOut(files, tuple(notes))


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
        err = run(
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
    if name.startswith("overview/page-"):
        return f"page {name.removeprefix('overview/page-')} of the overview"
    return "the diagram" if name == "argmap" else f"the diagram of {name.removeprefix('claims/')}"


def _warnings(name: str, stderr: bytes) -> list[str]:
    """dot's warnings, kept for the reader (say, "scaling by 0.5 to fit"), each once."""
    lines = trim(stderr, 600).splitlines()
    return [f"{_picture(name)}: Graphviz: {line}" for line in dict.fromkeys(lines) if line.strip()]


def _read(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except OSError:
        data = b""
    if not data:
        raise MissingTool(f"Graphviz's dot wrote no {path.suffix[1:].upper()} output")
    return data
