"""Where the app puts files it hands to other programs (a letter's PDF, a calendar file).

A private temporary folder (mkdtemp: readable only by this user), removed when Fieldcase
exits. Case data stays in the encrypted cache; these files exist only long enough for
the PDF viewer, the mail client or Outlook to take them.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import threading
from pathlib import Path

_lock = threading.Lock()
_folder: list[Path] = []


def export_folder() -> Path:
    """This process's export folder, made on first use."""
    with _lock:
        if not _folder:
            made = Path(tempfile.mkdtemp(prefix="fieldcase-out-"))
            atexit.register(shutil.rmtree, made, True)
            _folder.append(made)
        return _folder[0]
