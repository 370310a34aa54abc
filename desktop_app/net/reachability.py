"""A hint whether the server is reachable, as `online_changed(bool)`.

From QNetworkInformation when a backend loads (on Linux without D-Bus that is glib, which only
tells whether a default route exists), else — and always for a loopback server, which no route
change affects — from a periodic `GET /healthz` probe. A hint only: the sync engine decides
"offline" from its own evidence (failed requests, the socket).
"""

from __future__ import annotations

import ipaddress
import logging
from pathlib import Path
from urllib.parse import urlsplit

from PySide6.QtCore import QObject, QTimer, QUrl, Signal
from PySide6.QtNetwork import (
    QNetworkAccessManager,
    QNetworkInformation,
    QNetworkProxy,
    QNetworkReply,
    QNetworkRequest,
    QSslConfiguration,
)

log = logging.getLogger(__name__)

Reach = QNetworkInformation.Reachability
_ONLINE_OF: dict[Reach, bool] = {
    Reach.Disconnected: False,
    Reach.Local: True,
    Reach.Site: True,
    Reach.Online: True,
}


class Reachability(QObject):
    """Call `start()`; read `online` (None until known) and `source` ("probe" or a backend)."""

    online_changed = Signal(bool)

    def __init__(
        self,
        health_url: str,
        *,
        probe_interval_ms: int = 5000,
        probe_timeout_ms: int = 2000,
        use_system: bool = True,
        ca_file: Path | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.health_url = health_url
        self._ssl: QSslConfiguration | None = None
        if ca_file is not None and health_url.startswith("https:"):
            # The CA the app trusts for REST and the socket (tls.py), for the probe too.
            self._ssl = QSslConfiguration.defaultConfiguration()
            self._ssl.addCaCertificates(str(ca_file))
        self.probe_timeout_ms = probe_timeout_ms
        self.use_system = use_system and not _is_loopback(health_url)
        self.source = ""
        self._online: bool | None = None
        self._network: QNetworkAccessManager | None = None
        self._reply: QNetworkReply | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(probe_interval_ms)
        self._timer.timeout.connect(self.check)

    @property
    def online(self) -> bool | None:
        return self._online

    def start(self) -> None:
        info = _system_information() if self.use_system else None
        if info is not None:
            self.source = info.backendName()
            info.reachabilityChanged.connect(self._on_reachability)
            self._on_reachability(info.reachability())
            return
        self.source = "probe"
        self._timer.start()
        self.check()

    def stop(self) -> None:
        self._timer.stop()
        info = QNetworkInformation.instance()
        if self.source not in ("", "probe") and info is not None:
            info.reachabilityChanged.disconnect(self._on_reachability)
        if self._reply is not None:
            self._reply.abort()

    def check(self) -> None:
        """Probe the server now (also in system mode: a hint to re-check); the answer comes as
        `online_changed` if it differs."""
        if self._reply is not None:
            return  # one probe at a time
        if self._network is None:
            self._network = QNetworkAccessManager(self)
            self._network.setProxy(QNetworkProxy(QNetworkProxy.ProxyType.NoProxy))
        request = QNetworkRequest(QUrl(self.health_url))
        request.setTransferTimeout(self.probe_timeout_ms)
        # A fresh connection each time: a kept-alive one proves nothing about reaching the server.
        request.setRawHeader(b"Connection", b"close")
        if self._ssl is not None:
            request.setSslConfiguration(self._ssl)
        self._reply = self._network.get(request)
        self._reply.finished.connect(self._on_probe_finished)

    def _on_probe_finished(self) -> None:
        reply, self._reply = self._reply, None
        if reply is None:
            return
        status = reply.attribute(QNetworkRequest.Attribute.HttpStatusCodeAttribute)
        ok = reply.error() == QNetworkReply.NetworkError.NoError and status == 200
        if not ok:
            log.debug("health probe of %s failed: %s", self.health_url, reply.errorString())
        reply.deleteLater()
        self._set(ok)

    def _on_reachability(self, reachability: Reach) -> None:
        online = _ONLINE_OF.get(reachability)
        if online is not None:
            self._set(online)

    def _set(self, online: bool) -> None:
        if online != self._online:
            self._online = online
            log.info("server %s", "reachable" if online else "unreachable")
            self.online_changed.emit(online)


def _system_information() -> QNetworkInformation | None:
    """The loaded QNetworkInformation if it can tell reachability, else None."""
    if not QNetworkInformation.loadDefaultBackend():
        log.info("no QNetworkInformation backend loaded: falling back to health probes")
        return None
    info = QNetworkInformation.instance()
    if info is None or not info.supports(QNetworkInformation.Feature.Reachability):
        return None
    return info


def _is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
