"""Downloads: a short-lived presigned GET that names the file as its owner named it, and says
itself what S3 answers it with (Content-Type and Content-Disposition), whatever the object
holds."""

from __future__ import annotations

from typing import Any

from chalicelib import filetypes, policy, storage
from chalicelib.config import get_settings
from chalicelib.errors import NotFound
from chalicelib.models.nodes import NodeModel
from chalicelib.services.sessions import Actor


def link(caller: Actor, file_id: str, *, inline: bool = False) -> dict[str, Any]:
    """``{url, expires_at}`` for a ready file the caller can see."""
    here, _ = policy.require(caller, file_id)
    node = here.node
    if node.is_folder or node.status != "ready":
        raise NotFound("No such file.")
    lifetime = storage.url_lifetime(get_settings().download_url_ttl_s)
    return {
        "url": signed_get(node, inline=inline, lifetime_s=lifetime),
        "expires_at": storage.expires_at(lifetime),
    }


def signed_get(node: NodeModel, *, inline: bool, lifetime_s: int) -> str:
    """The one way a file leaves (owner, member or share link): a presigned GET naming both
    headers. It renders in the page only when asked and the type is on filetypes' allow-list;
    anything else is an attachment of ``application/octet-stream``. The stored text is read
    through filetypes.canonical, so nothing stored is ever echoed as a header."""
    content_type, shown_inline = filetypes.served(node.content_type, inline=inline)
    return storage.sign_get(
        storage.file_key(node.owner_id, node.node_id),
        disposition=storage.content_disposition(node.name, inline=shown_inline),
        content_type=content_type,
        lifetime_s=lifetime_s,
    )
