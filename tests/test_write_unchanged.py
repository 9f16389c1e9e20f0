"""Stage 5 leaves a file alone when it already holds the bytes it would get, and tells
`argmap watch` when the new files are in place, before they are flushed to the disk."""

from __future__ import annotations

import os
from pathlib import Path

from argmap.write import write_all


def test_a_file_that_holds_its_bytes_is_not_written_again(tmp_path: Path) -> None:
    write_all(tmp_path, {"brief.html": b"<p>one</p>", "argmap.json": b"{}", "claims/a.svg": b"a"})
    before = {p: os.stat(tmp_path / p) for p in ("brief.html", "argmap.json", "claims/a.svg")}
    paths = write_all(
        tmp_path, {"brief.html": b"<p>two</p>", "argmap.json": b"{}", "claims/a.svg": b"a"}
    )
    assert [p.name for p in paths] == ["brief.html", "argmap.json", "a.svg"]  # all listed
    after = {p: os.stat(tmp_path / p) for p in before}
    assert after["brief.html"].st_ino != before["brief.html"].st_ino  # replaced
    for same in ("argmap.json", "claims/a.svg"):
        assert (after[same].st_ino, after[same].st_mtime_ns) == (
            before[same].st_ino,
            before[same].st_mtime_ns,
        )
    assert (tmp_path / "brief.html").read_bytes() == b"<p>two</p>"


def test_a_link_with_the_same_bytes_is_replaced(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.html"
    elsewhere.write_bytes(b"same")
    out = tmp_path / "out"
    out.mkdir()
    (out / "brief.html").symlink_to(elsewhere)
    write_all(out, {"brief.html": b"same"})
    assert not (out / "brief.html").is_symlink()
    assert elsewhere.read_bytes() == b"same"


def test_placed_hears_of_the_files_once_they_are_in_place(tmp_path: Path) -> None:
    seen: list[bytes] = []
    write_all(tmp_path, {"brief.html": b"old"})
    write_all(
        tmp_path,
        {"brief.html": b"new"},
        placed=lambda: seen.append((tmp_path / "brief.html").read_bytes()),
    )
    assert seen == [b"new"]
    assert [p.name for p in tmp_path.iterdir()] == ["brief.html"]  # no temporary file left
