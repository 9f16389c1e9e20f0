"""Regenerate the README's pictures: docs/diagram.png, docs/brief.png, docs/brief-phone.png and
docs/claim-phone.png, a claim's card with its own diagram on a phone (`make docs`).

Builds claims.yaml into a temporary folder, copies the diagram's PNG, and takes a screenshot of
the brief with Debian's headless Chromium.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from chromium import CHROMIUM_ARGS, find_chromium

REPO = Path(__file__).resolve().parent.parent
CHROMIUM_FLAGS = ["--headless", *CHROMIUM_ARGS, "--hide-scrollbars"]


def main() -> int:
    browser = find_chromium()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        subprocess.run(
            [sys.executable, "-m", "argmap", "build", str(REPO / "claims.yaml"), "-o", str(out)],
            check=True,
        )
        docs = REPO / "docs"
        docs.mkdir(exist_ok=True)
        shutil.copy(out / "argmap.png", docs / "diagram.png")
        print(f"wrote {docs / 'diagram.png'}")
        if browser is None:
            print("chromium is not installed: docs/brief.png not updated", file=sys.stderr)
            return 3
        for name, size in (("brief.png", "1280,2000"), ("brief-phone.png", "390,1600")):
            subprocess.run(
                [
                    browser,
                    *CHROMIUM_FLAGS,
                    f"--user-data-dir={tmp}/profile",
                    f"--window-size={size}",
                    f"--screenshot={docs / name}",
                    (out / "brief.html").as_uri(),
                ],
                check=True,
                capture_output=True,
                timeout=120,
            )
            print(f"wrote {docs / name}")
        card(browser, out / "brief.html", "replaces-all", docs / "claim-phone.png")
    return 0


def card(browser: str, brief: Path, claim: str, path: Path) -> None:
    """A screenshot of one claim's card, with its own diagram, on a 390 px phone (Playwright
    drives Debian's Chromium: the command line's --screenshot takes only the top of a page)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=browser, args=CHROMIUM_ARGS)
        page = chromium.new_page(viewport={"width": 390, "height": 844})
        page.goto(brief.as_uri())
        page.locator(f"#{claim}").screenshot(path=path)
        chromium.close()
    print(f"wrote {path}")


if __name__ == "__main__":
    sys.exit(main())
