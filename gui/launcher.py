"""The program's entry point (``xxgk-report``): the only place that knows both the commands and the window.

Commands (``check``, ``pdf`` …) run from :mod:`core.cli` and never import Qt; the window and the
window's self-test steps are imported only when asked for.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from core.cli import main as cli_main


def run_window(path: Path | None, data_dir: str | None) -> int:
    from gui.app import run_app

    return run_app(path, data_dir=data_dir)


def run_self_test() -> int:
    from gui.selftest import run

    return run()


def main(argv: Sequence[str] | None = None) -> int:
    return cli_main(argv, run_window=run_window, run_self_test=run_self_test)


if __name__ == "__main__":
    sys.exit(main())
