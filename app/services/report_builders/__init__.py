"""The four report datasets (account summary, portfolio, holds, compliance history), one module each, built
from the store inside the caller's session; `app/services/reports.py` is the public entry point."""
