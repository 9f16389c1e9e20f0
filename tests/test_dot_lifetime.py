"""dot never outlives argmap (issue 11, item 4): ended by SIGTERM, SIGHUP or even SIGKILL while
dot lays a picture out, argmap takes its dot with it. Through the real CLI, with a `dot` that
never finishes (it records its process id, then sleeps); every wait is a counted number of
short polls, never a wall-clock assertion."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX signals")

MAP = """\
title: A map whose picture takes forever
claims:
  - {id: c1, text: One claim.}
rebuttals:
  - {id: r1, rebuts: c1, text: One rebuttal.}
"""
POLLS = 1200  # of 0.05 s: a minute at most on a machine that is very busy


def gone(pid: int) -> bool:
    """The process has ended (a zombie whose reaper is slow counts as ended)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return True
    return fields[0] == "Z"


def poll(condition: object, what: str) -> None:
    for _ in range(POLLS):
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.05)
    pytest.fail(f"{what}: not after {POLLS} polls")


@pytest.fixture
def stuck_dot(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A map, and an environment whose `dot` answers -V and otherwise sleeps forever."""
    folder = tmp_path / "bin"
    folder.mkdir()
    pids = tmp_path / "pids"
    pids.mkdir()
    script = folder / "dot"
    script.write_text(
        "#!/bin/sh\n"
        'case "$*" in *-V*) echo "dot - graphviz version 0 (stuck)" >&2; exit 0;; esac\n'
        f'touch "{pids}/$$"\n'
        f"exec {shutil.which('sleep')} 600\n"
    )
    script.chmod(0o755)
    (tmp_path / "claims.yaml").write_text(MAP)
    env = {**os.environ, "PATH": f"{folder}:{os.environ['PATH']}", "PYTHONUNBUFFERED": "1"}
    return tmp_path, env


SIGNALS = [
    pytest.param(signal.SIGTERM, 128 + signal.SIGTERM, id="SIGTERM"),
    pytest.param(signal.SIGHUP, 128 + signal.SIGHUP, id="SIGHUP"),
    pytest.param(
        signal.SIGKILL,
        -signal.SIGKILL,
        id="SIGKILL",
        marks=pytest.mark.skipif(
            not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's"
        ),
    ),
]


@pytest.mark.parametrize(("sig", "status"), SIGNALS)
def test_dot_dies_with_argmap(
    stuck_dot: tuple[Path, dict[str, str]], sig: signal.Signals, status: int
) -> None:
    folder, env = stuck_dot
    cmd = [sys.executable, "-m", "argmap", "build", str(folder / "claims.yaml")]
    argmap = subprocess.Popen(
        [*cmd, "--dot-timeout", "3600"], env=env, stderr=subprocess.PIPE, cwd=folder
    )
    try:
        poll(lambda: any((folder / "pids").iterdir()), "dot did not start")
        dots = [int(p.name) for p in (folder / "pids").iterdir()]
        assert not any(gone(pid) for pid in dots), "dot is running while argmap waits"
        argmap.send_signal(sig)
        _, err = argmap.communicate(timeout=120)
    finally:
        if argmap.poll() is None:
            argmap.kill()
            argmap.wait()
    assert argmap.returncode == status, err.decode(errors="replace")
    assert b"Traceback" not in err
    dots = [int(p.name) for p in (folder / "pids").iterdir()]  # a second may have started since
    for pid in dots:
        poll(lambda pid=pid: gone(pid), f"dot (pid {pid}) outlived argmap ({sig.name})")
    assert not (folder / "out" / "argmap.svg").exists()


def test_a_dot_started_as_argmap_stops_is_killed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The race behind a flaky SIGHUP test: a layout worker had started its dot (Popen had
    returned) but not yet listed it when the signal's handler killed the listed ones; argmap
    then waited for that dot on the way out, since Python joins the worker threads before it
    exits. Here the worker is held at exactly that moment while `stopping` runs: its dot must
    be killed at once, and no dot may start after."""
    import threading

    from argmap.errors import MissingTool
    from argmap.render import dot_process

    started, go = threading.Event(), threading.Event()
    real_popen = subprocess.Popen
    children: list[int] = []

    def held_popen(*args: object, **kwargs: object) -> subprocess.Popen[bytes]:
        proc = real_popen(*args, **kwargs)  # type: ignore[call-overload]
        children.append(proc.pid)
        started.set()
        go.wait()
        return proc  # type: ignore[no-any-return]

    monkeypatch.setattr(subprocess, "Popen", held_popen)
    outcome: list[BaseException | bytes] = []

    def worker() -> None:
        try:
            outcome.append(
                dot_process.run_piped([shutil.which("sleep") or "sleep", "600"], b"", 3600)[0]
            )
        except BaseException as e:  # handed to the test
            outcome.append(e)

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        assert started.wait(120), "the worker did not start its process"
        with dot_process.stopping():
            go.set()
            thread.join(120)  # only stops a hang: the assertions below are on the process
            assert not thread.is_alive(), "the worker still waits for a dot nobody killed"
            with pytest.raises(MissingTool, match="stopping"):
                dot_process.run_piped(["dot", "-V"], b"", 60)  # none starts meanwhile
    finally:
        go.set()
        for pid in children:
            if not gone(pid):
                os.kill(pid, signal.SIGKILL)
        thread.join(120)
    assert len(outcome) == 1 and isinstance(outcome[0], MissingTool), outcome
    assert "stopping" in str(outcome[0])
    poll(lambda: gone(children[0]), "the dot started as argmap stopped outlived it")
