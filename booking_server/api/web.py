"""The customers' booking page: `/book/<master username>` answers the page (naming the master),
`/book/assets/…` its scripts and styles, all from booking_server/web/ and all under a strict
Content-Security-Policy: nothing inline, nothing from elsewhere."""

from __future__ import annotations

import functools
from html import escape
from pathlib import Path

from fastapi import APIRouter, FastAPI
from starlette.responses import HTMLResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from booking_core.models import Role
from booking_server.api.deps import ServicesDep

WEB_DIR = Path(__file__).resolve().parent.parent / "web"
ASSETS_DIR = WEB_DIR / "assets"
PAGE_PATH = "/book"

# 'self' covers the page's own ws:// or wss:// socket (CSP level 3). No inline script or style,
# no eval, no frames, no forms posting elsewhere, no plugins.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "manifest-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
_COMMON_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
PAGE_HEADERS = {
    **_COMMON_HEADERS,
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    # The page holds nothing secret (the session lives in script memory), but it names a master:
    # revalidate each time.
    "Cache-Control": "no-cache",
}
ASSET_HEADERS = {**_COMMON_HEADERS, "Cache-Control": "no-cache"}

router = APIRouter(include_in_schema=False)


@functools.cache
def _template(name: str) -> str:
    return (WEB_DIR / name).read_text(encoding="utf-8")


def _fill(template: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        template = template.replace("{{" + key + "}}", escape(value, quote=True))
    return template


@router.get(PAGE_PATH + "/{username}", response_class=HTMLResponse)
async def booking_page(username: str, services: ServicesDep) -> Response:
    """The page of one master; 404 (a plain page) for a name that is not a master's."""
    user = await services.store.user_by_name(username)
    if user is None or user.role is not Role.MASTER:
        page = _fill(_template("not-found.html"), {"username": username})
        return HTMLResponse(page, 404, headers=PAGE_HEADERS)
    values = {"master_id": user.id, "username": user.username, "display_name": user.display_name}
    return HTMLResponse(_fill(_template("index.html"), values), headers=PAGE_HEADERS)


class _Assets(StaticFiles):
    """The page's files, with ETag / Last-Modified revalidation and the same security headers."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        response.headers.update(ASSET_HEADERS)
        return response


def install(app: FastAPI) -> None:
    app.include_router(router)
    app.mount(PAGE_PATH + "/assets", _Assets(directory=ASSETS_DIR), name="book-assets")
