"""`argmap lsp`: a language server for claims.yaml, over standard input and output.

It reports `argmap check`'s own findings as you type (same messages, severities and places,
quotes checked against the source files on disk), and answers hover (a point's standing, why,
and what it hangs on), go to definition, find references, rename, completion of ids and field
names, and the quick fixes the messages suggest. Set-up for editors: docs/editing.md.

Needs the `lsp` extra (pygls and lsprotocol): pip install 'argmap[lsp]'.
"""

from __future__ import annotations

from argmap.errors import MissingTool


def serve() -> int:
    """Serve one editor on standard input and output until it says goodbye; exit code 0."""
    try:
        from argmap.lsp.server import make_server
    except ImportError as e:
        raise MissingTool(
            f"argmap lsp needs pygls and lsprotocol ({e.name} is not installed): "
            "pip install 'argmap[lsp]'"
        ) from None
    make_server().start_io()
    return 0
