"""Downloads: a short-lived presigned GET that names the file as its owner named it."""

from __future__ import annotations

from typing import Any

from chalicelib import filetypes, policy, storage
from chalicelib.config import get_settings
from chalicelib.errors import NotFound
from chalicelib.services.sessions import Actor


def link(caller: Actor, file_id: str, *, inline: bool = False) -> dict[str, Any]:
    """``{url, expires_at}`` for a ready file the caller can see. It renders in the page only
    when asked and the type is safe (filetypes.renders_inline); anything else downloads, and
    a type that could run script is served as plain bytes."""
    here, _ = policy.require(caller, file_id)
    node = here.node
    if node.is_folder or node.status != "ready":
        raise NotFound("No such file.")
    safe = filetypes.renders_inline(node.content_type)
    lifetime = storage.url_lifetime(get_settings().download_url_ttl_s)
    url = storage.sign_get(
        storage.file_key(node.owner_id, node.node_id),
        disposition=storage.content_disposition(node.name, inline=inline and safe),
        content_type=str(node.content_type) if safe else "application/octet-stream",
        lifetime_s=lifetime,
    )
    return {"url": url, "expires_at": storage.expires_at(lifetime)}
