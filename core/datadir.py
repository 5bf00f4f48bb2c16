"""Where the clerk's drafts live: ``--data-dir`` beats ``XXGK_REPORT_HOME`` beats the OS default.

The environment variable exists for a portable install on a USB stick: a launcher sets it to a
folder beside the program, so the drafts travel with the stick instead of staying on the PC.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

APP_NAME = "xxgk-report"
ENV_VAR = "XXGK_REPORT_HOME"


def default_data_dir() -> Path:
    """The per-user data folder by the OS's convention (not roaming: drafts stay on this PC)."""
    import platformdirs  # here: a portable install (XXGK_REPORT_HOME) starts without it

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False))


def resolve_data_dir(cli_value: str | os.PathLike[str] | None = None,
                     environ: Mapping[str, str] | None = None) -> Path:
    """The folder every command and the window use for the store.

    Blank values count as not given: a launcher that exports an empty variable must not make the
    program write its drafts into the current working directory.
    """
    if cli_value is not None and str(cli_value).strip():
        return Path(cli_value).expanduser()
    env = os.environ if environ is None else environ
    value = env.get(ENV_VAR, "").strip()
    if value:
        return Path(value).expanduser()
    return default_data_dir()
