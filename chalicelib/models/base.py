"""What every model shares: table names resolved from settings at use time (never at import:
PynamoDB inspects ``Meta`` when a model class is made). The region is botocore's, from
``AWS_REGION``/``AWS_DEFAULT_REGION``, as for every other client."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from pynamodb.connection import Connection
from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from chalicelib.config import get_settings


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

    def condition_check(self, model: Any, hash_key: Any, *, condition: Any) -> None:
        self._kinds.append("check")
        self._tx.condition_check(model, hash_key, condition=condition)

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
            if not conflicted or attempt == attempts - 1:
                raise
            time.sleep(random.uniform(0.01, 0.05) * (attempt + 1))
