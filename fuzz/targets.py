"""One fuzz target per reader of untrusted bytes, each a plain function of `bytes`.

A target returns when argmap answered the input as it promises (a result, or one of its own
user-facing errors, `argmap.errors.ArgmapError`, with messages a terminal can show); it raises
`Finding` when it did not, and lets any other exception through (what the command line would
report as exit 70, "a bug in argmap"). `fuzz.harness` adds the bound on CPU per input.

The targets need no fuzzer: `tests/test_fuzz_targets.py` runs them on the seeds and on every
case a fuzzer found, so each finding stays a regression test.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import re
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Final

from argmap.errors import ArgmapError, Diagnostic, InvalidMap

NAME: Final = "claims.yaml"
_DIR: Final = Path(tempfile.mkdtemp(prefix="argmap-fuzz-"))  # one folder for a whole run
_SOURCE: Final = "The council met on Monday. The budget was 4 million. Pat said no.\n"


# C0 and C1 controls and DEL: what a terminal may obey (one pattern, searched in C: a message
# is checked for every input, and a loop over its characters was a fifth of a target's time).
_CONTROL: Final = re.compile("[\x00-\x1f\x7f-\x9f]")


class Finding(AssertionError):
    """argmap answered an input in a way it promises never to (not an exception of argmap)."""


def _message_ok(text: str) -> None:
    """A message for the terminal: one line, no control characters (a lone surrogate is
    shown as `\\udXXX`: standard error writes with `backslashreplace`)."""
    if "\n" in text or "\r" in text:
        raise Finding(f"a message spans lines: {text[:200]!r}")
    if _CONTROL.search(text):
        raise Finding(f"a message holds a control character: {text[:200]!r}")


def _diagnostics_ok(found: Iterable[Diagnostic]) -> None:
    for d in found:
        if d.line < 1 or d.col < 1:
            raise Finding(f"a diagnostic at no place: {d!r}")
        _message_ok(str(d))


def _error_ok(e: ArgmapError) -> None:
    if isinstance(e, InvalidMap):
        if not e.diagnostics:
            raise Finding("an invalid map with no message")
        _diagnostics_ok(e.diagnostics)
        return
    problems = getattr(e, "problems", None)  # the importer's BadInput
    for line in [str(p) for p in problems] if problems is not None else str(e).splitlines():
        _message_ok(line)
    if not str(e).strip():
        raise Finding(f"{type(e).__name__} with no message")


# --- claims.yaml: load, validate, evaluate -------------------------------------------------


def claims(data: bytes) -> None:
    """The bytes as a claims.yaml in a folder that holds one source file, as `argmap check`
    reads it (and, when valid, evaluated as `build` would before drawing)."""
    from argmap.evaluate import evaluate
    from argmap.load import parse
    from argmap.validate import validate

    folder = _DIR / "map"
    if not folder.exists():
        (folder / "sources").mkdir(parents=True)
        (folder / "sources" / "s.txt").write_text(_SOURCE, encoding="utf-8")
    try:
        valid = validate(parse(data, NAME, folder / NAME))
    except ArgmapError as e:
        _error_ok(e)
        return
    _diagnostics_ok(valid.warnings)
    evaluate(valid.argmap)


# --- imports -------------------------------------------------------------------------------


def _importer(fmt: str) -> Callable[[bytes], None]:
    def target(data: bytes) -> None:
        """The bytes as a file given to `argmap import --from FMT`."""
        from argmap.interchange.convert import to_map
        from argmap.interchange.formats import reader
        from argmap.interchange.importer import guess
        from argmap.load import decode

        try:
            text = decode(data, "in.file")
            guess(Path("in.file"), text)
            draft = reader(fmt)(text, "in.file")
            points = len(draft.points)
            named = draft.points.values()  # a speaker or a source may be named by a point only
            speakers = len({s["id"] for s in draft.speakers} | {p.by for p in named if p.by})
            sources = len({s["id"] for s in draft.sources} | {p.source for p in named if p.source})
            imported = to_map(draft, _DIR / "import" / NAME)
        except ArgmapError as e:
            _error_ok(e)
            return
        imported.text.encode("utf-8")  # what `import` writes: a surrogate here is exit 70
        m = imported.valid.argmap
        items = len(m.claims) + len(m.rebuttals) + len(m.evidence)
        if items > points + 1 or len(m.speakers) > speakers or len(m.sources) > sources:
            raise Finding(
                f"the import holds more than the file: {items} points from {points}, "
                f"{len(m.speakers)} speakers from {speakers}, {len(m.sources)} sources "
                f"from {sources} (text written as YAML syntax?)"
            )
        _diagnostics_ok(imported.valid.warnings)
        from argmap.interchange.losses import phrase

        for loss in imported.losses:  # the loss report, printed line by line
            _message_ok(phrase(loss))

    target.__name__ = fmt.replace("-", "_")
    return target


def _aif_any(data: bytes) -> None:
    """The bytes as AIF, and as xAIF where argmap reads it (`--from xaif`)."""
    from argmap.interchange.importer import FORMATS

    _importer("aif")(data)
    if "xaif" in FORMATS:
        _importer("xaif")(data)


# --- the layout cache ----------------------------------------------------------------------


def cache_store(folder: Path) -> Any:
    """The cache folder as a build reads it (`argmap.render.cache.Cache`, or the older
    `argmap.render.layout._Cache`): an object with `get(key, formats)`."""
    try:
        module = importlib.import_module("argmap.render.cache")
        return module.Cache(folder)
    except ImportError:
        return importlib.import_module("argmap.render.layout")._Cache(folder)


def cache_entry(files: dict[str, bytes], notes: tuple[str, ...]) -> bytes:
    """The bytes argmap's own writer makes for an entry (whichever version is here)."""
    try:
        module = importlib.import_module("argmap.render.cache")
        return bytes(module.encode(module.LaidOut(files, notes)))
    except ImportError:
        layout = importlib.import_module("argmap.render.layout")
        with tempfile.TemporaryDirectory() as folder:
            layout._Cache(Path(folder)).put("0" * 64, layout._Result(files, notes))
            return (Path(folder) / ("0" * 64 + ".layout")).read_bytes()


