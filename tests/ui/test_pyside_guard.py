"""Guard against the PySide6 release that kills the interpreter.

PySide6 6.12.0 on Python 3.11 drops a reference to `None` on every wrapped call that returns None; after a few
thousand calls None's reference count reaches zero and CPython aborts with "Fatal Python error: none_dealloc".
pyproject.toml therefore pins PySide6 < 6.12 for Python < 3.12. The calls run in a subprocess so that an
abort fails this test instead of killing pytest.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from importlib.metadata import version

import pytest

pytestmark = pytest.mark.gui

CALLS = 20_000

SCRIPT = textwrap.dedent(
    """
    import sys
    from PySide6 import QtCore

    app = QtCore.QCoreApplication.instance() or QtCore.QCoreApplication([])
    obj = QtCore.QObject()
    timer = QtCore.QTimer()
    calls = int(sys.argv[1])
    assert calls % 4 == 0

    before = sys.getrefcount(None)
    for _ in range(calls // 4):  # four wrapped calls that return None per round
        obj.setObjectName("x")
        timer.setInterval(5)
        timer.setSingleShot(True)
        timer.stop()
    after = sys.getrefcount(None)

    print(f"PySide6 {QtCore.__version__ if hasattr(QtCore, '__version__') else '?'}: "
          f"{calls} calls, refcount(None) {before} -> {after}")
    # A healthy binding leaves None's count where it was (give or take a few); the broken one loses one per
    # call. (On Python >= 3.12 None is immortal and its count does not move at all.)
    if before - after >= calls // 10:
        print(f"refcount(None) dropped by {before - after} over {calls} calls", file=sys.stderr)
        sys.exit(3)
    """
)


def _pyside_version() -> str:
    return version("PySide6")


def test_many_calls_returning_none_do_not_abort_the_interpreter() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(CALLS)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert result.returncode == 0, (
        f"PySide6 {_pyside_version()} on Python {sys.version.split()[0]}: the subprocess making {CALLS} "
        f"calls that return None exited with {result.returncode} (negative = killed by that signal; "
        f"-6 is the none_dealloc abort).\nstdout: {result.stdout[-2000:]}\nstderr: {result.stderr[-4000:]}"
    )


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="the pin applies to Python < 3.12 only")
def test_pyside6_below_6_12_on_python_3_11() -> None:
    installed = _pyside_version()
    major, minor = (int(part) for part in installed.split(".")[:2])
    assert (major, minor) < (6, 12), (
        f"PySide6 {installed} is installed on Python {sys.version.split()[0]}; 6.12.0 aborts the interpreter "
        "there (none_dealloc). Keep the PySide6 < 6.12 pin for Python < 3.12 in pyproject.toml and rebuild "
        "the venv from requirements.lock (make venv)."
    )
