"""What every service call needs: the database, the policy and the clock, built once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from orderflow.config import Settings, get_settings
from orderflow.core.clock import Clock, system_clock
from orderflow.db import Database
from orderflow.policy.loader import Policy, load_policy


@dataclass
class Runtime:
    db: Database
    policy: Policy
    settings: Settings
    clock: Clock = field(default=system_clock)

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        """Today in the company's zone: a date entered at 07:00 Beijing time is not 'yesterday'."""
        return self.now().astimezone(self.policy.zone).date()

    @classmethod
    def from_settings(
        cls, settings: Settings | None = None, *, clock: Clock = system_clock
    ) -> Runtime:
        settings = settings or get_settings()
        return cls(
            db=Database(settings.database_url),
            policy=load_policy(settings.policy),
            settings=settings,
            clock=clock,
        )


@dataclass(frozen=True)
class Principal:
    """The caller of a service: who, in which company, with which roles."""

    id: int
    username: str
    display_name: str
    company_id: int
    roles: frozenset[str]
    locale: str = "zh-CN"

    def can(self, roles: frozenset[str]) -> bool:
        return bool(self.roles & roles)
