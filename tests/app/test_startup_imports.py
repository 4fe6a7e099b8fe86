"""What a cold start imports before the caseload's first page (docs/app.md, "Start-up").

Imports hold the interpreter lock, so every module loaded before the first page delays it
(`python -m bench ui`: `cold_start_s_10k_cases`). The caseload needs the storage layer's
caseload query and the domain rules it applies; the write paths (the mutation semantics,
the pull writer, the wire models) and the sync engine with its HTTP stack load after it.
A fresh interpreter goes from process start to a painted caseload, as `fieldcase` does,
and lists what it imported.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from app import settings as settings_store
from app.settings import Settings
from storage.crypto import FAST_TEST_PARAMS
from storage.profile import Profile
from storage.pulled import apply_pull_page
from tests.storage.builders import make_case

USER = "officer.one"
PASSWORD = "start-up-pw"

# Loaded only when the officer changes something, opens a case or a sync runs.
NOT_BEFORE_FIRST_PAGE = (
    "domain.mutations",
    "domain.semantics",
    "storage.pulled",
    "storage.push_results",
    "storage.records",
    "storage.write",
    "storage.rebase",
    "storage.effects",
    "storage.queries.case",
    "sync.protocol",
    "sync.engine",
    "sync.client",
    "sync.api",
    "requests",
    "tenacity",
)
# What the first page is made from: if these were missing, the start measured nothing.
FIRST_PAGE_NEEDS = ("storage.queries.caseload", "domain.rules.compliance", "app.cache_adapter")

# The bench's cold start (bench/ui.py `_COLD_START`), without the sync bridge (it starts
# once the caseload has painted) and with the credential store of the parent test.
_START = """
import json, sys
from pathlib import Path
from tests.support.memory_keyring import MemoryKeyring
import keyring
store = MemoryKeyring()
store.store = {(s, u): p for s, u, p in json.loads(Path(sys.argv[3]).read_text())}
keyring.set_keyring(store)

from PySide6.QtWidgets import QApplication
from app import settings as settings_store
from app import backend as backend_module
from app.backend import LiveBackend
from app.session import Session, SessionState
from ui.main_window import MainWindow
from ui.shell import Shell
import app.crash, app.launch, app.logging_setup, ui.run
import ui.shell
ui.shell.PRELOAD_DELAY_MS = 10**9  # what opening a case needs loads after the first page
from storage.crypto import FAST_TEST_PARAMS
app = QApplication(sys.argv[:1])
folder = Path(sys.argv[1])
backend = LiveBackend(folder, settings_store.load(folder), kdf=FAST_TEST_PARAMS)
session = Session(backend)
window = MainWindow()
shell = Shell(session, window, profile=folder)
shell.start()
session.unlock(sys.argv[2])
while window.caseload.model.rowCount() == 0:
    app.processEvents()
    if session.state is SessionState.LOCKED and window.unlock.banner.isVisible():
        sys.exit("unlock failed")
app.processEvents()
for thread in backend_module._unlock_preload:  # what the unlock screen preloads, all of it
    thread.join()
from app.usecases.attention import load_attention
load_attention(session.context)  # read as the caseload shows (ui/shell.py `_on_ready`)
print(json.dumps(sorted(sys.modules)), flush=True)
shell.shutdown(); backend.close()
"""


def _profile(folder: Path) -> None:
    profile = Profile(folder, f"{USER}@{folder.resolve()}", kdf=FAST_TEST_PARAMS)
    cdb = profile.open_writer(profile.keys.create(PASSWORD))
    cases = [make_case(f"X{i:06d}", surname=f"Surname{i}") for i in range(3)]
    apply_pull_page(cdb, snapshots=[c.snapshot() for c in cases], cursor="c1", last_applied_seq=0)
    cdb.close()
    profile.close()
    settings_store.save(folder, Settings(username=USER, server_url="http://127.0.0.1:9"))


def test_the_first_page_loads_without_the_write_paths_or_the_sync_stack(tmp_path, memory_keyring):
    folder = tmp_path / "profile"
    _profile(folder)
    keys = tmp_path / "keyring.json"
    keys.write_text(json.dumps([[s, u, p] for (s, u), p in memory_keyring.store.items()]))
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(root)}
    done = subprocess.run(
        [sys.executable, "-c", _START, str(folder), PASSWORD, str(keys)],
        capture_output=True, text=True, env=env, cwd=root, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    loaded = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert set(FIRST_PAGE_NEEDS) <= loaded
    assert sorted(loaded & set(NOT_BEFORE_FIRST_PAGE)) == []
