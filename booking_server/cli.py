"""The `booking-server` command: `serve` runs the server, `migrate` upgrades the database's schema,
`add-user` adds an account.

Options left out on the command line come from `BOOKING_<OPTION>` environment variables.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sqlite3
import ssl
import sys
import uuid
from collections.abc import Sequence

from booking_core.events import BookingUpdated
from booking_core.models import Role
from booking_server.app import create_app
from booking_server.auth import hash_password
from booking_server.bus.factory import Connected, open_bus
from booking_server.errors import ConfigurationError
from booking_server.logs import configure_logging
from booking_server.server import make_server
from booking_server.settings import Settings
from booking_server.store import UserExistsError, UserRecord, open_store
from booking_server.store.migrations import Migration


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="booking-server", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the booking server")
    serve.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default 8765; 0 picks a free one)")
    serve.add_argument(
        "--database-url",
        help="sqlite:///PATH (default: the user data folder) or postgresql://USER@HOST:PORT/DB",
    )
    serve.add_argument(
        "--redis-url",
        help="redis://HOST:PORT/DB: share events with other processes on one PostgreSQL database",
    )
    serve.add_argument(
        "--demo", action="store_true", default=None, help="seed the demo users and bookings"
    )
    serve.add_argument("--certfile", help="TLS: the certificate chain (PEM); serves HTTPS/WSS")
    serve.add_argument("--keyfile", help="TLS: the certificate's private key (PEM)")
    migrate = commands.add_parser(
        "migrate", help="bring the database's schema to this version (serve does it at start too)"
    )
    migrate.add_argument(
        "--database-url", help="sqlite:///PATH (default: the user data folder) or postgresql://…"
    )
    add = commands.add_parser("add-user", help="add a user; the password is read from stdin")
    add.add_argument("--role", choices=[r.value for r in Role], required=True)
    add.add_argument("--username", required=True)
    add.add_argument("--display-name", required=True)
    add.add_argument(
        "--database-url", help="sqlite:///PATH (default: the user data folder) or postgresql://…"
    )
    return parser


def _settings(args: argparse.Namespace, names: Sequence[str]) -> Settings:
    given = {name: getattr(args, name) for name in names if getattr(args, name, None) is not None}
    return Settings(**given)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "serve":
            names = ["host", "port", "database_url", "redis_url", "demo", "certfile", "keyfile"]
            settings = _settings(args, names)
            _check_tls(settings)
            return _serve(settings)
        if args.command == "migrate":
            return _migrate(_settings(args, ["database_url"]))
        return _add_user(args, _settings(args, ["database_url"]))
    except ConfigurationError as error:
        print(f"booking-server: {error}", file=sys.stderr)
        return 2


def _check_tls(settings: Settings) -> None:
    """Both files or neither, and loadable: else exit 2 with a message, not a traceback."""
    if (settings.certfile is None) != (settings.keyfile is None):
        raise ConfigurationError("TLS needs both --certfile and --keyfile")
    if settings.certfile is None:
        return
    try:
        ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(
            settings.certfile, settings.keyfile
        )
    except (OSError, ssl.SSLError) as error:
        raise ConfigurationError(f"cannot load the TLS certificate or key: {error}") from error


async def _ignore(events: list[BookingUpdated]) -> None:
    return None


async def _check_database(settings: Settings) -> None:
    """Open and close the store (and the bus) once, so a bad database or an unreachable Redis
    fails with a message, not a traceback."""
    store = open_store(settings.database_url, _ignore, pool_size=1)
    try:
        await store.open()
    except (OSError, sqlite3.Error) as error:
        raise ConfigurationError(f"cannot open the database: {error}") from error
    try:
        bus = open_bus(settings, store)
        if isinstance(bus, Connected):
            await bus.start()
            await bus.close()
    finally:
        await store.close()


def _serve(settings: Settings) -> int:
    configure_logging(settings.log_level, as_json=settings.log_json)
    asyncio.run(_check_database(settings))
    app = create_app(settings)
    server = make_server(app, settings)
    asyncio.run(server.serve())
    return 0 if server.started else 1


def _migrate(settings: Settings) -> int:
    async def run() -> Migration:
        store = open_store(settings.database_url, _ignore, pool_size=1)
        try:
            await store.open()
        except (OSError, sqlite3.Error) as error:
            raise ConfigurationError(f"cannot open the database: {error}") from error
        await store.close()
        return store.migration

    migration = asyncio.run(run())
    if migration.changed:
        print(f"schema upgraded from version {migration.before} to {migration.after}")
    else:
        print(f"schema version {migration.after}: up to date")
    return 0


def _read_password() -> str:
    if sys.stdin.isatty():
        return getpass.getpass("Password: ")
    return sys.stdin.readline().rstrip("\r\n")


def _add_user(args: argparse.Namespace, settings: Settings) -> int:
    password = _read_password()
    if not password:
        print("booking-server: the password (on stdin) must not be empty", file=sys.stderr)
        return 2
    username = args.username.strip()
    display_name = args.display_name.strip()
    if not username or not display_name:
        print("booking-server: username and display name must not be empty", file=sys.stderr)
        return 2
    user_id = str(uuid.uuid4())

    async def add() -> None:
        store = open_store(settings.database_url, _ignore)
        await store.open()
        try:
            hashed = await hash_password(password)
            await store.add_user(
                UserRecord(user_id, username, Role(args.role), display_name, hashed)
            )
        finally:
            await store.close()

    try:
        asyncio.run(add())
    except UserExistsError:
        print(f"booking-server: a user named {username!r} exists already", file=sys.stderr)
        return 1
    print(user_id)
    return 0
