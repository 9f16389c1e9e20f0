"""`argmap lsp` in a real editor: headless Neovim (Debian's package) opens the seed map, starts
the server with `vim.lsp.start`, as docs/editing.md tells a user to, makes a typo in the buffer,
and reads back the diagnostic argmap reports for it and the hover of a rebuttal.

Without Neovim this test skips and says why (`make test` installs it as root: scripts/
ensure-neovim); with ARGMAP_REQUIRE_NEOVIM=1 it fails instead.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Final

import pytest

from tests.conftest import REPO

pytest.importorskip("pygls", reason="needs the lsp extra: pip install -e '.[lsp]'")

LUA: Final = r"""
local out = {}
local function finish()
  local f = assert(io.open(os.getenv("ARGMAP_RESULT"), "w"))
  f:write(vim.json.encode(out))
  f:close()
  vim.cmd("qa!")
end
local ok, problem = pcall(function()
  vim.cmd("edit " .. vim.fn.fnameescape(os.getenv("ARGMAP_MAP")))
  local buf = vim.api.nvim_get_current_buf()
  -- start_client and buf_attach_client: in every Neovim from 0.5 on (Debian 12 has 0.7).
  local published = 0
  local id = vim.lsp.start_client({
    name = "argmap",
    cmd = { os.getenv("ARGMAP_PYTHON"), "-m", "argmap", "lsp" },
    root_dir = vim.fn.fnamemodify(os.getenv("ARGMAP_MAP"), ":h"),
    handlers = {
      ["textDocument/publishDiagnostics"] = function(err, result, ctx, config)
        published = published + 1
        return vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, config)
      end,
    },
  })
  out.attached = id ~= nil and vim.lsp.buf_attach_client(buf, id)
  -- The seed map has no findings: its first (empty) diagnostics say the server has read it.
  out.opened = vim.wait(60000, function() return published > 0 end, 20)
  -- A typo, as a user would type it: `rebuts` becomes `rebutts` on one line.
  local line = tonumber(os.getenv("ARGMAP_TYPO_LINE"))
  local text = vim.api.nvim_buf_get_lines(buf, line, line + 1, true)[1]
  vim.api.nvim_buf_set_lines(buf, line, line + 1, true, { (text:gsub("rebuts:", "rebutts:")) })
  vim.wait(60000, function()
    return #vim.diagnostic.get(buf, { severity = vim.diagnostic.severity.ERROR }) > 0
  end, 20)
  out.diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(out.diagnostics, {
      lnum = d.lnum, col = d.col, message = d.message, source = d.source,
      severity = vim.diagnostic.severity[d.severity],
    })
  end
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    position = {
      line = tonumber(os.getenv("ARGMAP_HOVER_LINE")),
      character = tonumber(os.getenv("ARGMAP_HOVER_COL")),
    },
  }
  local answers = vim.lsp.buf_request_sync(buf, "textDocument/hover", params, 60000) or {}
  for _, answer in pairs(answers) do
    if answer.result then out.hover = answer.result.contents.value end
  end
end)
if not ok then out.problem = tostring(problem) end
finish()
"""


def test_neovim_shows_argmaps_diagnostic_and_hover(tmp_path: Path) -> None:
    nvim = shutil.which("nvim")
    if nvim is None:
        why = "Neovim is not installed: apt-get install neovim (make test does it as root)"
        if os.environ.get("ARGMAP_REQUIRE_NEOVIM") == "1":
            pytest.fail(f"{why} (ARGMAP_REQUIRE_NEOVIM=1: the editor test must run)")
        pytest.skip(why)
    shutil.copy(REPO / "claims.yaml", tmp_path / "claims.yaml")
    shutil.copytree(REPO / "sources", tmp_path / "sources")
    lines = (tmp_path / "claims.yaml").read_text(encoding="utf-8").splitlines()
    typo = next(i for i, line in enumerate(lines) if line.strip() == "rebuts: blow-for-blow")
    hover = next(i for i, line in enumerate(lines) if line.strip() == "- id: growing-ecosystem")
    script = tmp_path / "attach.lua"
    script.write_text(LUA, encoding="utf-8")
    result = tmp_path / "result.json"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])]),
        "ARGMAP_MAP": str(tmp_path / "claims.yaml"),
        "ARGMAP_PYTHON": sys.executable,
        "ARGMAP_RESULT": str(result),
        "ARGMAP_TYPO_LINE": str(typo),
        "ARGMAP_HOVER_LINE": str(hover),
        "ARGMAP_HOVER_COL": str(lines[hover].index("growing-ecosystem") + 3),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),  # none of the user's own set-up
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
    }
    done = subprocess.run(
        [nvim, "--headless", "--clean", "-c", f"luafile {script}"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.exists(), done.stderr + done.stdout
    found = json.loads(result.read_text(encoding="utf-8"))
    assert "problem" not in found, found["problem"]
    assert found["attached"] is True and found["opened"] is True
    typos = [d for d in found["diagnostics"] if "rebutts" in d["message"]]
    assert typos, found["diagnostics"]
    assert typos[0]["source"] == "argmap" and typos[0]["severity"] == "ERROR"
    assert typos[0]["lnum"] == typo
    assert "did you mean 'rebuts'?" in typos[0]["message"]
    assert lines[typo].replace("rebuts:", "rebutts:")[typos[0]["col"] :].startswith("rebutts")
    # Hovered after the typo: the standing of the last version without errors.
    assert "growing-ecosystem (rebuttal): ✔ stands" in found["hover"]
    assert "Why:" in found["hover"] and "As of the last version without errors" in found["hover"]
