"""The layout stage: one dot run per picture, the PNG under a cap, the cache, parallel runs,
failures named per picture. Real dot throughout, behind a logging wrapper where the number of
runs matters."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from argmap.errors import MissingTool
from argmap.render import layout
from argmap.render.layout import Drawn, Picture
from argmap.render.layout import lay_out as lay_out_only
from argmap.write import cache as cache_writer
from argmap.write.cache import keep_layouts


def lay_out(pictures: list[Picture], **options: Any) -> Drawn:
    """`lay_out`, then `keep_layouts` (as a build does once its outputs are written)."""
    drawn = lay_out_only(pictures, **options)
    if options.get("cache_dir") is not None:
        keep_layouts(options["cache_dir"], drawn)
    return drawn


DOT = shutil.which("dot")
pytestmark = pytest.mark.skipif(DOT is None, reason="Graphviz's dot is not installed")

SMALL = 'digraph small { a -> b; b -> c; a [label="first"] }'


def chain(n: int, rankdir: str = "LR") -> str:
    edges = "; ".join(f"n{i} -> n{i + 1}" for i in range(n - 1))
    return f"digraph chain{n} {{ rankdir={rankdir}; {edges} }}"


def logging_dot(folder: Path, monkeypatch: pytest.MonkeyPatch, before: str = "") -> Path:
    """A `dot` on PATH that logs its arguments, one run a line, then runs the real dot."""
    log = folder / "runs.log"
    script = folder / "bin" / "dot"
    script.parent.mkdir()
    script.write_text(f'#!/bin/sh\necho "$*" >> "{log}"\n{before}\nexec {DOT} "$@"\n')
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{script.parent}:{os.environ['PATH']}")
    log.touch()
    return log


def layouts(log: Path) -> list[str]:
    """The logged runs that laid a graph out (not `dot -V`, not painting a PNG)."""
    return [line for line in log.read_text().splitlines() if "-V" not in line and "-n2" not in line]


def test_svg_and_png_from_one_layout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = logging_dot(tmp_path, monkeypatch)
    drawn = lay_out([Picture("argmap", SMALL, ("svg", "png"))], timeout=60, cache_dir=None)
    assert not drawn.failures
    files = drawn.files["argmap"]
    assert files["svg"].lstrip().startswith(b"<?xml")
    assert b">first<" in files["svg"]
    assert files["png"].startswith(b"\x89PNG\r\n\x1a\n")
    assert len(layouts(log)) == 1, "one layout for both formats"


def test_formats_asked_for_only(tmp_path: Path) -> None:
    drawn = lay_out([Picture("claims/x", SMALL, ("png",))], timeout=60, cache_dir=tmp_path)
    assert set(drawn.files["claims/x"]) == {"png"}
    with pytest.raises(ValueError, match="unknown formats"):
        lay_out([Picture("x", SMALL, ("pdf",))], timeout=60, cache_dir=None)


def test_cache_lays_out_only_what_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = logging_dot(tmp_path, monkeypatch)
    cache = tmp_path / "cache"
    pictures = [Picture(f"claims/c{i}", chain(3 + i), ("svg",)) for i in range(4)]
    first = lay_out(pictures, timeout=60, cache_dir=cache)
    runs = len(layouts(log))
    assert runs >= 1
    again = lay_out(pictures, timeout=60, cache_dir=cache)
    assert len(layouts(log)) == runs, "nothing changed: nothing laid out"
    assert again.files == first.files
    pictures[2] = Picture("claims/c2", chain(9), ("svg",))
    changed = lay_out(pictures, timeout=60, cache_dir=cache)
    assert len(layouts(log)) == runs + 1, "one picture changed: one dot run, for it alone"
    assert changed.files["claims/c2"] != first.files["claims/c2"]
    assert changed.files["claims/c0"] == first.files["claims/c0"]


def test_corrupt_cache_entry_is_ignored_and_rewritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = logging_dot(tmp_path, monkeypatch)
    cache = tmp_path / "cache"
    pictures = [Picture("argmap", SMALL, ("svg", "png"))]
    good = lay_out(pictures, timeout=60, cache_dir=cache).files
    (entry,) = cache.iterdir()
    whole = entry.read_bytes()
    for broken in (whole[: len(whole) // 2], whole[:-1] + b"X", b"", b"garbage\n{}\n"):
        entry.write_bytes(broken)
        runs = len(layouts(log))
        assert lay_out(pictures, timeout=60, cache_dir=cache).files == good
        assert len(layouts(log)) == runs + 1, "a broken entry is a miss"
        assert entry.read_bytes() == whole, "and is rewritten"


def test_stale_entries_are_pruned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setattr(cache_writer, "CACHE_BYTES", 1)  # keep only what the build used
    lay_out([Picture("a", chain(3), ("svg",))], timeout=60, cache_dir=cache)
    (old,) = cache.iterdir()
    lay_out([Picture("a", chain(4), ("svg",))], timeout=60, cache_dir=cache)
    (new,) = cache.iterdir()
    assert new != old
    leftover = cache / ".tmp-0123456789abcdef.layout"
    leftover.write_bytes(b"half")
    os.utime(leftover, (time.time() - 2 * cache_writer.STALE_TMP,) * 2)
    lay_out([Picture("a", chain(4), ("svg",))], timeout=60, cache_dir=cache)
    assert not leftover.exists()


def test_one_failure_does_not_lose_the_others(tmp_path: Path) -> None:
    pictures = [
        Picture("claims/good", SMALL, ("svg",)),
        Picture("claims/broken", "digraph { a -> }", ("svg",)),
        Picture("argmap", chain(5), ("svg", "png")),
    ]
    drawn = lay_out(pictures, timeout=60, cache_dir=tmp_path / "cache", workers=2)
    assert set(drawn.files) == {"claims/good", "argmap"}
    assert set(drawn.failures) == {"claims/broken"}
    assert "syntax error" in str(drawn.failures["claims/broken"])
    assert list(drawn.files) == ["claims/good", "argmap"], "in the order given"


def test_missing_dot_fails_every_picture(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    drawn = lay_out(
        [Picture("a", SMALL, ("svg",)), Picture("b", SMALL, ("svg",))], timeout=60, cache_dir=None
    )
    assert set(drawn.failures) == {"a", "b"}
    assert "not found on PATH" in str(drawn.failures["a"])
    assert isinstance(drawn.failures["a"], MissingTool)


def test_slow_picture_times_out_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sleep = shutil.which("sleep")
    script = tmp_path / "dot"  # sleeps on a graph named slow, else reads it and runs dot
    script.write_text(
        f'#!/bin/sh\ncase "$*" in *-V*) exec {DOT} -V;; esac\ngraph=$(cat)\n'
        f'case "$graph" in *slow*) exec {sleep} 60;; esac\n'
        f'printf "%s" "$graph" | exec {DOT} "$@"\n'
    )
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ['PATH']}")
    started = time.process_time()
    drawn = lay_out(
        [Picture("slow", "digraph slow { a }", ("svg",)), Picture("fast", SMALL, ("svg",))],
        timeout=0.5,
        cache_dir=None,
    )
    assert set(drawn.files) == {"fast"}
    assert "longer than 0.5 s" in str(drawn.failures["slow"])
    assert time.process_time() - started < 5


def test_pictures_are_laid_out_in_parallel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each dot waits to see another one running before it lays anything out: two workers
    meet. No time window decides it: the wait ends as soon as the other dot has started,
    however slow the machine; its bound (counted sleeps, 10 minutes) only stops a run that
    lays out one picture at a time from waiting for ever."""
    running = tmp_path / "running"
    running.mkdir()
    wait = (
        f'touch "{running}/$$"; met=alone; i=0\n'
        f'while [ $i -lt 12000 ]; do [ $(ls "{running}" | wc -l) -ge 2 ] && met=together && break; '
        f"sleep 0.05; i=$((i+1)); done\n"
        f'echo $met >> "{tmp_path}/met"'
    )
    logging_dot(tmp_path, monkeypatch, before=f'case "$*" in *-V*) ;; *) {wait};; esac')
    pictures = [Picture(f"p{i}", chain(3 + i), ("svg",)) for i in range(2)]
    lay_out(pictures, timeout=900, cache_dir=None, workers=2)
    assert (tmp_path / "met").read_text().split() == ["together", "together"]


