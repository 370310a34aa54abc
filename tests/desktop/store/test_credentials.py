"""The remembered sign-in: per server, private to the user, tokens in a keyring when present."""

from __future__ import annotations

import stat
from pathlib import Path

from booking_core import Role, UserPublic
from desktop_app.store.credentials import KEYRING_SERVICE, CredentialStore, StoredSession

ANNA = UserPublic(id="u-anna", username="anna", role=Role.MASTER, display_name="Anna")


class DictSecrets:
    """An in-memory secret service (the OS keyring's API), standing in where none exists."""

    def __init__(self) -> None:
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        del self.secrets[(service, username)]


def test_round_trip_per_server_with_a_private_file(tmp_path: Path) -> None:
    store = CredentialStore(tmp_path)
    store.save(StoredSession("http://Server.example:8765/", ANNA, "t-1"))
    loaded = store.load("http://server.example:8765")
    assert loaded == StoredSession("http://server.example:8765", ANNA, "t-1")
    assert store.load("http://other.example") is None
    assert store.load("http://server.example:8765", username="ben") is None
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600


def test_forget_drops_the_session(tmp_path: Path) -> None:
    store = CredentialStore(tmp_path)
    store.save(StoredSession("http://a", ANNA, "t-1"))
    store.save(StoredSession("http://b", ANNA, "t-2"))
    store.forget("http://a")
    assert store.load("http://a") is None
    assert store.load("http://b") is not None
    assert "t-1" not in store.path.read_text()


def test_tokens_go_to_the_keyring_when_there_is_one(tmp_path: Path) -> None:
    secrets = DictSecrets()
    store = CredentialStore(tmp_path, secrets)
    store.save(StoredSession("http://a", ANNA, "secret-token"))
    assert "secret-token" not in store.path.read_text()
    assert secrets.secrets == {(KEYRING_SERVICE, "http://a"): "secret-token"}
    loaded = store.load("http://a")
    assert loaded is not None
    assert loaded.token == "secret-token"
    store.forget("http://a")
    assert secrets.secrets == {}


def test_an_unreadable_file_is_no_crash(tmp_path: Path) -> None:
    store = CredentialStore(tmp_path)
    store.path.write_text("{not json")
    assert store.load("http://a") is None
    store.save(StoredSession("http://a", ANNA, "t"))
    assert store.load("http://a") is not None
