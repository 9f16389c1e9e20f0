"""`argmap lsp` end to end: a real LSP client (pytest-lsp) starts `python -m argmap lsp` and
talks to it over standard input and output, as an editor does.

Expected findings come from the real `argmap check` command on the same text written to disk,
so the editor and the command line are held to one answer.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Final

import pytest

pytest.importorskip("pytest_lsp", reason="needs the lsp extra: pip install -e '.[dev]'")

from lsprotocol import types
from pytest_lsp import LanguageClient, make_test_lsp_client

from tests.conftest import REPO, run_argmap

FINDING: Final = re.compile(
    r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning): (?P<msg>.*)$"
)
BROKEN: Final = """\
title: A small map
sources:
  - id: article
    title: The article
    file: article.txt
speakers:
  - id: ann
    name: Ann
claims:
  - id: tax-cut
    text: "The tax cut pays for itself."
    by: ann
    quote: "the cut pays for itself twice over"
    source: article
rebuttals:
  - id: no-growth
    rebutts: tax-cut
    text: Growth did not follow.
  - id: deficit
    rebuts: [tax-cutt]
    text: "The deficit grew — 😋 by a lot."
  - {id: emoji, text: "😋 𝒢rowth stalled", rebuts: tax-cuts}
"""
ARTICLE: Final = "Ann said that the tax cut pays for itself, over time.\nOthers disagreed.\n"


def lsp(scenario: Callable[[LanguageClient], Awaitable[None]], root: Path) -> None:
    """Run `scenario` with pytest-lsp's client talking to `python -m argmap lsp` over stdio.

    In a thread of its own, with an event loop of its own: the browser tests' Playwright keeps
    an event loop running in the main thread, in which no other loop can run."""

    async def main() -> None:
        client = make_test_lsp_client()
        await client.start_io(sys.executable, "-m", "argmap", "lsp")
        try:
            await client.initialize_session(
                types.InitializeParams(
                    capabilities=types.ClientCapabilities(), root_uri=root.as_uri()
                )
            )
            await scenario(client)
            await client.shutdown_session()
        finally:
            await client.stop()  # type: ignore[no-untyped-call]

    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, main()).result()


def seed(folder: Path) -> Path:
    """The seed map and its source, copied into `folder`."""
    shutil.copy(REPO / "claims.yaml", folder / "claims.yaml")
    shutil.copytree(REPO / "sources", folder / "sources")
    return folder / "claims.yaml"


async def open_doc(client: LanguageClient, path: Path, text: str) -> list[types.Diagnostic]:
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=path.as_uri(), language_id="yaml", version=1, text=text
            )
        )
    )
    return await diagnostics(client, path)


async def diagnostics(client: LanguageClient, path: Path) -> list[types.Diagnostic]:
    while True:
        params = await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        if params.uri == path.as_uri():
            return list(params.diagnostics)


def utf16_col(line: str, col: int) -> int:
    """The UTF-16 column of a 0-based code-point column."""
    return len(line[:col].encode("utf-16-le")) // 2


def at(text: str, needle: str, nth: int = 0, shift: int = 1) -> types.Position:
    """The position of the `nth` `needle` in `text` (plus `shift` characters), in UTF-16."""
    offset = -1
    for _ in range(nth + 1):
        offset = text.index(needle, offset + 1)
    offset += shift
    line = text.count("\n", 0, offset)
    start = text.rfind("\n", 0, offset) + 1
    return types.Position(line=line, character=utf16_col(text[start:], offset - start))


def apply(text: str, edits: Sequence[types.TextEdit]) -> str:
    lines = text.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))

    def offset(p: types.Position) -> int:
        line = lines[p.line] if p.line < len(lines) else ""
        col, units = 0, 0
        while units < p.character:
            units += 2 if ord(line[col]) > 0xFFFF else 1
            col += 1
        return offsets[p.line] + col

    for edit in sorted(
        edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True
    ):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text


def write_broken(folder: Path) -> Path:
    (folder / "article.txt").write_text(ARTICLE, encoding="utf-8")
    path = folder / "m.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    return path


def test_diagnostics_are_argmap_checks_own(tmp_path: Path) -> None:
    async def scenario(client: LanguageClient) -> None:
        path = write_broken(tmp_path)
        found = await open_doc(client, path, BROKEN)
        done = run_argmap("check", path.name, cwd=tmp_path)
        expected = [FINDING.match(line) for line in (done.stdout + done.stderr).splitlines()]
        wanted = [m for m in expected if m]
        assert len(wanted) >= 3  # the misquote, the unknown field, the unknown id
        lines = BROKEN.splitlines()
        got = [
            (d.range.start.line + 1, d.range.start.character, d.severity, d.message, d.source)
            for d in found
        ]
        severity = {
            "error": types.DiagnosticSeverity.Error,
            "warning": types.DiagnosticSeverity.Warning,
        }
        assert got == [
            (
                int(m["line"]),
                utf16_col(lines[int(m["line"]) - 1], int(m["col"]) - 1),
                severity[m["sev"]],
                m["msg"],
                "argmap",
            )
            for m in wanted
        ]
        # The underline covers the word the message is about.
        typo = next(d for d in found if "rebutts" in d.message)
        line = lines[typo.range.start.line]
        assert line[typo.range.start.character : typo.range.end.character] == "rebutts"

    lsp(scenario, tmp_path)


def test_the_buffer_is_checked_not_the_file(tmp_path: Path) -> None:
    async def scenario(client: LanguageClient) -> None:
        path = write_broken(tmp_path)
        fixed = (
            BROKEN.replace("rebutts", "rebuts")
            .replace("tax-cutt", "tax-cut")
            .replace("tax-cuts", "tax-cut")
        )
        found = await open_doc(client, path, fixed)
        assert not [d for d in found if "rebutts" in d.message or "tax-cutt" in d.message]
        assert [d for d in found if "quote" in d.message]  # still checked against article.txt
        # A change is checked too (after the quiet time), and the quote fixed in it is found.
        repaired = fixed.replace(
            "the cut pays for itself twice over", "the tax cut pays for itself"
        )
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=path.as_uri(), version=2),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=repaired)],
            )
        )
        after = await diagnostics(client, path)
        assert [d for d in after if d.severity == types.DiagnosticSeverity.Error] == []

    lsp(scenario, tmp_path)


def test_hover_tells_standing_reason_and_hinges(tmp_path: Path) -> None:
    async def scenario(client: LanguageClient) -> None:
        path = seed(tmp_path)
        text = path.read_text(encoding="utf-8")
        found = await open_doc(client, path, text)
        assert not [d for d in found if d.severity == types.DiagnosticSeverity.Error]
        done = run_argmap("check", path.name, "--explain", "growing-ecosystem", cwd=tmp_path)
        hover = await client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=path.as_uri()),
                position=at(text, "id: growing-ecosystem", shift=6),
            )
        )
        assert hover is not None
        assert isinstance(hover.contents, types.MarkupContent)
        value = hover.contents.value
        assert done.stdout.strip() in value  # the words of `argmap check --explain`
        assert "Why:" in value and "Hangs on" in value
        # Hovering a use of the id (in evidence's `supports`) tells the same.
        use = re.search(r"supports: \[?growing-ecosystem", text)
        assert use is not None
        again = await client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=path.as_uri()),
                position=at(text, use[0], shift=len(use[0]) - 3),
            )
        )
        assert again is not None and isinstance(again.contents, types.MarkupContent)
        assert again.contents.value == value
        # While the buffer has an error, hover tells the standing of its last version without.
        broken = text.replace("    rebuts: blow-for-blow\n", "    rebutts: blow-for-blow\n")
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=path.as_uri(), version=2),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=broken)],
            )
        )
        assert [d for d in await diagnostics(client, path) if "rebutts" in d.message]
        stale = await client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=path.as_uri()),
                position=at(broken, "id: growing-ecosystem", shift=6),
            )
        )
        assert stale is not None and isinstance(stale.contents, types.MarkupContent)
        assert done.stdout.strip() in stale.contents.value
        assert "As of the last version without errors (this one has 2)" in stale.contents.value

    lsp(scenario, tmp_path)


def test_definition_references_and_rename(tmp_path: Path) -> None:
    async def scenario(client: LanguageClient) -> None:
        path = seed(tmp_path)
        text = path.read_text(encoding="utf-8")
        await open_doc(client, path, text)
        doc = types.TextDocumentIdentifier(uri=path.as_uri())
        use = at(text, "rebuts: [partners-put-off", shift=10)
        where = await client.text_document_definition_async(
            types.DefinitionParams(text_document=doc, position=use)
        )
        assert isinstance(where, types.Location)
        assert where.range.start == at(text, "id: partners-put-off", shift=4)
        refs = await client.text_document_references_async(
            types.ReferenceParams(
                text_document=doc,
                position=use,
                context=types.ReferenceContext(include_declaration=True),
            )
        )
        assert refs is not None
        assert len(refs) == 1 + len(re.findall(r"[\[ ,]partners-put-off\b", text)) - 1
        edit = await client.text_document_rename_async(
            types.RenameParams(text_document=doc, position=use, new_name="partners-deterred")
        )
        assert edit is not None and edit.changes is not None
        renamed = apply(text, edit.changes[path.as_uri()])
        assert "partners-put-off" not in renamed
        assert renamed.count("partners-deterred") == len(refs)
        path.write_text(renamed, encoding="utf-8")
        assert run_argmap("check", path.name, cwd=tmp_path).returncode == 0
        with pytest.raises(Exception, match="already the id"):
            await client.text_document_rename_async(
                types.RenameParams(text_document=doc, position=use, new_name="replaces-all")
            )

    lsp(scenario, tmp_path)


def test_completion_of_ids_and_fields(tmp_path: Path) -> None:
    async def scenario(client: LanguageClient) -> None:
        path = seed(tmp_path)
        text = path.read_text(encoding="utf-8")
        typing_ = text.replace("    rebuts: [partners-put-off, replaces-all]", "    rebuts: ", 1)
        await open_doc(client, path, typing_)
        doc = types.TextDocumentIdentifier(uri=path.as_uri())
        result = await client.text_document_completion_async(
            types.CompletionParams(
                text_document=doc, position=at(typing_, "    rebuts: ", shift=12)
            )
        )
        assert isinstance(result, types.CompletionList)
        labels = [item.label for item in result.items]
        assert "partners-put-off" in labels and "replaces-all" in labels
        assert "crosby" not in labels and "spat-article" not in labels  # not points
        by = await client.text_document_completion_async(
            types.CompletionParams(
                text_document=doc, position=at(typing_, "    by: crosby", shift=8)
            )
        )
        assert isinstance(by, types.CompletionList)
        assert {i.label for i in by.items} == {"crosby", "malekzadeh", "henshall"}
        fields = typing_.replace("    tags: [partners]\n", "    qu\n", 1)
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=path.as_uri(), version=2),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=fields)],
            )
        )
        keys = await client.text_document_completion_async(
            types.CompletionParams(text_document=doc, position=at(fields, "    qu\n", shift=6))
        )
        assert isinstance(keys, types.CompletionList)
        assert [i.label for i in keys.items] == ["quote"]
        # An item of a block list under `rebuts:`, and a field at the top of the map.
        items = fields.replace(
            "    rebuts: [vendors-concerned, replaces-all]\n",
            "    rebuts:\n      - vendors-concerned\n      - \n",
            1,
        ).replace("question: ", "qu: ", 1)
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=path.as_uri(), version=3),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=items)],
            )
        )
        listed = await client.text_document_completion_async(
            types.CompletionParams(text_document=doc, position=at(items, "      - \n", shift=8))
        )
        assert isinstance(listed, types.CompletionList)
        assert "replaces-all" in {i.label for i in listed.items}
        top = await client.text_document_completion_async(
            types.CompletionParams(text_document=doc, position=at(items, "\nqu: ", shift=3))
        )
        assert isinstance(top, types.CompletionList)
        assert [i.label for i in top.items] == ["question"]

    lsp(scenario, tmp_path)


def test_quick_fixes_the_messages_suggest(tmp_path: Path) -> None:
    async def scenario(client: LanguageClient) -> None:
        path = write_broken(tmp_path)
        found = await open_doc(client, path, BROKEN)
        doc = types.TextDocumentIdentifier(uri=path.as_uri())
        text = BROKEN
        for d in found:
            actions = await client.text_document_code_action_async(
                types.CodeActionParams(
                    text_document=doc,
                    range=d.range,
                    context=types.CodeActionContext(diagnostics=[d]),
                )
            )
            for action in actions or []:
                assert isinstance(action, types.CodeAction) and action.edit and action.edit.changes
                if action.diagnostics and action.diagnostics[0].message == d.message:
                    text = apply(text, action.edit.changes[path.as_uri()])
                    break
        assert "rebuts: tax-cut\n" in text and "rebuts: [tax-cut]" in text
        assert "rebuts: tax-cut}" in text  # after characters of two UTF-16 units each
        assert 'quote: "the tax cut pays for itself, over"' in text  # as many words as the quote
        path.write_text(text, encoding="utf-8")
        assert run_argmap("check", path.name, cwd=tmp_path).returncode == 0

    lsp(scenario, tmp_path)


def test_hostile_buffers_get_a_finding_not_a_stall(tmp_path: Path) -> None:
    async def scenario(client: LanguageClient) -> None:
        huge = tmp_path / "huge.yaml"
        found = await open_doc(client, huge, "title: x\n" + "# " + "x" * (5 * 1024 * 1024) + "\n")
        assert len(found) == 1 and "MiB" in found[0].message
        bomb = tmp_path / "bomb.yaml"
        text = "a: &a [x, x, x, x, x, x, x, x]\n" + "".join(
            f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
            for p, c in zip("abcdefgh", "bcdefghi", strict=True)
        )
        found = await open_doc(client, bomb, text)
        assert found and all(d.severity is not None for d in found)
        assert any("alias" in d.message or "anchor" in d.message for d in found)
        # One line of megabytes, with an error every few characters: findings at their places.
        line = "claims: [" + "{id: X-é😋, text: t}, " * 40_000 + "]"
        one_line = tmp_path / "line.yaml"
        found = await open_doc(client, one_line, "title: t\n" + line + "\n")
        assert 1 <= len(found) <= 101  # (the same error in many items is said once)
        assert all(d.range.start.line == 1 for d in found)
        first = found[0].range.start.character
        assert line[first:].startswith("X-é😋") and "not a valid id" in found[0].message
        assert found[0].range.end.character == first + 5  # 😋 is two UTF-16 units
        not_yaml = tmp_path / "broken.yaml"
        found = await open_doc(client, not_yaml, "title: [unclosed\n")
        assert len(found) == 1 and found[0].severity == types.DiagnosticSeverity.Error

    lsp(scenario, tmp_path)


def test_without_the_extra_the_command_says_how_to_install_it(tmp_path: Path) -> None:
    """Exit code 3 (a missing tool) and the pip command, never a traceback."""
    code = (
        "import sys; sys.modules['pygls'] = None; from argmap.cli import main; "
        "sys.exit(main(['lsp']))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 3, done.stderr
    assert "pip install 'argmap[lsp]'" in done.stderr and "Traceback" not in done.stderr
