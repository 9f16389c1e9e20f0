"""How soon `argmap lsp` reports diagnostics after a change, through a real LSP client.

    .venv/bin/python scripts/bench_lsp.py [--changes N]

A client (pytest-lsp's, on pygls) starts `python -m argmap lsp`, opens a map, then sends N
changes, one at a time, each a whole new text (as an editor with full sync does), and times
from sending the change to receiving the diagnostics of that version. The time includes the
server's quiet time after a change (`DEBOUNCE`, 50 ms). Goals (issue 22): the seed map within
150 ms, a 1,000-point map within 1 s (median). A measurement, not a test: nothing here fails
the build.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Final

REPO: Final = Path(__file__).resolve().parent.parent
GOALS: Final = {"seed map (claims.yaml)": 0.150, "1,000-point map": 1.0}


def _gen_map() -> Callable[[int], str]:
    spec = importlib.util.spec_from_file_location("gen_map", REPO / "scripts" / "gen_map.py")
    if spec is None or spec.loader is None:
        raise SystemExit("bench_lsp: scripts/gen_map.py cannot be loaded")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    generate: Callable[[int], str] = module.gen_map
    return generate


def _edits(text: str, n: int) -> list[str]:
    """`n` versions of `text`, each a small edit of the title (every version checks in full)."""
    head, sep, rest = text.partition("\ntitle: ")
    line, nl, tail = rest.partition("\n")
    return [f"{head}{sep}{line} (edit {i}){nl}{tail}" for i in range(n)]


async def _measure(path: Path, changes: int) -> tuple[float, list[float]]:
    from lsprotocol import types
    from pytest_lsp import make_test_lsp_client

    client = make_test_lsp_client()
    await client.start_io(sys.executable, "-m", "argmap", "lsp")
    try:
        await client.initialize_session(
            types.InitializeParams(
                capabilities=types.ClientCapabilities(), root_uri=path.parent.as_uri()
            )
        )
        uri, text = path.as_uri(), path.read_text(encoding="utf-8")

        async def diagnostics_of(version: int) -> None:
            while True:
                found = await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
                if found.uri == uri and found.version == version:
                    return

        start = time.perf_counter()
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri, language_id="yaml", version=1, text=text
                )
            )
        )
        await diagnostics_of(1)
        opened = time.perf_counter() - start
        times = []
        for version, new in enumerate(_edits(text, changes), start=2):
            start = time.perf_counter()
            client.text_document_did_change(
                types.DidChangeTextDocumentParams(
                    text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                    content_changes=[types.TextDocumentContentChangeWholeDocument(text=new)],
                )
            )
            await diagnostics_of(version)
            times.append(time.perf_counter() - start)
        await client.shutdown_session()
        return opened, times
    finally:
        await client.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--changes", type=int, default=10, choices=range(1, 1000), metavar="N")
    args = parser.parse_args(argv)
    try:
        import pytest_lsp  # noqa: F401
    except ImportError:
        print("bench_lsp: needs the dev extra (pytest-lsp): make bench installs it")
        return 0
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        shutil.copy(REPO / "claims.yaml", folder / "claims.yaml")
        shutil.copytree(REPO / "sources", folder / "sources")
        big = folder / "big" / "claims.yaml"
        big.parent.mkdir()
        big.write_text(_gen_map()(1000), encoding="utf-8")
        for (name, goal), path in zip(GOALS.items(), [folder / "claims.yaml", big], strict=True):
            opened, times = asyncio.run(_measure(path, args.changes))
            median = statistics.median(times)
            met = "met" if median <= goal else "MISSED"
            rows.append(
                [
                    name,
                    f"{opened * 1000:.0f} ms",
                    f"{median * 1000:.0f} ms",
                    f"{max(times) * 1000:.0f} ms",
                    f"{goal * 1000:.0f} ms",
                    met,
                ]
            )
    head = ["map", "open", "change (median)", "change (max)", "goal", ""]
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    print(
        f"argmap lsp: diagnostics after a change, through a real client ({args.changes} changes):"
    )
    print("| " + " | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)) + " |")
    print("| " + " | ".join("-" * w for w in widths) + " |")
    for row in rows:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
