"""Graphviz's `dot` as a process: started, bounded in time, and killed with argmap.

Every dot runs in a session of its own (so a wrapper script's children go too) and, on Linux,
with PR_SET_PDEATHSIG, so the kernel kills it when argmap dies, even by SIGKILL; an exception or
signal while waiting (the CLI turns SIGTERM and SIGHUP into SystemExit) kills every running dot
before it propagates (`stopping`), and no dot starts while that is done: a layout worker that
was starting one at the moment of the signal finds it killed at once, instead of leaving argmap
to wait for it on the way out (Python joins the workers' threads before it exits).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Final

from argmap.errors import MissingTool

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


def trim(stderr: bytes, limit: int = 1500) -> str:
    text = stderr.decode("utf-8", errors="replace").strip()
    return text if len(text) <= limit else "…" + text[-limit:]


_LIVE: set[subprocess.Popen[bytes]] = set()
_LIVE_LOCK = threading.Lock()  # guards _LIVE and _STOPPING
_STOPPING: list[int] = [0]  # how many `stopping` blocks are open: no dot may start meanwhile
STOPPED: Final = "argmap is stopping: Graphviz's dot was not started"


def run(cmd: list[str], stdin: bytes, timeout: float) -> bytes:
    """Run one dot command that writes files; its stderr."""
    return run_piped(cmd, stdin, timeout, keep_stdout=False)[1]


def run_piped(
    cmd: list[str], stdin: bytes, timeout: float, *, keep_stdout: bool = True
) -> tuple[bytes, bytes]:
    """Run one dot command; its stdout and stderr. MissingTool when dot is missing, fails or
    runs longer than `timeout` (then it is killed with whatever it started), or when argmap is
    stopping (`stopping`)."""
    if _stopping():
        raise MissingTool(STOPPED)
    try:
        proc = subprocess.Popen(  # noqa: S603 - dot's own command line, no shell
            cmd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE if keep_stdout else subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
            preexec_fn=die_with_parent(),  # only a prctl call: safe beside threads
        )
    except FileNotFoundError as e:
        raise MissingTool(INSTALL_HINT) from e
    except OSError as e:
        raise MissingTool(f"Graphviz's dot could not be run: {e}") from e
    with (
        _LIVE_LOCK
    ):  # one lock with `stopping`: a dot is either seen and killed there, or refused here
        refused = _STOPPING[0] > 0
        if not refused:
            _LIVE.add(proc)
    if refused:
        with proc:  # closes the pipes
            kill(proc)
        raise MissingTool(STOPPED)
    try:
        with proc:
            try:
                out, err = proc.communicate(stdin, timeout=timeout)
            except subprocess.TimeoutExpired as e:
                kill(proc)
                raise MissingTool(
                    f"Graphviz's dot ran longer than {timeout:g} s and was stopped; "
                    "allow it more time",
                    more_time=True,  # the command line says how
                ) from e
            except BaseException:
                kill(proc)
                raise
    finally:
        with _LIVE_LOCK:
            _LIVE.discard(proc)
    if proc.returncode:
        raise MissingTool(
            f"Graphviz's dot failed (exit {proc.returncode}): {trim(err) or 'no message'}"
        )
    return out or b"", err


def kill(proc: subprocess.Popen[bytes]) -> None:
    """Kill dot and whatever it started (its session), then reap it."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (AttributeError, OSError):  # no process groups (Windows), or gone already
        proc.kill()
    proc.wait()


def _stopping() -> bool:
    with _LIVE_LOCK:
        return _STOPPING[0] > 0


@contextlib.contextmanager
def stopping() -> Iterator[None]:
    """argmap is being stopped: kill every dot still running, and refuse to start one until the
    block ends (the caller waits there for its workers, each of which then ends at once)."""
    with _LIVE_LOCK:
        _STOPPING[0] += 1
        live = list(_LIVE)
    try:
        for proc in live:
            with contextlib.suppress(OSError):
                os.killpg(proc.pid, signal.SIGKILL)
        yield
    finally:
        with _LIVE_LOCK:
            _STOPPING[0] -= 1


def die_with_parent() -> Callable[[], None] | None:
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
_VERSION_LOCK: Final = threading.Lock()  # one `dot -V` at a time: the others wait for it


def dot_version(timeout: float) -> str | MissingTool:
    """`dot -V` (part of every cache key: another Graphviz lays out differently); remembered
    per PATH for the life of the process (watch rebuilds on every save)."""
    key = os.environ.get("PATH")
    with _VERSION_LOCK:
        if key not in _VERSIONS:
            try:
                found = run(["dot", "-V"], b"", timeout)
            except MissingTool as e:
                return e
            _VERSIONS[key] = found.decode("utf-8", "replace").strip()
        return _VERSIONS[key]


def ask_version(timeout: float) -> None:
    """Start `dot_version` in the background, so that the layout finds it known: a build asks
    at its start, and dot answers while the map is read and checked."""
    if os.environ.get("PATH") not in _VERSIONS:
        threading.Thread(target=dot_version, args=(timeout,), name="dot-V", daemon=True).start()
