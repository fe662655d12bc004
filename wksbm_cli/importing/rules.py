"""The add commands' field rules, applied to many rows quickly.

Import validates every value with the same `prepare_*` functions as `wksbm … add`. Those judge
each field on its own, so a field with few distinct values (dates, statuses, categories, the
institution handling a case) is judged once per distinct value and remembered; the fields that
differ on every row (names, NIKs, notes) are judged row by row.
"""

import sqlite3
from collections.abc import Callable
from typing import Any

from wksbm_cli.errors import Invalid, NotFound, WksbmError
from wksbm_cli.fields import refuse_number
from wksbm_cli.i18n import _
from wksbm_cli.importing.failures import Failures, village_keys
from wksbm_cli.resolve import resolve_village
from wksbm_cli.text import clean


BROKEN = object()  # FieldRules.column's mark of a value that breaks its rule


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
    """Runs a field rule on each non-blank field of a row, remembering the outcome for `remembered` fields.

    `rule(owner, field, value)` returns the stored column(s) of one field as a dict (the add
    commands' own rule, e.g. services.cases.prepare_case_field); `prepare(owner, values)` may be
    given instead and is then called with one field at a time. `owner` is the village a field may
    depend on (an institution's name); remembered outcomes are kept per owner for `per_owner` fields.
    `quick` maps a field judged on every row to a function giving the rule's outcome for the
    common shape of a text value (not starting with ') in one call, or None to leave it to the rule.
    """

    def __init__(self, prepare: Callable | None = None, remembered: set[str] = frozenset(),
                 per_owner: set[str] = frozenset(), rule: Callable | None = None,
                 quick: dict[str, Callable] | None = None):
        self.rule = rule or (lambda owner, field, value: prepare(owner, {field: value}))
        self.per_owner = per_owner
        self.quick = quick or {}
        self.memo: dict[str, dict] = {field: {} for field in remembered}  # field -> value -> outcome
        self._stored: dict[str, dict] = {}  # field -> value (or (value, owner id)) -> its stored value, or BROKEN
        self._plans: dict[tuple, list] = {}
        self._last: tuple = (None, None)

    def __call__(self, owner: Any, values: dict[str, Any], fields: tuple[str, ...] | None = None) -> dict[str, Any]:
        """The stored values of the non-blank `fields` (default: all) of `values`; raises RowInvalid."""
        fields = fields or tuple(values)
        last_fields, plan = self._last
        if fields is not last_fields:  # the same tuple row after row: its plan without hashing it
            plan = self._plan(fields)
        row: dict[str, Any] = {}
        errors: list[Invalid] = []
        judge, get, update = self._judge, values.get, row.update  # hoisted: this runs for every row
        for field, outcomes, per_owner, quick in plan:
            value = get(field)
            if value is None or value == "":
                continue
            if outcomes is not None:
                key = (value, owner["id"]) if per_owner else value
                outcome = outcomes.get(key)
                if outcome is None:
                    outcome = outcomes[key] = judge(owner, field, value)
            else:
                outcome = None
                if quick is not None and value.__class__ is str and value[:1] != "'":
                    outcome = quick(value)
                if outcome is None:
                    outcome = judge(owner, field, value)
            if outcome.__class__ is dict:
                update(outcome)
            else:
                errors.append(outcome)
        if errors:
            order = list(fields)
            errors.sort(key=lambda error: order.index(error.field) if error.field in order else len(order))
            raise RowInvalid(errors)
        return row

    def column(self, field: str, values: list, owner: Any, owner_ids: list | None = None,
               owners: dict | None = None) -> list | None:
        """The stored value of a remembered one-column field for each of `values` (blank: None), or None if any
        value breaks its rule (then __call__ says why, row by row).

        `owner` is passed to the rule; for a field remembered per owner, `owner_ids` gives each value's owner
        id and `owners` the owner of each id.
        """
        known = self._stored.get(field)
        if known is None:
            known = self._stored[field] = {}
        keys = values if owner_ids is None else list(zip(values, owner_ids))
        try:
            stored = list(map(known.__getitem__, keys))
        except KeyError:  # values not judged before: judge each once, then look them all up
            for key in set(keys) - known.keys():
                value, row_owner = (key, owner) if owner_ids is None else (key[0], owners[key[1]])
                known[key] = self._stored_value(row_owner, field, value)
            stored = list(map(known.__getitem__, keys))
        except TypeError:  # an unhashable value (a list in a JSON file)
            return None
        return None if BROKEN in stored else stored

    def _stored_value(self, owner: Any, field: str, value: Any) -> Any:
        if value is None or value == "":
            return None
        outcomes = self.memo[field]
        key = (value, owner["id"]) if field in self.per_owner else value
        outcome = outcomes.get(key)
        if outcome is None:
            outcome = outcomes[key] = self._judge(owner, field, value)
        if outcome.__class__ is not dict or outcome.keys() != {field}:
            return BROKEN
        return outcome[field]

    def _plan(self, fields: tuple[str, ...]) -> list[tuple[str, dict | None, bool, Callable | None]]:
        """(field, its remembered outcomes or None, remembered per owner?, its quick rule) for each field, made once."""
        plan = self._plans.get(fields)
        if plan is None:
            plan = self._plans[fields] = [(f, self.memo.get(f), f in self.per_owner, self.quick.get(f)) for f in fields]
        self._last = (fields, plan)
        return plan

    def _judge(self, owner: Any, field: str, value: Any) -> Any:
        """The stored column(s) of one value, or the Invalid saying what is wrong with it."""
        if value.__class__ is not str or value[:1] == "'":
            value = plain(value)
        try:
            return self.rule(owner, field, value)
        except Invalid as error:
            shown = error.value if error.value is not None else value
            return Invalid(error.in_column or error.reason, field=error.field or field, value=shown,
                           general=error.general)
        except WksbmError as error:  # not found / ambiguous references: the add commands' message
            return Invalid(str(error), field=field, value=value)


