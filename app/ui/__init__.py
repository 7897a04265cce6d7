"""The desktop GUI: the only package that imports PySide6 (ARCHITECTURE.md §3).

It talks to the database only through `app.services` and `app.domain`. Entry point: `app.ui.main.run_gui`,
imported lazily by the command line so that no subcommand loads Qt.
"""
