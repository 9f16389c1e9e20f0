"""Failing tools and disks, and builds at the same time: argmap says what went wrong and how to
fix it, and never leaves a half-written output, a temporary file, or a process behind.

`dot` is replaced by small scripts on PATH (missing, failing, slow); a full disk by making
`os.fsync` or `os.replace` fail part-way through a build (the tests run as root, where a
read-only folder does not stop a write). Builds run in-process through `argmap.cli.main` where
a failure must be injected, and through the real entry point otherwise.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from argmap.cli import CACHE, main
from argmap.errors import WriteError
from argmap.write import write_all
from tests.conftest import run_argmap, run_argmap_process

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "tests" / "cases" / "seed"
BUILT = ["argmap.dot", "argmap.json", "brief.html"]  # what a build writes without dot


@pytest.fixture
def seed(tmp_path: Path) -> Path:
    """A copy of the seed map (the golden case) with its source, in a fresh folder."""
    folder = tmp_path / "map"
    shutil.copytree(SEED, folder, ignore=shutil.ignore_patterns("argmap.*"))
    return folder


def tools(folder: Path, dot: str | None) -> str:
    """A PATH holding only a `dot` running the shell script `dot` (or no dot at all)."""
    folder.mkdir(exist_ok=True)
    if dot is not None:
        script = folder / "dot"
        script.write_text(f"#!/bin/sh\n{dot}\n")
        script.chmod(0o755)
    return str(folder)


def snapshot(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.name != CACHE}


def assert_whole_outputs(out: Path) -> None:
    doc = json.loads((out / "argmap.json").read_text(encoding="utf-8"))
    assert doc["format"] == "argmap/1"
    assert (out / "argmap.dot").read_text(encoding="utf-8").rstrip().endswith("}")
    assert (out / "brief.html").read_text(encoding="utf-8").rstrip().endswith("</html>")


# --- dot missing, failing, too slow ------------------------------------------------------------


def test_missing_dot_says_how_to_install_and_the_brief_says_why(
    seed: Path,
    tmp_path: Path,
) -> None:
    done = run_argmap("build", cwd=seed, path=tools(tmp_path / "bin", None))
    assert done.returncode == 3
    assert (
        "argmap: Graphviz's dot was not found on PATH. Install Graphviz: Debian/Ubuntu: "
        "sudo apt-get install graphviz; Fedora: sudo dnf install graphviz" in done.stderr
    )
    assert sorted(p.name for p in (seed / "out").iterdir()) == BUILT
    assert_whole_outputs(seed / "out")
    brief = (seed / "out" / "brief.html").read_text(encoding="utf-8")
    assert "The diagram could not be drawn." in brief
    assert "apt-get install graphviz" in brief


@pytest.mark.needs_dot
def test_missing_dot_leaves_the_last_pictures_as_they_were(seed: Path, tmp_path: Path) -> None:
    assert run_argmap("build", cwd=seed).returncode == 0
    pictures = {n: (seed / "out" / n).read_bytes() for n in ("argmap.svg", "argmap.png")}
    done = run_argmap("build", cwd=seed, path=tools(tmp_path / "bin", None))
    assert done.returncode == 3
    for name, data in pictures.items():
        assert (seed / "out" / name).read_bytes() == data


def test_failing_dot_shows_its_message(seed: Path, tmp_path: Path) -> None:
    path = tools(tmp_path / "bin", "echo 'Error: layout exploded' >&2; exit 1")
    done = run_argmap("build", cwd=seed, path=path)
    assert done.returncode == 3
    assert "argmap: Graphviz's dot failed (exit 1): Error: layout exploded" in done.stderr
    assert sorted(p.name for p in (seed / "out").iterdir()) == BUILT
    brief = (seed / "out" / "brief.html").read_text(encoding="utf-8")
    assert "layout exploded" in brief


@pytest.mark.parametrize("how", ["option", "environment"])
def test_slow_dot_is_stopped_after_the_timeout(seed: Path, tmp_path: Path, how: str) -> None:
    pid = tmp_path / "dot.pid"
    path = tools(tmp_path / "bin", f'echo $$ > "{pid}"\nexec {shutil.which("sleep")} 60')
    args = ("--dot-timeout", "1") if how == "option" else ()
    env = {"ARGMAP_DOT_TIMEOUT": "1"} if how == "environment" else {}
    done = run_argmap_process(
        "build", *args, cwd=seed, path=path, env=env, timeout=50
    )  # < the sleep
    assert done.returncode == 3
    assert "argmap: Graphviz's dot ran longer than 1 s and was stopped" in done.stderr
    assert "--dot-timeout" in done.stderr
    assert sorted(p.name for p in (seed / "out").iterdir()) == BUILT
    assert not running(int(pid.read_text()))  # killed, not left running


def test_slow_dot_that_leaves_a_child_behind_is_still_a_bounded_wait(
    seed: Path,
    tmp_path: Path,
) -> None:
    """A `dot` that is a wrapper script (its child keeps the output pipe open)."""
    pid = tmp_path / "child.pid"
    path = tools(tmp_path / "bin", f'{shutil.which("sleep")} 60 &\necho $! > "{pid}"\nwait')
    done = run_argmap_process("build", "--dot-timeout", "1", cwd=seed, path=path, timeout=50)
    assert done.returncode == 3
    assert "ran longer than 1 s" in done.stderr
    assert not running(int(pid.read_text()))


def running(pid: int) -> bool:
    """Whether process `pid` still runs (a zombie waiting for a parent to reap it does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().rpartition(")")[2].split()[0] == "Z")


