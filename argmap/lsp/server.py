"""The language server: pygls on standard input and output, each request answered from the
buffer's latest checked state (`argmap.lsp.features`).

A buffer is checked when it is opened or saved, and again once it has been quiet for
`DEBOUNCE` seconds after a change. The check runs in a worker thread, one at a time for a
buffer; a result that a newer change has overtaken is dropped, and the newer text is checked
next. What a check may cost is bounded by `argmap.validate`'s own limits (size, depth, errors,
work on quotes), so a huge or hostile buffer cannot stall the editor.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Final

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from argmap import __version__
from argmap.errors import Diagnostic
from argmap.lsp.features import State, complete, definition, fixes, hover, references, rename
from argmap.lsp.features import rename_target as rename_span
from argmap.lsp.text import UNITS, Lines, Units, utf16
from argmap.session import Checked, check_text

DEBOUNCE: Final = 0.05  # seconds of quiet after a change before the buffer is checked again
SOURCE: Final = "argmap"
_SEVERITY: Final = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
}
_KINDS: Final = {
    "id": types.CompletionItemKind.Reference,
    "field": types.CompletionItemKind.Field,
    "value": types.CompletionItemKind.EnumMember,
}


def make_state(
    path: Path, version: int, text: str, units: Units, last: State | None = None
) -> State:
    """The buffer checked as `argmap check` checks the file (run in a worker thread); `last`
    is its latest state, whose last valid version hover falls back on while this one has
    errors."""
    lines = Lines(text, units)
    try:
        checked = check_text(text, path)
    except Exception as e:  # a bug in argmap must not end the editor's server
        message = f"argmap could not check this buffer (a bug in argmap: {type(e).__name__})"
        checked = Checked(None, None, [Diagnostic(str(path), 1, 1, "error", message)], frozenset())
    previous = last.previous if last is not None else None
    if last is not None and last.checked.valid is not None:
        last.previous = None  # (a valid state needs none: only the latest valid one is kept)
        previous = last
    return State(path, version, lines, checked, previous, last.known if last else None)


def span(lines: Lines, start: int, end: int) -> types.Range:
    return types.Range(
        start=types.Position(*lines.position(start)), end=types.Position(*lines.position(end))
    )


def diagnostic_span(lines: Lines, d: Diagnostic) -> tuple[int, int]:
    """The text a message is about: the value or key written at its place."""
    start = lines.offset_of_spot(d.line, d.col)
    end = lines.scalar_end(start)
    if end <= start:  # nothing written there (an empty value, the end of the file)
        end = min(start + 1, len(lines.text))
        if lines.text[start:end] in ("\r", "\n", ""):
            end = start
    return start, end


def to_lsp(lines: Lines, d: Diagnostic) -> types.Diagnostic:
    return types.Diagnostic(
        range=span(lines, *diagnostic_span(lines, d)),
        message=d.message,
        severity=_SEVERITY[d.severity],
        source=SOURCE,
    )


class ArgmapServer(LanguageServer):
    """argmap's language server: the buffers' checked states and the checks under way."""

    def __init__(self) -> None:
        super().__init__(
            SOURCE, __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full
        )
        self.states: dict[str, State] = {}
        self.tasks: dict[str, asyncio.Task[None]] = {}
        self.changed: dict[str, int] = {}  # uri -> how many changes it has had
        self.open: set[str] = set()  # the buffers the editor has open

    def units(self) -> Units:
        """The length of a text in the position encoding agreed with the client."""
        encoding = self.workspace.position_encoding
        return UNITS.get(str(getattr(encoding, "value", encoding) or "utf-16"), utf16)

    def text_of(self, uri: str) -> tuple[Path, int, str]:
        """The buffer's path, version and text; `KeyError` once the editor has closed it."""
        if uri not in self.open:
            raise KeyError(uri)
        doc = self.workspace.get_text_document(uri)
        path = Path(doc.path) if doc.path else Path.cwd() / "claims.yaml"
        return path, doc.version or 0, doc.source

    def schedule(self, uri: str, *, wait: bool) -> None:
        """Check `uri` (after the quiet time when `wait`); one check per buffer at a time."""
        self.changed[uri] = self.changed.get(uri, 0) + 1
        task = self.tasks.get(uri)
        if task is None or task.done():
            self.tasks[uri] = asyncio.ensure_future(self._check(uri, wait))

    async def _check(self, uri: str, wait: bool) -> None:
        while True:
            seen = self.changed.get(uri, 0)
            if wait:
                await asyncio.sleep(DEBOUNCE)
                if self.changed.get(uri, 0) != seen:
                    continue  # typed on: wait for quiet again
            try:
                path, version, text = self.text_of(uri)
            except KeyError:
                return  # closed meanwhile
            last = self.states.get(uri)
            state = await asyncio.to_thread(make_state, path, version, text, self.units(), last)
            if self.changed.get(uri, 0) != seen:
                wait = True
                continue  # overtaken by a change: check the newer text
            self.states[uri] = state
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(
                    uri=uri,
                    version=version,
                    diagnostics=[to_lsp(state.lines, d) for d in state.checked.diagnostics],
                )
            )
            await asyncio.to_thread(getattr, state, "index")  # for the requests to come
            if self.changed.get(uri, 0) == seen:
                return
            wait = True  # changed while the index was made: check the newer text too

    async def state(self, uri: str) -> State | None:
        """The checked state of the buffer's current text (checked now if it is behind)."""
        try:
            path, version, text = self.text_of(uri)
        except KeyError:
            return None
        known = self.states.get(uri)
        if known is not None and known.lines.text == text:
            return known
        state = await asyncio.to_thread(make_state, path, version, text, self.units(), known)
        await asyncio.to_thread(getattr, state, "index")
        return state


