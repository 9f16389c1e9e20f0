"""The formats `argmap import` reads, in one table: the name `--from` takes, the words the
report and the written map's header use, and where the reader is (imported only when used)."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING, Final, NamedTuple

if TYPE_CHECKING:
    from argmap.interchange.draft import Draft


class ImportFormat(NamedTuple):
    title: str  # for people: "AIF (AIFdb JSON)"
    module: str  # argmap.interchange.<module>
    function: str  # its reader: (text, file name) -> Draft


IMPORTS: Final = {
    "argdown": ImportFormat("Argdown", "argdown_in", "read_argdown"),
    "argdown-json": ImportFormat(
        "Argdown JSON (argdown json)", "argdown_json", "read_argdown_json"
    ),
    "aif": ImportFormat("AIF (AIFdb JSON)", "aif", "read_aif"),
    "xaif": ImportFormat("xAIF (AIF with its dialogue text)", "aif", "read_xaif"),
    "kialo": ImportFormat("Kialo discussion export", "kialo", "read_kialo"),
}
FORMATS: Final = tuple(IMPORTS)


def reader(fmt: str) -> Callable[[str, str], Draft]:
    """The reader of `fmt` (a name in `IMPORTS`)."""
    found = IMPORTS[fmt]
    read: Callable[[str, str], Draft] = getattr(
        import_module(f"argmap.interchange.{found.module}"), found.function
    )
    return read


def title(fmt: str) -> str:
    found = IMPORTS.get(fmt)
    return found.title if found is not None else fmt
