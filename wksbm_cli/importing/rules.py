"""The add commands' field rules, applied to many rows quickly.

Import validates every value with the same `prepare_*` functions as `wksbm … add`. Those judge
each field on its own, so a field with few distinct values (dates, statuses, categories, the
institution handling a case) is judged once per distinct value and remembered; the fields that
differ on every row (names, NIKs, notes) are judged row by row.
"""

import sqlite3
from collections.abc import Callable
from typing import Any

from wksbm_cli.errors import Invalid, WksbmError
from wksbm_cli.resolve import resolve_village
from wksbm_cli.text import clean


class RowInvalid(Exception):
    """One row breaks one or more rules; `errors` holds an Invalid per broken field."""

    def __init__(self, errors: list[Invalid]):
        super().__init__("; ".join(str(error) for error in errors))
        self.errors = errors


def plain(value: Any) -> Any:
    """A cell value with a wksbm export's formula guard (a leading `'` before = + - @) taken off."""
    if isinstance(value, str) and value[:1] == "'" and value[1:2] in ("=", "+", "-", "@"):
        return value[1:]
    return value


class FieldRules:
    """Runs `prepare(owner, values)` field by field, remembering the outcome for `remembered` fields.

    `owner` is the village a field may depend on (an institution's name); remembered outcomes
    are kept per owner for the fields in `per_owner`.
    """

    def __init__(self, prepare: Callable, remembered: set[str], per_owner: set[str] = frozenset()):
        self.prepare, self.remembered, self.per_owner = prepare, remembered, per_owner
        self.memo: dict[str, dict] = {field: {} for field in remembered}  # field -> value -> outcome

    def __call__(self, owner: Any, values: dict[str, Any]) -> dict[str, Any]:
        """The stored values for `values`; raises RowInvalid listing every broken field."""
        row: dict[str, Any] = {}
        errors: list[Invalid] = []
        fresh: dict[str, Any] = {}
        memo, per_owner = self.memo, self.per_owner
        for field, value in values.items():
            outcomes = memo.get(field)
            if outcomes is None:
                fresh[field] = plain(value)
                continue
            key = (value, owner["id"]) if field in per_owner else value
            outcome = outcomes.get(key)
            if outcome is None:
                outcome = outcomes[key] = self._judge(owner, {field: plain(value)})
            if outcome.__class__ is dict:
                row.update(outcome)
            else:
                errors.append(outcome)
        if fresh:
            try:
                row.update(self.prepare(owner, fresh))
            except Invalid:
                for field, value in fresh.items():  # say what is wrong with each field, not just the first
                    outcome = self._judge(owner, {field: value})
                    if isinstance(outcome, Invalid):
                        errors.append(outcome)
        if errors:
            order = list(values)
            errors.sort(key=lambda error: order.index(error.field) if error.field in order else len(order))
            raise RowInvalid(errors)
        return row

    def _judge(self, owner: Any, values: dict[str, Any]) -> Any:
        try:
            return self.prepare(owner, values)
        except Invalid as error:
            field = next(iter(values))
            value = error.value if error.value is not None else values[field]
            return Invalid(error.reason, field=error.field or field, value=value)
        except WksbmError as error:  # not found / ambiguous references: the add commands' message
            field = next(iter(values))
            return Invalid(str(error), field=field, value=values[field])


class Villages:
    """Village references of one import, each resolved once with the add commands' resolver."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.memo: dict[Any, Any] = {}

    def find(self, record: dict[str, Any]) -> sqlite3.Row:
        """The village a row names by `village_code` (when given) or `village`; raises Invalid."""
        value = record.get("village_code") or record.get("village")
        hit = self.memo.get(value)
        if hit is None:
            return self._resolve(record)
        if hit.__class__ is Invalid:
            raise hit
        return hit

    def _resolve(self, record: dict[str, Any]) -> sqlite3.Row:
        field = "village_code" if clean(record.get("village_code")) else "village"
        value = clean(record.get(field))
        if value is None:
            raise Invalid("say which village: give its code or name", field="village")
        hit = self.memo.get(value)
        if hit is None:
            try:
                hit = resolve_village(self.conn, value)
            except WksbmError as error:
                hit = Invalid(str(error), field=field, value=value)
            self.memo[value] = hit
        self.memo[record.get("village_code") or record.get("village")] = hit
        if isinstance(hit, Invalid):
            raise hit
        return hit

    def forget(self) -> None:
        """Drop remembered misses and hits (villages were added or renamed)."""
        self.memo.clear()
