"""Places in a buffer, three ways: YAML's (1-based line and column, counted in characters, with
YAML's own line breaks), the editor's (0-based line and column in the client's code units, with
LSP's line breaks: \\n, \\r\\n, \\r) and offsets into the text. Messages keep YAML's places; this
module turns them into the editor's, so a diagnostic underlines what `argmap check` names.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from typing import Final

# YAML (PyYAML's reader) also breaks lines at NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR.
_YAML_BREAK: Final = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_LSP_BREAK: Final = re.compile("\r\n|[\r\n]")
# The end of a plain scalar or key that starts at a place: a flow indicator, ": ", " #", or the
# end of the line (then less its trailing spaces). Each alternative has a fixed length, so the
# search is linear in the line, whatever runs of spaces it holds.
_PLAIN_END: Final = re.compile(r"[,\[\]{}]|:(?=\s|$)|\s#")
ID_CHARS: Final = re.compile(r"[a-z0-9-]+")

Units = Callable[[str], int]  # the length of a text in the client's code units


def _starts(text: str, breaks: re.Pattern[str]) -> list[int]:
    return [0, *(m.end() for m in breaks.finditer(text))]


def utf16(text: str) -> int:
    """LSP's default unit: UTF-16 code units (counted at C speed: a line may be megabytes).

    >>> utf16("a😋b")
    4
    """
    return len(text) if text.isascii() else len(text.encode("utf-16-le", "surrogatepass")) // 2


def utf8(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


# The position encodings a client may ask for (LSP 3.17), each a length in its code units.
UNITS: Final[dict[str, Units]] = {"utf-16": utf16, "utf-8": utf8, "utf-32": len}


class Lines:
    """A buffer's text and where its lines start, for both YAML's and LSP's line breaks."""

    def __init__(self, text: str, units: Units = utf16) -> None:
        self.text = text
        self.units = units
        self.yaml = _starts(text, _YAML_BREAK)
        self.lsp = _starts(text, _LSP_BREAK)

    def offset_of_spot(self, line: int, col: int) -> int:
        """The offset of YAML's 1-based (line, column)."""
        start = self.yaml[min(max(line, 1), len(self.yaml)) - 1]
        end = self.yaml[line] if 0 < line < len(self.yaml) else len(self.text)
        return min(start + max(col, 1) - 1, end)

    def position(self, offset: int) -> tuple[int, int]:
        """The editor's (line, character) of an offset."""
        offset = min(max(offset, 0), len(self.text))
        line = bisect.bisect_right(self.lsp, offset) - 1
        return line, self.units(self.text[self.lsp[line] : offset])

    def offset(self, line: int, character: int) -> int:
        """The offset of the editor's (line, character); past a line's end is its end."""
        if line >= len(self.lsp):
            return len(self.text)
        start = self.lsp[max(line, 0)]
        end = self._line_end(start)
        if self.units is len or self.text[start:end].isascii():
            return min(start + character, end)
        low, high = start, end  # the last offset whose prefix fits in `character` units
        while low < high:
            middle = (low + high + 1) // 2
            if self.units(self.text[start:middle]) <= character:
                low = middle
            else:
                high = middle - 1
        return low

    def line_text(self, line: int) -> str:
        """The editor's line `line`, without its line break."""
        if not 0 <= line < len(self.lsp):
            return ""
        return self.text[self.lsp[line] : self._line_end(self.lsp[line])]

    def scalar_end(self, offset: int) -> int:
        """Where the YAML scalar or key written at `offset` ends: after its closing quote, or at
        the end of a plain one (bounded by the line, so a hostile line costs one scan).

        >>> lines = Lines('a: "x y", b\\nrebuts: [one, two]  # c')
        >>> [lines.text[o:lines.scalar_end(o)] for o in (3, 10, 21, 26)]
        ['"x y"', 'b', 'one', 'two']
        """
        text = self.text
        stop = self._line_end(offset)
        if offset < stop and text[offset] in "'\"":
            quote, at = text[offset], offset + 1
            while at < stop:
                if text[at] == quote:
                    if quote == "'" and text[at + 1 : at + 2] == "'":
                        at += 2
                        continue
                    return at + 1
                at += 2 if quote == '"' and text[at] == "\\" else 1
            return stop
        found = _PLAIN_END.search(text, offset, stop)
        end = found.start() if found else stop
        while end > offset and text[end - 1] in " \t":
            end -= 1
        return end

    def _line_end(self, offset: int) -> int:
        """Where the editor's line holding `offset` ends, before its line break (found from
        the line starts: searching the text for it would cost the rest of a long line)."""
        line = bisect.bisect_right(self.lsp, offset)
        end = self.lsp[line] if line < len(self.lsp) else len(self.text)
        while end > offset and self.text[end - 1] in "\r\n":
            end -= 1
        return end

    def id_span(self, offset: int) -> tuple[int, int]:
        """The id written at `offset` (inside its quotes, if it is quoted), as offsets."""
        end = self.scalar_end(offset)
        if offset < end and self.text[offset] in "'\"":
            return offset + 1, max(end - 1, offset + 1)
        return offset, end
