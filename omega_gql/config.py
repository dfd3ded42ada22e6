"""Settings: ``create_app(...)`` arguments, then ``OMEGA_*`` variables, then defaults.

This module is the only reader of ``os.environ``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, Literal

from .errors import ConfigurationError

NamingName = Literal["graphql-default", "hasura-default"]
NAMINGS: tuple[str, ...] = ("graphql-default", "hasura-default")


@dataclass(frozen=True)
class Settings:
    """Resolved configuration of one app.

    Attributes:
        database_url: any SQLAlchemy URL; ``OMEGA_DATABASE_URL``. Defaults to a SQLite
            file named after the app's package in the working directory.
        naming: ``graphql-default`` (camelCase) or ``hasura-default`` (snake_case);
            ``OMEGA_NAMING``.
        create_tables: create missing tables on start-up; ``OMEGA_CREATE_TABLES``.
        pool_size: database connections kept open (not SQLite); ``OMEGA_POOL_SIZE``.
        plan_cache_size: GraphQL documents whose parsed and compiled plans are kept;
            ``OMEGA_PLAN_CACHE_SIZE``.
        busy_timeout: milliseconds a SQLite write waits for another process's write lock
            before answering ``database-busy``; ``OMEGA_BUSY_TIMEOUT``.
        broadcast_url: where change events and channels are shared: ``memory://`` (one
            process) or ``redis://host:port/db`` (several workers or hosts);
            ``OMEGA_BROADCAST_URL``.
        debug: Starlette debug pages; ``OMEGA_DEBUG``.
        allow_remote: answer clients on other hosts; ``OMEGA_ALLOW_REMOTE``. Off by default:
            with no authentication configured, only this machine is served.

        The limits below are each refused with ``limit-exceeded`` naming the limit;
        ``OMEGA_<NAME>`` raises it.

        max_body_size: bytes of a request body (larger: HTTP 413).
        max_batch_size: operations in one batched request.
        max_depth: nesting of fields in a GraphQL operation, fragments expanded.
        max_nodes: fields selected by a GraphQL operation, aliases and fragments expanded.
        max_list_length: items of any one list argument or list variable.
        max_rows: rows a list may answer: a larger ``limit`` is refused, and a list asked
            without one that has more rows is refused rather than cut short.
        max_response_size: bytes of one response's data.
        statement_timeout: milliseconds one database statement may run.
        max_subscriptions: operations one WebSocket may run at once.
        ws_init_timeout: milliseconds a WebSocket client has to send ``connection_init``.
        page_size: rows of a REST list page when no ``?limit=`` is given;
            ``OMEGA_PAGE_SIZE``.
        max_page_size: the largest ``?limit=`` a REST list answers (a larger one is cut
            to it, as Django REST framework does); ``OMEGA_MAX_PAGE_SIZE``.
    """

    database_url: str = ""
    naming: NamingName = "graphql-default"
    create_tables: bool = True
    pool_size: int = 20
    plan_cache_size: int = 512
    busy_timeout: int = 5000
    broadcast_url: str = "memory://"
    debug: bool = False
    allow_remote: bool = False
    max_body_size: int = 10 * 1024 * 1024
    max_batch_size: int = 100
    max_depth: int = 24
    max_nodes: int = 5000
    max_list_length: int = 10_000
    max_rows: int = 10_000
    max_response_size: int = 64 * 1024 * 1024
    statement_timeout: int = 30_000
    max_subscriptions: int = 100
    ws_init_timeout: int = 3000
    page_size: int = 100
    max_page_size: int = 1000

    @classmethod
    def load(
        cls,
        overrides: Mapping[str, Any] | None = None,
        environ: Mapping[str, str] | None = None,
        *,
        default_database_url: str = "sqlite:///omega.db",
    ) -> Settings:
        """Build settings from explicit ``overrides``, then ``OMEGA_*`` variables, then defaults."""
        env = os.environ if environ is None else environ
        given = {k: v for k, v in (overrides or {}).items() if v is not None}
        values: dict[str, Any] = {}
        for f in fields(cls):
            if f.name in given:
                values[f.name] = given.pop(f.name)
            elif (raw := env.get(f"OMEGA_{f.name.upper()}")) is not None:
                values[f.name] = _parse(f.name, raw, f.default)
        if given:
            raise ConfigurationError(f"unknown setting(s): {', '.join(sorted(given))}")
        values.setdefault("database_url", default_database_url)
        settings = cls(**values)
        for f in fields(cls):
            if (f.name.startswith("max_") or f.name.endswith("_timeout")) and not (
                isinstance(getattr(settings, f.name), int) and getattr(settings, f.name) > 0
            ):
                raise ConfigurationError(f"{f.name} must be a positive integer")
        if not isinstance(settings.page_size, int) or settings.page_size < 1:
            raise ConfigurationError("page_size must be a positive integer")
        if settings.naming not in NAMINGS:
            raise ConfigurationError(
                f"naming {settings.naming!r} is not one of {', '.join(NAMINGS)}"
            )
        return settings


def _parse(name: str, raw: str, default: Any) -> Any:
    if isinstance(default, bool):
        lowered = raw.strip().lower()
        if lowered in ("1", "true", "yes", "on"):
            return True
        if lowered in ("0", "false", "no", "off", ""):
            return False
        raise ConfigurationError(f"OMEGA_{name.upper()}={raw!r} is not a boolean")
    if isinstance(default, int):
        try:
            return int(raw)
        except ValueError:
            raise ConfigurationError(f"OMEGA_{name.upper()}={raw!r} is not an integer") from None
    return raw


__all__ = ["NAMINGS", "NamingName", "Settings"]
