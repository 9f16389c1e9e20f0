"""Stage 2, validate: check loaded data against the format and turn it into an `ArgMap`.

Every problem is reported at once, as a `Diagnostic` at the place it was written: schema errors
from the pydantic models (translated into the user's words), then the checks that need the whole
map (ids, references, quotes, files), then the warnings.
"""

from __future__ import annotations

import datetime
import difflib
import itertools
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from argmap.errors import Diagnostic, InvalidMap, Severity
from argmap.load import (
    MAX_ERRORS,
    Loaded,
    YPath,
    printable,
    read_regular_file,
    shown,
    size_in_words,
)
from argmap.model import DATE_PATTERN, ID_RE, ArgMap, Claim, Evidence, Rebuttal, Source, Speaker
from argmap.quotes import SourceText, closest_passage

MAX_SOURCE_BYTES: Final = 8 * 1024 * 1024  # one source file
MAX_SOURCES_BYTES: Final = 32 * 1024 * 1024  # all the distinct source files of a map together
# Bounds on the work a map can ask for (each a few seconds at most), so that no map, however
# made, makes a check hang: past them, the checks say they stopped, or drop their suggestions.
MAX_QUOTE_WORK: Final = 2**34  # characters of source text searched for quotes, in all
MAX_PASSAGE_WORK: Final = 2**24  # characters of source text scanned for closest passages
MAX_SUGGESTION_WORK: Final = 1_000_000  # names compared for "did you mean"
SECTIONS: Final[dict[str, tuple[str, type[BaseModel]]]] = {
    "sources": ("source", Source),
    "speakers": ("speaker", Speaker),
    "claims": ("claim", Claim),
    "rebuttals": ("rebuttal", Rebuttal),
    "evidence": ("evidence", Evidence),
}
_FIELD_HELP: Final = {
    "id": "a short name such as 'replaces-all'",
    "text": "the point, in your words",
    "title": "a short title",
    "name": "the speaker's name",
    "rebuts": "the id (or [ids]) of what it argues against",
    "supports": "the id (or [ids]) of the claims or rebuttals it backs",
    "claims": "a list of claims, each with id and text",
}
_TYPE_ERRORS: Final = (
    "string_type",
    "list_type",
    "dict_type",
    "model_type",
    "model_attributes_type",
)
_VALUE_KINDS: Final = {
    bool: "true/false",
    int: "a number",
    float: "a number",
    list: "a list",
    dict: "a mapping",
    type(None): "empty",
}


@dataclass(frozen=True)
class Validated:
    """A valid map, with its warnings, as the later stages need it."""

    argmap: ArgMap
    warnings: list[Diagnostic]
    map_dir: Path


def validate(loaded: Loaded, *, strict: bool = False) -> Validated:
    """The map as an `ArgMap`, or `InvalidMap` with every error (and warning) in file order.

    With `strict`, warnings count as errors.
    """
    check = _Checker(loaded)
    argmap = check.schema()
    check.references()
    check.warnings()
    found = sorted([*loaded.problems, *check.found], key=lambda d: (d.line, d.col))
    if strict:
        found = [
            Diagnostic(d.file, d.line, d.col, "error", d.message + " (--strict)")
            if d.severity == "warning"
            else d
            for d in found
        ]
    if len(found) > MAX_ERRORS:
        last = found[MAX_ERRORS - 1]
        severity: Severity = "error" if any(d.severity == "error" for d in found) else "warning"
        found = [
            *found[:MAX_ERRORS],
            Diagnostic(
                last.file,
                last.line,
                last.col,
                severity,
                f"stopped after {MAX_ERRORS} findings ({len(found) - MAX_ERRORS} more not shown); "
                "fix these first",
            ),
        ]
    if argmap is None or any(d.severity == "error" for d in found):
        raise InvalidMap(found)
    return Validated(argmap, found, loaded.path.parent)


def did_you_mean(word: str, choices: list[str]) -> str:
    """`"; did you mean 'x'?"` for the nearest choice, or nothing."""
    near = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{near[0]}'?" if near else ""


