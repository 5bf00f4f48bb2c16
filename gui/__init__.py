"""xxgk-report's desktop window (PySide6). Binds widgets to ``core``; holds no rules of its own.

Importing the package imports no Qt: :mod:`gui.launcher` is the program's entry point and must
start the command-line paths without it.
"""
