"""Run one target under atheris (libFuzzer), in this process: `python -m fuzz.harness TARGET`.

Each input gets `CPU_PER_INPUT` seconds of CPU (`setitimer(ITIMER_VIRTUAL)`: CPU time, not
wall-clock time, so a loaded machine does not make findings up); past that the input is a
runaway and a finding. libFuzzer's own `-timeout` (wall-clock, generous) only catches what a
Python signal cannot interrupt, such as a read that blocks. Known findings that another part
of the project still has to fix (`known.txt`) are counted and let through, so a run goes on to find
new ones; `python -m fuzz` prints how many times each was met.

Findings are written by libFuzzer as `crash-*`, `timeout-*` or `oom-*` files into the
artifact folder that `python -m fuzz` gives (`fuzz/work/TARGET/`).
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import json
import os
import re
import signal
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Final

CPU_PER_INPUT: Final = float(os.environ.get("FUZZ_CPU_PER_INPUT", "3"))
KNOWN_FILE: Final = Path(__file__).resolve().parent / "known.txt"


def known() -> tuple[tuple[str, str, str], ...]:
    """`known.txt`: `TARGET|EXCEPTION TYPE|TEXT IN ITS MESSAGE` per line (`#` comments):
    findings reported and owned by another part of the project, let through until fixed."""
    found = []
    for line in KNOWN_FILE.read_text(encoding="utf-8").splitlines():
        line = line.split("  #", 1)[0].strip()
        if line and not line.startswith("#") and line.count("|") >= 2:
            target, kind, text = line.split("|", 2)
            found.append((target, kind, text))
    return tuple(found)


INSTRUMENTED: Final = (
    "yaml",
    "argmap.load",
    "argmap.validate",
    "argmap.evaluate",
    "argmap.interchange.importer",
    "argmap.interchange.aif",
    "argmap.interchange.argdown_in",
    "argmap.interchange.argdown_json",
    "argmap.interchange.kialo",
    "argmap.interchange.convert",
    "argmap.render.layout",
    "argmap.render.cache",
    "argmap.interchange.xaif",
)
# FUZZ_KEEP_GOING=DIR: write each new finding there (a few per place in the code) and go on,
# so that one run finds more than its first crash.
KEEP_GOING: Final = os.environ.get("FUZZ_KEEP_GOING")
SAME_PLACE: Final = 3  # findings kept per exception type and line that raised it
KNOWN_FINDINGS: list[tuple[str, str, str]] = []


class Runaway(BaseException):
    """An input took more than `CPU_PER_INPUT` seconds of CPU (a BaseException: argmap's own
    `except Exception` must not swallow it)."""


def _stop(_signum: int, _frame: FrameType | None) -> None:
    raise Runaway(f"more than {CPU_PER_INPUT:g} s of CPU for one input")


def _keep(error: BaseException, data: bytes, folder: Path) -> None:
    tb = traceback.extract_tb(error.__traceback__)
    where = f"{tb[-1].filename}:{tb[-1].lineno}" if tb else "?"
    said = re.sub(r"'[^']*'|\"[^\"]*\"|\d+", "", str(error))[:100]  # the message's template
    place = hashlib.sha256(f"{type(error).__name__} {where} {said}".encode()).hexdigest()[:12]
    if len(list(folder.glob(f"crash-{place}-*.txt"))) >= SAME_PLACE:
        return
    digest = hashlib.sha256(data).hexdigest()[:12]
    (folder / f"crash-{place}-{digest}").write_bytes(data)
    lines = traceback.format_exception(error)
    (folder / f"crash-{place}-{digest}.txt").write_text("".join(lines[-12:]), encoding="utf-8")


def bounded(
    target: Callable[[bytes], None], name: str, known_log: Path | None = None
) -> Callable[[bytes], None]:
    """`target` (named `name` in `known.txt`) with the CPU bound; known findings are counted
    into `known_log` and let through."""
    signal.signal(signal.SIGVTALRM, _stop)
    KNOWN_FINDINGS[:] = known()

    def one(data: bytes) -> None:
        start = time.process_time()
        signal.setitimer(signal.ITIMER_VIRTUAL, CPU_PER_INPUT)
        try:
            target(data)
        except (Exception, Runaway) as e:
            kind, text = type(e).__name__, str(e)
            for k_target, k_kind, k_text in KNOWN_FINDINGS:
                if k_target in (name, "*") and k_kind == kind and k_text in text:
                    if known_log is not None:
                        with known_log.open("a", encoding="utf-8") as f:
                            f.write(json.dumps([kind, k_text]) + "\n")
                    return
            if KEEP_GOING is None:
                raise
            _keep(e, data, Path(KEEP_GOING))
        finally:
            signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        spent = time.process_time() - start
        if spent > CPU_PER_INPUT * 1.5:  # the signal was swallowed somewhere
            raise Runaway(f"{spent:.1f} s of CPU for one input")

    one.__name__ = name
    return one


def main(argv: list[str]) -> None:
    import atheris

    target_name, *libfuzzer = argv
    with atheris.instrument_imports(include=["argmap", "yaml"]):  # coverage of these
        for module in INSTRUMENTED:
            with contextlib.suppress(ImportError):  # modules of other versions of argmap
                importlib.import_module(module)
    from fuzz.targets import TARGETS

    known_log = os.environ.get("FUZZ_KNOWN_LOG")
    one = bounded(TARGETS[target_name], target_name, Path(known_log) if known_log else None)
    atheris.Setup([sys.argv[0], *libfuzzer], one)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv[1:])