class _Checker:
    def __init__(self, loaded: Loaded) -> None:
        self.loaded = loaded
        self.data: dict[str, Any] = loaded.data if isinstance(loaded.data, dict) else {}
        self.found: list[Diagnostic] = []
        self.ids: dict[str, tuple[str, YPath]] = {}  # id -> (kind, path of its first item)
        self.kinds: dict[str, set[str]] = {}  # id -> the kinds of every item that has it
        self.used: set[str] = set()
        self.texts: dict[str, SourceText | None] = {}  # source id -> its file (None: unreadable)
        self.files: dict[Path, SourceText | None] = {}  # each distinct file read, by real path
        self.read_bytes = 0  # of all the distinct source files
        self.quotes: dict[tuple[str, str], bool] = {}  # (source, quote) -> found
        self.work = {
            "quotes": MAX_QUOTE_WORK,
            "passages": MAX_PASSAGE_WORK,
            "suggestions": MAX_SUGGESTION_WORK,
        }
        self.choices: dict[tuple[str, ...], list[str]] = {}  # kinds -> the ids of those kinds

    def say(
        self, ypath: YPath, message: str, severity: Severity = "error", *, key: bool = False
    ) -> None:
        if any(ypath[:n] in self.loaded.tainted for n in range(len(ypath) + 1)):
            return  # the loader has reported what is wrong here
        line, col = self.loaded.spot(ypath, key=key)
        self.found.append(Diagnostic(self.loaded.file, line, col, severity, printable(message)))

    def spend(self, budget: str, amount: int) -> bool:
        """Take `amount` from a bound on work (`MAX_*_WORK`); False once it is used up."""
        self.work[budget] -= amount
        return self.work[budget] >= 0

    def suggest(self, word: str, choices: list[str]) -> str:
        """`did_you_mean`, while the bound on suggestions lasts (each costs the choices)."""
        return did_you_mean(word, choices) if self.spend("suggestions", len(choices)) else ""

    def items(self, section: str) -> Iterator[tuple[YPath, dict[str, Any]]]:
        entries = self.data.get(section)
        if isinstance(entries, list):
            for i, item in enumerate(entries):
                if isinstance(item, dict):
                    yield (section, i), item

    def name(self, ypath: YPath) -> str:
        """'claim 'replaces-all'' or 'claim #3': how to speak of the item at `ypath`."""
        if len(ypath) < 2 or ypath[0] not in SECTIONS:
            return "the map"
        kind = SECTIONS[str(ypath[0])][0]
        entries = self.data.get(str(ypath[0]))
        at = ypath[1]
        item = entries[at] if isinstance(entries, list) and isinstance(at, int) else None
        ident = item.get("id") if isinstance(item, dict) else None
        if isinstance(ident, str) and ident:
            return f"{kind} '{shown(ident)}'"
        return f"{kind} #{int(ypath[1]) + 1}"

    # -- the schema ---------------------------------------------------------------------------

    def schema(self) -> ArgMap | None:
        if not isinstance(self.loaded.data, dict):
            holds = (
                "is empty"
                if self.loaded.data is None
                else "holds " + _VALUE_KINDS.get(type(self.loaded.data), "plain text")
            )
            self.say(
                (), f"a map starts with 'title:' and 'claims:' at the top level; this file {holds}"
            )
            return None
        try:
            return ArgMap.model_validate(self.data)
        except ValidationError as e:
            for err in e.errors(include_input=False, include_url=False):
                self.schema_error(err)
            return None

    def value_at(self, loc: YPath) -> tuple[bool, Any]:
        value: Any = self.data
        for part in loc:
            try:
                value = value[part]
            except (KeyError, IndexError, TypeError):
                return False, None
        return True, value

    def schema_error(self, err: ErrorDetails) -> None:
        loc: YPath = tuple(err["loc"])
        while loc and not self.value_at(loc)[0] and err["type"] != "missing":
            loc = loc[:-1]  # drop pydantic's own steps (e.g. a union member)
        field = shown(next((str(p) for p in reversed(loc) if isinstance(p, str)), ""))
        owner = self.name(loc)
        kind = err["type"]
        _, value = self.value_at(loc)
        if kind == "extra_forbidden":
            model = SECTIONS[str(loc[0])][1] if len(loc) == 3 else ArgMap
            self.say(
                loc,
                f"{owner} has a field '{field}' that the format does not know"
                + (
                    did_you_mean(field, list(model.model_fields))
                    or f"; known fields: {', '.join(model.model_fields)}"
                ),
                key=True,
            )
        elif kind == "missing":
            hint = _FIELD_HELP.get(field, "")
            self.say(
                loc[:-1],
                f"{owner} is missing '{field}'"
                + (f": add '{field}:' with {hint}" if hint else f": add '{field}:'"),
            )
        elif len(loc) == 2 and loc[0] in SECTIONS and isinstance(loc[1], int):
            kind_name, model = SECTIONS[str(loc[0])]
            required = [f for f, info in model.model_fields.items() if info.is_required()]
            self.say(
                loc,
                f"{owner} should be a mapping of fields ({', '.join(required)}, ...), "
                f"not {_VALUE_KINDS.get(type(value), 'text')}: write each {kind_name} as "
                "'- id: ...' with its other fields on the lines below, indented to match",
            )
        elif field == "version":
            self.say(
                loc,
                f"version {shown(self.loaded.raw.get(loc, repr(value)))} is not known; "
                "this argmap reads version 1: write 'version: 1' (a number, no quotes), "
                "or leave the line out",
            )
        elif field == "date":
            self.bad_date(loc, owner, value)
        elif field == "url" and isinstance(value, str):
            self.bad_url(loc, owner, value)
        elif (
            field == "id"
            or (len(loc) >= 2 and loc[-2] in ("rebuts", "supports", "tags"))
            or (field in ("by", "source", "rebuts", "supports") and isinstance(value, str))
        ):
            self.bad_id(loc, owner, field, value)
        elif field in ("rebuts", "supports") and kind == "list_type":
            self.say(
                loc,
                f"'{field}' of {owner} should be an id or a list of ids, not "
                f"{_VALUE_KINDS.get(type(value), 'text')}: write e.g. '{field}: [some-id]'",
            )
        elif kind in _TYPE_ERRORS:
            expected = {
                "string_type": "text",
                "list_type": "a list",
                "dict_type": "a mapping",
                "model_type": "a mapping",
            }.get(kind, "a mapping")
            got = _VALUE_KINDS.get(type(value), "text")
            fix = ""
            if kind == "string_type" and isinstance(value, bool | int | float):
                written = self.loaded.raw.get(loc, str(value))
                fix = (
                    f"; YAML reads {shown(written)} as {got}: put it in quotes, e.g. "
                    f'"{shown(written)}"'
                )
            elif kind == "list_type" and isinstance(value, str):
                fix = f"; write it as a list: {field}: [{shown(value)}]"
            elif value is None and kind == "list_type":
                fix = "; list its items below it, each on a line starting with '- '"
            elif value is None:
                fix = (
                    "; write it after the colon"
                    if self.required(loc)
                    else "; write it after the colon, or remove the line"
                )
            self.say(
                loc, f"'{field or 'the file'}' of {owner} should be {expected}, not {got}{fix}"
            )
        elif kind in ("string_pattern_mismatch", "string_too_short"):
            self.say(
                loc,
                f"'{field}' of {owner} is empty; write some text"
                + ("" if self.required(loc) else ", or remove the line"),
            )
        elif kind == "too_short":
            self.say(
                loc,
                f"'{field}' of {owner} is an empty list; give at least one "
                + ("claim" if field == "claims" else "id"),
            )
        elif kind == "literal_error":
            choices = ("fact", "statistic", "quote", "example", "document")
            self.say(
                loc,
                f"kind '{shown(value)}' of {owner} is not one of {', '.join(choices)}"
                + did_you_mean(str(value), list(choices)),
            )
        else:
            self.say(loc, f"'{field}' of {owner}: {err['msg'].lower()}")

    def required(self, loc: YPath) -> bool:
        """True if the field at `loc` must be given."""
        model = SECTIONS[str(loc[0])][1] if len(loc) == 3 and loc[0] in SECTIONS else ArgMap
        info = model.model_fields.get(str(loc[-1])) if loc else None
        return info is not None and info.is_required()

    def bad_date(self, loc: YPath, owner: str, value: Any) -> None:
        written = self.loaded.raw.get(loc, str(value))
        self.say(
            loc,
            f"date '{shown(written)}' of {owner} is not a date; write YYYY, YYYY-MM or "
            "YYYY-MM-DD, e.g. 2007-10",
        )

    def bad_url(self, loc: YPath, owner: str, url: str) -> None:
        scheme = url.partition(":")[0].strip() if ":" in url else ""
        if scheme.lower() not in ("http", "https"):
            problem = (
                f"is a '{shown(scheme, 20)}:' link"
                if scheme and scheme.isalnum()
                else "does not start with http:// or https://"
            )
            self.say(
                loc,
                f"url of {owner} {problem}; argmap accepts only web links: write the "
                "address in full, starting with https:// (or http://)",
            )
        elif any(c.isspace() for c in url):
            self.say(
                loc, f"url of {owner} contains a space; write each space in the address as %20"
            )
        else:
            self.say(
                loc,
                f"url of {owner} names no host; write it in full, e.g. https://example.org/page",
            )

    def bad_id(self, loc: YPath, owner: str, field: str, value: Any) -> None:
        if not isinstance(value, str):
            what = _VALUE_KINDS.get(type(value), "text")
            self.say(
                loc,
                f"'{field}' of {owner} should be an id (text), not {what}"
                + ("; put it in quotes" if isinstance(value, bool | int | float) else ""),
            )
            return
        slug = "-".join(
            "".join(c if c.isalnum() and c.isascii() else " " for c in value[:256].lower()).split()
        )[:64]
        self.say(
            loc,
            f"'{shown(value)}' is not a valid id: use lowercase letters, digits and "
            "hyphens, starting with a letter or digit, at most 64 characters"
            + (f", e.g. '{slug}'" if slug and ID_RE.match(slug) else ""),
        )

    # -- the whole map ----------------------------------------------------------------------

    def references(self) -> None:
        everything = [
            (self.loaded.spot((*ypath, "id")), kind, ypath, item)
            for section, (kind, _) in SECTIONS.items()
            for ypath, item in self.items(section)
        ]
        for _, kind, ypath, item in sorted(everything, key=lambda e: e[0]):  # in file order
            ident = item.get("id")
            if not isinstance(ident, str) or not ID_RE.match(ident):
                continue
            self.kinds.setdefault(ident, set()).add(kind)
            if ident in self.ids:
                first_kind, first = self.ids[ident]
                line, col = self.loaded.spot((*first, "id"))
                self.say(
                    (*ypath, "id"),
                    f"duplicate id '{ident}': {_any((first_kind,))} at "
                    f"{self.loaded.file}:{line}:{col} has it already; ids must be unique "
                    "across the whole file: rename one of them",
                )
            else:
                self.ids[ident] = (kind, ypath)
        for ypath, item in self.items("sources"):
            self.check_date(ypath, item)
            self.check_file(ypath, item)
        for section in ("claims", "rebuttals", "evidence"):
            for ypath, item in self.items(section):
                self.refer(ypath, item, "by", ("speaker",))
                self.refer(ypath, item, "source", ("source",))
                if section == "rebuttals":  # elsewhere the schema reports the field itself
                    self.refer(ypath, item, "rebuts", ("claim", "rebuttal", "evidence"))
                if section == "evidence":
                    self.refer(ypath, item, "supports", ("claim", "rebuttal"))
                self.check_quote(ypath, item)

    def check_date(self, ypath: YPath, item: dict[str, Any]) -> None:
        """A date of the right shape that no calendar has, such as 2007-02-30."""
        date = item.get("date")
        if isinstance(date, str) and len(date) == 10 and re.fullmatch(DATE_PATTERN, date):
            try:
                datetime.date.fromisoformat(date)
            except ValueError:
                self.say(
                    (*ypath, "date"),
                    f"date '{date}' of {self.name(ypath)} is not a day "
                    "of the calendar; check the day of the month, or write only YYYY-MM",
                )

    def refer(self, ypath: YPath, item: dict[str, Any], field: str, kinds: tuple[str, ...]) -> None:
        value = item.get(field)
        targets = (
            [((*ypath, field), value)]
            if isinstance(value, str)
            else [((*ypath, field, i), v) for i, v in enumerate(value or []) if isinstance(v, str)]
            if isinstance(value, list)
            else []
        )
        for at, target in targets:
            if not ID_RE.match(target):
                continue  # reported by the schema
            self.used.add(target)
            if target not in self.ids:
                if kinds not in self.choices:
                    self.choices[kinds] = [i for i, (k, _) in self.ids.items() if k in kinds]
                self.say(
                    at,
                    f"'{field}: {target}' of {self.name(ypath)} names no "
                    f"{_any(kinds, article=False)} in this map"
                    + self.suggest(target, self.choices[kinds]),
                )
            elif target == item.get("id") and field == "rebuts":
                self.say(
                    at,
                    f"{self.name(ypath)} rebuts itself; a rebuttal must argue against "
                    "something else",
                )
            elif not self.kinds[target] & set(kinds):  # a duplicate id of the right kind will do
                what = self.ids[target][0]
                self.say(
                    at,
                    f"'{field}: {target}' of {self.name(ypath)} names {_any((what,))}, "
                    f"but '{field}' takes {_any(kinds)}",
                )

    def check_quote(self, ypath: YPath, item: dict[str, Any]) -> None:
        quote, source = item.get("quote"), item.get("source")
        if not isinstance(quote, str) or not quote.strip():
            return
        if source is None:
            self.say(
                (*ypath, "quote"),
                f"{self.name(ypath)} has a quote but no source: add "
                "'source:' with the id of the source the words come from",
                key=True,
            )
            return
        if not isinstance(source, str) or self.ids.get(source, ("",))[0] != "source":
            return
        text = self.texts.get(source)
        if text is None:
            return
        if (source, quote) not in self.quotes:
            if not self.spend("quotes", len(text.flat)):
                if self.work["quotes"] + len(text.flat) >= 0:  # said once, at the first one
                    self.say(
                        (*ypath, "quote"),
                        "argmap stopped checking quotes here: the quotes "
                        "and their source files together are too much text to search "
                        f"(over {MAX_QUOTE_WORK // 10**9} billion characters); split the "
                        "map, or keep only the quoted passages in the sources",
                    )
                return
            self.quotes[source, quote] = text.has(quote)
        if self.quotes[source, quote]:
            return
        src_path = self.ids[source][1]
        file = shown(self.value_at((*src_path, "file"))[1], 100)
        where = ""
        if self.spend("passages", len(text.text)):
            line, passage = closest_passage(quote, text.text)
            where = (
                f'; the closest passage (line {line}) reads: "{passage}". Copy the '
                "words exactly; only spacing and the style of quote marks may differ"
            )
        self.say(
            (*ypath, "quote"),
            f"the quote of {self.name(ypath)} is not in {file}"
            + (
                where
                or "; copy the words exactly: only spacing and the style of quote marks may differ"
            ),
        )

    def resolve_file(self, ypath: YPath, item: dict[str, Any]) -> Path | None:
        """The source's `file` as a path inside the map's folder, or None (after saying why)."""
        file = item.get("file")
        if not isinstance(file, str) or not file.strip():
            return None
        at, name = (*ypath, "file"), shown(file, 100)
        root = self.loaded.path.parent.resolve()
        try:
            path = (root / file).resolve()
        except (OSError, RuntimeError, ValueError):
            self.say(at, f"file '{name}' cannot be resolved; give a path inside the map's folder")
            return None
        if not path.is_relative_to(root) or Path(file).is_absolute():
            # Written inside the folder, yet resolved outside it: a symbolic link leads out.
            linked = not Path(file).is_absolute() and ".." not in Path(file).parts
            where = "is a link to a file" if linked else "is"
            self.say(
                at,
                f"file '{name}' {where} outside the map's folder ({shown(root.name)}/); "
                "argmap reads only files inside it: copy the source there and give its "
                "path relative to the map",
            )
            return None
        try:
            info = path.stat()
        except (OSError, ValueError):
            self.say(
                at,
                f"file '{name}' does not exist (looked for "
                f"{shown(path.relative_to(root), 100)} beside the map)"
                + self.suggest(file, _siblings(root, path)),
            )
            return None
        if stat.S_ISDIR(info.st_mode):
            self.say(
                at, f"file '{name}' is a folder; give the path of the plain-text file inside it"
            )
        elif not stat.S_ISREG(info.st_mode):
            self.say(
                at,
                f"file '{name}' is not a regular file (a pipe or a device); give a plain-text file",
            )
        elif info.st_size > MAX_SOURCE_BYTES:
            self.say(
                at,
                f"file '{name}' is {size_in_words(info.st_size)}; argmap reads source "
                f"files of at most {size_in_words(MAX_SOURCE_BYTES)}: keep only the text "
                "that is quoted",
            )
        elif path not in self.files and self.read_bytes + info.st_size > MAX_SOURCES_BYTES:
            self.say(
                at,
                f"file '{name}' would take the source files of this map past "
                f"{size_in_words(MAX_SOURCES_BYTES)} in all, the most argmap reads for one "
                "map: keep only the quoted passages in the sources, or split the map",
            )
        else:
            return path
        return None

    def check_file(self, ypath: YPath, item: dict[str, Any]) -> None:
        ident = item.get("id")
        path = self.resolve_file(ypath, item)
        if path is not None and path not in self.files:  # each file is read once
            self.files[path] = self.read_source((*ypath, "file"), shown(item["file"], 100), path)
        if isinstance(ident, str):
            self.texts[ident] = None if path is None else self.files[path]

    def read_source(self, at: YPath, file: str, path: Path) -> SourceText | None:
        """The text of a source file (already checked by `resolve_file`), or None."""
        try:
            raw = read_regular_file(path, MAX_SOURCE_BYTES + 1, follow=False)
        except OSError as e:
            self.say(at, f"file '{file}' cannot be read ({e.strerror})")
            return None
        if raw is None or len(raw) > MAX_SOURCE_BYTES:
            self.say(at, f"file '{file}' changed while argmap was reading it; run the check again")
            return None
        self.read_bytes += len(raw)
        try:
            return SourceText(raw.decode("utf-8-sig"))
        except UnicodeDecodeError as e:
            line = e.object.count(b"\n", 0, e.start) + 1
            self.say(
                at,
                f"file '{file}' is not UTF-8 text (byte 0x{e.object[e.start]:02X} on "
                f"its line {line}); save it as UTF-8 plain text",
            )
            return None

    # -- warnings ---------------------------------------------------------------------------

    def warnings(self) -> None:
        for section in ("sources", "speakers"):
            for ypath, item in self.items(section):
                ident = item.get("id")
                if isinstance(ident, str) and ident not in self.used and ID_RE.match(ident):
                    field = "source" if section == "sources" else "by"
                    self.say(
                        (*ypath, "id"),
                        f"{self.name(ypath)} is never used (nothing has "
                        f"'{field}: {ident}'); use it or remove it",
                        "warning",
                    )
        targets = self.used
        for ypath, item in self.items("claims"):
            ident = item.get("id")
            if isinstance(ident, str) and ident not in targets and ID_RE.match(ident):
                self.say(
                    (*ypath, "id"),
                    f"{self.name(ypath)} has neither evidence nor rebuttal; "
                    "add evidence that supports it, or a rebuttal",
                    "warning",
                )
        for ypath, item in self.items("evidence"):
            if item.get("source") is None:
                self.say(
                    ypath,
                    f"{self.name(ypath)} has no source; add 'source:' so readers can check it",
                    "warning",
                )


def _any(kinds: tuple[str, ...], *, article: bool = True) -> str:
    """'a claim, a rebuttal or evidence'."""
    words = [k if k == "evidence" or not article else f"a {k}" for k in kinds]
    return " or ".join(words) if len(words) < 3 else f"{', '.join(words[:-1])} or {words[-1]}"


def _siblings(root: Path, path: Path) -> list[str]:
    """Up to 200 names in the folder where `path` was looked for, for "did you mean"."""
    try:
        folder = path.parent
        found = itertools.islice(folder.iterdir(), 200)
        return [str((folder / p.name).relative_to(root)) for p in found]
    except (OSError, ValueError):
        return []
