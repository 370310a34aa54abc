"""Choose the store backend from a database URL."""

from __future__ import annotations

from pathlib import Path

from booking_server.errors import ConfigurationError
from booking_server.store.base import OnCommit, Store
from booking_server.store.sqlite import SqliteStore

_SQLITE = "sqlite:///"
_POSTGRES = ("postgresql://", "postgres://")


def sqlite_path(url: str) -> Path:
    """`sqlite:///relative/path` or `sqlite:////absolute/path`, as SQLAlchemy spells them."""
    rest = url.removeprefix(_SQLITE)
    if not rest or rest.startswith(":memory:"):
        raise ConfigurationError("the SQLite store needs a file: sqlite:///PATH")
    return Path(rest)


def is_postgres(url: str) -> bool:
    return url.startswith(_POSTGRES)


def open_store(
    url: str, on_commit: OnCommit, *, pool_size: int = 10, timeout: float | None = None
) -> Store:
    if url.startswith(_SQLITE):
        return SqliteStore(sqlite_path(url), on_commit)
    if is_postgres(url):
        # Imported here: the embedded (SQLite) server starts without loading asyncpg.
        from booking_server.store.postgres import DEFAULT_TIMEOUT, PostgresStore

        chosen = DEFAULT_TIMEOUT if timeout is None else timeout
        return PostgresStore(url, on_commit, pool_size=pool_size, timeout=chosen)
    raise ConfigurationError(
        f"unsupported database URL (use sqlite:///PATH or postgresql://…): {url.split(':')[0]}:"
    )
