"""The web server around the Gradio app: login, sessions, and Word files served only to their readers.

Gradio's own login has no throttling, no session timeout and no Swedish page, and files it serves
under ``/gradio_api/file=`` go to anyone logged in who knows the path. So the app is mounted in a
FastAPI server of its own (``gr.mount_gradio_app``) that owns the parts that decide who you are:

- ``GET /`` without a session: a Swedish login page (``lang="sv"``);
- ``POST /login``: the password check, throttled per account (a lock after repeated failures, kept
  in the review store so the CLI can unlock it) and per address, every attempt audited;
- sessions as random tokens in an HttpOnly, SameSite=Strict cookie, ended by ``/logout`` or after
  ``security.session_idle_minutes`` of inactivity; Gradio asks :meth:`Sessions.user` for the user
  of every request (``auth_dependency``);
- ``GET /eksport/{id}``: a Word file, after the review store has checked the requester may see it.

With no users configured when the app starts, it runs as one local admin user without a login
(a workstation install bound to the loopback address) until restarted.
"""

from __future__ import annotations

import asyncio
import re
import secrets
import threading
import time
from collections import defaultdict, deque
from datetime import UTC, datetime, timedelta
from typing import Any

import gradio as gr
from fastapi import FastAPI, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse

from assistant.errors import AssistantError
from assistant.ui.html import SWEDISH_PAGE

SESSION_COOKIE = "ua-session"


class Sessions:
    """Logged-in sessions: token → (user name, last use). Idle sessions end; logout ends one."""

    def __init__(self, idle: timedelta, clock=time.monotonic) -> None:
        self.idle = idle.total_seconds()
        self._clock = clock
        self._tokens: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()

    def start(self, name: str) -> str:
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._tokens[token] = (name, self._clock())
        return token

    def user(self, token: str | None) -> str | None:
        """The session's user, refreshing its last use; None when unknown or idle too long."""
        if not token:
            return None
        now = self._clock()
        with self._lock:
            entry = self._tokens.get(token)
            if entry is None:
                return None
            name, last = entry
            if now - last > self.idle:
                del self._tokens[token]
                return None
            self._tokens[token] = (name, now)
            return name

    def end(self, token: str | None) -> None:
        with self._lock:
            self._tokens.pop(token or "", None)


class AddressThrottle:
    """Failed logins per client address within a sliding window; refuses an address over the limit."""

    def __init__(self, limit: int, window: timedelta, clock=time.monotonic) -> None:
        self.limit, self.window, self._clock = limit, window.total_seconds(), clock
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, address: str) -> deque[float]:
        times, cutoff = self._failures[address], self._clock() - self.window
        while times and times[0] < cutoff:
            times.popleft()
        return times

    def retry_after(self, address: str) -> float:
        """Seconds until the address may try again (0 when it may now)."""
        with self._lock:
            times = self._recent(address)
            if len(times) < self.limit:
                return 0.0
            return max(0.0, times[0] + self.window - self._clock())

    def failed(self, address: str) -> None:
        with self._lock:
            self._recent(address).append(self._clock())


