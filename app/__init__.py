"""AE Workbench: the desktop workbench for CBP Center Account Executives."""

__version__ = "0.1.0"
