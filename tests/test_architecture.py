"""Dependencies point one way: ``gui`` may use ``core``, ``core`` never names ``gui`` (nor Qt).

Checked on the source, so a hidden route counts too: ``importlib.import_module("gui.x")``,
``__import__``, or a "gui.x:attr" string in a registry all name ``gui`` as much as an import does.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
UPPER = ("gui", "PySide6", "shiboken6")
# A string that is a module path ("gui.printing", "gui.app:main"): what importlib would be given.
_MODULE_STRING = re.compile(r"^(gui|PySide6|shiboken6)(\.[A-Za-z_]\w*)*(:[A-Za-z_]\w*)?$")


def _names_upper(name: str) -> bool:
    return name.split(".")[0] in UPPER


def upward_references(source: str, package: str = "core") -> list[str]:
    """Every way ``source`` (a module of ``package``) names gui or Qt, as ``line: what``."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [f"{node.lineno}: import {a.name}" for a in node.names if _names_upper(a.name)]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:  # relative: resolved against the package; can climb out of it
                base = package.split(".")[: max(0, package.count(".") + 1 - (node.level - 1))]
                module = ".".join([*base, module] if module else base)
                if node.level > package.count(".") + 1:
                    found.append(f"{node.lineno}: from {'.' * node.level}{node.module or ''} (above {package})")
            if _names_upper(module):
                found.append(f"{node.lineno}: from {module} import …")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and _MODULE_STRING.match(node.value):
            found.append(f"{node.lineno}: {node.value!r}")
    return found


def _core_modules() -> list[Path]:
    return sorted((ROOT / "core").rglob("*.py"))


def test_core_never_names_gui_or_qt() -> None:
    problems = []
    for path in _core_modules():
        package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
        problems += [f"{path.relative_to(ROOT)}:{ref}" for ref in upward_references(path.read_text("utf-8"), package)]
    assert problems == []


@pytest.mark.parametrize("source", [
    "import gui.app",
    "from gui import printing",
    "from gui.main_window import MainWindow",
    "import PySide6.QtCore",
    "import importlib\nprinting = importlib.import_module('gui.printing')",
    "app = __import__('gui.app')",
    "FLOWS = ['gui.printing:export_pdf']",
    "from ... import gui",
])
def test_the_check_catches_every_route(source: str) -> None:
    assert upward_references(source, "core.pdf") != []


def test_the_check_leaves_ordinary_core_code_alone() -> None:
    source = ('"""Docstrings may mention ``gui.launcher``, the layer above."""\n'
              "import importlib\nfrom core.errors import ReportError\nfrom . import layout\n"
              "SPEC = 'core.pdf.exporter:EXPORTER'\nmod = importlib.import_module('core.pdf')\n")
    assert upward_references(source, "core.pdf") == []


def test_the_entry_point_runs_a_command_without_qt(tmp_path: Path) -> None:
    """``xxgk-report check`` goes through gui.launcher, which must not pay for Qt on that path."""
    from core.exchange import write_report
    from core.sample import full_report

    path = tmp_path / "报告.json"
    write_report(full_report(), path)
    code = ("import sys; from gui.launcher import main; rc = main(['check', sys.argv[1]]); "
            "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]; "
            "print(bad); sys.exit(rc if not bad else 99)")
    result = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True,
                            encoding="utf-8", timeout=120, cwd=ROOT, env=dict(os.environ, PYTHONIOENCODING="utf-8"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_installed_commands_start_at_the_launcher() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text("utf-8")
    assert 'xxgk-report = "gui.launcher:main"' in pyproject
    assert 'xxgk-report-gui = "gui.launcher:main"' in pyproject


def test_core_cli_alone_says_where_the_window_is(capsys: pytest.CaptureFixture[str]) -> None:
    from core.cli import EXIT_INVALID, main

    assert main([]) == EXIT_INVALID
    assert "xxgk-report" in capsys.readouterr().err


def test_the_bundle_starts_where_the_installed_command_does() -> None:
    """A bundle entered through core.cli would have no window: both must name gui.launcher."""
    launch = (ROOT / "packaging" / "launch.py").read_text("utf-8")
    assert "from gui.launcher import main" in launch
