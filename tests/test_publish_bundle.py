"""The bundle carries what the Word export needs: python-docx's own template files."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_bundle_collects_python_docx_data_and_its_template_exists() -> None:
    sys.path.insert(0, str(ROOT / "packaging"))
    try:
        cfg = importlib.import_module("bundle_config")
    finally:
        sys.path.remove(str(ROOT / "packaging"))
    assert "docx" in cfg.PACKAGE_DATA
    spec = (ROOT / "packaging" / "xxgk-report.spec").read_text("utf-8")
    assert "collect_data_files(package)" in spec and "cfg.PACKAGE_DATA" in spec
    import docx

    # What the export opens first: without it in the bundle, every Word export would fail.
    assert (Path(docx.__file__).parent / "templates" / "default.docx").is_file()


def test_publish_dependencies_are_runtime_dependencies() -> None:
    text = (ROOT / "pyproject.toml").read_text("utf-8")
    deps = text.split("dependencies = [", 1)[1].split("]", 1)[0]
    assert '"python-docx' in deps and '"lxml' in deps
