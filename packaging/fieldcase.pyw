"""Start Fieldcase without a console window: the Start-menu shortcut runs this with pythonw.exe.

Bytecode is cached in the officer's local app data (platformdirs' user cache folder), so the
second start is faster: Program Files is read-only for officers, and bytecode an administrator
wrote there would outlive an uninstall.
"""

from __future__ import annotations

import os
import runpy
import sys

_local = os.environ.get("LOCALAPPDATA")
if _local:
    sys.pycache_prefix = os.path.join(_local, "Fieldcase", "Fieldcase", "Cache", "pycache")
else:
    sys.dont_write_bytecode = True
sys.argv[0] = "fieldcase"
runpy.run_module("app", run_name="__main__", alter_sys=True)
