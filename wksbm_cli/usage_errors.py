"""Typer's own usage errors (no such option, a bad value, a missing argument) in the interface language.

Typer writes them in English with plain f-strings, outside any catalog. Each message it writes is
a template here, marked for the catalog: a message that fits one is rebuilt from its translation
with the same values (options, values and commands stay as typed). Loaded only when a usage error
is shown.
"""

import re

from wksbm_cli.i18n import N_, _

# Most particular first: "No such option: {option}" would also fit a message with suggestions.
TEMPLATES = (
    N_("No such option: {option} (Possible options: {options})"),
    N_("No such option: {option}"),
    N_("Option {option} requires an argument."),
    N_("Option {option} does not take a value."),
    N_("Missing argument {name}."),
    N_("Missing option {name}."),
    N_("Missing command."),
    N_("Invalid value for {option}: {reason}"),
    N_("{value} is not one of {choices}."),
    N_("Input should be a valid integer, unable to parse string as an integer"),
    N_("Input should be greater than or equal to {number}"),
    N_("Input should be less than or equal to {number}"),
    N_("Value {value} is not a valid {kind}."),
    N_("No such command {name}. Did you mean {suggestions}?"),
    N_("No such command {name}."),
    N_("Got unexpected extra argument(s) ({arguments})"),
)
_NESTED = {"reason"}  # fields that are a message of their own


def _pattern(template: str) -> re.Pattern:
    return re.compile(re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>.+?)", re.escape(template)))


_PATTERNS = [(template, _pattern(template)) for template in TEMPLATES]


def in_language(text: str) -> str:
    """`text`, one of Typer's usage messages, in the interface language (as it is if it fits no template)."""
    for template, pattern in _PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            fields = {name: in_language(value) if name in _NESTED else value for name, value in match.groupdict().items()}
            return _(template).format(**fields)
    return text
