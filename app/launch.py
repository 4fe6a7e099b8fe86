"""What a start of the app needs, decided before any window exists.

The profile folder, its settings, the server address (the machine configuration IT
set up wins over an address the officer saved: IT moves every laptop to a new server
by reinstalling with SERVERURL, and a stale per-user address must not keep one behind),
and the live backend; for `--demo`, a local service with
synthetic people, a throwaway profile and the credentials to sign in without typing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from app import settings as settings_store
from app.backend import LiveBackend
from app.machine_config import MachineConfigError, read_machine_config
from app.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Launch:
    profile: Path
    settings: Settings
    backend: LiveBackend
    demo: bool = False
    # Slow start-up work (the demo's local service), run on a thread once the window has
    # painted; it answers with the sign-in to make without typing: server, username, password.
    start: Callable[[], tuple[str, str, str]] | None = None
    starting_words: str = ""  # what the sign-in screen says while `start` runs
    # Stops what this launch started (the demo's local service) when the app quits.
    stop: Callable[[], None] | None = None

    def finish(self) -> None:
        """On quit: close the cache, then stop any process this launch owns."""
        try:
            self.backend.close()
        finally:
            if self.stop is not None:
                self.stop()


def default_profile() -> Path:
    return Path(platformdirs.user_data_dir("Fieldcase", "Fieldcase")) / "profile"


def _server_from_machine() -> str:
    try:
        return read_machine_config().server_url or ""
    except MachineConfigError:
        log.warning("machine configuration unreadable; the officer types the server address")
        return ""


def prepare(*, profile: str | None, demo: bool) -> Launch:
    if demo:
        return prepare_demo()
    folder = Path(profile) if profile else default_profile()
    folder.mkdir(parents=True, exist_ok=True)
    settings = settings_store.load(folder)
    machine = _server_from_machine()
    if machine and machine != settings.server_url:
        if settings.server_url:
            log.info("the machine configuration's server address replaces the saved one")
        settings = settings.model_copy(update={"server_url": machine})
    return Launch(folder, settings, LiveBackend(folder, settings))


def prepare_demo() -> Launch:
    """The demo's launch, at once: its service is started by `start`, off the UI thread
    (it took 4-6 s, and a first launch's seed far longer, before any window showed)."""
    from app import demo

    if not demo.central_installed():
        raise demo.DemoError(demo.NOT_INSTALLED)
    demo.use_demo_keyring()
    folder = demo.throwaway_profile()
    backend = LiveBackend(folder, Settings())

    def start() -> tuple[str, str, str]:
        server = demo.start_demo_server()
        username = server.officers[0]
        backend.settings = backend.settings.model_copy(
            update={"server_url": server.url, "username": username}
        )
        return server.url, username, demo.DEMO_PASSWORD

    return Launch(
        folder,
        backend.settings,
        backend,
        demo=True,
        start=start,
        starting_words="Starting the demo service with synthetic people…",
        stop=demo.stop_demo_server,  # it kept running after Quit (issue 17)
    )
