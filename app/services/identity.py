"""Who is working: the name recorded on notes and import batches.

`AE_WORKBENCH_USER` wins (a shared workstation, tests, the team server's AE identity); else the OS login name;
else blank (some containers have neither a login variable nor a passwd entry).
"""

from __future__ import annotations

import getpass
import os

USER_VARIABLE = "AE_WORKBENCH_USER"


def current_user() -> str:
    named = os.environ.get(USER_VARIABLE, "").strip()
    if named:
        return named
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""