def test_png_is_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(layout, "PNG_MAX_SIDE", 1000)
    small = lay_out([Picture("argmap", chain(3), ("svg", "png"))], timeout=60, cache_dir=None)
    assert not small.notes
    assert png_size(small.files["argmap"]["png"])[0] < 1000
    wide = lay_out([Picture("argmap", chain(14), ("svg", "png"))], timeout=60, cache_dir=None)
    (note,) = wide.notes
    assert "PNG drawn at" in note
    assert png_size(wide.files["argmap"]["png"])[0] <= 1000
    huge = lay_out([Picture("claims/x", chain(60), ("svg", "png"))], timeout=60, cache_dir=None)
    assert set(huge.files["claims/x"]) == {"svg"}
    (note,) = huge.notes
    assert "the diagram of x: PNG skipped" in note


def test_dot_warnings_are_kept(tmp_path: Path) -> None:
    drawn = lay_out(
        [Picture("argmap", "digraph { a [shape=nosuchshape] }", ("svg",))],
        timeout=60,
        cache_dir=tmp_path,
    )
    assert any("nosuchshape" in note for note in drawn.notes)
    again = lay_out(
        [Picture("argmap", "digraph { a [shape=nosuchshape] }", ("svg",))],
        timeout=60,
        cache_dir=tmp_path,
    )
    assert again.notes == drawn.notes, "kept in the cache too"


