"""Issue 18's "nothing in `out/` can be made to hold markup that the cleaner would remove",
for every picture a build takes from `out/.cache/`: the whole map's, each claim's, and the
pages of a large map's overview (`out/overview/page-N.svg`).

A map of 200 points has an overview of three pages and some thirty cache entries. Each entry
is forged as anyone who can write the folder can (the format is no secret: right lengths and
hashes); the rebuild must lay every picture out anew, say so in one note, and write exactly
what a build without the cache writes.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from argmap import app
from argmap.render import cache as cache_reader
from argmap.render.svg import inline_svg
from tests.conftest import REPO

pytestmark = pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz's dot")

PLANTED = "planted-5f1c"


def _gen_map(n: int) -> str:
    spec = importlib.util.spec_from_file_location("gen_map", REPO / "scripts" / "gen_map.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text: str = module.gen_map(n, 0, cross=0.1)
    return text


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    """A map with an overview in pages, built once with its cache; and what a build of it
    without the cache writes."""
    folder = tmp_path_factory.mktemp("large")
    (folder / "claims.yaml").write_text(_gen_map(200), encoding="utf-8")
    app.build(app.Options(folder / "claims.yaml", out_dir=folder / "fresh", cache=False))
    fresh = _files(folder / "fresh")
    assert any(name.startswith("overview/page-") for name in fresh), sorted(fresh)
    return folder, fresh


def _files(out: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and ".cache" not in p.relative_to(out).parts
    }


def _forge(out: Path, change: Callable[[bytes], bytes]) -> int:
    """Every entry of `out/.cache` with each SVG it holds replaced by `change(svg)`, its
    lengths and hashes made to match; how many entries."""
    entries = sorted((out / ".cache").glob("*.layout"))
    for entry in entries:
        found = cache_reader.decode(entry.read_bytes(), ("svg", "png"))
        assert found is not None, entry.name
        files = {fmt: change(b) if fmt == "svg" else b for fmt, b in found.files.items()}
        entry.write_bytes(cache_reader.encode(cache_reader.LaidOut(files, found.notes)))
    return len(entries)


SCRIPT = f"<script>alert('{PLANTED}')</script>".encode()
FORGERIES: dict[str, Callable[[bytes], bytes]] = {
    "script": lambda svg: svg.replace(b"</svg>", SCRIPT + b"</svg>"),
    "event-attribute": lambda svg: svg.replace(b"<g ", f'<g onload="{PLANTED}()" '.encode(), 1),
    "javascript-link": lambda svg: svg.replace(
        b"</svg>", f'<a xlink:href="javascript:{PLANTED}()"><text>x</text></a></svg>'.encode()
    ),
    "foreign-object": lambda svg: svg.replace(
        b"</svg>", f"<foreignObject><p>{PLANTED}</p></foreignObject></svg>".encode()
    ),
    "processing-instruction": lambda svg: svg.replace(
        b"</svg>", f'<?xml-stylesheet href="{PLANTED}.css"?></svg>'.encode()
    ),
    "cdata-section": lambda svg: svg.replace(
        b"</svg>", f"<text><![CDATA[<script>{PLANTED}</script>]]></text></svg>".encode()
    ),
}


@pytest.mark.parametrize("how", list(FORGERIES))
def test_a_forged_entry_of_any_picture_leaves_out_as_a_fresh_build_would(
    large: tuple[Path, dict[str, bytes]], how: str
) -> None:
    folder, fresh = large
    out = folder / f"out-{how}"
    app.build(app.Options(folder / "claims.yaml", out_dir=out))
    forged = _forge(out, FORGERIES[how])
    built = app.build(app.Options(folder / "claims.yaml", out_dir=out))
    written = _files(out)
    assert written == fresh  # every picture laid out anew: the overview's pages too
    for name, data in written.items():
        assert PLANTED.encode() not in data, name
        if name.endswith(".svg"):
            assert cache_reader.is_clean_svg(data), name
    (note,) = [n for n in built.notes if "layout cache" in n]
    assert f"{forged} held markup that dot never writes" in note, note


def test_a_forged_clean_picture_is_shown_which_security_md_names_as_not_covered(
    large: tuple[Path, dict[str, bytes]],
) -> None:
    """The cache is checked for markup, not bound to the map by a secret: an entry that holds
    another drawing dot could have made is used (SECURITY.md, "Not covered"; `--no-cache`)."""
    folder, fresh = large
    out = folder / "out-other-picture"
    app.build(app.Options(folder / "claims.yaml", out_dir=out))
    other = b'<svg xmlns="http://www.w3.org/2000/svg"><text>' + PLANTED.encode() + b"</text></svg>"
    _forge(out, lambda _svg: other)
    app.build(app.Options(folder / "claims.yaml", out_dir=out))
    assert (out / "argmap.svg").read_bytes() == other
    app.build(app.Options(folder / "claims.yaml", out_dir=out, cache=False))
    assert _files(out) == fresh


def test_every_svg_a_build_writes_is_one_the_cleaner_keeps_whole(
    large: tuple[Path, dict[str, bytes]],
) -> None:
    """The same check the cache applies holds for what dot draws fresh, so a cached picture
    is never refused for being argmap's own; and the cleaner keeps all of it."""
    _, fresh = large
    svgs = {name: data for name, data in fresh.items() if name.endswith(".svg")}
    assert any(n.startswith("overview/") for n in svgs) and any(
        n.startswith("claims/") for n in svgs
    )
    for name, data in svgs.items():
        assert cache_reader.is_clean_svg(data), name
        cleaned, _ = inline_svg(data.decode("utf-8"), [], anchor=False)
        assert "<script" not in cleaned and " on" not in cleaned.split(">", 1)[0], name


def test_an_entry_over_the_cap_is_a_miss_never_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    key = "a" * 64
    with open(folder / f"{key}.layout", "wb") as f:  # sparse: no disk spent
        f.truncate(cache_reader.ENTRY_CAP + 1)
    asked: list[int] = []
    real_fdopen = os.fdopen

    class Counted:
        def __init__(self, f: Any) -> None:
            self.f = f

        def __enter__(self) -> Counted:
            return self

        def __exit__(self, *_: object) -> None:
            self.f.close()

        def read(self, n: int = -1) -> bytes:
            asked.append(n)
            data: bytes = self.f.read(n)
            return data

    monkeypatch.setattr(os, "fdopen", lambda fd, *a, **k: Counted(real_fdopen(fd, *a, **k)))
    cache = cache_reader.Cache(folder)
    assert cache.get(key, ("svg",)) is None
    assert asked == []  # refused by its size, before a byte is read
    assert cache.notes == [
        f"the layout cache {folder}: entries ignored (1 over 64 MiB); laid out anew"
    ]
    (folder / f"{key}.layout").write_bytes(b"x")  # and the spy sees a read when there is one
    assert cache_reader.Cache(folder).get(key, ("svg",)) is None
    assert asked == [cache_reader.ENTRY_CAP + 1]
