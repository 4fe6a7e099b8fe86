"""What every request handler reaches through `request.app.state`: engine and settings."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from fastapi import Request
from sqlalchemy import Engine

from central.config import Settings

if TYPE_CHECKING:
    from central.auth.sign_in import HashBudget


@dataclass
class AppState:
    settings: Settings
    engine: Engine

    @cached_property
    def jwt_secret(self) -> bytes:
        return self.settings.jwt_secret()

    @cached_property
    def sign_in_budget(self) -> HashBudget:
        """This service's global budget of password checks for new laptops."""
        from central.auth.sign_in import HashBudget

        s = self.settings
        return HashBudget(s.new_laptop_sign_in_burst, s.new_laptop_sign_ins_per_minute)


async def app_state(request: Request) -> AppState:
    """FastAPI dependency: the service's shared state (set by `create_app`).

    `async` because it never blocks: FastAPI runs a plain `def` dependency on its thread
    pool, a thread hop on every request for one attribute read."""
    state: AppState = request.app.state.fieldcase
    return state
