"""Foreign ids (any text) made into argmap ids, deterministically and without collisions."""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from argmap.model import ID_RE

MAX_ID: Final = 64
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

    def reserve(self, argmap_id: str) -> None:
        self.taken.add(argmap_id)

    def make(self, foreign: str, *, key: str | None = None, fallback: str = "n") -> str:
        """The argmap id of `foreign` (a name); `key` tells apart equal names of different
        things (Argdown's `[A]` and `<A>`)."""
        key = foreign if key is None else key
        found = self.made.get(key)
        if found is not None:
            return found
        base = foreign if ID_RE.match(foreign) else slug(foreign, fallback)
        made = base
        n = 2
        while made in self.taken:
            suffix = f"-{n}"
            made = base[: MAX_ID - len(suffix)].rstrip("-") + suffix
            n += 1
        self.taken.add(made)
        self.made[key] = made
        self.names[key] = foreign
        return made

    def renamed(self) -> dict[str, str]:
        """Foreign names that did not stay as they were, with their new ids, in first-seen order."""
        return {self.names[k]: m for k, m in self.made.items() if self.names[k] != m}
