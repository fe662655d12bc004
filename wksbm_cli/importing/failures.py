"""The rows of one import that failed, so that a reference to one of their records says why it finds nothing."""

from typing import Any

from wksbm_cli.text import clean, name_key


class Failures:
    """The rows of this import that failed, by the names other rows refer to them by.

    A reference that finds nothing is then explained: the record it names is in the import, but
    its row has a problem (SPEC section 5: a problem caused by another says so), or it may be in a
    file of its kind that could not be read. Villages are known by `village_keys`; institutions by
    ("institutions", village id, name key).
    """

    def __init__(self):
        self._where: dict[tuple, str] = {}
        self._unread: dict[str, list[str]] = {}  # kind -> the files (sheets) of it that could not be read

    def add(self, keys: list[tuple], where: str) -> None:
        """Note that the row at `where` (`FILE:LINE`) failed; `keys` name its record."""
        for key in keys:
            self._where.setdefault(key, where)

    def where(self, key: tuple) -> str | None:
        """`FILE:LINE` of the failed row whose record `key` names, or None."""
        return self._where.get(key)

    def add_file(self, kind: str, label: str) -> None:
        """Note that the file (or sheet) `label` of `kind` could not be read, wholly or from some line on."""
        self._unread.setdefault(kind, []).append(label)

    def unread(self, kind: str) -> str | None:
        """The files of `kind` that could not be read, as a list to show, or None."""
        labels = self._unread.get(kind)
        return ", ".join(labels) if labels else None


def village_keys(*names: Any) -> list[tuple]:
    """How Failures knows a village: by its code and by its name, each as a name key (a code's dots dropped)."""
    return [("villages", name_key(text)) for name in names if (text := clean(name)) is not None]
