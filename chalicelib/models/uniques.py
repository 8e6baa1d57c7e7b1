"""Guard items that make a value unique: ``username#…``, ``email#…``, ``google#…``, ``phone#…``,
``oidc:{provider}#…`` (an OpenID Connect provider's subject).

A guard is written in the same TransactWriteItems as the thing it guards, with the condition
that it does not exist yet, so uniqueness holds under concurrency without a Scan.
"""

from __future__ import annotations

from pynamodb.attributes import UnicodeAttribute
from pynamodb.models import Model

from chalicelib.models.base import TableName


class UniqueModel(Model):
    class Meta:
        table_name = TableName("uniques")

    key = UnicodeAttribute(hash_key=True)
    owner_id = UnicodeAttribute()


def guard_key(kind: str, value: str) -> str:
    # An OIDC subject is case-sensitive (OpenID Connect Core §2): folding it would let two
    # people of one provider share an account. Google's are digits, so folding them is moot.
    if kind.startswith("oidc:"):
        return f"{kind}#{value}"
    return f"{kind}#{value.casefold()}"


def identity_kind(provider: str) -> str:
    """The guard kind of a sign-in provider's subjects."""
    return "google" if provider == "google" else f"oidc:{provider}"


def owner_of(kind: str, value: str) -> str | None:
    """The id that holds this value, or None."""
    try:
        return UniqueModel.get(guard_key(kind, value), consistent_read=True).owner_id
    except UniqueModel.DoesNotExist:
        return None


def guard(kind: str, value: str, owner_id: str) -> UniqueModel:
    return UniqueModel(guard_key(kind, value), owner_id=owner_id)
