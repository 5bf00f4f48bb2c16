"""xxgk-report's core: the format, the report model, its rules, files and PDF — no Qt here."""

from __future__ import annotations

# The one place the program's version is written in code; pyproject.toml declares the same for
# the package metadata (tests/test_version.py keeps them equal). A literal, not importlib.metadata:
# that costs ~16 ms of every start, and a bundle has no pyproject.toml to read.
__version__ = "0.1.0"
