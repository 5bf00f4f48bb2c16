"""One version: ``core.__version__`` is what pyproject.toml declares and the installed metadata says."""

from __future__ import annotations

import importlib.metadata
import sys
from pathlib import Path

import pytest

import core

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(sys.version_info < (3, 11), reason="tomllib is in the standard library from 3.11")
def test_the_literal_is_the_pyproject_version() -> None:
    import tomllib

    declared = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    assert core.__version__ == declared


def test_the_literal_is_the_installed_metadata_version() -> None:
    try:
        installed = importlib.metadata.version("xxgk-report")
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("xxgk-report is not installed (run from a plain checkout)")
    assert core.__version__ == installed


def test_the_command_line_shows_it(capsys: pytest.CaptureFixture[str]) -> None:
    from core.cli import main

    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.strip() == f"xxgk-report {core.__version__}"
