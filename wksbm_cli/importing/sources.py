"""Which files an import reads, what each holds, and in which order they go in."""

import re
from dataclasses import dataclass
from pathlib import Path

from wksbm_cli.errors import UsageError, WksbmError
from wksbm_cli.i18n import _
from wksbm_cli.importing.headers import KINDS, header_key

FORMATS = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".json": "json", ".jsonl": "ndjson",
           ".ndjson": "ndjson", ".xlsx": "xlsx", ".xlsm": "xlsx"}
_KIND_WORDS = {
    "villages": "villages", "village": "villages", "desa": "villages",
    "institutions": "institutions", "institution": "institutions", "lembaga": "institutions",
    "activities": "activities", "activity": "activities", "kegiatan": "activities",
    "cases": "cases", "case": "cases", "kasus": "cases",
}


@dataclass
class Source:
    """One table to import: a file (or a sheet of a workbook, or stdin) and the kind it holds."""

    path: Path | None  # None for stdin
    format: str
    kind: str | None
    sheet: str | None = None

    @property
    def label(self) -> str:
        """How problems name this source: the path as given, `-` for stdin, `book.xlsx[Sheet]`."""
        name = "-" if self.path is None else str(self.path)
        return f"{name}[{self.sheet}]" if self.sheet else name


def kind_named(text: str) -> str | None:
    """The kind a file or sheet name announces by its first word: `kasus_2021` -> cases."""
    for word in re.split(r"[^a-z]+", text.lower()):
        if word in _KIND_WORDS:
            return _KIND_WORDS[word]
    return None


def parse_kind(value: str, option: str = "--kind") -> str:
    """A kind of record named by `option`, English or Indonesian, singular or plural."""
    kind = _KIND_WORDS.get(header_key(value))
    if kind is None:
        raise UsageError(_("{option} must be one of {kinds} (or desa, lembaga, kegiatan, kasus), not '{value}'").format(
            option=option, kinds=", ".join(KINDS), value=value))
    return kind


def discover(paths: list[str], kind: str | None, sheet: str | None, warn) -> list[Source]:
    """The sources behind PATH… arguments, in dependency order (villages first, cases last)."""
    sources: list[Source] = []
    for given in paths:
        if given == "-":
            if kind is None:
                raise UsageError(_("reading from stdin (-) needs --kind"))
            sources.append(Source(None, "stdin", kind))
            continue
        path = Path(given)
        if path.is_dir():
            sources.extend(_folder(path, kind, sheet, warn))
        elif path.is_file():
            sources.extend(_file(path, kind, sheet, explicit=True))
        else:
            raise WksbmError(_("{path}: no such file or folder").format(path=given))
    if not sources:
        raise WksbmError(_("no CSV, JSON, NDJSON or XLSX files in {paths}").format(paths=", ".join(paths)))
    return sorted(sources, key=lambda source: KINDS.index(source.kind) if source.kind else -1)


def _folder(folder: Path, kind: str | None, sheet: str | None, warn) -> list[Source]:
    found = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in FORMATS or path.name.startswith((".", "~$")):
            continue
        try:
            found.extend(_file(path, kind, sheet, explicit=False))
        except UnknownKind as error:
            warn(_("skipped {reason}").format(reason=error))
    return found


class UnknownKind(WksbmError):
    """A file whose name (or sheets' names) do not say what it holds."""


def _file(path: Path, kind: str | None, sheet: str | None, explicit: bool) -> list[Source]:
    format_ = FORMATS.get(path.suffix.lower())
    if format_ is None:
        raise WksbmError(_("{path}: not a file wksbm imports (use .csv, .json, .jsonl/.ndjson or .xlsx)").format(path=path))
    kind = kind or kind_named(path.stem)
    if format_ == "xlsx" and kind is None:
        return _sheets_by_name(path, sheet)
    if kind is None:
        raise UnknownKind(_(
            "{path}: cannot tell what it holds from its name; name it villages/desa, institutions/lembaga, "
            "activities/kegiatan or cases/kasus (e.g. kasus_2021.csv), or give --kind").format(path=path))
    return [Source(path, format_, kind, sheet)]


def _sheets_by_name(path: Path, sheet: str | None) -> list[Source]:
    """A workbook whose name says nothing: its sheets named desa, lembaga, kegiatan, kasus …"""
    from wksbm_cli.importing.xlsx_rows import sheet_names

    names = [sheet] if sheet else sheet_names(path)
    sources = [Source(path, "xlsx", kind_named(name), name) for name in names if kind_named(name)]
    if not sources:
        raise UnknownKind(_(
            "{path}: neither its name nor its sheets' names say what it holds (villages/desa, "
            "institutions/lembaga, activities/kegiatan, cases/kasus); rename it or give --kind").format(path=path))
    return sources
