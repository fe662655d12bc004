"""The project's own exceptions: services raise these, the entry point prints them."""

from wksbm_cli.printable import printable


class WksbmError(Exception):
    """A domain error: printed as one line on stderr, exit code 1."""

    exit_code = 1


class NotFound(WksbmError):
    """A record the user referred to does not exist."""


class Ambiguous(WksbmError):
    """A reference matches more than one record."""


class Conflict(WksbmError):
    """The change would clash with what is already stored."""


class UsageError(WksbmError):
    """The command line itself is wrong (exit code 2)."""

    exit_code = 2


class Invalid(WksbmError):
    """A value breaks a rule; knows the field and value so import can report `column: value: reason`.

    `general` is the reason put so that it reads true for every value of its kind ("no such month"
    for "there is no month 13" and "there is no month 25"): import reports one line for many rows.
    `in_column` is the reason as it reads for a value in a column of a file, when that says more
    (a month-first date: "check every date in the column").
    """

    def __init__(self, reason: str, *, field: str | None = None, value: object = None, general: str | None = None,
                 in_column: str | None = None):
        self.reason, self.field, self.value, self.general = reason, field, value, general
        self.in_column = in_column
        super().__init__(self._message())

    def _message(self) -> str:
        parts = [self.field] if self.field else []
        if self.value is not None:
            parts.append(f"'{shown_value(self.value)}'")
        return ": ".join([*parts, self.reason])

    def rename(self, field: str) -> None:
        """Name the field as the user knows it (the option typed, the file's column)."""
        self.field = field
        self.args = (self._message(),)

    def at(self, field: str) -> "Invalid":
        """This error, named after `field` unless it already names one."""
        if self.field is None:
            self.field = field
            self.args = (self._message(),)
        return self


_LONGEST_SHOWN = 80


def shown_value(value: object) -> str:
    """A value as an error may print it: one line, control characters escaped, NIKs masked, huge values cut."""
    text = str(value)
    if len(text) > _LONGEST_SHOWN:
        text = f"{text[:60]}… ({len(text):,} characters)"
    return printable(text, one_line=True)


def checked(field: str, parse, value):
    """Run `parse(value)`; an Invalid it raises is tagged with `field`."""
    try:
        return parse(value)
    except Invalid as error:
        raise error.at(field) from None
