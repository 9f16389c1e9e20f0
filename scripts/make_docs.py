"""Regenerate the README's pictures (`make docs`): docs/diagram.png (the seed map's diagram), and
screenshots taken in Debian's headless Chromium (through Playwright) at 1280 and 390 px wide:
the seed brief (docs/brief.png, docs/brief-phone.png), a claim's card with its own diagram
(docs/claim-laptop.png, docs/claim-phone.png) and the first printed page (docs/print-page.png:
the brief laid out for print on A4, as Chromium prints it, the top page of it).

Builds claims.yaml into a temporary folder first, with the real command line.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Final

from chromium import CHROMIUM_ARGS, find_chromium

REPO: Final = Path(__file__).resolve().parent.parent
DOCS: Final = REPO / "docs"
CLAIM: Final = "replaces-all"  # the card shown: a defeated claim with three rebuttals
# An A4 page at 96 px an inch, and the page margins of brief.css's @page rule (11 mm).
A4: Final = (794, 1123)
MARGIN: Final = "11mm"


def main() -> int:
    browser = find_chromium()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        subprocess.run(
            [sys.executable, "-m", "argmap", "build", str(REPO / "claims.yaml"), "-o", str(out)],
            check=True,
        )
        DOCS.mkdir(exist_ok=True)
        shutil.copy(out / "argmap.png", DOCS / "diagram.png")
        print(f"wrote {DOCS / 'diagram.png'}")
        if browser is None:
            print("chromium is not installed: the screenshots are not updated", file=sys.stderr)
            return 3
        shoot(browser, out / "brief.html")
    return 0


def shoot(browser: str, brief: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=browser, args=CHROMIUM_ARGS)
        for width, height, suffix in ((1280, 2000, ""), (390, 1600, "-phone")):
            page = chromium.new_page(viewport={"width": width, "height": height})
            page.goto(brief.as_uri())
            page.screenshot(path=DOCS / f"brief{suffix}.png")
            print(f"wrote {DOCS / f'brief{suffix}.png'}")
            name = "claim-laptop.png" if width > 400 else "claim-phone.png"
            page.locator(f"#{CLAIM}").screenshot(path=DOCS / name)
            print(f"wrote {DOCS / name}")
            page.close()
        # The first printed page: the print layout on an A4 sheet, its margins as padding.
        page = chromium.new_page(viewport={"width": A4[0], "height": A4[1]})
        page.goto(brief.as_uri())
        page.emulate_media(media="print")
        # (through the CSSOM: the page's Content Security Policy refuses a <style> added to it)
        page.evaluate(
            "m => { const s = document.documentElement.style;"
            " s.padding = m; s.background = '#fff'; }",
            MARGIN,
        )
        page.screenshot(path=DOCS / "print-page.png")
        print(f"wrote {DOCS / 'print-page.png'}")
        chromium.close()


if __name__ == "__main__":
    sys.exit(main())
