"""Structured (JSON lines) logging to stderr, with bearer tokens scrubbed from every record."""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime
from urllib.parse import unquote

# uvicorn logs WebSocket paths with their query string, which carries the token.
_TOKEN = re.compile(r"((?:token|access_token)=|Bearer\s+|bearer\.)[^&\s\"',]+", re.IGNORECASE)
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "color_message"}


def _decoded(text: str) -> str:
    """`text` with percent-encodings undone, as often as they were applied (a few times)."""
    for _ in range(3):
        decoded = unquote(text)
        if decoded == text:
            break
        text = decoded
    return text


def scrub(text: str) -> str:
    """`text` without tokens. Matched after percent-decoding too (`?%74oken=T` is `?token=T` to
    the server): a text that hides one in an encoding is logged decoded, the token redacted."""
    if _TOKEN.search(text) is None:
        decoded = _decoded(text)
        if _TOKEN.search(decoded) is None:
            return text
        text = decoded
    return _TOKEN.sub(r"\1[redacted]", text)


class ScrubTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = scrub(record.getMessage())
        record.args = None
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure_logging(level: str, *, as_json: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(ScrubTokens())
    handler.setFormatter(
        JsonFormatter() if as_json else logging.Formatter("%(asctime)s %(levelname)s %(message)s")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
