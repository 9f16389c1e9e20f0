"""Part of stage 1, load: PyYAML's errors, said in the user's words with a hint how to fix them.

The hints are judged from PyYAML's English messages and from the text where the error was found;
the C and the pure Python parser word some messages differently, so each test looks for words
both use.
"""

from __future__ import annotations

import re
from typing import Final

import yaml

Spot = tuple[int, int]  # 1-based line, column
_LINE_BREAK: Final = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # as YAML counts lines


def yaml_problem(e: yaml.MarkedYAMLError, text: str, max_depth: int) -> tuple[Spot, str]:
    """Where PyYAML's error `e` in `text` is, and what to tell the user about it."""
    problem = (e.problem or "").strip()
    context = (e.context or "").strip()
    mark, opened = e.problem_mark or e.context_mark, e.context_mark
    spot = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    start = (opened.line + 1, opened.column + 1) if opened else spot
    if "quoted scalar" in context and "end of stream" in problem:
        return start, (
            "not valid YAML: the quoted text that starts here is never "
            "closed; add the closing quote mark"
        )
    if "nesting depth" in problem:
        return spot, too_deep(max_depth)
    return spot, (
        f"not valid YAML: {problem}"
        + (f" ({context})" if context else "")
        + hint(text, problem, context, mark, start)
    )


def hint(text: str, problem: str, context: str, mark: yaml.Mark | None, start: Spot) -> str:
    """How to fix the YAML error `problem`, judged from the text where it was found."""
    lines = _LINE_BREAK.split(text)
    line = lines[mark.line] if mark and mark.line < len(lines) else ""
    col = mark.column if mark else 0
    char = line[col : col + 1]
    at_indent = not line[:col].strip()
    if char == "\t" or "tab" in problem:
        return "; indent with spaces, not tabs"
    if "cannot start any token" in problem and char:
        return f"; a value cannot begin with '{char}': put the whole value in quotes"
    if "mapping values are not allowed" in problem:
        return "; a value that contains ': ' must be put in quotes"
    if "escape" in problem:
        return (
            '; in "double quotes" a backslash starts an escape such as \\n: write \\\\ '
            "for a backslash, or use 'single quotes'"
        )
    if "flow sequence" in context or "flow mapping" in context:
        bracket = "[" if "sequence" in context else "{"
        return (
            f"; the '{bracket}' at line {start[0]}, column {start[1]} is not closed, or "
            "a comma is missing between its items"
        )
    if "simple key" in context and col > 1024:
        return (
            "; a key (the name before ':') may be at most 1024 characters long: shorten "
            "it, or check for a missing ': ' after it"
        )
    if "expected" in problem and not at_indent:
        return (
            "; the value goes on after its closing quote: quote the whole value with "
            'the other kind of quotes ("VMware\'s"), or write a quote mark inside '
            "'...' twice ('VMware''s')"
        )
    if "expected" in problem or "block" in context:
        return "; check the indentation of this line and the ones before it"
    if "end of stream" in problem:
        return "; a quote or bracket may not be closed"
    return ""


def too_deep(max_depth: int) -> str:
    return (
        f"the file nests deeper than {max_depth} levels; a map needs only a few: check the "
        "indentation and the brackets"
    )
