"""The `booking-server` command: `serve` runs the server, `migrate` upgrades the database's schema,
`backup` and `restore` copy a SQLite database, `user list|add|disable|enable|reset-password` manage
accounts (`add-user` is `user add`).

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
from datetime import UTC, datetime
from pathlib import Path

from booking_core.events import BookingUpdated
from booking_core.models import Role
from booking_server import backup
from booking_server.auth import hash_password, hash_password_sync
from booking_server.errors import ConfigurationError
from booking_server.logs import configure_logging
from booking_server.settings import Settings
from booking_server.store import Store, UserExistsError, UserRecord, open_store
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
    serve.add_argument(
        "--exit-with-parent",
        action="store_true",
        default=None,
        help="stop when standard input closes or the parent process ends (an embedded server: "
        "the app that started it holds the other end of a pipe)",
    )
    serve.add_argument("--certfile", help="TLS: the certificate chain (PEM); serves HTTPS/WSS")
    serve.add_argument("--keyfile", help="TLS: the certificate's private key (PEM)")
    migrate = commands.add_parser(
        "migrate", help="bring the database's schema to this version (serve does it at start too)"
    )
    migrate.add_argument(
        "--database-url", help="sqlite:///PATH (default: the user data folder) or postgresql://…"
    )
    backing = commands.add_parser(
        "backup",
        help="copy the SQLite database to PATH (a new file or a folder), consistent while the"
        " server runs",
    )
    backing.add_argument("path", type=Path)
    backing.add_argument("--database-url", help="sqlite:///PATH (default: the user data folder)")
    restoring = commands.add_parser(
        "restore",
        help="replace the SQLite database with the backup at PATH (stop the server first; the"
        " current file is kept beside it)",
    )
    restoring.add_argument("path", type=Path)
    restoring.add_argument("--database-url", help="sqlite:///PATH (default: the user data folder)")
    add = commands.add_parser("add-user", help="add a user; the password is read from stdin")
    _add_options(add)
    user = commands.add_parser("user", help="list, add, disable, enable accounts; reset passwords")
    actions = user.add_subparsers(dest="action", required=True)
    listing = actions.add_parser("list", help="every account: username, role, name, state, id")
    listing.add_argument("--database-url", help=_DATABASE_HELP)
    _add_options(actions.add_parser("add", help="add a user; the password is read from stdin"))
    for name, text in (
        ("disable", "the account cannot sign in; its tokens are revoked"),
        ("enable", "a disabled account can sign in again"),
        ("reset-password", "set a new password (read from stdin); its tokens are revoked"),
    ):
        action = actions.add_parser(name, help=text)
        action.add_argument("username")
        action.add_argument("--database-url", help=_DATABASE_HELP)
        action.add_argument(
            "--redis-url",
            help="the servers' Redis (scale-out): their open sockets of the user close at once",
        )
    return parser


_DATABASE_HELP = "sqlite:///PATH (default: the user data folder) or postgresql://…"


def _add_options(add: argparse.ArgumentParser) -> None:
    add.add_argument("--role", choices=[r.value for r in Role], required=True)
    add.add_argument("--username", required=True)
    add.add_argument("--display-name", required=True)
    add.add_argument("--database-url", help=_DATABASE_HELP)


def _settings(args: argparse.Namespace, names: Sequence[str]) -> Settings:
    given = {name: getattr(args, name) for name in names if getattr(args, name, None) is not None}
    return Settings(**given)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "serve":
            names = ["host", "port", "database_url", "redis_url", "demo", "exit_with_parent"]
            names += ["certfile", "keyfile"]
            settings = _settings(args, names)
            _check_tls(settings)
            return _serve(settings)
        if args.command == "migrate":
            return _migrate(_settings(args, ["database_url"]))
        if args.command == "backup":
            return _backup(args.path, _settings(args, ["database_url"]))
        if args.command == "restore":
            return _restore(args.path, _settings(args, ["database_url"]))
        if args.command == "user" and args.action != "add":
            return _user(args, _settings(args, ["database_url", "redis_url"]))
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
    from booking_server.bus.factory import Connected, open_bus

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
    # Imported here: the other commands start without loading the web stack.
    from booking_server.app import create_app
    from booking_server.server import make_server

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


def _backup(path: Path, settings: Settings) -> int:
    copied = backup.backup(settings.database_url, path)
    print(
        f"backed up to {copied.path}: schema {copied.schema_version}, {copied.bookings} bookings,"
        f" events through seq {copied.last_seq}"
    )
    return 0


def _restore(path: Path, settings: Settings) -> int:
    copied = backup.restore(settings.database_url, path)
    if copied.kept is not None:
        print(f"the database it replaced is kept at {copied.kept}")
    print(
        f"restored {copied.path}: schema {copied.schema_version}, {copied.bookings} bookings,"
        f" events through seq {copied.last_seq}"
    )
    return 0


async def _opened(settings: Settings) -> Store:
    store = open_store(settings.database_url, _ignore, pool_size=1)
    try:
        await store.open()
    except (OSError, sqlite3.Error) as error:
        raise ConfigurationError(f"cannot open the database: {error}") from error
    return store


def _user(args: argparse.Namespace, settings: Settings) -> int:
    password = ""
    if args.action == "reset-password":
        password = _read_password()
        if not password:
            print("booking-server: the password (on stdin) must not be empty", file=sys.stderr)
            return 2
    hashed = hash_password_sync(password) if password else ""

    async def run() -> int:
        store = await _opened(settings)
        try:
            if args.action == "list":
                for each in await store.users():
                    state = "disabled" if each.disabled else "active"
                    print(
                        f"{each.username}\t{each.role.value}\t{each.display_name}\t{state}\t{each.id}"
                    )
                return 0
            found = await store.user_by_name(args.username)
            if found is None:
                print(f"booking-server: no user named {args.username!r}", file=sys.stderr)
                return 1
            now = datetime.now(UTC)
            if args.action == "reset-password":
                revoked = await store.set_password(found.id, hashed)
            else:
                revoked = await store.set_disabled(found.id, args.action == "disable", now)
            await _announce_revoked(settings, store, revoked)
            print(f"{args.action}: {found.username} ({len(revoked)} sessions signed out)")
            return 0
        finally:
            await store.close()

    return asyncio.run(run())


async def _announce_revoked(settings: Settings, store: Store, revoked: list[str]) -> None:
    """Tell running servers on the shared Redis, so the tokens' open sockets close now (REST
    refuses them at once anyway: the database says they are revoked). A single SQLite server's
    sockets close when they reconnect."""
    if not revoked or settings.redis_url is None:
        return
    from booking_server.bus import TokenRevoked
    from booking_server.bus.factory import Connected, open_bus

    bus = open_bus(settings, store)
    if isinstance(bus, Connected):
        await bus.start()
    try:
        for token_hash in revoked:
            await bus.publish(TokenRevoked(token_hash))
    finally:
        if isinstance(bus, Connected):
            await bus.close()


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
        store = await _opened(settings)
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
