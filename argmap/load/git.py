"""Part of stage 1, load: a map's bytes at a git revision, read with `git show` (nothing is
checked out), for `argmap diff REV` and `argmap build --since REV`. git runs without a shell,
with a fixed argument list, for `GIT_TIMEOUT` at most; a revision that could be an option is
refused before git sees it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Final

from argmap.errors import InvalidMap, MissingTool, UsageError
from argmap.load import MAX_BYTES, too_big
from argmap.text import printable, shown

GIT_TIMEOUT: Final = 30.0  # seconds for one git command


def git_show(rev: str, path: Path) -> bytes:
    """The bytes of `path` at git revision `rev`, read without checking anything out."""
    if not rev or rev.startswith("-") or any(c in rev for c in "\0\n:"):
        raise UsageError(f"'{shown(rev)}' is not a git revision; give a branch, tag or commit")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(f"{path}: its folder {folder} does not exist")
    obj = f"{rev}:./{path.name}"  # ./ : relative to `folder`, not to the repository's top
    kind = _git(["cat-file", "-t", obj], folder, rev, path).strip()
    if kind != b"blob":
        raise UsageError(f"{rev}:{path} is not a file at revision {shown(rev)}")
    size = int(_git(["cat-file", "-s", obj], folder, rev, path).strip() or b"0")
    if size > MAX_BYTES:
        raise InvalidMap([too_big(f"{rev}:{path}", size)])
    return _git(["show", obj], folder, rev, path)


def _git(args: list[str], folder: Path, rev: str, path: Path) -> bytes:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    try:
        done = subprocess.run(  # noqa: S603 - a fixed program; the revision is checked above
            ["git", "--no-pager", *args],  # noqa: S607 - git is found on PATH like dot is
            cwd=folder,
            capture_output=True,
            timeout=GIT_TIMEOUT,
            check=False,
            env=env,
        )
    except FileNotFoundError:
        raise MissingTool(
            "git was not found on PATH; install git to compare revisions, or compare two "
            "files: argmap diff OLD.yaml NEW.yaml"
        ) from None
    except subprocess.TimeoutExpired:
        raise MissingTool(f"git ran longer than {GIT_TIMEOUT:.0f} s reading {rev}:{path}") from None
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UsageError(_git_hint(lines[-1] if lines else "", rev, path))
    return done.stdout


def _git_hint(said: str, rev: str, path: Path) -> str:
    """git's complaint in the user's words, with what to do."""
    at = shown(rev)
    if "not a git repository" in said:
        return f"{path} is not inside a git repository, so it has no revision {at}"
    if "does not exist in" in said or "exists on disk, but not in" in said:
        return (
            f"{path} does not exist at revision {at}; if it had another name then, "
            f"compare files: git show {at}:OLD-PATH > old.yaml; argmap diff old.yaml {path}"
        )
    if "invalid object name" in said.lower() or "bad revision" in said or "ambiguous" in said:
        return (
            f"'{at}' is not a revision of the repository of {path}; give a branch, a tag, "
            "a commit or HEAD~1"
        )
    return f"git could not read {at}:{path}: {shown(printable(said), 200)}"
