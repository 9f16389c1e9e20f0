"""Part of stage 4, render: the templates of the brief, sandboxed, and their loaders.

The defaults live in the top-level `templates/` (packaged as `argmap/templates` in the wheel);
a user overrides them file by file with `--templates DIR` or a `templates/` folder beside the map.
"""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path
from types import CodeType
from typing import Any, Final

import jinja2
from jinja2 import (
    BaseLoader,
    BytecodeCache,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
)
from jinja2.bccache import Bucket
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.runtime import Context, LoopContext
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

import argmap as _package
from argmap.errors import Diagnostic, InvalidMap, UsageError
from argmap.files import is_inside, read_regular_file
from argmap.text import printable, shown

MAX_TEMPLATE_BYTES: Final = 1024 * 1024
MAX_PRODUCT: Final = 1_000_000  # the longest text or list a template may make with `*`
# Types whose attributes the sandbox judges by name alone (see `_Sandbox.getattr`).
_PLAIN: Final = frozenset(
    {str, Markup, int, float, bool, type(None), list, tuple, dict, set, frozenset, LoopContext}
)
_STR_FORMAT: Final = frozenset({"format", "format_map"})


def default_templates() -> Path:
    """The packaged templates: `argmap/templates` in a wheel, the repo's `templates/` else."""
    here = Path(_package.__file__).resolve().parent
    found = [d for d in (here / "templates", here.parent / "templates") if d.is_dir()]
    return found[0] if found else here.parent / "templates"


def environment(map_dir: Path, templates: Path | None = None) -> Environment:
    """Templates from `templates` (--templates DIR), then `map_dir/templates`, then the
    defaults, which also answer to `default/NAME` so an override can extend them. Sandboxed
    whenever a user's folder is in the search: a map folder from someone else may carry
    templates, which must not run code, nor read anything outside their folder (see
    `FolderLoader`). The defaults alone are argmap's own code, shipped with it: they render
    in a plain environment, which gives the same text without the sandbox's checks on every
    attribute, call and `*` (about a fifth of a large brief's rendering)."""
    if templates is not None and not templates.is_dir():
        raise UsageError(f"{templates}: no such templates folder")
    beside = map_dir / "templates"
    if beside.is_dir() and not is_inside(beside, map_dir):
        raise TemplateRefused(
            str(beside),
            "the templates folder is a link to a folder outside "
            "the map's folder; argmap reads templates only from inside it: "
            "copy the templates there, or delete the link",
        )
    defaults = FileSystemLoader(default_templates())
    users = [d for d in (templates, beside) if d is not None and d.is_dir()]
    loaders: list[BaseLoader] = [FolderLoader(d) for d in users]
    loader = ChoiceLoader([*loaders, defaults, PrefixLoader({"default": defaults})])
    if not users:
        return Environment(loader=loader, bytecode_cache=_TRUSTED, autoescape=True, **_OPTIONS)
    return _Sandbox(loader=loader, bytecode_cache=_COMPILED, autoescape=True, **_OPTIONS)


class _InMemory(BytecodeCache):
    """Compiled templates kept for the life of the process, by template name and file, each
    checked against the SHA-1 of its current source: `argmap watch` makes a new environment
    for every save, and compiling the templates anew was most of a small map's rebuild.
    Nothing is stored on disk (a cache file in a folder from someone else could run code).
    The code objects themselves are kept, not their marshalled bytes: unmarshalling every
    template again took a tenth of a watch rebuild's CPU on the seed map."""

    def __init__(self) -> None:
        self._code: dict[str, tuple[str, CodeType]] = {}  # key -> source's checksum, code

    def load_bytecode(self, bucket: Bucket) -> None:
        found = self._code.get(bucket.key)
        if found is not None and found[0] == bucket.checksum:  # else: the source changed
            bucket.code = found[1]

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is not None:
            self._code[bucket.key] = (bucket.checksum, bucket.code)


# Sandboxed and plain environments compile a template to different code: one cache each.
_COMPILED: Final = _InMemory()
_TRUSTED: Final = _InMemory()
_OPTIONS: Final[dict[str, Any]] = {
    "undefined": StrictUndefined,
    "keep_trailing_newline": True,
    "trim_blocks": True,
    "lstrip_blocks": True,
}


class TemplateRefused(TemplateError):
    """A template file argmap will not read, reported at the file like a mistake in it."""

    def __init__(self, filename: str, message: str) -> None:
        super().__init__(message)
        self.filename = filename
        self.lineno = 1


