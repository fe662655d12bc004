"""The `wksbm` command: global options, sub-command groups, and the one place errors are printed."""

import importlib
import sqlite3
import sys
from typing import Annotated

import typer
import typer.main
from typer.core import TyperGroup

from wksbm_cli import __version__
from wksbm_cli.context import Session, officer_name
from wksbm_cli.db import database_path
from wksbm_cli.errors import Invalid, WksbmError
from wksbm_cli.i18n import N_, _, column_header, has_header, language, translate_typer
from wksbm_cli.printable import printable


# Every command, as "module:attribute" (a Typer group or a command function). A module is imported
# only when its command runs or help lists it, so `wksbm village list` does not pay for importing
# and building forty other commands (start-up budget: SPEC section 7).
COMMANDS = {
    "village": "wksbm_cli.commands.village:app",
    "institution": "wksbm_cli.commands.institution:app",
    "activity": "wksbm_cli.commands.activity:app",
    "case": "wksbm_cli.commands.case:app",
    "import": "wksbm_cli.commands.transfer:import_",
    "export": "wksbm_cli.commands.transfer:export",
    "summary": "wksbm_cli.commands.summary:summary",
    "criteria": "wksbm_cli.commands.summary:criteria_app",
    "region": "wksbm_cli.commands.region:app",
    "categories": "wksbm_cli.commands.reference:categories",
    "types": "wksbm_cli.commands.reference:types_app",
    "log": "wksbm_cli.commands.log:log",
    "init": "wksbm_cli.commands.status:init",
    "info": "wksbm_cli.commands.status:info",
    "check": "wksbm_cli.commands.status:check",
    "backup": "wksbm_cli.commands.status:backup",
    "serve": "wksbm_cli.commands.serve:serve",
    "merge": "wksbm_cli.commands.merge:merge",
    "conflicts": "wksbm_cli.commands.merge:conflicts_app",
}


# Help texts Typer writes itself, marked here so that the catalog has them.
TYPER_HELP = (
    N_("Install completion for the current shell."),
    N_("Show completion for the current shell, to copy it or customize the installation."),
    N_("Show this message and exit."),
)


def command_target(name: str):
    """The Typer group or command function behind command `name`."""
    module, attribute = COMMANDS[name].split(":")
    return getattr(importlib.import_module(module), attribute)


class WksbmGroup(TyperGroup):
    """Loads commands when they are used, and turns the project's exceptions into one stderr line and an exit code."""

    def get_params(self, ctx: typer.Context):
        # Typer adds --install-completion, --show-completion and --help with its own English help: shown translated.
        params = super().get_params(ctx)
        for param in params:
            if param.help in TYPER_HELP:
                param.help = _(param.help)
        return params

    def get_usage(self, ctx: typer.Context) -> str:
        if self.subcommand_metavar in _USAGE_WORDS:
            self.options_metavar = _(_USAGE_WORDS.get(self.options_metavar, self.options_metavar))
            self.subcommand_metavar = _(_USAGE_WORDS[self.subcommand_metavar])
        return _usage_line(super().get_usage(ctx))

    def list_commands(self, ctx: typer.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: typer.Context, name: str):
        if name not in COMMANDS:
            return None
        if name not in self.commands:
            target = command_target(name)
            holder = typer.Typer(add_completion=False)
            if isinstance(target, typer.Typer):
                holder.add_typer(target, name=name)
            else:
                holder.command(name)(target)
            built = typer.main.get_command(holder)  # a lone command comes back bare, a group inside one
            self.commands[name] = built.commands[name] if isinstance(built, TyperGroup) else built
            self.commands[name].name = name
            _translate_help(self.commands[name])
            _typer_words(self.commands[name])
            _usage_errors_name_their_command(self.commands[name])
            _errors_name_what_was_typed(self.commands[name])
        return self.commands[name]

    def resolve_command(self, ctx: typer.Context, args: list[str]):
        name = args[0] if args else ""
        if name and name not in COMMANDS and not name.startswith("-") and not ctx.resilient_parsing:
            _usage_fail(ctx, _unknown_command(name))
        return super().resolve_command(ctx, args)

    def make_context(self, info_name, args, parent=None, **extra):
        if parent is None and (problem := _not_utf8(args)):
            from wksbm_cli.output import say

            say(_("Error: {message}").format(message=problem))
            raise typer.Exit(2)
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except Exception as error:
            if _is_usage_error(error):
                _usage_fail(getattr(error, "ctx", None), _usage_text(error))
            raise

    def invoke(self, ctx: typer.Context):
        try:
            return super().invoke(ctx)
        except WksbmError as error:
            _fail(ctx, str(error), error.exit_code)
        except sqlite3.OperationalError as error:
            _fail(ctx, _("database problem: {error}").format(error=error), 1)
        except sqlite3.DatabaseError as error:
            _fail(ctx, _("the database file is damaged or not a wksbm database: {error}").format(error=error), 1)
        except BrokenPipeError:  # `wksbm … | head` closed the pipe: nothing more to say
            sys.stdout = None
            raise typer.Exit(1) from None
        except OSError as error:
            _fail(ctx, f"{error.strerror or error}: {error.filename or ''}".rstrip(": "), 1)
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as error:
            if _is_usage_error(error):  # a sub-command's usage error: one or two plain lines, exit 2
                _usage_fail(getattr(error, "ctx", None) or ctx, _usage_text(error))
            if hasattr(error, "format_message"):  # Typer's own (help shown for no arguments …): it prints them
                raise
            # A bug: say so in one line; --debug shows the traceback.
            _fail(ctx, _("unexpected {kind}: {error} (run with --debug for details)").format(kind=type(error).__name__, error=error), 1)
        finally:
            if isinstance(ctx.obj, Session):
                ctx.obj.close()


