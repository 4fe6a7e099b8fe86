from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from storage.errors import CacheInUse
from storage.lock import ProfileLock
from storage.profile import Profile


def test_a_second_writer_is_refused_at_once(profile: Profile, key: bytes) -> None:
    first = profile.open_writer(key)
    second = Profile(profile.folder, "officer.one")
    with pytest.raises(CacheInUse) as caught:
        second.open_writer(key)
    assert "already open" in caught.value.message
    first.close()


def test_another_process_is_refused_and_a_dead_one_frees_it(tmp_path: Path) -> None:
    code = (
        "import sys; from pathlib import Path; from storage.lock import ProfileLock\n"
        "from storage.errors import CacheInUse\n"
        "try:\n    ProfileLock(Path(sys.argv[1])).acquire()\nexcept CacheInUse:\n    sys.exit(3)\n"
    )
    with ProfileLock(tmp_path):
        refused = subprocess.run([sys.executable, "-c", code, str(tmp_path)], check=False)
        assert refused.returncode == 3
    freed = subprocess.run([sys.executable, "-c", code, str(tmp_path)], check=False)
    assert freed.returncode == 0


def test_release_lets_the_profile_be_opened_again(profile: Profile, key: bytes) -> None:
    profile.open_writer(key).close()
    profile.close()
    again = Profile(profile.folder, "officer.one")
    again.open_writer(key).close()
    again.close()
