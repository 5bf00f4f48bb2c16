"""Where the program's read-only data lives, in a source checkout, an install and a bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_root() -> Path:
    """The ``resources/`` folder.

    In a checkout or an install it sits beside ``core/``; in a PyInstaller bundle it is unpacked
    under ``sys._MEIPASS`` (the bundle's spec puts it there under the same name).
    """
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    return resources_root().joinpath(*parts)
