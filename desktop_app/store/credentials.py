"""The remembered sign-in: who was signed in on which server, and their bearer token.

So the app can open offline with the last known bookings and resume syncing without asking for the
password again. The token goes to the OS keyring when a real one is available (keyring package);
otherwise to a JSON file readable by the user alone (chmod 600). Passwords are never stored.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pydantic

from booking_core import UserPublic
from desktop_app.store.local import normalize_url

log = logging.getLogger(__name__)

KEYRING_SERVICE = "reservations-desktop"
FILE_NAME = "sessions.json"


@dataclass(frozen=True, slots=True)
class StoredSession:
    """`names`: the user directory (id → display name) as last seen, to show offline."""

    server_url: str
    user: UserPublic
    token: str
    names: Mapping[str, str] = field(default_factory=dict)


class SecretBackend(Protocol):
    """The part of the keyring API we use."""

    def get_password(self, service: str, username: str) -> str | None: ...
    def set_password(self, service: str, username: str, password: str) -> None: ...
    def delete_password(self, service: str, username: str) -> None: ...


def system_keyring() -> SecretBackend | None:
    """The OS keyring if one really works here (headless Linux usually has none)."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 0) <= 0:
        return None
    return backend


class CredentialStore:
    """Sessions by server URL, in `folder`/sessions.json; tokens there or in `secrets`."""

    def __init__(self, folder: Path, secrets: SecretBackend | None = None) -> None:
        self.path = folder / FILE_NAME
        self.secrets = secrets

    def load(self, server_url: str, username: str | None = None) -> StoredSession | None:
        """The last session on `server_url` (of `username`, when given), or None."""
        entry = self._read().get(normalize_url(server_url))
        if not isinstance(entry, dict):
            return None
        try:
            user = UserPublic.model_validate(entry.get("user"))
        except pydantic.ValidationError:
            log.warning("the remembered sign-in for %s is unreadable: ignored", server_url)
            return None
        if username is not None and user.username != username:
            return None
        token = self._token(server_url, entry)
        names = entry.get("names")
        if not isinstance(names, dict):
            names = {}
        known = {str(k): str(v) for k, v in names.items()}
        return StoredSession(server_url, user, token, known) if token else None

    def save(self, session: StoredSession) -> None:
        entries = self._read()
        entry: dict[str, Any] = {
            "user": session.user.model_dump(mode="json"),
            "names": dict(session.names),
        }
        if self.secrets is not None:
            self.secrets.set_password(KEYRING_SERVICE, self._key(session.server_url), session.token)
        else:
            entry["token"] = session.token
        entries[normalize_url(session.server_url)] = entry
        self._write(entries)

    def forget(self, server_url: str) -> None:
        """Sign-out: drop the session and its token."""
        entries = self._read()
        if entries.pop(normalize_url(server_url), None) is not None:
            self._write(entries)
        if self.secrets is not None:
            try:
                self.secrets.delete_password(KEYRING_SERVICE, self._key(server_url))
            except Exception:  # keyring backends raise errors of their own
                log.info("no token for %s in the keyring", server_url)

    def _token(self, server_url: str, entry: dict[str, Any]) -> str | None:
        if self.secrets is not None:
            return self.secrets.get_password(KEYRING_SERVICE, self._key(server_url))
        token = entry.get("token")
        return token if isinstance(token, str) and token else None

    @staticmethod
    def _key(server_url: str) -> str:
        return normalize_url(server_url)

    def _read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            log.warning(
                "remembered sign-ins in %s are unreadable (%s): starting afresh", self.path, exc
            )
            return {}
        return data if isinstance(data, dict) else {}

    def _write(self, entries: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        # Created 0600 from the start: the token is never readable by others, not even briefly.
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            json.dump(entries, file, indent=2)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, self.path)
