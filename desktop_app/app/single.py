"""One app per user and data folder: a second start raises the first one's window and exits.

The first instance listens on a QLocalServer whose name comes from the user and the data folder
(another --data-dir is another app). A later start connects to it, sends `raise`, and ends; the
first emits `raise_requested`. A name left behind by a crashed
instance (nobody answers) is removed and taken over.
"""

from __future__ import annotations

import getpass
import hashlib
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

CONNECT_TIMEOUT_MS = 1000
MESSAGE = b"raise\n"


def instance_name(data_dir: Path) -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid: the folder alone still separates
        user = ""
    key = f"{user}\n{data_dir.expanduser().resolve()}".encode()
    return f"reservations-{hashlib.sha256(key).hexdigest()[:20]}"


class SingleInstance(QObject):
    raise_requested = Signal()

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._server: QLocalServer | None = None

    def forward_to_running(self) -> bool:
        """True when another instance answered (it was asked to raise its window)."""
        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
            return False
        socket.write(MESSAGE)
        socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
        socket.disconnectFromServer()
        if socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
            socket.waitForDisconnected(CONNECT_TIMEOUT_MS)
        return True

    def listen(self) -> bool:
        """Become the instance others forward to; False if the name cannot be taken."""
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            # A crashed instance's socket file: nobody answered forward_to_running().
            QLocalServer.removeServer(self.name)
            if not server.listen(self.name):
                return False
        server.newConnection.connect(self._on_connection)
        self._server = server
        return True

    def close(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server.deleteLater()
            self._server = None

    def _on_connection(self) -> None:
        assert self._server is not None
        while (socket := self._server.nextPendingConnection()) is not None:
            # The second start writes its one line right after connecting, then leaves.
            arrived = socket.bytesAvailable() > 0 or socket.waitForReadyRead(CONNECT_TIMEOUT_MS)
            if arrived and bytes(socket.readAll().data()).startswith(MESSAGE.strip()):
                self.raise_requested.emit()
            socket.abort()
            socket.deleteLater()
