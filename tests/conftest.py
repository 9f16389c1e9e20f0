"""Shared pytest setup and helpers.

- the `needs_dot` marker for tests that run Graphviz's real `dot`, and the browser fixtures;
- helpers the test modules import (`from tests.conftest import run_argmap, write_file, Page`):
  run the command line as a user would, write a test file, parse a brief's HTML, the
  repository's valid maps (`repository_maps`).
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Final

import pytest
from hypothesis import settings

REPO = Path(__file__).resolve().parent.parent


def run_argmap(
    *args: str | Path,
    cwd: Path,
    path: str | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """`argmap ARGS` run in this process through `argmap.cli.main`, as a user would run it in
    `cwd`, with `path` as PATH and `env` added to the environment (both put back afterwards);
    its exit code and what it printed, as `subprocess.run` gives them. A traceback fails the
    test: argmap answers every input in words. `run_argmap_process` is the same in a new
    Python process, for the tests where the process is the point (a hang, a signal, a FIFO)."""
    from argmap.cli import main

    out, err = _Stream(), _Stream()
    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    os.environ.update(env or {})
    if path is not None:
        os.environ["PATH"] = path
    try:
        os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main([str(a) for a in args])
            except SystemExit as stop:  # argparse's usage errors and --help
                code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 2)
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
    done = subprocess.CompletedProcess(list(map(str, args)), code, out.text(), err.text())
    assert "Traceback" not in done.stdout + done.stderr, done.stderr
    return done


class _Stream(io.TextIOWrapper):
    """A text stream with a byte buffer under it (`sys.stdout.buffer` is written by exports to
    `-o -`), read back as text the way `subprocess.run(text=True)` decodes it."""

    def __init__(self) -> None:
        self._bytes = io.BytesIO()
        super().__init__(self._bytes, encoding="utf-8", errors="surrogateescape", newline="")

    def text(self) -> str:
        self.flush()
        return self._bytes.getvalue().decode("utf-8", "replace").replace("\r\n", "\n")


def run_argmap_process(
    *args: str | Path,
    cwd: Path,
    path: str | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    """`python -m argmap ARGS` in `cwd`, with this checkout first on the import path, `path` as
    PATH and `env` added: for the tests where a real process is the point. A traceback fails
    the test. (`timeout` only stops a hang; no test asserts how long a run takes.)"""
    environ = {
        **os.environ,
        **(env or {}),
        "PYTHONPATH": os.pathsep.join([str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])]),
    }
    if path is not None:
        environ["PATH"] = path
    done = subprocess.run(
        [sys.executable, "-m", "argmap", *map(str, args)],
        cwd=cwd,
        env=environ,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert "Traceback" not in done.stdout + done.stderr, done.stderr
    return done


def write_file(folder: Path, text: str | bytes, name: str = "m.yaml") -> Path:
    """`text` written to `folder/name` (folders made as needed); its path."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@functools.cache
def repository_maps() -> tuple[Path, ...]:
    """The repository's valid maps: the seed, every golden case (tests/cases/) and each map of
    the hostile corpus (tests/hostile/) that validates, in that order."""
    from argmap.errors import InvalidMap
    from argmap.pipeline import check

    found = [REPO / "claims.yaml", *sorted((REPO / "tests" / "cases").glob("*/claims.yaml"))]
    for path in sorted((REPO / "tests" / "hostile").glob("*/claims.yaml")):
        try:
            check(path)
        except (InvalidMap, OSError):  # the corpus is mostly invalid maps, on purpose
            continue
        found.append(path)
    return tuple(found)


def map_id(path: Path) -> str:
    """A repository map's name in test ids: "seed", "case-NAME" or "hostile-NAME"."""
    if path == REPO / "claims.yaml":
        return "seed"
    return f"{'case' if path.parent.parent.name == 'cases' else 'hostile'}-{path.parent.name}"


def cpu_of_children() -> float:
    """CPU seconds (user + system) used so far by the finished child processes: a bound on a
    child's work that a busy machine does not make fail."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class Page(HTMLParser):
    """A brief as the tests see it: tags with their attributes, how often each id occurs,
    heading levels, visible text, and the bodies of scripts and styles."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.ids: dict[str, int] = {}
        self.headings: list[int] = []
        self.text: list[str] = []
        self.code: list[str] = []
        self._in: str | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        self.tags.append((tag, found))
        if "id" in found:
            self.ids[found["id"]] = self.ids.get(found["id"], 0) + 1
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag in ("script", "style"):
            self._in = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        (self.code if self._in else self.text).append(data)

    def hrefs(self) -> list[str]:
        return [a[k] for _, a in self.tags for k in ("href", "xlink:href") if k in a]

    def words(self) -> str:
        return " ".join("".join(self.text).split())


