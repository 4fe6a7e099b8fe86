"""Entry script of the frozen Linux bundle: the app, or with `--smoke-test` a quick self-check.

The smoke test catches what freezing silently loses (hidden imports such as keyring's
backends and sqlcipher3, the domain's reference data files): it starts Qt offscreen, opens an
encrypted cache, checks the keyring backends import, and exits 0. The app itself knows nothing
of it.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

SMOKE_FLAG = "--smoke-test"


def check_qt() -> None:
    """A window shows and the event loop turns, offscreen."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = QLabel("Fieldcase smoke test")
    window.show()
    QTimer.singleShot(0, app.quit)
    app.exec()
    window.close()


def _open_cache(path: Path, key_hex: str) -> Any:
    import sqlcipher3

    conn = sqlcipher3.connect(str(path))
    conn.execute("PRAGMA cipher_log_level = NONE")  # the wrong-key attempt is expected
    conn.execute(f"PRAGMA key = \"x'{key_hex}'\"")
    return conn


def check_encrypted_cache() -> None:
    """SQLCipher with FTS5 opens, writes and reopens a keyed file; the wrong key cannot."""
    import sqlcipher3
    import sqlite_utils

    key = os.urandom(32).hex()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cache.db"
        conn = _open_cache(path, key)
        notes = sqlite_utils.Database(conn).table("notes")
        notes.insert({"id": 1, "text": "synthetic"}, pk="id")
        notes.enable_fts(["text"], fts_version="FTS5")
        conn.commit()
        conn.close()
        conn = _open_cache(path, key)
        notes = sqlite_utils.Database(conn).table("notes")
        assert notes.count == 1
        assert list(notes.search("synthetic"))
        conn.close()
        conn = _open_cache(path, "00" * 32)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher3.DatabaseError:
            return
        finally:
            conn.close()
        raise AssertionError("the cache opened with the wrong key")


def check_keyring_backends() -> None:
    """keyring's backends are found through entry points, which freezing can lose."""
    import keyring.backend
    from keyring.backends import SecretService, Windows, chainer, fail  # noqa: F401

    names = {type(backend).__name__ for backend in keyring.backend.get_all_keyring()}
    if not names:
        raise AssertionError("keyring found no backends at all")


def check_client_packages() -> None:
    """The app's own packages and data files made it into the bundle."""
    import importlib

    for module in ("domain.reference", "storage", "sync", "app.main", "app.machine_config"):
        importlib.import_module(module)


def smoke_test() -> int:
    for check in (check_client_packages, check_keyring_backends, check_encrypted_cache, check_qt):
        check()
        print(f"ok {check.__name__}", flush=True)
    print("smoke test passed", flush=True)
    return 0


def main() -> int:
    if SMOKE_FLAG in sys.argv[1:]:
        return smoke_test()
    from app.main import main as app_main

    return int(app_main(sys.argv[1:]))


if __name__ == "__main__":
    sys.exit(main())
