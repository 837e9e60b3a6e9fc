"""The hot statements written as SQL: the lock every write starts with, the `last_seq` bump
and the one-statement row-access check.

A lever (docs/benchmarks.md, "Levers"): compiling the ORM form of each cost more CPU than
running it (board_lock_of's subquery 0.55 ms against 0.12 ms, the UPDATE 0.17 against
0.05 ms, the access check 0.8 against 0.1 ms). Each text is built once per process from model
metadata; only identifiers are formatted in, every value is a query parameter. Guarded by
tests/board/test_access_rule.py (the check equals the rule) and
tests/board/test_concurrency_mysql.py (the lock serializes writers).
"""

from __future__ import annotations

import functools
from typing import Any

from django.db import connection, models

from .models import Board, Membership


def _table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _column(model: type[models.Model], name: str) -> str:
    field: Any = model._meta.get_field(name)
    return connection.ops.quote_name(str(field.column))


def _pk(model: type[models.Model]) -> str:
    return connection.ops.quote_name(str(model._meta.pk.column))


@functools.cache
def board_lock(owner: type[models.Model] | None) -> str:
    """SELECT ... FOR UPDATE of a board by its id, or by the id of one of its `owner` rows."""
    columns = ", ".join(
        connection.ops.quote_name(str(field.column)) for field in Board._meta.concrete_fields
    )
    where = "%s"
    if owner is not None:
        where = f"(SELECT {_column(owner, 'board')} FROM {_table(owner)} WHERE {_pk(owner)} = %s)"  # noqa: S608
    sql = f"SELECT {columns} FROM {_table(Board)} WHERE {_pk(Board)} = {where}"  # noqa: S608
    if connection.features.has_select_for_update:  # SQLite locks the whole file instead
        sql += " FOR UPDATE"
    return sql


@functools.cache
def last_seq_update() -> str:
    return f"UPDATE {_table(Board)} SET {_column(Board, 'last_seq')} = %s WHERE {_pk(Board)} = %s"  # noqa: S608


@functools.cache
def row_access(model: type[models.Model]) -> str:
    """(board id, role) of one row of `model` for one user: params [row pk, user pk]."""
    board = _column(model, "board")
    text = (
        f"SELECT r.{board}, m.{_column(Membership, 'role')} "  # noqa: S608
        f"FROM {_table(model)} r INNER JOIN {_table(Membership)} m "
        f"ON m.{_column(Membership, 'board')} = r.{board} "
        f"WHERE r.{_pk(model)} = %s AND m.{_column(Membership, 'user')} = %s"
    )
    if any(f.name == "deleted_at" for f in model._meta.concrete_fields):
        text += f" AND r.{_column(model, 'deleted_at')} IS NULL"  # a trashed task is no row
    return text
