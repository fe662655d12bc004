"""The project's own exceptions: services raise these, the entry point prints them."""


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
    """A value breaks a rule; knows the field and value so import can report `column: value: reason`."""

    def __init__(self, reason: str, *, field: str | None = None, value: object = None):
        self.reason, self.field, self.value = reason, field, value
        super().__init__(self._message())

    def _message(self) -> str:
        parts = [self.field] if self.field else []
        if self.value is not None:
            parts.append(f"'{shown_value(self.value)}'")
        return ": ".join([*parts, self.reason])

    def at(self, field: str) -> "Invalid":
        """This error, named after `field` unless it already names one."""
        if self.field is None:
            self.field = field
            self.args = (self._message(),)
        return self


# Bidirectional-text controls can make a terminal line read differently from what it holds.
_BIDI_CONTROLS = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_LONGEST_SHOWN = 80


def shown_value(value: object) -> str:
    """A value as an error may print it: one line, control characters escaped, huge values cut."""
    text = str(value)
    if len(text) > _LONGEST_SHOWN:
        text = f"{text[:60]}… ({len(text):,} characters)"
    return "".join(
        ch.encode("unicode_escape").decode("ascii") if (ch < " " or ch == "\x7f" or ch in _BIDI_CONTROLS) else ch
        for ch in text
    )


def checked(field: str, parse, value):
    """Run `parse(value)`; an Invalid it raises is tagged with `field`."""
    try:
        return parse(value)
    except Invalid as error:
        raise error.at(field) from None