def _translate_help(command) -> None:
    """A command's help (its docstring, as Typer took it) and its sub-commands' in the interface language.

    Option help texts are marked with _() where they are written; a docstring cannot be, so it is
    translated here (tools/i18n.py extracts command docstrings into the catalog).
    """
    if command.help:
        command.help = _(command.help)
    for sub_command in getattr(command, "commands", {}).values():
        _translate_help(sub_command)


# The placeholders help shows for a value, by the Python type Typer would name (`<str>`, `<path>` …).
_PLACEHOLDERS = {"<str>": N_("<text>"), "<path>": N_("<file>"), "<int>": N_("<number>"), "<int range>": N_("<number>"),
                 "<list[str]>": N_("<text>...")}
# Arguments not named as a table column is (the others are shown by their column's header).
_ARGUMENT_WORDS = {"paths": N_("files"), "file": N_("file"), "id": N_("id"), "conflict_id": N_("id"), "text": N_("text")}
_USAGE_WORDS = {"[OPTIONS]": N_("[OPTIONS]"), "COMMAND [ARGS]...": N_("COMMAND [ARGS]..."), "Usage: ": N_("Usage: ")}


def _typer_words(command) -> None:
    """The words Typer puts in a command's help in the interface language, through what Typer lets a
    command set: its usage line's placeholders (`[OPTIONS]`, `COMMAND [ARGS]...`, an argument's name
    instead of `{id_}`), each value's placeholder (metavar: `<text>`, not `<str>`) and --help's own help.
    """
    if getattr(command, "options_metavar", None) in _USAGE_WORDS:
        command.options_metavar = _(_USAGE_WORDS[command.options_metavar])
    if getattr(command, "subcommand_metavar", None) in _USAGE_WORDS:
        command.subcommand_metavar = _(_USAGE_WORDS[command.subcommand_metavar])
    for param in command.params:
        if param.metavar is not None:
            continue
        if param.param_type_name == "argument":
            name = param.name.rstrip("_")
            word = _ARGUMENT_WORDS.get(name)
            param.metavar = _(word) if word else column_header(name) if has_header(name) else name
        elif not getattr(param, "is_flag", False) and not param.type_descriptor.is_choice:
            shown = param.display_type(None)
            if shown in _PLACEHOLDERS:
                param.metavar = _(_PLACEHOLDERS[shown])
    get_help_option, get_usage = command.get_help_option, command.get_usage

    def translated_help_option(ctx):
        option = get_help_option(ctx)
        if option is not None and option.help in TYPER_HELP:
            option.help = _(option.help)
        return option

    def translated_usage(ctx):
        return _usage_line(get_usage(ctx))

    command.get_help_option, command.get_usage = translated_help_option, translated_usage
    for sub_command in getattr(command, "commands", {}).values():
        _typer_words(sub_command)


def _usage_line(text: str) -> str:
    """`Usage: wksbm …` with its first word in the interface language."""
    return _(_USAGE_WORDS["Usage: "]) + text[len("Usage: "):] if text.startswith("Usage: ") else text


def _usage_errors_name_their_command(command) -> None:
    """A usage error raised while a command parses its arguments knows that command's context.

    The parser raises some without one (`--village` given no value), and the error would then say
    "Try 'wksbm --help'" instead of the command's own help.
    """
    parse = command.parse_args

    def parse_args(ctx, args):
        try:
            return parse(ctx, args)
        except Exception as error:
            if _is_usage_error(error) and getattr(error, "ctx", None) is None:
                error.ctx = ctx
            raise

    command.parse_args = parse_args
    for sub_command in getattr(command, "commands", {}).values():
        _usage_errors_name_their_command(sub_command)


# A stored field given by an option of another name (the other fields share their option's name).
_FIELD_PARAMS = {"person_name": ("name",), "held_on": ("on",), "type": ("type_",), "name": ("new_name", "name")}


def _errors_name_what_was_typed(command) -> None:
    """An Invalid raised while a command runs names the option the user typed (`--on`), not the stored field (`held_on`).

    A field given by an argument, or by no parameter of the command, is named as its column in a
    table is (in the interface language).
    """
    if hasattr(command, "commands"):
        for sub_command in command.commands.values():
            _errors_name_what_was_typed(sub_command)
        return
    invoke = command.invoke

    def invoke_naming(ctx):
        try:
            return invoke(ctx)
        except Invalid as error:
            if error.field:
                error.rename(_typed_name(ctx.command.params, error.field))
            raise

    command.invoke = invoke_naming