def _minutes(seconds: float) -> int:
    return max(1, int(seconds // 60 + (seconds % 60 > 0)))


def create_server(demo: gr.Blocks, **mount: Any) -> FastAPI:
    """The FastAPI server with ``demo`` mounted at ``/``; ``mount`` goes to ``gr.mount_gradio_app``."""
    ctx = demo.ctx
    security = ctx.settings.security
    sessions = Sessions(timedelta(minutes=security.session_idle_minutes))
    throttle = AddressThrottle(security.max_failures_per_address, timedelta(minutes=security.address_window_minutes))
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

    def session_user(request: Request) -> str | None:
        """The request's user, if its session is alive and the user still in the users file."""
        name = sessions.user(request.cookies.get(SESSION_COOKIE))
        return name if name and ctx.users.get(name) is not None else None

    @app.middleware("http")
    async def login_page(request: Request, call_next):
        """The app's page without a session is the Swedish login page; with one, Gradio's page,
        made Swedish (``lang="sv"``, and Gradio's own controls in Swedish whatever the browser's language)."""
        if request.method != "GET" or request.url.path not in ("/", ""):
            return await call_next(request)
        if not ctx.local and session_user(request) is None:
            return HTMLResponse(LOGIN_PAGE.format(message=""), headers={"Cache-Control": "no-store"})
        response = await call_next(request)
        if not response.headers.get("content-type", "").startswith("text/html"):
            return response
        body = b"".join([chunk async for chunk in response.body_iterator])
        body = re.sub(rb"<html[^>]*>", b'<html lang="sv">', body, count=1)
        body = body.replace(b"<head>", b"<head>" + SWEDISH_PAGE.encode("utf-8"), 1)
        headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
        return HTMLResponse(body, status_code=response.status_code, headers=headers)

    @app.post("/login")
    async def login(request: Request, username: str = Form(""), password: str = Form("")):
        name = username.strip()
        address = request.client.host if request.client else "okänd"
        if ctx.local:
            return RedirectResponse("/", status_code=302)
        wait = throttle.retry_after(address)
        if wait:
            ctx.review.log_account(name, "inloggning nekad", f"för många misslyckade försök från {address}")
            return _refused(429, f"För många misslyckade inloggningar från din adress. Försök igen om {_minutes(wait)} minuter.")
        locked = ctx.review.login_locked_until(name)
        if locked is not None:
            ctx.review.log_account(name, "inloggning nekad", f"kontot är låst (från {address})")
            left = (locked - datetime.now(UTC)).total_seconds()
            return _refused(423, f"Kontot är låst efter för många felaktiga lösenord. Försök igen om {_minutes(left)} minuter eller be en administratör låsa upp det.")
        ok = await asyncio.to_thread(ctx.users.verify, name, password)
        if not ok:
            throttle.failed(address)
            until = ctx.review.record_login_failure(
                name, address, security.max_failures_per_user, timedelta(minutes=security.lockout_minutes)
            )
            await asyncio.sleep(security.failure_delay_s)
            if until is not None:
                return _refused(423, f"Kontot är nu låst i {security.lockout_minutes:g} minuter efter för många felaktiga lösenord.")
            return _refused(401, "Fel användarnamn eller lösenord.")
        ctx.review.record_login(name, address)
        response = JSONResponse({"success": True})
        response.set_cookie(
            SESSION_COOKIE,
            sessions.start(name),
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
        )
        return response

    @app.get("/logout")
    def logout(request: Request):
        token = request.cookies.get(SESSION_COOKIE)
        name = sessions.user(token)
        sessions.end(token)
        if name:
            ctx.review.log_account(name, "loggade ut")
        response = RedirectResponse("/", status_code=302)
        response.delete_cookie(SESSION_COOKIE)
        return response

    @app.get("/eksport/{export_id}")
    def export(export_id: str, request: Request):
        user = ctx.user_named(session_user(request))
        try:
            path, filename = ctx.review.export_file(user, export_id)
        except AssistantError as err:
            return JSONResponse({"detail": str(err)}, status_code=404)
        return FileResponse(
            path,
            filename=filename,
            media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            headers={"Cache-Control": "private, no-store"},
        )

    data_dir = ctx.settings.data_dir.resolve()
    private = [str(p) for p in (data_dir / "exports", data_dir / "documents", data_dir / "index", ctx.settings.db_path.resolve(), ctx.settings.resolved_users_file.resolve())]
    return gr.mount_gradio_app(
        app,
        demo,
        path="/",
        auth_dependency=None if ctx.local else session_user,
        blocked_paths=private,
        **mount,
    )


def _refused(status: int, message: str) -> JSONResponse:
    return JSONResponse({"detail": message}, status_code=status)


LOGIN_PAGE = """<!doctype html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Logga in – Utlåtandeassistenten</title>
<style>
  body {{ font-family: system-ui, sans-serif; background: #f1f5f9; color: #0f172a; margin: 0; }}
  main {{ max-width: 26rem; margin: 12vh auto; background: #fff; padding: 2rem; border-radius: .5rem;
         box-shadow: 0 1px 4px rgba(15, 23, 42, .15); }}
  h1 {{ font-size: 1.5rem; margin: 0 0 .5rem; }}
  p {{ color: #334155; }}
  label {{ display: block; margin: 1rem 0 .25rem; font-weight: 600; }}
  input {{ width: 100%; box-sizing: border-box; padding: .6rem; font-size: 1rem; border: 1px solid #475569; border-radius: .25rem; }}
  input:focus, button:focus {{ outline: 3px solid #1d4ed8; outline-offset: 2px; }}
  button {{ margin-top: 1.5rem; width: 100%; padding: .7rem; font-size: 1rem; background: #1d4ed8; color: #fff;
           border: 0; border-radius: .25rem; cursor: pointer; }}
  #fel {{ color: #991b1b; min-height: 1.5rem; margin-top: 1rem; }}
</style>
</head>
<body>
<main>
  <h1>Utlåtandeassistenten</h1>
  <p>Logga in med ditt användarnamn och lösenord.</p>
  <form id="inloggning" method="post" action="/login">
    <label for="username">Användarnamn</label>
    <input id="username" name="username" autocomplete="username" required autofocus>
    <label for="password">Lösenord</label>
    <input id="password" name="password" type="password" autocomplete="current-password" required>
    <button type="submit">Logga in</button>
    <div id="fel" role="alert" aria-live="assertive">{message}</div>
  </form>
</main>
<script>
document.getElementById("inloggning").addEventListener("submit", async (event) => {{
  event.preventDefault();
  const fel = document.getElementById("fel");
  fel.textContent = "Loggar in …";
  const response = await fetch("/login", {{ method: "POST", body: new FormData(event.target), credentials: "same-origin" }});
  if (response.ok) {{ window.location.reload(); return; }}
  let text = "Inloggningen misslyckades.";
  try {{ text = (await response.json()).detail || text; }} catch (e) {{}}
  fel.textContent = text;
}});
</script>
</body>
</html>
"""
