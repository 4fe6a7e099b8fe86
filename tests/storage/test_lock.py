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


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_killed_holder_frees_the_profile_and_a_live_one_refuses_at_once(tmp_path: Path) -> None:
    """A crash (here SIGKILL) never leaves the profile locked; while the holder lives, a
    second opener is told at once instead of waiting on the lock."""
    import time

    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path; from storage.lock import ProfileLock\n"
            "lock = ProfileLock(Path(sys.argv[1])); lock.acquire()\n"
            "print('held', flush=True); sys.stdin.read()",
            str(tmp_path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == b"held"
        started = time.perf_counter()
        with pytest.raises(CacheInUse):
            ProfileLock(tmp_path).acquire()
        assert time.perf_counter() - started < 2.0  # refused, not waited for (busy wait: 5 s)
    finally:
        holder.kill()
        holder.wait()
    lock = ProfileLock(tmp_path)
    lock.acquire()
    assert lock.held
    lock.release()