def _typed_name(params, field: str) -> str:
    by_name = {param.name: param for param in params}
    for name in (*_FIELD_PARAMS.get(field, ()), field):
        param = by_name.get(name)
        if param is not None and getattr(param, "param_type_name", "") == "option":
            return max(param.opts, key=len)
        if param is not None:
            break
    return column_header(field) if has_header(field) else field


_FLAG_VALUES = {"true", "false", "yes", "no", "on", "off", "1", "0"}


def _unknown_command(name: str) -> str:
    """What to say for a word that is not a command: the closest commands, or why it is not one."""
    if name.lower() in _FLAG_VALUES:
        return _("'{name}' is not a command: a flag such as --debug takes no value (write --debug alone)").format(name=name)
    import difflib

    close = difflib.get_close_matches(name.lower(), list(COMMANDS), n=2, cutoff=0.6)
    if close:
        return _("no command '{name}'; did you mean '{suggestion}'?").format(name=name, suggestion="' or '".join(close))
    return _("no command '{name}'; `wksbm --help` lists the commands").format(name=name)


def _is_usage_error(error: BaseException) -> bool:
    """Typer's usage errors (unknown option, bad value, missing argument), not its help-for-no-arguments."""
    return (hasattr(error, "format_message") and getattr(error, "exit_code", None) == 2
            and type(error).__name__ != "NoArgsIsHelpError")


def _usage_text(error: BaseException) -> str:
    """Typer's message on one line, without pydantic's 'Value error, ' preamble, in the interface language."""
    text = " ".join(str(error.format_message()).split()).replace("Value error, ", "")
    if language() == "id":
        from wksbm_cli.usage_errors import in_language

        text = in_language(text)
    return text


def _not_utf8(args: list[str]) -> str | None:
    """What to say of the first argument holding a byte that is not UTF-8, or None.

    Python keeps such a byte (from a cp1252 paste, a terminal not set to UTF-8) as a lone
    surrogate, which can be neither stored nor printed. The name of a file that exists is let through.
    """
    import os

    for at, arg in enumerate(args):
        bad = next((char for char in arg if "\udc80" <= char <= "\udcff"), None)
        if bad is None or os.path.lexists(arg):  # a file's name in another encoding is still its name
            continue
        if arg.startswith("--") and "=" in arg:
            name = arg.split("=", 1)[0]
        elif at > 0 and args[at - 1].startswith("-") and not _has_surrogate(args[at - 1]):
            name = args[at - 1]
        else:
            name = None
        byte = f"\\x{ord(bad) - 0xDC00:02x}"
        if name is None:
            return _("an argument is not valid text (byte {byte} is not UTF-8): type it again").format(byte=byte)
        return _("{option} is not valid text (byte {byte} is not UTF-8): type it again").format(
            option=printable(name), byte=byte)
    return None


def _has_surrogate(text: str) -> bool:
    return any("\udc80" <= char <= "\udcff" for char in text)


def _usage_fail(ctx, text: str) -> None:
    """A usage error as at most two plain lines on stderr (no boxes), exit 2."""
    path = getattr(ctx, "command_path", None) or "wksbm"
    from wksbm_cli.output import say

    say(_("Error: {message}").format(message=printable(text)))
    say(_("Try '{command} --help' for help.").format(command=path))
    raise typer.Exit(2)


def _fail(ctx: typer.Context, text: str, code: int) -> None:
    if isinstance(ctx.obj, Session) and ctx.obj.debug:
        raise
    from wksbm_cli.output import say

    # What was typed or stored comes back in errors: never as terminal control, never a whole NIK.
    say(_("Error: {message}").format(message=printable(text)))
    raise typer.Exit(code)


translate_typer()
app = typer.Typer(
    cls=WksbmGroup,
    name="wksbm",
    help=_("Track each village's WKSBM network and its PMKS cases in a local database."),
    no_args_is_help=True,
    add_completion=True,  # --install-completion / --show-completion
    pretty_exceptions_enable=False,
)


def _no_placeholder_for_flags() -> None:
    """Help shows `--debug`, not `--debug <bool>`: a flag takes no value."""
    from typer.core import TyperOption

    shown = TyperOption.display_type_rich

    def display_type_rich(self, ctx):
        return None if self.is_flag else shown(self, ctx)

    TyperOption.display_type_rich = display_type_rich


_no_placeholder_for_flags()


def _version(value: bool) -> None:
    if value:
        print(f"wksbm {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option("--db", help=_("Database file (default: $WKSBM_DB, else the per-user file `wksbm info` shows)."), show_default=False),
    ] = None,
    officer: Annotated[
        str | None,
        typer.Option("--officer", help=_("Your name for the audit log (default: $WKSBM_OFFICER, else your login).")),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help=_("Show a traceback when something fails."))] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help=_("Show the version and exit."))
    ] = False,
) -> None:
    """wksbm: villages' WKSBM networks, their institutions, activities and PMKS cases."""
    ctx.obj = Session(db_path=database_path(db), officer=officer_name(officer), debug=debug)



def main() -> None:
    """Console-script entry point."""
    app(prog_name="wksbm")
