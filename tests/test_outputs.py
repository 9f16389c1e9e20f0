"""Where outputs go: `-o` never writes over an input, a device or a pipe is written into and
never replaced, and two builds into one folder at once end with one whole set.

Each case runs the real command line (`python -m argmap`) on a copy of the seed map.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO

import pytest

from argmap.cli import CACHE
from argmap.write import LOCK, locked
from tests.conftest import run_argmap

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "tests" / "cases" / "seed"
SOURCE = "sources/virtualization-spat.txt"  # the seed map's source file
OUTPUTS = ["argmap.dot", "argmap.json", "argmap.png", "argmap.svg", "brief.html"]
WRITTEN = sorted([*OUTPUTS, "claims"])  # and claims/ID.svg, a picture per claim


def listed(out: Path) -> list[str]:
    """What a folder holds, without the layout cache (argmap.render.layout)."""
    return sorted(p.name for p in out.iterdir() if p.name != ".cache")


def argmap(
    *args: str | Path, cwd: Path, path: str | None = None
) -> subprocess.CompletedProcess[bytes]:
    """`argmap ARGS` in `cwd` (with `path` as PATH), in this process (`run_argmap`); output as
    bytes."""
    done = run_argmap(*args, cwd=cwd, path=path)
    return subprocess.CompletedProcess(
        done.args, done.returncode, done.stdout.encode(), done.stderr.encode()
    )


def argmap_process(
    *args: str | Path,
    cwd: Path,
    path: str | None = None,
    stdout: IO[bytes] | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """`python -m argmap ARGS` in `cwd` (with `path` as PATH), output as bytes: for the tests
    of a process's own descriptors, and of what must not hang."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    if path is not None:
        env["PATH"] = path
    done = subprocess.run(
        [sys.executable, "-m", "argmap", *map(str, args)],
        cwd=cwd,
        env=env,
        stdout=stdout or subprocess.PIPE,
        stderr=subprocess.PIPE,
        timeout=120,
        check=False,
    )
    assert b"Traceback" not in done.stderr, done.stderr
    return done


def start(*args: str | Path, cwd: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "argmap", *map(str, args)],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


@pytest.fixture
def seed(tmp_path: Path) -> Path:
    """A copy of the seed map, its source and the project's schema, in a fresh folder."""
    folder = tmp_path / "map"
    shutil.copytree(SEED, folder, ignore=shutil.ignore_patterns("argmap.*"))
    shutil.copy(REPO / "claims.schema.json", folder)
    return folder


def tree(folder: Path) -> dict[str, bytes | str]:
    """Every path under `folder` with its bytes (or what it is, if not a file)."""
    found: dict[str, bytes | str] = {}
    for p in sorted(folder.rglob("*")):
        if p.is_symlink():
            found[str(p)] = f"link to {os.readlink(p)}"
        elif p.is_file():
            found[str(p)] = p.read_bytes()
        else:
            found[str(p)] = "folder" if p.is_dir() else "other"
    return found


# --- -o never writes over an input ----------------------------------------------------------

COMMANDS = [
    ["brief"],
    ["diagram"],
    ["export", "--format", "json"],
    ["export", "--format", "dot"],
    ["export", "--format", "html"],
    ["export", "--format", "png"],
]


@pytest.mark.needs_dot
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
@pytest.mark.parametrize(
    ("target", "said"),
    [
        ("claims.yaml", "is the map (claims.yaml)"),
        ("./claims.yaml", "is the map (claims.yaml)"),
        ("claims.schema.json", "is the map's schema"),
        (SOURCE, "is the file of source 'spat-article'"),
    ],
)
def test_o_never_writes_over_an_input(
    seed: Path, command: list[str], target: str, said: str
) -> None:
    before = tree(seed)
    done = argmap(*command, "claims.yaml", "-o", target, cwd=seed)
    assert done.returncode == 2, done.stderr
    err = done.stderr.decode()
    assert said in err
    assert "argmap never writes over its inputs" in err
    assert done.stdout == b""
    assert tree(seed) == before  # nothing written, not even a temporary file


