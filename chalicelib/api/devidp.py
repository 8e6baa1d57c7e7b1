"""Routes of the development identity provider (local stages only: 404 when deployed)."""

from __future__ import annotations

import html
import json
from typing import Any

from chalice import Blueprint, Response

from chalicelib.api.http import Body, route
from chalicelib.services import devidp

bp = Blueprint(__name__)

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in with {name} (development)</title></head>
<body style="font-family: sans-serif; max-width: 30em; margin: 4em auto">
<h1>{name} (development provider)</h1>
<p>Sign in to teamdrive as anyone: this page exists on local stacks only.</p>
<form id="f">
<p><label>Email <input name="email" type="email" required autofocus></label></p>
<p><label>Name <input name="name"></label></p>
<p><label><input name="verified" type="checkbox" checked> {name} verified this address</label></p>
<p><button>Sign in</button></p>
<p id="err" role="alert" style="color: #b00"></p>
</form>
<script>
const provider = {provider};
document.getElementById("f").addEventListener("submit", async (e) => {{
  e.preventDefault();
  const f = e.target, err = document.getElementById("err");
  const post = (path, body) => fetch("/api" + path, {{method: "POST",
    headers: {{"Content-Type": "application/json"}}, body: JSON.stringify(body)}});
  const t = await post(`/dev/idp/${{provider}}/token`, {{email: f.email.value,
    name: f.name.value || null, email_verified: f.verified.checked}});
  const made = await t.json();
  if (!t.ok) {{ err.textContent = made.error.message; return; }}
  const r = await post(`/auth/${{provider}}`, {{credential: made.credential}});
  if (!r.ok) {{ err.textContent = (await r.json()).error.message; return; }}
  location.assign("/");
}});
</script>
</body></html>
"""


@route(bp, "/dev/idp/{provider}", methods=["GET"])
def dev_idp_page(provider: str) -> Any:
    played = devidp.provider(provider)
    page = PAGE.format(name=html.escape(played.name), provider=json.dumps(played.id))
    headers: dict[str, str | list[str]] = {
        "Content-Type": "text/html; charset=utf-8",
        "Cache-Control": "no-store",
    }
    return Response(body=page, status_code=200, headers=headers)


@route(bp, "/dev/idp/{provider}/.well-known/openid-configuration", methods=["GET"])
def dev_idp_discovery(provider: str) -> Any:
    return devidp.discovery(provider)


@route(bp, "/dev/idp/{provider}/jwks", methods=["GET"])
def dev_idp_jwks(provider: str) -> Any:
    return devidp.jwks(provider)


@route(bp, "/dev/idp/{provider}/token", methods=["POST"])
def dev_idp_token(provider: str) -> Any:
    body = Body.of(bp.current_request)
    email = body.text("email", max_len=320)
    name = body.text("name", required=False, max_len=100)
    verified = body.boolean("email_verified")
    subject = body.text("subject", required=False, max_len=255)
    body.check()
    credential = devidp.token(
        provider,
        email=email,
        name=name,
        email_verified=True if verified is None else verified,
        subject=subject,
    )
    return {"credential": credential}
