"""xxgk-report's core: the format, the report model, its rules, files and PDF — no Qt here."""

from __future__ import annotations


def _version() -> str:
    try:
        from importlib.metadata import PackageNotFoundError, version

        return version("xxgk-report")
    except PackageNotFoundError:  # running from a checkout or a bundle without metadata
        import re

        from core.paths import resources_root

        # A PyInstaller bundle has no pyproject.toml: packaging/build.py writes resources/VERSION.
        stamped = resources_root() / "VERSION"
        if stamped.is_file():
            return stamped.read_text("utf-8").strip() or "0+unknown"
        pyproject = resources_root().parent / "pyproject.toml"
        if pyproject.is_file():
            m = re.search(r'^version\s*=\s*"([^"]+)"', pyproject.read_text("utf-8"), re.M)
            if m:
                return m.group(1)
        return "0+unknown"


__version__ = _version()
