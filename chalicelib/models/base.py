"""What every model shares: table names resolved from settings at use time (never at import:
PynamoDB inspects ``Meta`` when a model class is made). The region is botocore's, from
``AWS_REGION``/``AWS_DEFAULT_REGION``, as for every other client."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from pynamodb.connection import Connection
from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from chalicelib.config import get_settings
from chalicelib.errors import Conflict


class TableName:
    """A ``Meta.table_name`` that follows the settings, so tests and stages pick their tables."""

    def __init__(self, name: str):
        self.name = name

    def __get__(self, instance: Any, owner: Any) -> str:
        return get_settings().table_name(self.name)


@lru_cache(maxsize=1)
def connection() -> Connection:
    """The connection that transactions go through (made on first use)."""
    return Connection()


# A partition key is at most 2048 bytes; a longer one names nothing (asking would be a 400).
_KEY_BYTES = 2048
_BATCH_KEYS = 100


def read_together(wanted: Sequence[tuple[Any, Iterable[str]]]) -> list[dict[str, Any]]:
    """Items of one or more tables by hash key, read consistently: for each ``(model, keys)``
    asked, the items found, by key. Up to 100 keys (all tables together) take one BatchGetItem
    round trip; another goes out only for keys DynamoDB leaves unprocessed."""
    pending: list[tuple[str, dict[str, Any]]] = []
    for model, keys in wanted:
        attribute = model._hash_key_attribute()  # noqa: SLF001
        for key in dict.fromkeys(keys):
            if key and len(key.encode()) <= _KEY_BYTES:
                pending.append(
                    (model.Meta.table_name, {attribute.attr_name: {attribute.attr_type: key}})
                )
    raw: dict[str, list[dict[str, Any]]] = {}
    for first in range(0, len(pending), _BATCH_KEYS):
        asked: dict[str, Any] = {}
        for table, item_key in pending[first : first + _BATCH_KEYS]:
            asked.setdefault(table, {"Keys": [], "ConsistentRead": True})["Keys"].append(item_key)
        for attempt in range(10):
            if attempt:
                time.sleep(random.uniform(0.01, 0.05) * attempt)
            reply = connection().dispatch("BatchGetItem", {"RequestItems": asked})
            for table, items in reply.get("Responses", {}).items():
                raw.setdefault(table, []).extend(items)
            asked = reply.get("UnprocessedKeys") or {}
            if not asked:
                break
        if asked:
            raise RuntimeError("DynamoDB left keys unprocessed ten times")
    found: list[dict[str, Any]] = []
    for model, _ in wanted:
        items = (model.from_raw_data(item) for item in raw.get(model.Meta.table_name, []))
        found.append({getattr(item, model._hash_keyname): item for item in items})  # noqa: SLF001
    return found


def utcnow() -> datetime:
    return datetime.now(UTC)


def epoch(moment: datetime) -> int:
    return int(moment.timestamp())


class ConditionsFailed(Exception):
    """A transaction was cancelled because the conditions of these items failed."""

    def __init__(self, failed: list[int]):
        super().__init__(f"conditions failed at {failed}")
        self.failed = failed


# PynamoDB sends a transaction's items grouped by kind, in this order.
_SENT_ORDER = {"check": 0, "delete": 1, "put": 2, "update": 3}


class Transaction:
    """A TransactWrite that remembers the order its items were added in, so a cancellation
    reason (which DynamoDB gives by the order items were *sent*) names the right one."""

    def __init__(self, tx: TransactWrite):
        self._tx = tx
        self._kinds: list[str] = []

    def condition_check(
        self, model: Any, hash_key: Any, range_key: Any = None, *, condition: Any
    ) -> None:
        self._kinds.append("check")
        self._tx.condition_check(model, hash_key, range_key, condition=condition)

    def delete(self, item: Any, *, condition: Any = None) -> None:
        self._kinds.append("delete")
        self._tx.delete(item, condition=condition)

    def save(self, item: Any, *, condition: Any = None) -> None:
        self._kinds.append("put")
        self._tx.save(item, condition=condition)

    def update(self, item: Any, *, actions: list[Any], condition: Any = None) -> None:
        self._kinds.append("update")
        self._tx.update(item, actions=actions, condition=condition)

    def added_index(self, sent_index: int) -> int:
        sent = sorted(range(len(self._kinds)), key=lambda i: (_SENT_ORDER[self._kinds[i]], i))
        return sent[sent_index]


def transact(build: Callable[[Transaction], None], *, attempts: int = 5) -> None:
    """Run the writes ``build`` adds as one transaction; ConditionsFailed names the items
    whose conditions failed, by the order ``build`` added them.

    DynamoDB cancels a transaction that collides with another in flight
    (``TransactionConflict``) without judging its conditions, so that one is tried again.
    """
    for attempt in range(attempts):
        recorder: Transaction | None = None
        try:
            with TransactWrite(connection=connection()) as tx:
                recorder = Transaction(tx)
                build(recorder)
            return
        except TransactWriteError as exc:
            reasons = exc.cancellation_reasons or []
            failed = [
                recorder.added_index(i) if recorder is not None else i
                for i, r in enumerate(reasons)
                if r and r.code == "ConditionalCheckFailed"
            ]
            if failed:
                raise ConditionsFailed(failed) from exc
            conflicted = any(r and r.code == "TransactionConflict" for r in reasons)
            if not conflicted:
                raise
            if attempt == attempts - 1:
                raise Conflict("Too much changed here at the same moment. Try again.") from exc
            time.sleep(random.uniform(0.01, 0.05) * (attempt + 1))
