"""Part of stage 2, validate: the checks that need the whole map: ids unique, references that
name something of the right kind, calendar dates, and the warnings (unused sources and speakers,
claims with neither evidence nor rebuttal).

`ReferenceChecks` is a mixin of `argmap.validate._Checker` (state in `argmap.validate.core`).
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from argmap.load import YPath
from argmap.model import DATE_PATTERN, ID_RE, SECTIONS
from argmap.validate.core import Names, Warned
from argmap.validate.sources import SourceChecks


class ReferenceChecks(SourceChecks):
    """The whole-map checks; `argmap.validate._Checker` keeps their state."""

    # -- the whole map ----------------------------------------------------------------------

    def references(self) -> None:
        self.unread = {  # the kinds of items with no id that can be read: a broken section
            model.item_kind
            for section, model in SECTIONS.items()
            if isinstance(entries := self.data.get(section), list)
            for item in entries
            if not isinstance(item, dict)
            or not isinstance(item.get("id"), str)
            or not ID_RE.match(item["id"])
        }
        everything = [
            (self.loaded.spot((*ypath, "id")), model.item_kind, ypath, item)
            for section, model in SECTIONS.items()
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
                self.refer(ypath, item, "reported_by", ("speaker", "source"))
                # (a claim's or evidence's `rebuts`, a claim's or rebuttal's `supports`: optional)
                self.refer(ypath, item, "rebuts", ("claim", "rebuttal", "evidence"))
                self.refer(ypath, item, "supports", ("claim", "rebuttal", "evidence"))
                self.check_quote(ypath, item)
        self.check_undercuts()

    def check_undercuts(self) -> None:
        """Each link a point undercuts is a link of the map: `from` rebuts or supports `to`."""
        points = {
            item["id"]: item
            for section in ("claims", "rebuttals", "evidence")
            for _, item in self.items(section)
            if isinstance(item.get("id"), str)
        }
        for ypath, item in self.items("rebuttals"):  # (the schema says so for editors too)
            if item.get("rebuts") is None and not item.get("undercuts"):
                self.say(
                    ypath,
                    f"{self.name(ypath)} is missing 'rebuts': add 'rebuts:' with the id (or "
                    "[ids]) of what it argues against, or 'undercuts:' with the links it attacks",
                )
        for section in ("rebuttals", "evidence"):
            for ypath, item in self.items(section):
                links = item.get("undercuts")
                if not isinstance(links, list):
                    continue
                for i, link in enumerate(links):
                    if not isinstance(link, dict):
                        continue  # reported by the schema
                    start, end = link.get("from"), link.get("to")
                    if not isinstance(start, str) or not isinstance(end, str):
                        continue
                    at = (*ypath, "undercuts", i)
                    source = points.get(start)
                    named = [t for f in ("rebuts", "supports") for t in _ids((source or {}).get(f))]
                    if start == item.get("id"):
                        self.say(
                            at,
                            f"{self.name(ypath)} undercuts its own link to '{end}'; a point "
                            "undercuts another point's link: remove it, or drop that target",
                        )
                    elif source is None:
                        self.say(
                            at,
                            f"'undercuts: from: {start}' of {self.name(ypath)} names no claim, "
                            "rebuttal or evidence in this map" + self.suggest(start, Names(points)),
                        )
                    elif end not in named:
                        self.say(
                            at,
                            f"{self.name(ypath)} undercuts the link from '{start}' to '{end}', "
                            f"but '{start}' neither rebuts nor supports '{end}'"
                            + (f" (it names {', '.join(named)})" if named else "")
                            + ": name a link the map has",
                        )
                    else:
                        self.used.add(start)

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
        targets = enumerate(value) if isinstance(value, list) else [(None, value)]
        seen: set[str] = set()
        for i, target in targets:
            if not isinstance(target, str) or not ID_RE.match(target):
                continue  # reported by the schema
            at = (*ypath, field) if i is None else (*ypath, field, i)
            if target in seen:
                repeated = self.repeated.setdefault((*ypath, field), set())
                if target not in repeated:  # said once per target, however often repeated
                    repeated.add(target)
                    self.say(
                        at,
                        f"{self.name(ypath)} names '{target}' in '{field}' again; it counts "
                        "once: remove the repeat",
                        "warning",
                    )
                continue
            seen.add(target)
            self.used.add(target)
            if target not in self.ids:
                if kinds not in self.choices:
                    self.choices[kinds] = Names(i for i, (k, _) in self.ids.items() if k in kinds)
                # into a section whose items could not all be read: one family
                self.family = ("names nothing", field) if self.unread & set(kinds) else None
                self.say(
                    at,
                    f"'{field}: {target}' of {self.name(ypath)} names no "
                    f"{_any(kinds, article=False)} in this map"
                    + self.suggest(target, self.choices[kinds]),
                )
                self.family = None
            elif target == item.get("id") and field == "rebuts":
                self.say(
                    at,
                    f"{self.name(ypath)} rebuts itself; a rebuttal must argue against "
                    "something else",
                )
            elif target == item.get("id") and field == "supports":
                self.say(
                    at,
                    f"{self.name(ypath)} supports itself; evidence must back something else",
                )
            elif not self.kinds[target] & set(kinds):  # a duplicate id of the right kind will do
                what = self.ids[target][0]
                self.say(
                    at,
                    f"'{field}: {target}' of {self.name(ypath)} names {_any((what,))}, "
                    f"but '{field}' takes {_any(kinds)}",
                )

    # -- warnings ---------------------------------------------------------------------------

    def warnings(self) -> None:
        # each kind of warning is a family: a flood of one kind is shown as its first few and
        # a count (validate._collapse); the words name the kind in that count
        for section in ("sources", "speakers"):
            self.family = Warned(f"{section} never used")
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
        self.family = Warned("claims with neither evidence nor rebuttal")
        for ypath, item in self.items("claims"):
            ident = item.get("id")
            if isinstance(ident, str) and ident not in targets and ID_RE.match(ident):
                self.say(
                    (*ypath, "id"),
                    f"{self.name(ypath)} has neither evidence nor rebuttal; "
                    "add evidence that supports it, or a rebuttal",
                    "warning",
                )
        self.family = Warned("evidence without a source")
        for ypath, item in self.items("evidence"):
            if item.get("source") is None:
                self.say(
                    ypath,
                    f"{self.name(ypath)} has no source; add 'source:' so readers can check it",
                    "warning",
                )
        self.family = None


def _any(kinds: tuple[str, ...], *, article: bool = True) -> str:
    """'a claim, a rebuttal or evidence'."""
    words = [k if k == "evidence" or not article else f"a {k}" for k in kinds]
    return " or ".join(words) if len(words) < 3 else f"{', '.join(words[:-1])} or {words[-1]}"


def _ids(value: object) -> list[str]:
    """A `rebuts` or `supports` as read: one id or a list of them; anything else names none."""
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []
