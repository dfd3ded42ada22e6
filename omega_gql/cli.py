"""The ``omega`` command: ``omega run module:app`` and ``omega schema module:app``."""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

import click

from .security.loopback import is_local


def load(target: str) -> Any:
    """Import ``module:attribute`` (the working directory is importable, as for uvicorn)."""
    module_name, _, attr = target.partition(":")
    if not module_name or not attr:
        raise click.BadParameter(f"expected module:attribute, got {target!r}")
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    return getattr(importlib.import_module(module_name), attr)


def serve(target: str, host: str = "127.0.0.1", port: int = 8000, reload: bool = False) -> None:
    """Serve ``target`` with uvicorn."""
    import uvicorn

    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    click.echo(f"omega: serving {target} on http://{host}:{port} (GraphQL at /graphql)")
    if not is_local(host) or host in ("0.0.0.0", "::"):
        click.echo(
            "omega: no authentication is configured, so requests from other hosts are refused "
            "(403) unless OMEGA_ALLOW_REMOTE=true"
        )
    # Per-message deflate keeps a compressor per socket: far more memory than the rest of
    # an idle subscriber, for payloads that are small or already shared.
    uvicorn.run(
        target,
        host=host,
        port=port,
        reload=reload,
        log_level="info",
        ws_per_message_deflate=False,
    )


@click.group()
def main() -> None:
    """omega_gql: models in, APIs out."""


@main.command()
@click.argument("target")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to bind.")
@click.option("--reload", is_flag=True, help="Restart when source files change.")
def run(target: str, host: str, port: int, reload: bool) -> None:
    """Serve TARGET (module:app), e.g. examples.twooter.app:app."""
    load(target)  # fail here, with a clear message, if the app cannot be built
    serve(target, host, port, reload)


@main.command()
@click.argument("target")
def schema(target: str) -> None:
    """Print the GraphQL schema (SDL) of TARGET (module:app)."""
    click.echo(load(target).sdl())


if __name__ == "__main__":
    main()
