"""Shared pytest setup: the `needs_dot` marker for tests that run Graphviz's real `dot`."""

from __future__ import annotations

import shutil

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "needs_dot: runs Graphviz's real dot (skipped without it)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if shutil.which("dot") is None:
        skip = pytest.mark.skip(reason="Graphviz's dot is not on PATH")
        for item in items:
            if "needs_dot" in item.keywords:
                item.add_marker(skip)
