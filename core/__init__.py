"""xxgk-report's core: the format, the report model, its rules, files and PDF — no Qt here."""

from __future__ import annotations


def _version() -> str:
    """The version, read the cheapest way first: start-up is measured and ``importlib.metadata``
    alone costs ~16 ms (5 % of the window's start-up)."""
    import re

    from core.paths import resources_root

    # A PyInstaller bundle has no pyproject.toml: packaging/build.py writes resources/VERSION.
    stamped = resources_root() / "VERSION"
    if stamped.is_file():
        return stamped.read_text("utf-8").strip() or "0+unknown"
    # A checkout (plain or editable install): pyproject.toml is the source of truth.
    pyproject = resources_root().parent / "pyproject.toml"
    if pyproject.is_file():
        m = re.search(r'^version\s*=\s*"([^"]+)"', pyproject.read_text("utf-8"), re.M)
        if m:
            return m.group(1)
    try:  # an installed wheel: only its metadata knows
        from importlib.metadata import PackageNotFoundError, version

        return version("xxgk-report")
    except PackageNotFoundError:
        return "0+unknown"


__version__ = _version()