def make_server() -> ArgmapServer:
    ls = ArgmapServer()

    @ls.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: ArgmapServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.open.add(params.text_document.uri)
        ls.schedule(params.text_document.uri, wait=False)

    @ls.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: ArgmapServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, wait=True)

    @ls.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: ArgmapServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, wait=False)  # a source file may have changed

    @ls.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: ArgmapServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.open.discard(uri)
        ls.states.pop(uri, None)
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
        )

    async def at(uri: str, position: types.Position) -> tuple[State, int] | None:
        state = await ls.state(uri)
        if state is None:
            return None
        return state, state.lines.offset(position.line, position.character)

    @ls.feature(types.TEXT_DOCUMENT_HOVER)
    async def on_hover(ls: ArgmapServer, params: types.HoverParams) -> types.Hover | None:
        found = await at(params.text_document.uri, params.position)
        if found is None:
            return None
        state, offset = found
        text = await asyncio.to_thread(hover, state, offset)
        place = state.index.at(offset) if state.index else None
        if text is None or place is None:
            return None
        return types.Hover(
            contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text),
            range=span(state.lines, place.start, place.end),
        )

    @ls.feature(types.TEXT_DOCUMENT_DEFINITION)
    async def on_definition(
        ls: ArgmapServer, params: types.DefinitionParams
    ) -> types.Location | None:
        found = await at(params.text_document.uri, params.position)
        where = definition(*found) if found else None
        if found is None or where is None:
            return None
        return types.Location(uri=params.text_document.uri, range=span(found[0].lines, *where))

    @ls.feature(types.TEXT_DOCUMENT_REFERENCES)
    async def on_references(
        ls: ArgmapServer, params: types.ReferenceParams
    ) -> list[types.Location]:
        found = await at(params.text_document.uri, params.position)
        if found is None:
            return []
        uses = references(*found, declaration=params.context.include_declaration)
        return [
            types.Location(uri=params.text_document.uri, range=span(found[0].lines, *u))
            for u in uses
        ]

    @ls.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
    async def on_prepare_rename(
        ls: ArgmapServer, params: types.PrepareRenameParams
    ) -> types.Range | None:
        found = await at(params.text_document.uri, params.position)
        where = rename_span(*found) if found else None
        return span(found[0].lines, *where) if found and where else None

    @ls.feature(types.TEXT_DOCUMENT_RENAME)
    async def on_rename(ls: ArgmapServer, params: types.RenameParams) -> types.WorkspaceEdit:
        found = await at(params.text_document.uri, params.position)
        if found is None:
            raise ValueError("the buffer is not open")
        spans = rename(*found, params.new_name)
        if isinstance(spans, str):
            raise ValueError(spans)  # pygls answers the request with this error
        lines = found[0].lines
        edits = [types.TextEdit(range=span(lines, *s), new_text=params.new_name) for s in spans]
        return types.WorkspaceEdit(changes={params.text_document.uri: edits})

    @ls.feature(
        types.TEXT_DOCUMENT_COMPLETION,
        types.CompletionOptions(trigger_characters=[" ", "[", ",", "-"]),
    )
    async def on_completion(
        ls: ArgmapServer, params: types.CompletionParams
    ) -> types.CompletionList:
        state = await ls.state(params.text_document.uri)
        if state is None:
            return types.CompletionList(is_incomplete=False, items=[])
        cursor = state.lines.offset(params.position.line, params.position.character)
        items = [
            types.CompletionItem(
                label=c.label,
                kind=_KINDS[c.kind],
                detail=c.detail,
                text_edit=types.TextEdit(
                    range=span(state.lines, c.start, cursor), new_text=c.insert
                ),
            )
            for c in complete(state, params.position.line, params.position.character)
        ]
        return types.CompletionList(is_incomplete=False, items=items)

    @ls.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )
    async def on_code_action(
        ls: ArgmapServer, params: types.CodeActionParams
    ) -> list[types.CodeAction]:
        uri = params.text_document.uri
        state = await ls.state(uri)
        if state is None:
            return []
        lines, wanted = state.lines, params.range
        actions = []
        for d in state.checked.diagnostics:
            shown = to_lsp(lines, d)
            if shown.range.end.line < wanted.start.line or shown.range.start.line > wanted.end.line:
                continue
            for fix in await asyncio.to_thread(fixes, state, d):
                edit = types.TextEdit(range=span(lines, fix.start, fix.end), new_text=fix.new_text)
                actions.append(
                    types.CodeAction(
                        title=fix.title,
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=[shown],
                        is_preferred=True,
                        edit=types.WorkspaceEdit(changes={uri: [edit]}),
                    )
                )
        return actions

    return ls
