"""Foreign ids (any text) made into argmap ids, deterministically and without collisions."""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from argmap.model import ID_RE

MAX_ID: Final = 64
MAX_SHOWN: Final = 60  # characters of a foreign name in the list of renamed ones
_NOT_ID: Final = re.compile(r"[^a-z0-9]+")


def slug(text: str, fallback: str = "n") -> str:
    """Lowercase letters, digits and single hyphens; accents folded; never empty.

    >>> slug("Ad Hominem (2)"), slug("Ärger über_Ölpreise"), slug("???"), slug("412")
    ('ad-hominem-2', 'arger-uber-olpreise', 'n', '412')
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    out = _NOT_ID.sub("-", folded.lower()).strip("-")[:MAX_ID].rstrip("-")
    return out or fallback


class IdMaker:
    """Gives each foreign id an argmap id: itself when it already is one, else its slug; a
    collision gets the lowest free `-2`, `-3`, ... suffix, in the order ids are first seen."""

    def __init__(self) -> None:
        self.taken: set[str] = set()
        self.made: dict[str, str] = {}  # key -> argmap id
        self.names: dict[str, str] = {}  # key -> foreign name
        self.generated: set[str] = set()  # keys whose name argmap made (not the file's)
        self.next: dict[str, int] = {}  # base -> the suffix to try first (keeps making linear)

    def reserve(self, argmap_id: str) -> None:
        self.taken.add(argmap_id)

    def make(
        self, foreign: str, *, key: str | None = None, fallback: str = "n", generated: bool = False
    ) -> str:
        """The argmap id of `foreign` (a name); `key` tells apart equal names of different
        things (Argdown's `[A]` and `<A>`). A `generated` name (made by the reader, not written
        in the file) is never listed as renamed."""
        key = foreign if key is None else key
        found = self.made.get(key)
        if found is not None:
            return found
        base = foreign if ID_RE.match(foreign) else slug(foreign, fallback)
        made = base
        n = self.next.get(base, 2)
        while made in self.taken:
            suffix = f"-{n}"
            made = base[: MAX_ID - len(suffix)].rstrip("-") + suffix
            n += 1
        if made != base:
            self.next[base] = n
        self.taken.add(made)
        self.made[key] = made
        self.names[key] = foreign
        if generated:
            self.generated.add(key)
        return made

    def renamed(self) -> dict[str, str]:
        """Foreign names that did not stay as they were, with their new ids, in first-seen order
        (a name only lowercased, `Bargain` as `bargain`, is not worth a line)."""
        return {
            _shown(self.names[k]): m
            for k, m in self.made.items()
            if self.names[k].lower() != m and k not in self.generated
        }


def _shown(name: str) -> str:
    """A foreign name as the report lists it: cut short past `MAX_SHOWN` characters."""
    return name if len(name) <= MAX_SHOWN else name[: MAX_SHOWN - 1] + "…"