@pytest.mark.parametrize("value", ["0", "-5", "nan", "inf"])
def test_a_timeout_that_is_not_a_duration_is_a_usage_error(seed: Path, value: str) -> None:
    done = run_argmap("build", "--dot-timeout", value, cwd=seed)
    assert done.returncode == 2
    assert "argmap: --dot-timeout must be a number of seconds above 0" in done.stderr
    assert not (seed / "out").exists()


def test_a_timeout_in_the_environment_that_is_not_a_number_is_a_usage_error(seed: Path) -> None:
    done = run_argmap("build", cwd=seed, env={"ARGMAP_DOT_TIMEOUT": "soon"})
    assert done.returncode == 2
    assert "ARGMAP_DOT_TIMEOUT" in done.stderr
    assert "Traceback" not in done.stderr


# --- disks that fail --------------------------------------------------------------------------


def build_in_process(folder: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    """`argmap build` through `main`, without dot (exit 3 when all is written)."""
    monkeypatch.setenv("PATH", "")
    return main(["build", str(folder / "claims.yaml")])


def fail_on_call(
    monkeypatch: pytest.MonkeyPatch, name: str, n: int, error: BaseException
) -> list[int]:
    """Make `os.NAME` raise `error` on its `n`-th call (as argmap.write sees it)."""
    real: Callable[..., object] = getattr(os, name)
    calls = [0]

    def fake(*args: object, **kwargs: object) -> object:
        calls[0] += 1
        if calls[0] == n:
            raise error
        return real(*args, **kwargs)

    monkeypatch.setattr(os, name, fake)  # the module argmap.write calls
    return calls


def change_title(seed: Path) -> None:
    path = seed / "claims.yaml"
    path.write_text(path.read_text().replace("The virtualization spat", "Changed"))


@pytest.mark.parametrize("n", [1, 2, 3])
def test_a_full_disk_leaves_every_previous_output_and_no_temporary_file(
    seed: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], n: int
) -> None:
    assert build_in_process(seed, monkeypatch) == 3
    before = snapshot(seed / "out")
    change_title(seed)
    capsys.readouterr()
    fail_on_call(monkeypatch, "fsync", n, OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))
    assert build_in_process(seed, monkeypatch) == 2
    err = capsys.readouterr().err
    assert "argmap: could not write into" in err
    assert "(No space left on device); the previous files are left as they were" in err
    assert snapshot(seed / "out") == before


def test_a_rename_that_fails_names_what_was_written(
    seed: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert build_in_process(seed, monkeypatch) == 3
    change_title(seed)  # a file that holds its bytes already is not written again
    capsys.readouterr()
    fail_on_call(monkeypatch, "replace", 2, OSError(errno.EIO, os.strerror(errno.EIO)))
    assert build_in_process(seed, monkeypatch) == 2
    err = capsys.readouterr().err
    assert "could not write" in err
    assert "(Input/output error); argmap.json is new, the others are left as they were" in err
    assert sorted(p.name for p in (seed / "out").iterdir()) == BUILT  # no temporary file


def test_an_interrupt_while_writing_leaves_no_temporary_file(
    seed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert build_in_process(seed, monkeypatch) == 3
    before = snapshot(seed / "out")
    change_title(seed)
    fail_on_call(monkeypatch, "fsync", 2, KeyboardInterrupt())
    assert build_in_process(seed, monkeypatch) == 130
    assert snapshot(seed / "out") == before


def test_an_output_folder_that_is_a_file(seed: Path) -> None:
    (seed / "out").write_text("not a folder")
    done = run_argmap("build", cwd=seed, path="")
    assert done.returncode == 2
    assert "argmap: cannot write into out/" in done.stderr
    assert (seed / "out").read_text() == "not a folder"


def test_an_output_that_is_a_folder_stops_the_build_before_any_file_is_replaced(seed: Path) -> None:
    assert run_argmap("build", cwd=seed, path="").returncode == 3
    (seed / "out" / "brief.html").unlink()
    (seed / "out" / "brief.html").mkdir()
    before = snapshot_files(seed / "out")
    done = run_argmap("build", cwd=seed, path="")
    assert done.returncode == 2
    assert "a folder of that name is in the way" in done.stderr
    assert snapshot_files(seed / "out") == before


def snapshot_files(out: Path) -> dict[str, bytes | None]:
    return {p.name: p.read_bytes() if p.is_file() else None for p in sorted(out.iterdir())}


def test_an_output_that_is_a_link_is_replaced_not_followed(seed: Path, tmp_path: Path) -> None:
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me")
    (seed / "out").mkdir()
    (seed / "out" / "brief.html").symlink_to(precious)
    assert run_argmap("build", cwd=seed, path="").returncode == 3
    assert precious.read_text() == "keep me"
    assert not (seed / "out" / "brief.html").is_symlink()


def test_write_all_refuses_an_output_folder_that_links_out_of_the_map_folder(
    tmp_path: Path,
) -> None:
    (tmp_path / "map").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "map" / "out").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    with pytest.raises(WriteError, match="is a link to a folder outside the map's folder"):
        write_all(tmp_path / "map" / "out", {"brief.html": b"x"}, inside=tmp_path / "map")
    assert list((tmp_path / "elsewhere").iterdir()) == []
    assert write_all(tmp_path / "map" / "new", {"a": b"x"}, inside=tmp_path / "map") == [
        tmp_path / "map" / "new" / "a"
    ]


def test_build_does_not_write_through_an_out_link_in_the_map_folder(
    seed: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (seed / "out").symlink_to(elsewhere, target_is_directory=True)
    done = run_argmap("build", cwd=seed, path="")
    assert done.returncode == 2
    assert list(elsewhere.iterdir()) == []


# --- two builds at once -----------------------------------------------------------------------

LOOP = """
import sys
from argmap.cli import main
for _ in range(int(sys.argv[1])):
    main(["build", "claims.yaml"])
"""


def test_two_builds_at_once_never_show_a_reader_part_of_a_file(
    seed: Path,
    tmp_path: Path,
) -> None:
    """Two processes rebuild the same map into the same out/ again and again, while a reader
    reads the JSON and the brief: every read is a whole file."""
    extra = "".join(f"  - id: more-{i}\n    text: {'Some more words. ' * 20}\n" for i in range(300))
    text = (seed / "claims.yaml").read_text().replace("\nclaims:\n", "\nclaims:\n" + extra, 1)
    (seed / "claims.yaml").write_text(text)
    assert run_argmap("build", cwd=seed, path="").returncode == 3
    out = seed / "out"
    whole = {n: (out / n).read_bytes() for n in ("argmap.json", "brief.html")}
    assert len(whole["brief.html"]) > 500_000
    env = {**os.environ, "PATH": "", "PYTHONPATH": str(REPO)}
    builders = [
        subprocess.Popen(
            [sys.executable, "-c", LOOP, "12"],
            cwd=seed,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for _ in range(2)
    ]
    reads: list[int] = []
    torn: list[str] = []

    def reader() -> None:
        while any(b.poll() is None for b in builders):
            for name, data in whole.items():
                got = (out / name).read_bytes()
                reads.append(len(got))
                if got != data:
                    torn.append(f"{name}: {len(got)} bytes, ends {got[-40:]!r}")

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for b in builders:
            _, err = b.communicate(timeout=120)
            assert b.returncode == 0, err
    finally:
        for b in builders:
            b.kill()
        thread.join(timeout=30)
    assert torn == []
    assert len(reads) > 20
    assert (
        sorted(p.name for p in out.iterdir() if p.name != CACHE) == BUILT
    )  # no temporary file left
    assert_whole_outputs(out)


def test_write_all_writes_claim_pictures_in_their_folder_and_prunes_stale_ones(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    write_all(out, {"brief.html": b"1", "claims/a.svg": b"a", "claims/b.svg": b"b"})
    (out / "claims" / "notes.txt").write_text("mine")
    written = write_all(
        out, {"brief.html": b"2", "claims/a.svg": b"A"}, keep={"claims": ["a.svg", "c.svg"]}
    )
    assert written == [out / "brief.html", out / "claims" / "a.svg"]
    assert sorted(p.name for p in (out / "claims").iterdir()) == ["a.svg", "notes.txt"]
    assert (out / "claims" / "a.svg").read_bytes() == b"A"
    assert not list(out.rglob(".argmap-*"))  # no temporary file left


def test_write_all_refuses_a_claims_folder_that_links_out(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "claims").symlink_to(elsewhere)
    with pytest.raises(WriteError, match="outside the output folder"):
        write_all(out, {"brief.html": b"x", "claims/a.svg": b"a"})
    assert not list(elsewhere.iterdir())
    assert not (out / "brief.html").exists()  # all or nothing


def test_an_unchanged_claim_picture_is_left_in_place(tmp_path: Path) -> None:
    """A rebuild rewrites only the claims' pictures that changed (no copy, no fsync)."""
    out = tmp_path / "out"
    write_all(out, {"brief.html": b"1", "claims/a.svg": b"a", "claims/b.svg": b"b"})
    before = {n: (out / "claims" / n).stat().st_ino for n in ("a.svg", "b.svg")}
    written = write_all(out, {"brief.html": b"2", "claims/a.svg": b"a", "claims/b.svg": b"B"})
    assert written == [out / "brief.html", out / "claims" / "a.svg", out / "claims" / "b.svg"]
    assert (out / "claims" / "a.svg").stat().st_ino == before["a.svg"]  # the same file
    assert (out / "claims" / "b.svg").stat().st_ino != before["b.svg"]  # replaced
    assert (out / "claims" / "b.svg").read_bytes() == b"B"
    # a link with the same bytes behind it is replaced, never trusted
    (tmp_path / "elsewhere.svg").write_bytes(b"a")
    (out / "claims" / "a.svg").unlink()
    (out / "claims" / "a.svg").symlink_to(tmp_path / "elsewhere.svg")
    write_all(out, {"claims/a.svg": b"a"})
    assert not (out / "claims" / "a.svg").is_symlink()
