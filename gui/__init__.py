"""xxgk-report's desktop window (PySide6). Binds widgets to ``core``; holds no rules of its own."""