# In CI the property tests run derandomized: a submission lands or fails on the same examples
# every time. Locally they explore new examples on every run.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "needs_dot: runs Graphviz's real dot (skipped without it)")
    config.addinivalue_line("markers", "argdown: runs the real Argdown parser (Node.js)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if shutil.which("dot") is None:
        skip = pytest.mark.skip(reason="Graphviz's dot is not on PATH")
        for item in items:
            if "needs_dot" in item.keywords:
                item.add_marker(skip)


# Browser tests (`@pytest.mark.browser`, tests/test_browser.py) drive Debian's Chromium through
# Playwright. Without either, they skip and say why; with ARGMAP_REQUIRE_BROWSER=1 (CI) they
# fail instead, so that a CI run can never pass without having run them.


def chromium_path() -> str | None:
    """Debian's Chromium (never a browser downloaded by Playwright), or None."""
    path: str | None = _CHROMIUM.find_chromium()
    return path


def browser_problem() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    import importlib.util

    if importlib.util.find_spec("playwright") is None:
        return "Playwright is not installed: pip install -e '.[browser]' (make test does it)"
    if chromium_path() is None:
        return "Chromium is not installed: apt-get install chromium (make test does it as root)"
    return None


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("argdown") is not None:
        _require("Argdown", argdown_problem(), "ARGMAP_REQUIRE_ARGDOWN")
    if item.get_closest_marker("browser") is None:
        return
    problem = browser_problem()
    if problem is None:
        return
    if os.environ.get("ARGMAP_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{problem} (ARGMAP_REQUIRE_BROWSER=1: browser tests must run)", pytrace=False)
    pytest.skip(problem)


def _load_chromium_module() -> Any:
    """scripts/chromium.py (scripts/ is not a package): the one list of Chromium's flags."""
    import importlib.util

    path = Path(__file__).resolve().parent.parent / "scripts" / "chromium.py"
    spec = importlib.util.spec_from_file_location("argmap_dev_chromium", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_CHROMIUM = _load_chromium_module()
CHROMIUM_ARGS: list[str] = _CHROMIUM.CHROMIUM_ARGS


@pytest.fixture(scope="session")
def browser(chromium_executable: str) -> Iterator[Any]:
    """One headless Chromium for the whole run, shared by every module that drives a page
    (Playwright's sync API allows one running instance per thread). Debian's Chromium:
    Playwright never downloads one."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=chromium_executable, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    """The path of Chromium, for tests marked `browser` (the setup hook above checks it)."""
    path = chromium_path()
    if path is None:  # only reached by a test that uses it without the `browser` marker
        pytest.skip("Chromium is not installed: apt-get install chromium")
    return path


# Argdown tests (`@pytest.mark.argdown`) judge argmap's Argdown export with the real Argdown
# parser: the npm package @argdown/cli, pinned in tests/argdown/ and installed there by
# scripts/ensure-argdown (`make test` runs it). Without Node or the package they skip and say
# why; with ARGMAP_REQUIRE_ARGDOWN=1 (CI) they fail instead.

ARGDOWN_DIR = Path(__file__).resolve().parent / "argdown"
ARGDOWN_CLI = ARGDOWN_DIR / "node_modules" / ".bin" / "argdown"
# @argdown/cli 2.0.0 fails to set up its markdown command with the pinned markdown-it plugin
# and says so on stderr at every start; the `json` command is unaffected.
_ARGDOWN_NOISE = re.compile(r"TypeError: createArgdownPlugin is not a function|^\s+at |^\s*$")


def argdown_problem() -> str | None:
    """Why the Argdown tests cannot run here, or None when they can."""
    if shutil.which("node") is None:
        return "Node.js is not installed: apt-get install nodejs npm (make test does it as root)"
    if not ARGDOWN_CLI.exists():
        return "the Argdown parser is not installed: run scripts/ensure-argdown (make test does)"
    return None


def _require(marker: str, problem: str | None, variable: str) -> None:
    if problem is None:
        return
    if os.environ.get(variable) == "1":
        pytest.fail(f"{problem} ({variable}=1: {marker} tests must run)", pytrace=False)
    pytest.skip(problem)


@pytest.fixture(scope="session")
def argdown_json(tmp_path_factory: pytest.TempPathFactory) -> Callable[[dict[str, str]], Any]:
    """Run the real `argdown json` once over several Argdown texts; their JSON by name."""

    def run(texts: dict[str, str]) -> dict[str, Any]:
        _require("Argdown", argdown_problem(), "ARGMAP_REQUIRE_ARGDOWN")
        folder = tmp_path_factory.mktemp("argdown")
        (folder / "in").mkdir()
        for name, text in texts.items():
            (folder / "in" / f"{name}.argdown").write_text(text, encoding="utf-8")
        done = subprocess.run(
            [str(ARGDOWN_CLI), "json", str(folder / "in" / "*.argdown"), str(folder / "out")],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        noise = [ln for ln in done.stderr.splitlines() if not _ARGDOWN_NOISE.search(ln)]
        assert done.returncode == 0, done.stdout + done.stderr
        assert not noise, "\n".join(noise)
        out = {}
        for name in texts:
            path = folder / "out" / f"{name}.json"
            assert path.exists(), f"argdown json wrote no {path.name}: {done.stdout}"
            out[name] = json.loads(path.read_text(encoding="utf-8"))
        return out

    return run


PAGE_POLLS: Final = (
    1500  # looks, 20 ms apart, before a wait gives up (a bound on a hang, not a timing)
)


def wait_until(page: Any, predicate: str, arg: Any = None) -> None:
    """Wait until `predicate` (a JavaScript function, or an expression) holds in the page.

    Playwright's `wait_for_function` compiles its predicate inside the page when it has to poll,
    which the brief's Content-Security-Policy (no 'unsafe-eval') refuses: a wait that was not
    already true failed now and then. `page.evaluate` is run by the browser itself, outside the
    page's policy, so the polling is done from here."""
    script = predicate if "=>" in predicate else f"() => ({predicate})"
    for _ in range(PAGE_POLLS):
        if page.evaluate(script, arg):
            return
        page.wait_for_timeout(20)
    raise AssertionError(f"never true in the page: {predicate}")
