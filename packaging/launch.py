"""Entry point of the bundled program: the same ``main`` as the installed ``xxgk-report`` command."""

import sys

from gui.launcher import main

if __name__ == "__main__":
    sys.exit(main())
