"""How much of their space a user is using, from the counters on their row (no listing)."""

from __future__ import annotations

from typing import Any

from chalicelib import filetypes
from chalicelib.models.users import UserModel


def stats(user: UserModel) -> dict[str, Any]:
    """A user's quota, usage (trash included: it is still stored) and how much of it is in
    the trash, files and folders, files and bytes by category, and what uploads in progress
    hold reserved, from their row as read (consistently) this request."""
    return {
        "quota_bytes": int(user.quota_bytes),
        "used_bytes": int(user.used_bytes),
        "trash_bytes": int(user.trash_bytes),
        "file_count": int(user.file_count),
        "folder_count": int(user.folder_count),
        "by_type": {
            c: {
                "count": int(getattr(user, f"count_{c}")),
                "bytes": int(getattr(user, f"bytes_{c}")),
            }
            for c in filetypes.CATEGORIES
        },
        "reserved_bytes": int(user.reserved_bytes),
        "free_bytes": max(0, int(user.free_bytes)),
    }