class Villages:
    """Village references of one import, each resolved once with the add commands' resolver.

    A village not found whose row failed earlier in the import (see Failures) is named as such.
    """

    def __init__(self, conn: sqlite3.Connection, failures: Failures | None = None):
        self.conn = conn
        self.failures = failures or Failures()
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
        try:
            refuse_number(record.get("village_code"), "code")
        except Invalid as error:
            raise error.at("village_code") from None
        value = clean(record.get(field))
        if value is None:
            raise Invalid(_("say which village: give its code or name"), field="village")
        hit = self.memo.get(value)
        if hit is None:
            try:
                hit = resolve_village(self.conn, value)
            except NotFound as error:
                hit = Invalid(self._not_found(value, str(error)), field=field, value=value)
            except WksbmError as error:
                hit = Invalid(str(error), field=field, value=value)
            self.memo[value] = hit
        raw = record.get("village_code") or record.get("village")
        if clean(raw) == value:  # a blank code leaves the name to decide: remembered by the name only
            self.memo[raw] = hit
        if isinstance(hit, Invalid):
            raise hit
        return hit

    def _not_found(self, value: str, reason: str) -> str:
        """Why a village is not found: its row in this import failed, or perhaps it is in a file that could not be read."""
        (key,) = village_keys(value)
        where = self.failures.where(key)
        if where is not None:
            return _("village '{village}' not found: its row {where} has a problem (see above)").format(
                village=value, where=where)
        unread = self.failures.unread("villages")
        if unread is not None:  # the first problem to mend: the hints of `reason` can wait
            return _("village '{village}' not found; perhaps it is in {file}, which could not be read (see above)").format(
                village=value, file=unread)
        return reason

    def forget(self) -> None:
        """Drop remembered misses and hits (villages were added or renamed)."""
        self.memo.clear()
