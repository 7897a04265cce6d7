"""Write a report file all at once or not at all, readable by its owner only.

A writer renders into a temporary file next to the target (same folder, so the final rename stays on one file
system and is atomic) and the file takes the target's name only when the writer finished. A failure or a
cancellation removes the temporary file and leaves any earlier file of that name untouched.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`; on success replace `path` with it, on any exception delete it."""
    path = Path(path)
    # A hidden name ending in .part: a crash leaves an obvious leftover, never something that looks finished.
    handle, temp_name = tempfile.mkstemp(
        prefix=f".{path.stem}.", suffix=f"{path.suffix}.part", dir=path.parent
    )
    os.close(handle)
    temp = Path(temp_name)
    try:
        yield temp
        # mkstemp creates 0600, and so it stays: a report holds law-enforcement-sensitive data, readable by
        # its owner only (sharing it is a deliberate act, not a default of the file system).
        temp.replace(path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
