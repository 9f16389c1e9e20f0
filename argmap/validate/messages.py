"""Part of stage 2, validate: pydantic's schema errors, translated into the user's words.

`SchemaChecks` is a mixin of `argmap.validate._Checker`, on the core in `argmap.validate.core`.
"""

from __future__ import annotations

import re
from typing import Any, Final, get_args

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from argmap.load import YPath
from argmap.model import ID_RE, SECTIONS, ArgMap, AttackRule, EvidenceKind, Judgement, Link
from argmap.text import shown
from argmap.validate.core import CheckerCore, did_you_mean

_FIELD_HELP: Final = {
    "id": "a short name such as 'replaces-all'",
    "text": "the point, in your words",
    "title": "a short title",
    "name": "the speaker's name",
    "rebuts": "the id (or [ids]) of what it argues against",
    "supports": "the id (or [ids]) of the claims, rebuttals or other evidence it backs",
    "claims": "a list of claims, each with id and text",
}
_TYPE_ERRORS: Final = (
    "bool_type",
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


class SchemaChecks(CheckerCore):
    """The map against the pydantic models, each error said in the user's words."""

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
                loc = err["loc"]
                in_item = len(loc) >= 2 and loc[0] in SECTIONS and isinstance(loc[1], int)
                # the same mistake in each item of a section: one family (see validate._collapse)
                self.family = (loc[0], *loc[2:], err["type"]) if in_item else None
                self.schema_error(err)
            self.family = None
            return None

    def schema_error(self, err: ErrorDetails) -> None:
        loc: YPath = tuple(err["loc"])
        while loc and not self.value_at(loc)[0] and err["type"] != "missing":
            loc = loc[:-1]  # drop pydantic's own steps (e.g. a union member)
        field = shown(next((str(p) for p in reversed(loc) if isinstance(p, str)), ""))
        owner = self.name(loc)
        kind = err["type"]
        _, value = self.value_at(loc)
        if kind == "extra_forbidden":
            model: type[BaseModel] = SECTIONS[str(loc[0])] if len(loc) == 3 else ArgMap
            if loc[:1] == ("judgement",):  # a nested model: its own fields
                model, owner = Judgement, "'judgement'"
            elif len(loc) == 5 and loc[2] == "undercuts":
                model, owner = Link, f"a link in 'undercuts' of {owner}"
            known = [info.alias or name for name, info in model.model_fields.items()]
            self.say(
                loc,
                f"{owner} has a field '{field}' that the format does not know"
                + (did_you_mean(field, known) or f"; known fields: {', '.join(known)}"),
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
            model = SECTIONS[str(loc[0])]
            kind_name = model.item_kind
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
            or (
                field in ("by", "source", "reported_by", "rebuts", "supports")
                and isinstance(value, str)
            )
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
                "bool_type": "true or false",
            }.get(kind, "a mapping")
            got = _VALUE_KINDS.get(type(value), "text")
            fix = ""
            if kind == "string_type" and isinstance(value, bool | int | float):
                written = self.loaded.raw.get(loc, str(value))
                fix = (
                    f"; YAML reads {shown(written)} as {got}: put it in quotes, e.g. "
                    f'"{shown(written)}"'
                )
            elif kind == "bool_type":
                fix = "; write true or false, without quotes, or remove the line"
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
        elif kind == "literal_error" and field == "attacks":
            rules: tuple[str, ...] = get_args(AttackRule)  # the model's list, not a copy
            self.say(
                loc,
                f"'judgement: attacks: {shown(value)}' is not one of {', '.join(rules)}"
                + (did_you_mean(str(value), list(rules)) or ": write 'attacks: weighed'"),
            )
        elif kind == "literal_error":
            choices: tuple[str, ...] = get_args(EvidenceKind)  # the model's list, not a copy
            self.say(
                loc,
                f"kind '{shown(value)}' of {owner} is not one of {', '.join(choices)}"
                + did_you_mean(str(value), list(choices)),
            )
        else:
            self.say(loc, f"'{field}' of {owner}: {err['msg'].lower()}")

    def reported_speech(self) -> None:
        """`paraphrase:` describes a quote: without one it says nothing."""
        for section in ("claims", "rebuttals", "evidence"):
            for ypath, item in self.items(section):
                if item.get("paraphrase") is True and item.get("quote") is None:
                    self.say(
                        (*ypath, "paraphrase"),
                        f"{self.name(ypath)} says 'paraphrase: true' but has no quote; add "
                        "'quote:' with the reporter's words (and 'source:'), or remove the line",
                    )

    def required(self, loc: YPath) -> bool:
        """True if the field at `loc` must be given."""
        model = SECTIONS[str(loc[0])] if len(loc) == 3 and loc[0] in SECTIONS else ArgMap
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
        listed = field in ("rebuts", "supports")
        # `by: Simon Crosby` is a name and a tag a label, but `by: a, b` is several ids; an id
        # gets its slug, below
        separated = field not in ("id", "tags") and any(c in value for c in ",;")
        several = _several_ids(value) if listed or separated else []
        lowercase = value != value.lower() and ID_RE.match(value.lower()) is not None
        if self.family is not None:  # one family per message, not per pydantic error
            self.family = (self.family, bool(several), lowercase)
        if several and listed:
            self.say(
                loc,
                f"'{shown(value)}' of {owner} holds several ids in one text; write several "
                f"ids as a list: `{field}: [{', '.join(several)}]`",
            )
            return
        if several:
            self.say(
                loc,
                f"'{field}' of {owner} takes one id, not several ('{shown(value)}'); "
                f"keep one of them, e.g. '{several[0]}'",
            )
            return
        if lowercase:
            self.say(
                loc,
                f"'{shown(value)}' is not a valid id: ids are written in lowercase; "
                f"write '{value.lower()}'",
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


_SEPARATORS: Final = re.compile(r"[\s,;]+")


def _several_ids(value: str) -> list[str]:
    """The ids in a text that lists several (`bargain, platform`, `a b`, `a;b`), each in
    lowercase, or [] when it is not such a list.

    >>> _several_ids("Bargain, platform"), _several_ids("bargain"), _several_ids("a, b!")
    (['bargain', 'platform'], [], [])
    """
    parts = [p.lower() for p in _SEPARATORS.split(value[:1000].strip()) if p]
    return parts if len(parts) > 1 and all(ID_RE.match(p) for p in parts) else []