def cache(data: bytes) -> None:
    """The bytes as an entry of `out/.cache/`, which anyone who can write the map's folder
    (or who shared the folder) wrote: read as a build reads it."""
    folder = _DIR / "out" / ".cache"
    folder.mkdir(parents=True, exist_ok=True)
    key = hashlib.sha256(b"fuzz").hexdigest()
    (folder / f"{key}.layout").write_bytes(data)
    try:
        store = cache_store(folder)
        hit = store.get(key, ("svg", "png"))
        said = list(getattr(store, "notes", []))
    except ArgmapError as e:
        _error_ok(e)
        return
    finally:
        with contextlib.suppress(OSError):
            (folder / f"{key}.layout").unlink()
    for note in said:
        _message_ok(note)
    if hit is None:
        return
    if not set(hit.files) <= {"svg", "png"}:
        raise Finding(f"a cache entry gave formats not asked for: {sorted(hit.files)}")
    for note in hit.notes:  # printed to the terminal as `argmap: note: ...`
        _message_ok(note)


TARGETS: Final[dict[str, Callable[[bytes], None]]] = {
    "claims": claims,
    "argdown": _importer("argdown"),
    "argdown-json": _importer("argdown-json"),
    "aif": _aif_any,
    "kialo": _importer("kialo"),
    "cache": cache,
}

# Where each target's seeds come from, relative to the repository (globs).
SEEDS: Final[dict[str, tuple[str, ...]]] = {
    "claims": ("tests/hostile/*/claims.yaml", "tests/cases/*/claims.yaml", "claims.yaml"),
    "argdown": ("tests/interchange/*.argdown", "tests/hostile/import-*/*.argdown"),
    "argdown-json": ("tests/interchange/*.argdown.json", "tests/hostile/import-*/*.argdown.json"),
    "aif": ("tests/interchange/*.json", "tests/hostile/import-*/*.json"),
    "kialo": ("tests/interchange/*.kialo.txt", "tests/hostile/import-*/*.kialo.txt"),
    "cache": ("tests/hostile/cache-*/*.layout", "fuzz/seeds/cache/*"),
}