class FolderLoader(BaseLoader):
    """The templates in one folder, read only from inside it.

    Jinja's FileSystemLoader follows a symbolic link anywhere and reads whatever it finds,
    waiting forever on a pipe; here a link that leads out of the folder, anything but a
    regular file, a file over `MAX_TEMPLATE_BYTES` and text that is not UTF-8 are refused.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def get_source(
        self,
        environment: Environment,
        template: str,
    ) -> tuple[str, str, Callable[[], bool]]:
        path = self.folder.joinpath(*split_template_path(template))
        name = str(path)
        try:
            path.lstat()
            real = path.resolve(strict=True)
            info = real.stat()
        except (OSError, RuntimeError):  # missing (or a broken link): the default is used
            raise TemplateNotFound(template) from None
        if not is_inside(real, self.folder):
            raise TemplateRefused(
                name,
                f"{shown(name, 100)} is a link to a file outside its "
                f"folder ({shown(self.folder, 100)}/); argmap reads templates "
                "only from inside it: copy the file there",
            )
        if not stat.S_ISREG(info.st_mode):
            raise TemplateRefused(
                name,
                f"{shown(name, 100)} is not a regular file; a template must be a plain text file",
            )
        if info.st_size > MAX_TEMPLATE_BYTES:
            raise TemplateRefused(
                name,
                f"{shown(name, 100)} is larger than 1 MiB, the most argmap reads for a template",
            )
        try:
            raw = read_regular_file(real, MAX_TEMPLATE_BYTES + 1, follow=False)
            if raw is None or len(raw) > MAX_TEMPLATE_BYTES:
                raise OSError(0, "it changed while argmap was reading it")
            text = raw.decode("utf-8")
        except OSError as e:
            raise TemplateRefused(
                name, f"{shown(name, 100)} cannot be read ({e.strerror})"
            ) from None
        except UnicodeDecodeError as e:
            raise TemplateRefused(
                name,
                f"{shown(name, 100)} is not UTF-8 text (byte "
                f"0x{e.object[e.start]:02X}); save it as UTF-8",
            ) from None
        return text, name, lambda: _mtime(real) == info.st_mtime_ns


def _mtime(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


class _Sandbox(SandboxedEnvironment):
    """The sandbox, also refusing `*` and `**` that would make huge texts or numbers."""

    intercepted_binops = frozenset({"*", "**"})

    def getattr(self, obj: Any, attribute: str) -> Any:
        """`obj.attribute` in a template: the sandbox's own decision, made quickly for plain data.

        For the data argmap hands its templates (texts, numbers, lists, dicts, and instances
        of argmap's own classes: none is a function, method, class, code, frame or generator)
        the sandbox's `is_safe_attribute` comes down to "does not start with `_`", and only
        `format` and `format_map` can be a `str.format` that needs wrapping; so those, and
        any other object, take the sandbox's full path. At 10,000 points the full checks cost
        a third of the brief's rendering (issue 10); a test holds the two paths equal.
        """
        if _plain(obj, attribute):
            try:
                return getattr(obj, attribute)
            except AttributeError:
                try:
                    return obj[attribute]
                except (TypeError, LookupError):
                    return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        """`obj[argument]` (also `map(attribute=...)` and the like): as `getattr`, quickly."""
        try:
            return obj[argument]
        except (TypeError, LookupError):
            if isinstance(argument, str) and _plain(obj, argument):
                try:
                    return getattr(obj, argument)
                except AttributeError:
                    return self.undefined(obj=obj, name=argument)
        return super().getitem(obj, argument)

    def call_binop(
        self,
        context: Context,
        operator: str,
        left: object,
        right: object,
    ) -> object:
        sized = [x for x in (left, right) if isinstance(x, str | list | tuple)]
        times = [x for x in (left, right) if isinstance(x, int)]
        if operator == "*" and sized and times and len(sized[0]) * times[0] > MAX_PRODUCT:
            raise SecurityError(f"the template makes a text or list longer than {MAX_PRODUCT}")
        if (
            operator == "**"
            and isinstance(right, int | float)
            and abs(right) > 64
            and isinstance(left, int | float)
            and abs(left) > 1
        ):
            raise SecurityError("the template raises a number to a power above 64")
        return super().call_binop(context, operator, left, right)


def _plain(obj: object, attribute: str) -> bool:
    """Whether the sandbox's checks of `obj.attribute` come down to its name (see `_Sandbox`)."""
    kind = type(obj)
    return (
        (kind in _PLAIN or kind.__module__.startswith("argmap."))
        and not attribute.startswith("_")
        and attribute not in _STR_FORMAT
    )


def template_problem(e: jinja2.TemplateError) -> InvalidMap:
    """A broken template override, reported like a map error, at its file and line."""
    if isinstance(e, TemplateRefused):
        return InvalidMap([Diagnostic(e.filename, 1, 1, "error", printable(str(e.message)))])
    name = getattr(e, "filename", None) or getattr(e, "name", None)
    line = getattr(e, "lineno", None)
    tb = e.__traceback__
    while tb is not None and getattr(e, "filename", None) is None:
        # Jinja2 puts template files and lines in the traceback; the last one is the culprit.
        if tb.tb_frame.f_code.co_filename.endswith((".j2", ".html", ".css", ".js")):
            name, line = tb.tb_frame.f_code.co_filename, tb.tb_lineno
        tb = tb.tb_next
    name, line = name or "a template", line or 1
    what = shown(e.message or type(e).__name__, 300)
    return InvalidMap(
        [
            Diagnostic(
                str(name),
                line,
                1,
                "error",
                f"template error: {what}; fix the template, or delete it to use the default",
            )
        ]
    )
