"""The path from nothing to one's own map, as a new user walks it: `argmap new DIR` in a fresh
folder, then each next step exactly as it was printed (check, an edit, build, watch starts)."""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from argmap.starter import GITIGNORE, SOURCE_FILE, invocation, new_map, next_steps
from tests.conftest import REPO

CONSOLE_SCRIPT = Path(sys.executable).parent / "argmap"


def printed_commands(stdout: str) -> dict[str, list[str]]:
    """The commands `argmap new` printed (indented lines), by subcommand, comments dropped."""
    found: dict[str, list[str]] = {}
    for line in stdout.splitlines():
        if line.startswith("  "):
            words = shlex.split(line, comments=True)
            sub = next(w for w in words if w in ("check", "build", "watch"))
            found[sub] = words
    return found


def run(words: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # as a user's shell
    return subprocess.run(
        words, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.mark.parametrize(
    "program",
    [
        pytest.param([str(CONSOLE_SCRIPT)], id="console-script"),
        pytest.param([sys.executable, "-m", "argmap"], id="python-m"),
    ],
)
def test_a_fresh_folder_to_a_built_and_watched_map(tmp_path: Path, program: list[str]) -> None:
    if program[0] == str(CONSOLE_SCRIPT) and not CONSOLE_SCRIPT.exists():
        pytest.skip("argmap's console script is not installed beside this Python")
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    done = run([*program, "new", "mymap"], fresh)
    assert done.returncode == 0, done.stderr
    folder = fresh / "mymap"
    assert sorted(p.name for p in folder.iterdir()) == [
        ".gitignore",
        "claims.schema.json",
        "claims.yaml",
        "sources",
    ]
    assert (folder / ".gitignore").read_text(encoding="utf-8") == GITIGNORE
    assert (folder / SOURCE_FILE).is_file()
    steps = printed_commands(done.stdout)
    assert set(steps) == {"check", "build", "watch"}, done.stdout
    assert all(words[-1] == "mymap/claims.yaml" for words in steps.values())

    checked = run(steps["check"], fresh)
    assert checked.returncode == 0, checked.stderr
    # the user's edit: a claim of their own, answered
    text = (folder / "claims.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "rebuttals:          #",
        "  - id: my-claim\n    text: My own claim.\n"
        "rebuttals:\n  - id: my-answer\n    rebuts: my-claim\n    text: An answer.\n#",
        1,
    )
    (folder / "claims.yaml").write_text(text, encoding="utf-8")
    built = run(steps["build"], fresh)
    assert built.returncode in (0, 3), built.stderr  # 3: no Graphviz here, the rest written
    brief = folder / "out" / "brief.html"
    assert "My own claim." in brief.read_text(encoding="utf-8")

    # watch as printed, on any free port (8000 may be taken on a shared machine)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    watching = subprocess.Popen(
        [*steps["watch"], "--port", "0"],
        cwd=fresh,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        preexec_fn=_ctrl_c_as_in_a_terminal,
    )
    try:
        assert watching.stdout is not None
        seen = []
        for _ in range(50):  # a bounded number of lines, not a clock
            line = watching.stdout.readline()
            if not line:
                break
            seen.append(line)
            if "serving the brief at http://127.0.0.1:" in line:
                break
        assert any("serving the brief" in line for line in seen), "".join(seen)
        assert any("claims.yaml: built" in line for line in seen), "".join(seen)
    finally:
        watching.send_signal(signal.SIGINT)  # Ctrl-C
        try:
            code: int | None = watching.wait(timeout=120)  # only stops a hang
        except subprocess.TimeoutExpired:
            watching.kill()
            watching.wait()
            code = None
    assert code in (0, 128 + signal.SIGINT), f"watch did not stop at Ctrl-C (exit {code})"


def _ctrl_c_as_in_a_terminal() -> None:
    """In the child: SIGINT as a terminal delivers it. A suite run as a background job inherits
    SIGINT ignored, and so would watch (Python then installs no KeyboardInterrupt handler):
    the test waited its whole timeout for a watch that never saw the Ctrl-C."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_next_steps_name_the_program_as_it_runs_from_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    venv = tmp_path / ".venv" / "bin"
    venv.mkdir(parents=True)
    script = venv / "argmap"
    script.write_text("#!/bin/sh\n", encoding="utf-8")
    monkeypatch.setattr(sys, "argv", [".venv/bin/argmap", "new", "d"])
    monkeypatch.setenv("PATH", "/nonexistent")
    assert invocation() == ".venv/bin/argmap"  # not on PATH: the path as typed
    script.chmod(0o755)
    monkeypatch.setenv("PATH", str(venv))
    monkeypatch.setattr(sys, "argv", [str(script), "new", "d"])
    assert invocation() == "argmap"  # found on PATH: the bare name
    monkeypatch.setattr(sys, "argv", [str(REPO / "argmap" / "__main__.py"), "new", "d"])
    assert invocation().endswith(" -m argmap")
    lines = next_steps(Path("my map/claims.yaml"), "argmap")
    assert "  argmap build 'my map/claims.yaml'" in lines[2]  # quoted for the shell


def test_new_on_a_folder_name_makes_the_folder_and_on_a_file_name_writes_that_file(
    tmp_path: Path,
) -> None:
    path, written = new_map(tmp_path / "a" / "b")
    assert path == tmp_path / "a" / "b" / "claims.yaml"
    assert tmp_path / "a" / "b" / ".gitignore" in written
    path, written = new_map(tmp_path / "other.yaml")
    assert path == tmp_path / "other.yaml" and path in written
    existing = tmp_path / "mine"
    existing.mkdir()
    (existing / ".gitignore").write_text("mine\n", encoding="utf-8")
    _, written = new_map(existing)
    assert (existing / ".gitignore").read_text(encoding="utf-8") == "mine\n", "kept"
    assert existing / ".gitignore" not in written
