"""The building blocks of the claims.yaml schema (`argmap.model`): ids, texts, dates, lists of
ids, the small vocabularies (kinds, standings, evidence kinds, rules) and the strict base model.
`argmap.model` re-exports every name here.
"""

from __future__ import annotations

import re
from typing import Annotated, Final, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)

ID_PATTERN: Final = r"^[a-z0-9][a-z0-9-]{0,63}$"
# For Python: `$` would also match before a final line break ("a\n"); `\Z` only at the end.
# (JSON Schema and pydantic read ID_PATTERN's `$` as the end of the text.)
ID_RE: Final = re.compile(ID_PATTERN.removesuffix("$") + r"\Z")
DATE_PATTERN: Final = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Text = Annotated[str, StringConstraints(min_length=1, pattern=r"\S")]
Url = Annotated[str, StringConstraints(pattern=r"^[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#]+[^\s]*$")]


def _one_or_many(value: object) -> object:
    """`rebuts: a` and `rebuts: [a, b]` mean the same; keep a list either way."""
    return [value] if isinstance(value, str) else value


def _once_each(ids: list[str]) -> list[str]:
    """`rebuts: [a, a]` is one rebuttal of `a` (argmap.validate warns of the repeat)."""
    return list(dict.fromkeys(ids))


def _whole_number(value: object) -> object:
    """`version: true` or `version: 1.0` is not version 1 (True == 1.0 == 1 in Python, and for
    `Literal[1]`)."""
    if type(value) is not int:
        raise ValueError("not a version number")
    return value


def _year_as_text(value: object) -> object:
    """`date: 2007` loads as a number; a four-digit year is still a date."""
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return str(value)
    return value


# `json_schema_input_type` only tells the JSON Schema what the validator accepts (one id or a
# list; a date as text or a year as a number); validation itself is unchanged.
_IdOrIds = Id | Annotated[list[Id], Field(min_length=1)]
_DateOrYear = (
    Annotated[str, StringConstraints(pattern=DATE_PATTERN)]
    | Annotated[int, Field(ge=1000, le=9999)]
)
IdList = Annotated[
    list[Id],
    BeforeValidator(_one_or_many, json_schema_input_type=_IdOrIds),
    Field(min_length=1),
    AfterValidator(_once_each),
]
Date = Annotated[
    str,
    BeforeValidator(_year_as_text, json_schema_input_type=_DateOrYear),
    StringConstraints(pattern=DATE_PATTERN),
]
EvidenceKind = Literal["fact", "statistic", "quote", "example", "document"]
Standing = Literal["stands", "defeated", "undecided"]
Kind = Literal["claim", "rebuttal", "evidence"]  # the kinds of points, the nodes of the map
ItemKind = Literal["source", "speaker", "claim", "rebuttal", "evidence"]
AttackRule = Literal["all", "weighed"]  # FORMAT.md, "Judgement"
MAX_WEIGHT: Final = 1_000_000

_ID_RULE: Final = (
    "Lowercase letters, digits and hyphens, starting with a letter or digit, at most 64 "
    "characters; unique across the whole file (sources, speakers, claims, rebuttals and "
    "evidence share one set of ids)."
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, hide_input_in_errors=True)


class Link(_Strict):
    """A rebuttal or support link between two points: `from` rebuts or supports `to`."""

    from_: Id = Field(
        alias="from",
        title="From",
        description="The id of the point that rebuts or supports.",
        examples=["survey-2019"],
    )
    to: Id = Field(
        title="To",
        description="The id of the point it rebuts or supports.",
        examples=["traffic-down"],
    )


_REBUTS_TOO = (
    "Other points this one argues against (one id or a list): a claim may rebut a rival claim; "
    "evidence may rebut one point while it supports another."
)
_SUPPORTS_TOO = "Other points this one backs (one id or a list), beside what it rebuts."
_UNDERCUTS = (
    "Links this point attacks rather than their points: `{from: A, to: B}` where A rebuts or "
    "supports B. While this point stands, that link counts for nothing: the rebuttal does not "
    'defeat, the support is not counted. For "that misses the point" and "that evidence does '
    'not bear on it".'
)


class Judgement(_Strict):
    """How the map's author asks argmap to judge it (FORMAT.md, "Judgement")."""

    attacks: AttackRule = Field(
        "all",
        title="Attacks",
        description=(
            "`all` (the default): every rebuttal that stands defeats what it rebuts. `weighed`: "
            "a rebuttal defeats its target only when it is at least as strong, strength being "
            "the point's `weight` if given, else its backing (1 for a source, 1 for a quote "
            "checked against the source's file, 1 for each evidence item supporting it)."
        ),
        examples=["weighed"],
    )
