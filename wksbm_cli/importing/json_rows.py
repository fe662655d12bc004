"""Reading JSON arrays and NDJSON files: objects streamed one by one, keys mapped to fields."""

from collections.abc import Iterator
from typing import Any

from wksbm_cli.i18n import N_, _, ngettext
from wksbm_cli.importing.headers import map_headers, missing_columns
from wksbm_cli.importing.table import SAMPLE, FileProblem, Table, cells_problem, named_columns, not_encoding

_TOO_DEEP = N_("not valid JSON for wksbm: values nested too deeply")
# The json module's reasons (English, outside any catalog), as a clerk reads them.
_JSON_REASONS = {
    "Expecting value": N_("a value is missing or is not JSON (text goes in double quotes)"),
    "Expecting ',' delimiter": N_("a comma (,) is missing between two items"),
    "Expecting ':' delimiter": N_("a colon (:) is missing after a name"),
    "Expecting property name enclosed in double quotes": N_("a name must be in double quotes (and no comma before })"),
    "Unterminated string starting at": N_("a text is not closed with a double quote"),
    "Invalid control character at": N_("a text has a line break or tab inside it"),
    "Invalid \\escape": N_("a backslash (\\) in a text starts no valid escape"),
    "Extra data": N_("there is more after the end of the JSON"),
}


def _json_problem(error, line: int, column: int | None) -> FileProblem:
    """A decoding error as the file's line (and column, when known) and a reason in the interface language."""
    reason = _JSON_REASONS.get(error.msg)
    if column is None:
        return FileProblem(_("not valid JSON: {reason}").format(reason=_(reason)) if reason else _("not valid JSON"), line)
    text = (_("not valid JSON (column {column}): {reason}").format(column=column, reason=_(reason)) if reason
            else _("not valid JSON (column {column})").format(column=column))
    return FileProblem(text, line)


def json_array(text) -> Iterator[tuple[int, Any]]:
    """The items of a JSON array, decoded one by one as the text streams in, with their lines."""
    import json

    decoder = json.JSONDecoder()
    buffer, pos, line, expect, eof = "", 0, 1, "[", False
    while True:
        while pos < len(buffer) and buffer[pos] in " \t\r\n\ufeff":
            line += buffer[pos] == "\n"
            pos += 1
        if pos >= len(buffer) or expect == "more":
            more = "" if eof else text.read(SAMPLE)
            if not more:
                if eof or expect != "more":
                    break
                eof = True
            buffer, pos = buffer[pos:] + more, 0
            expect = "item" if expect == "more" else expect
            continue
        char = buffer[pos]
        if expect == "[":
            if char != "[":
                raise FileProblem(_("a .json file holds an array of objects: [{...}, {...}]"), line)
            pos, expect = pos + 1, "item or ]"
        elif expect == "after item" or (char == "]" and expect == "item or ]"):
            if char == "]":
                return
            if char != ",":
                raise FileProblem(_("not valid JSON: expected ',' or ']' but found {char}").format(char=repr(char)), line)
            pos, expect = pos + 1, "item"
        else:
            try:
                value, end = decoder.raw_decode(buffer, pos)
            except RecursionError:
                raise FileProblem(_(_TOO_DEEP), line) from None
            except json.JSONDecodeError as error:
                if not eof:
                    expect = "more"  # the item may go on in the next piece of the file
                    continue
                start = buffer.rfind("\n", pos, error.pos)  # the column is known once the line's start is in the buffer
                raise _json_problem(error, line + buffer.count("\n", pos, error.pos),
                                    error.pos - start if start >= 0 else None) from None
            yield line, value
            line += buffer.count("\n", pos, end)
            pos, expect = end, "after item"
    if expect == "[":
        raise FileProblem(_("the file is empty"))
    raise FileProblem(_("not valid JSON: the array is not closed with ]"), line)


def ndjson(text) -> Iterator[tuple[int, Any]]:
    """One JSON object per line."""
    import json

    for line, text_line in enumerate(text, start=1):
        if not text_line.strip():
            continue
        try:
            yield line, json.loads(text_line)
        except RecursionError:
            raise FileProblem(_(_TOO_DEEP), line) from None
        except json.JSONDecodeError as error:
            raise _json_problem(error, line, error.colno) from None


def mapped_objects(table: Table, records) -> Iterator[tuple[int, Any]]:
    """JSON objects with their keys mapped to fields (each distinct set of keys mapped once)."""
    kind, mappings, any_rows = table.source.kind, {}, False
    try:
        for line, value in records:
            if not isinstance(value, dict):
                yield line, _("not a JSON object ({...})")
                continue
            keys = tuple(value)
            if keys not in mappings:
                mappings[keys] = _object_mapping(table, kind, keys)
            fields, missing = mappings[keys]
            if missing:
                yield line, ngettext("missing required key: {keys}", "missing required keys: {keys}",
                                     len(missing)).format(keys=named_columns(kind, missing))
                continue
            any_rows = True
            record = {f: _json_cell(v) for f, v in zip(fields, value.values()) if f}
            yield line, cells_problem(list(record.values())) or record
    except UnicodeDecodeError as error:
        raise FileProblem(not_encoding(error, table)) from None
    if not any_rows and not mappings:
        raise FileProblem(_("the file holds no records"))


def _object_mapping(table: Table, kind: str, keys: tuple) -> tuple[list, list]:
    try:
        fields, unknown = map_headers(kind, list(keys))
    except Exception as error:
        raise FileProblem(str(error)) from None
    for key, f in zip(keys, fields):
        if f:
            table.labels.setdefault(f, key)
    table.unknown.extend(name for name in unknown if name not in table.unknown)
    return fields, missing_columns(kind, fields)


def _json_cell(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        import json

        try:
            return json.dumps(value, ensure_ascii=False)
        except RecursionError:
            return f"({_(_TOO_DEEP)})"
    return value
