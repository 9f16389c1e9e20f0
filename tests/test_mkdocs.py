"""The MkDocs plugin: a real MkDocs site built by the `mkdocs` command, its pages opened in
headless Chromium; and `mkdocs serve` rebuilding a page when the map it shows changes."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from html import unescape
from pathlib import Path
from typing import Any, Final

import pytest

pytest.importorskip("mkdocs", reason="needs the mkdocs extra: pip install -e '.[mkdocs]'")

from tests.conftest import REPO

pytestmark = pytest.mark.needs_dot

HOSTILE: Final = """\
title: "<script>window.pwned = 1</script> Title"
claims:
  - id: evil
    text: "<img src=x onerror=\\"window.pwned = 2\\"> & </div></figure><b>bold</b>"
rebuttals:
  - id: answer
    rebuts: evil
    text: "```\\n</p><script>window.pwned = 3</script>"
"""
PAGE: Final = """\
# Reading the spat

Before the map.

```argmap
map: ../claims.yaml
```

One claim only:

~~~argmap
map: ../claims.yaml
claim: blow-for-blow
~~~

A hostile map:

```argmap
hostile.yaml
```

A map with errors:

```argmap
map: broken.yaml
```

After the maps.
"""


def make_site(folder: Path) -> Path:
    shutil.copy(REPO / "claims.yaml", folder / "claims.yaml")
    shutil.copytree(REPO / "sources", folder / "sources")
    docs = folder / "docs"
    docs.mkdir()
    (docs / "index.md").write_text(PAGE, encoding="utf-8")
    (docs / "hostile.yaml").write_text(HOSTILE, encoding="utf-8")
    (docs / "broken.yaml").write_text("title: <b>x</b>\nclaims:\n  - id: a\n    txt: A.\n")
    # (MkDocs' own theme fetches highlight.js from a CDN unless told not to.)
    (folder / "mkdocs.yml").write_text(
        "site_name: Maps\ntheme:\n  name: mkdocs\n  highlightjs: false\nplugins:\n  - argmap\n"
    )
    return folder


def mkdocs(*args: str, cwd: Path, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        **kwargs,
    )


@pytest.mark.browser
def test_a_page_shows_the_maps_and_escapes_hostile_text(tmp_path: Path, browser: Any) -> None:
    site = make_site(tmp_path)
    done = mkdocs("build", "-d", "site", cwd=site)
    assert done.returncode == 0, done.stderr
    assert "broken.yaml:4:5: error:" in done.stderr  # a map's errors are logged as warnings
    assert mkdocs("build", "--strict", "-d", "strict", cwd=site).returncode != 0

    page = browser.new_page()
    requests: list[str] = []
    dialogs: list[str] = []
    page.on("request", lambda r: requests.append(r.url))

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto((site / "site" / "index.html").as_uri())
    try:
        blocks = page.locator(".argmap-embed")
        assert blocks.count() == 4
        whole, one, hostile, broken = (blocks.nth(i) for i in range(4))
        assert "Of the 5 claims by Simon Crosby (XenSource), 4 are refuted" in whole.inner_text()
        assert "The outcome hangs on 3 points" in whole.inner_text()
        box = whole.locator("svg").bounding_box()
        assert box is not None and box["width"] > 200 and box["height"] > 100
        assert "blow for blow” is defeated by" in one.inner_text()
        assert "Of the 5 claims" not in one.inner_text()
        assert one.locator("svg").count() == 1
        # Hostile map text is text: shown as written, never run or parsed as markup.
        text = hostile.inner_text()
        assert "<script>window.pwned = 1</script> Title" in text
        assert '<img src=x onerror="window.pwned = 2">' in text
        assert page.evaluate("window.pwned") is None and dialogs == []
        assert hostile.locator("script, img, b").count() == 0
        assert "the map has errors" in broken.inner_text()
        assert "docs/broken.yaml:4:5: error:" in broken.inner_text()  # named from the project
        assert "After the maps." in page.inner_text("body")  # the page goes on after them
        page.screenshot(path=str(REPO / "tests" / "artifacts" / "mkdocs.png"), full_page=True)
    finally:
        page.close()
    assert not [u for u in requests if u.startswith(("http:", "https:"))]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 (our own server)
            body: bytes = answer.read()
            return body.decode("utf-8")
    except OSError:
        return None


def _wait_for(url: str, wanted: str, tries: int = 240) -> str | None:
    """The page once it holds `wanted` (asked at most `tries` times, a quarter second apart:
    a bound on a hang, not a measure of speed)."""
    for _ in range(tries):
        body = _get(url)
        if body is not None and wanted in body:
            return body
        time.sleep(0.25)
    return None


def test_serve_rebuilds_the_page_when_the_map_changes(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    (site / "docs" / "index.md").write_text("# One map\n\n```argmap\n../claims.yaml\n```\n")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=site,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/"
        assert _wait_for(url, "4 are refuted") is not None
        claims = site / "claims.yaml"
        text = claims.read_text(encoding="utf-8")
        # The rebuttal that defeats "blow for blow" answers another point: that claim stands.
        changed = text.replace("    rebuts: blow-for-blow\n", "    rebuts: catch-up\n")
        assert changed != text
        claims.write_text(changed, encoding="utf-8")
        assert _wait_for(url, "3 are refuted and 2 still stand") is not None
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ("map: ../../outside.yaml", "outside the project's folder"),
        ("claim: x", "names no map"),
        ("map: claims.yaml\nwhat: <b>x</b>", "'what: <b>x</b>' is not an option"),
        ("map: claims.yaml\nclaim: nope", "has no claim 'nope'"),
        ("missing.yaml", "no such file"),
    ],
)
def test_a_block_that_cannot_be_drawn_says_why(tmp_path: Path, body: str, says: str) -> None:
    from argmap.mkdocs_plugin import ArgmapPlugin

    project = tmp_path / "project"
    (project / "docs").mkdir(parents=True)
    shutil.copy(REPO / "claims.yaml", project / "docs" / "claims.yaml")
    shutil.copytree(REPO / "sources", project / "docs" / "sources")
    html = ArgmapPlugin()._draw(body, project / "docs", project, "index.md")
    assert "argmap-problem" in html and says in unescape(html), html
    assert "<b>" not in html  # escaped
