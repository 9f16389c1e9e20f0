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
        for name, size, at in (
            ("brief.png", "1280,2000", ""),
            ("brief-phone.png", "390,1600", ""),
            ("claim-phone.png", "390,1500", "#replaces-all"),
        ):
            subprocess.run(
                [
                    browser,
                    *CHROMIUM_FLAGS,
                    f"--user-data-dir={tmp}/profile",
                    f"--window-size={size}",
                    f"--screenshot={docs / name}",
                    (out / "brief.html").as_uri() + at,
                ],
                check=True,
                capture_output=True,
                timeout=120,
            )
            print(f"wrote {docs / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