@pytest.mark.needs_dot
def test_o_is_refused_before_the_work_of_drawing(seed: Path, tmp_path: Path) -> None:
    """With a `dot` that fails, the refusal still comes first: dot never runs."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "dot").write_text("#!/bin/sh\nexit 9\n")
    (bin_dir / "dot").chmod(0o755)
    done = argmap(
        "diagram",
        "-o",
        "claims.yaml",
        cwd=seed,
        path=str(bin_dir),
    )
    assert done.returncode == 2, done.stderr  # not 3: dot never ran


def test_a_hard_link_to_the_map_and_the_map_given_as_a_link_are_refused(seed: Path) -> None:
    os.link(seed / "claims.yaml", seed / "same.yaml")
    (seed / "link.yaml").symlink_to("claims.yaml")
    before = tree(seed)
    done = argmap("export", "--format", "json", "claims.yaml", "-o", "same.yaml", cwd=seed)
    assert done.returncode == 2
    assert b"is the map (claims.yaml)" in done.stderr
    done = argmap("export", "--format", "json", "link.yaml", "-o", "link.yaml", cwd=seed)
    assert done.returncode == 2
    assert b"is the map (link.yaml)" in done.stderr
    assert tree(seed) == before


def test_a_link_to_the_map_as_output_is_replaced_and_the_map_kept(seed: Path) -> None:
    """A link is replaced, not followed (as in an output folder), so the map stays."""
    (seed / "other.json").symlink_to("claims.yaml")
    map_text = (seed / "claims.yaml").read_bytes()
    done = argmap("export", "--format", "json", "claims.yaml", "-o", "other.json", cwd=seed)
    assert done.returncode == 0, done.stderr
    assert not (seed / "other.json").is_symlink()
    assert json.loads((seed / "other.json").read_bytes())["format"] == "argmap/1"
    assert (seed / "claims.yaml").read_bytes() == map_text


def test_build_into_the_folder_of_a_source_named_like_an_output_is_refused(seed: Path) -> None:
    text = (seed / "claims.yaml").read_text()
    (seed / "claims.yaml").write_text(text.replace(SOURCE, "argmap.json"))
    shutil.copy(seed / SOURCE, seed / "argmap.json")
    before = tree(seed)
    done = argmap("build", "-o", ".", cwd=seed, path="")
    assert done.returncode == 2, done.stderr
    assert b"argmap.json is the file of source 'spat-article' (argmap.json)" in done.stderr
    assert tree(seed) == before  # not even brief.html


def test_schema_replaces_only_a_schema(seed: Path) -> None:
    before = tree(seed)
    done = argmap("schema", "-o", "claims.yaml", cwd=seed)
    assert done.returncode == 2
    assert b"replaces only an earlier schema" in done.stderr
    assert tree(seed) == before
    (seed / "claims.schema.json").write_text('{"$id": "urn:argmap:claims-yaml:1"}')
    assert argmap("schema", "-o", "claims.schema.json", cwd=seed).returncode == 0
    assert (seed / "claims.schema.json").read_bytes() == (REPO / "claims.schema.json").read_bytes()
    assert argmap("schema", "-o", "new.json", cwd=seed).returncode == 0
    assert (seed / "new.json").read_bytes() == (REPO / "claims.schema.json").read_bytes()


# --- devices, pipes and /dev/stdout are written into, never replaced --------------------------


def make_null(folder: Path) -> Path:
    """A character device like /dev/null (major 1, minor 3), made in `folder`; root only."""
    if os.geteuid() != 0:
        pytest.skip("making a device node needs root")
    node = folder / "null"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("this system does not let root make device nodes here")
    return node


def assert_still_null(node: Path) -> None:
    st = node.lstat()
    assert stat.S_ISCHR(st.st_mode), "the device was replaced"
    assert (os.major(st.st_rdev), os.minor(st.st_rdev)) == (1, 3)


@pytest.mark.parametrize(
    "command",
    [["brief", "claims.yaml"], ["export", "--format", "json", "claims.yaml"], ["schema"]],
    ids=" ".join,
)
def test_a_character_device_is_written_into_not_replaced(
    seed: Path, tmp_path: Path, command: list[str]
) -> None:
    devices = tmp_path / "dev"
    devices.mkdir()
    null = make_null(devices)
    (devices / "null-link").symlink_to(null)
    for target in (null, devices / "null-link"):
        done = argmap(*command, "-o", target, cwd=seed, path="")
        assert done.returncode in (0, 3), done.stderr  # 3: no dot, the brief says so
        assert done.stdout == b""
        assert_still_null(null)
    assert (devices / "null-link").is_symlink()
    assert sorted(p.name for p in devices.iterdir()) == ["null", "null-link"]  # no temporary file


def read_fifo(fifo: Path, got: list[bytes]) -> threading.Thread:
    def reader() -> None:
        with fifo.open("rb") as f:  # waits for a writer
            got.append(f.read())

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    return thread


def release(fifo: Path, thread: threading.Thread) -> None:
    """Let a reader that no writer came to finish (so a failing test cannot hang)."""
    if thread.is_alive():
        with contextlib.suppress(OSError):
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    thread.join(30)
    assert not thread.is_alive()


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (["export", "--format", "json", "claims.yaml"], "argmap.json"),
        (["export", "--format", "dot", "claims.yaml"], "argmap.dot"),
        (["schema"], None),
    ],
)
def test_a_fifo_is_written_into_not_replaced(
    seed: Path, tmp_path: Path, command: list[str], expected: str | None
) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    thread = read_fifo(fifo, got)
    try:
        done = argmap_process(*command, "-o", fifo, cwd=seed)
    finally:
        release(fifo, thread)
    assert done.returncode == 0, done.stderr
    assert done.stdout == b""
    assert stat.S_ISFIFO(fifo.lstat().st_mode), "the pipe was replaced"
    whole = (SEED / expected) if expected else (REPO / "claims.schema.json")
    assert got == [whole.read_bytes()]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map", "pipe"]


@pytest.mark.parametrize("target", ["/dev/fd/1", "/proc/self/fd/1"])
def test_standard_output_by_name_is_written_through_not_reopened(
    seed: Path, tmp_path: Path, target: str
) -> None:
    """`-o /dev/fd/1 >> log` appends to log, as the shell arranged; nothing else is printed.
    (/dev/stdout is the same name to argmap; it is not tried here, because a regression run
    as root would replace the machine's /dev/stdout.)"""
    log = tmp_path / "log"
    log.write_bytes(b"before\n")
    with log.open("ab") as out:
        done = argmap_process("export", "--format", "json", "-o", target, cwd=seed, stdout=out)
    assert done.returncode == 0, done.stderr
    assert log.read_bytes() == b"before\n" + (SEED / "argmap.json").read_bytes()
    piped = argmap_process("export", "--format", "dot", "-o", target, cwd=seed)
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout == (SEED / "argmap.dot").read_bytes()


def test_dev_stdout_is_one_of_argmaps_own_descriptors() -> None:
    from argmap.write.streams import own_fd as _own_fd

    assert [
        _own_fd(Path(p)) for p in ("/dev/stdout", "/dev/stderr", "/dev/fd/7", "/dev/./stdout")
    ] == [1, 2, 7, 1]
    assert _own_fd(Path("/dev/null")) is None
    assert _own_fd(Path("/proc/1/fd/1")) is None


def test_a_fifo_in_an_output_folder_is_refused_not_waited_on(seed: Path) -> None:
    (seed / "out").mkdir()
    os.mkfifo(seed / "out" / "brief.html")
    done = argmap_process("build", cwd=seed, path="")
    assert done.returncode == 2
    assert b"it is a pipe (FIFO), and argmap replaces only files" in done.stderr
    assert stat.S_ISFIFO((seed / "out" / "brief.html").lstat().st_mode)
    assert sorted(p.name for p in (seed / "out").iterdir() if p.name != CACHE) == ["brief.html"]


# --- two builds into one folder ---------------------------------------------------------------


def second_map(seed: Path) -> Path:
    """Another map beside the seed, with another title and fewer points."""
    other = seed / "other.yaml"
    other.write_text(
        "title: The other map\nclaims:\n  - id: only\n    text: The only point.\n",
        encoding="utf-8",
    )
    return other


def titles(out: Path) -> set[str]:
    """The map title each output in `out` was built from."""
    found = {json.loads((out / "argmap.json").read_bytes())["title"]}
    for name in ("argmap.dot", "argmap.svg", "brief.html"):
        text = (out / name).read_text(encoding="utf-8")
        found |= {t for t in ("The other map", "The virtualization spat") if t in text}
    return found


@pytest.mark.needs_dot
def test_a_build_waits_while_another_writes_into_the_same_folder(
    seed: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert argmap("build", "-o", out, cwd=seed).returncode == 0
    first = {n: (out / n).read_bytes() for n in OUTPUTS}
    with locked(out):
        build = start("build", "other.yaml", "-o", out, cwd=second_map(seed).parent)
        try:
            assert build.stderr
            # Read until it says it waits; b"" (the end) if it finished without waiting.
            while (line := build.stderr.readline()) and b"another argmap" not in line:
                pass
            assert b"another argmap is writing into" in line
            assert b"waiting for it to finish" in line
            assert {n: (out / n).read_bytes() for n in OUTPUTS} == first
            assert listed(out) == sorted([*WRITTEN, LOCK])
        except BaseException:
            build.kill()
            raise
    _, err = build.communicate(timeout=120)
    assert build.returncode == 0, err
    assert titles(out) == {"The other map"}
    assert listed(out) == WRITTEN  # the lock file is gone too


LOOP = """
import sys
from argmap.cli import main
for _ in range(int(sys.argv[2])):
    assert main(["build", sys.argv[1], "-o", sys.argv[3]]) == 0
"""


@pytest.mark.needs_dot
def test_two_builds_of_different_maps_into_one_folder_end_with_one_whole_set(
    seed: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    second_map(seed)
    builders = [
        subprocess.Popen(
            [sys.executable, "-c", LOOP, name, "6", str(out)],
            cwd=seed,
            env={**os.environ, "PYTHONPATH": str(REPO)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for name in ("claims.yaml", "other.yaml")
    ]
    try:
        for b in builders:
            _, err = b.communicate(timeout=300)
            assert b.returncode == 0, err
    finally:
        for b in builders:
            b.kill()
    assert len(titles(out)) == 1
    assert listed(out) == WRITTEN