def png_size(png: bytes) -> tuple[int, int]:
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def test_small_pictures_share_a_dot_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = logging_dot(tmp_path, monkeypatch)
    pictures = [Picture(f"claims/c{i}", chain(2 + i % 5, "RL"), ("svg",)) for i in range(12)]
    together = lay_out(pictures, timeout=60, cache_dir=None, workers=2)
    assert len(layouts(log)) == 2, "twelve small pictures, two workers: two dot runs"
    alone = {p.name: lay_out([p], timeout=60, cache_dir=None).files[p.name] for p in pictures}
    assert together.files == alone, "the same bytes as when each is laid out alone"


def test_a_bad_picture_in_a_batch_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = logging_dot(tmp_path, monkeypatch)
    pictures = [Picture(f"claims/c{i}", chain(3), ("svg",)) for i in range(5)]
    pictures[3] = Picture("claims/c3", "digraph bad { a -> }", ("svg",))
    pictures[1] = Picture("claims/c1", "digraph odd { a [shape=nosuchshape] }", ("svg",))
    drawn = lay_out(pictures, timeout=60, cache_dir=None, workers=1)
    assert set(drawn.files) == {"claims/c0", "claims/c1", "claims/c2", "claims/c4"}
    assert set(drawn.failures) == {"claims/c3"}
    (note,) = drawn.notes
    assert note.startswith("the diagram of c1: Graphviz: ") and "nosuchshape" in note
    assert len(layouts(log)) == 1 + len(pictures), "one batch, then each alone"


def test_nothing_is_stored_before_keep_layouts(tmp_path: Path) -> None:
    cache = tmp_path / "out" / ".cache"
    drawn = lay_out_only([Picture("a", SMALL, ("svg",))], timeout=60, cache_dir=cache)
    assert not (tmp_path / "out").exists(), "a build that fails after this leaves no folder"
    (tmp_path / "out").mkdir()  # as write makes it, with the outputs
    keep_layouts(cache, drawn)
    assert len(list(cache.iterdir())) == 1
    again = lay_out_only([Picture("a", SMALL, ("svg",))], timeout=60, cache_dir=cache)
    assert again.files == drawn.files
    assert not again.fresh, "found in the cache: nothing new to store"


def test_an_entry_checked_once_is_not_read_again_while_its_file_is_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`argmap watch` looks every picture up on each save: an entry this process has written
    or checked is used from memory while its file is the one it wrote or read; a file
    replaced since, even with the same bytes, is read and checked again."""
    from argmap.render import cache as cache_reader

    monkeypatch.setattr(cache_reader, "_KNOWN", {})
    checked: list[bytes] = []
    real = cache_reader.is_clean_svg

    def counted(svg: bytes) -> bool:
        checked.append(svg)
        return real(svg)

    monkeypatch.setattr(cache_reader, "is_clean_svg", counted)
    cache = tmp_path / "cache"
    pictures = [Picture(f"claims/c{i}", chain(3 + i), ("svg",)) for i in range(3)]
    first = lay_out(pictures, timeout=60, cache_dir=cache)
    assert lay_out(pictures, timeout=60, cache_dir=cache).files == first.files
    assert checked == [], "written by this process: not read again"
    entry = sorted(cache.iterdir())[0]
    data = entry.read_bytes()
    entry.unlink()
    entry.write_bytes(data)  # another file, the same bytes
    assert lay_out(pictures, timeout=60, cache_dir=cache).files == first.files
    assert len(checked) == 1, "a file put in its place is checked"
    assert lay_out(pictures, timeout=60, cache_dir=cache).files == first.files
    assert len(checked) == 1, "and then known"
    entry.write_bytes(data.replace(b"<svg", b"<svg onload='x()'", 1))  # changed in place
    again = lay_out(pictures, timeout=60, cache_dir=cache)  # read: its hashes fail, a miss
    assert again.files == first.files
    assert entry.read_bytes() == data, "a file changed in place is read again, and rewritten"
