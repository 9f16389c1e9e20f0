"""Shared pytest setup: the `needs_dot` marker for tests that run Graphviz's real `dot`."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import settings

# In CI the property tests run derandomized: a submission lands or fails on the same examples
# every time. Locally they explore new examples on every run.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "needs_dot: runs Graphviz's real dot (skipped without it)")


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
    if item.get_closest_marker("browser") is None:
        return
    problem = browser_problem()
    if problem is None:
        return
    import os

    if os.environ.get("ARGMAP_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{problem} (ARGMAP_REQUIRE_BROWSER=1: browser tests must run)", pytrace=False)
    pytest.skip(problem)


def _load_chromium_module() -> Any:
    """scripts/chromium.py (scripts/ is not a package): the one list of Chromium's flags."""
    import importlib.util
    from pathlib import Path

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
