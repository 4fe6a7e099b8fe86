"""What every request handler reaches through `request.app.state`: engine and settings."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from fastapi import Request
from sqlalchemy import Engine

from central.config import Settings


@dataclass
class AppState:
    settings: Settings
    engine: Engine

    @cached_property
    def jwt_secret(self) -> bytes:
        return self.settings.jwt_secret()


def app_state(request: Request) -> AppState:
    """FastAPI dependency: the service's shared state (set by `create_app`)."""
    state: AppState = request.app.state.fieldcase
    return state
