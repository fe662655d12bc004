"""Tables that fit a narrow terminal (SPEC section 8): a compact layout when one line per row does not fit.

Every column is either *whole* (codes, refs, dates, numbers, statuses, categories, stage words: never
wrapped, never cut) or free text (names, titles, next steps: wrapped at spaces only). When a row does
not fit on one line, the columns that fit stay on its first line and the others go on an indented
second line, ` · ` apart, in the order a second header line gives. A first line is one line (a header may
take two); only a second line wraps, at spaces. Nothing is dropped and nothing is
cut short with an ellipsis; a word is only ever broken when it alone is wider than the terminal.
"""

import re
from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text

GAP = 2  # spaces between two columns
INDENT = 2  # the second line's indent
SEPARATOR = " · "  # between the values on a second line ("· " when one starts a line)
_WORD = re.compile(r"\S+")


@dataclass
class Column:
    """A column: its header (a newline splits it), whether its cells stay whole, how they align, its footer,
    and `second`: when a compact layout moves it to the second line before any other (1 first, 2 next…;
    0: only if it does not fit)."""

    header: str
    whole: bool = False
    justify: str = "left"
    footer: str = ""
    second: int = 0


def compact_lines(
    columns: list[Column], rows: list[list[Text | str]], width: int,
    title: str | None = None, caption: list[str] | None = None, tight: bool = False,
) -> list[Text]:
    """The table as lines no wider than `width` (unless a single word is): title, headers, rows, footer, caption.

    `caption` is a list of items (`eksis 2`, `berjalan 3`…): each stays whole, the lines break between them.
    `tight`: one space between columns rather than a second line, where that fits (one-word headers: numbers).
    """
    rows = [[cell if isinstance(cell, Text) else Text(cell) for cell in row] for row in rows]
    footer = [Text(column.footer) for column in columns]
    has_footer = any(cell.plain for cell in footer)
    first, second, gap = _plan(columns, rows + ([footer] if has_footer else []), width, (GAP, 1) if tight else (GAP,))
    header_style = "bold"
    out: list[Text] = []
    if title:
        out += _fill([(word, " ") for word in _words(Text(title, style="italic"))], width)
    headers = _line(columns, first, gap, [Text(column.header, style=header_style) for column in columns], header=True)
    if second:
        legend = [Text(columns[index].header.replace("\n", " "), style=header_style) for index in second]
        headers += _second_line(legend, width, whole=[True] * len(legend))
    rule = Text("─" * min(width, max(sum(first.values()) + gap * (len(first) - 1), *(line.cell_len for line in headers))))
    out += [*headers, rule]
    for row in rows:
        out += _row(columns, first, second, gap, row, width)
    if has_footer:
        out.append(rule)
        out += _row(columns, first, second, gap, footer, width)
    if caption:
        out += _fill([(Text(item), "" if index == 0 else SEPARATOR) for index, item in enumerate(caption)], width,
                     restart="· ")
    return out


def _plan(columns: list[Column], rows: list[list[Text]], width: int, gaps: tuple[int, ...]) -> tuple[dict[int, int], list[int], int]:
    """The first line's columns with their widths, the second line's columns (both in table order), the gap."""
    count = len(columns)
    header_word = [max((len(word) for word in columns[i].header.split()), default=0) for i in range(count)]
    widest = [max([header_word[i], *(row[i].cell_len for row in rows)]) for i in range(count)]
    for gap in gaps:  # one line per row if it fits
        if sum(widest) + gap * (count - 1) <= width:
            return dict(enumerate(widest)), [], gap
    # First the columns meant for the second line move there, in their order, until the rest fits.
    moved = sorted((i for i in range(count) if columns[i].second), key=lambda i: columns[i].second)
    for n in range(1, len(moved) + 1):
        kept = [i for i in range(count) if i not in moved[:n]]
        if kept and sum(widest[i] for i in kept) + GAP * (len(kept) - 1) <= width:
            return {i: widest[i] for i in kept}, sorted(moved[:n]), GAP
    # Then what names the row (its first column) first, the whole cells (short, never wrapped), free text last.
    order = [0] + [i for i in range(1, count) if columns[i].whole and not columns[i].second]
    order += [i for i in range(1, count) if not columns[i].whole and not columns[i].second]
    first: dict[int, int] = {}
    for i in order:
        if widest[i] <= width - sum(first.values()) - GAP * len(first):
            first[i] = widest[i]
    if not first:  # not even one column fits: the first one alone, folded to the width
        first[order[0] if order else 0] = width
    return dict(sorted(first.items())), [i for i in range(count) if i not in first], GAP


def _row(columns, first, second, gap, row, width) -> list[Text]:
    lines = _line(columns, first, gap, row)
    values = [row[i] for i in second]
    if any(value.plain for value in values):
        lines += _second_line([value if value.plain else Text("-") for value in values], width,
                              whole=[columns[i].whole for i in second])
    return lines


def _line(columns: list[Column], first: dict[int, int], gap: int, cells: list[Text], header: bool = False) -> list[Text]:
    """One row's first line(s): each cell wrapped in its column at spaces, padded, `gap` apart (headers bottom-aligned)."""
    wrapped = []
    for i, column_width in first.items():
        cell = cells[i]
        if header:
            parts = [Text(part, style=cell.style) for part in cell.plain.split("\n")]
            wrapped.append([line for part in parts for line in _fill([(w, " ") for w in _words(part)], column_width)])
        elif cell.cell_len <= column_width:  # a first line's cells fit their columns (the plan saw to it)
            wrapped.append([cell])
        else:
            wrapped.append(_fill([(cell, "")], column_width))
    height = max(map(len, wrapped), default=1)
    if header:
        wrapped = [[Text()] * (height - len(lines)) + lines for lines in wrapped]
    out = []
    for k in range(height):
        line = Text()
        for n, (i, column_width) in enumerate(first.items()):
            piece = wrapped[n][k] if k < len(wrapped[n]) else Text()
            pad = " " * max(0, column_width - piece.cell_len)
            if n:
                line.append(" " * gap)
            if columns[i].justify == "right":
                line.append(pad)
                line.append_text(piece)
            else:
                line.append_text(piece)
                line.append(pad)
        line.rstrip()
        out.append(line)
    return out


def _second_line(values: list[Text], width: int, whole: list[bool]) -> list[Text]:
    """The values of the second line, indented, ` · ` apart; free text wraps at spaces, whole values stay whole."""
    if sum(value.cell_len for value in values) + len(SEPARATOR) * (len(values) - 1) <= width - INDENT:
        return [Text(" " * INDENT) + Text(SEPARATOR).join(values)]
    atoms = []
    for value, keep in zip(values, whole):
        pieces = [value] if keep else _words(value)
        atoms += [(piece, (SEPARATOR if atoms else "") if k == 0 else " ") for k, piece in enumerate(pieces)]
    return [Text(" " * INDENT) + line for line in _fill(atoms, width - INDENT, restart="· ")]


def _fill(atoms: list[tuple[Text, str]], width: int, restart: str = "") -> list[Text]:
    """Lines of at most `width` cells from (piece, separator before it) pairs, breaking only between pieces.

    A line that starts at a ` · ` separator begins with `restart` (`· `) so that the items stay apart. A
    piece wider than a line breaks at its spaces (a stage word, a time stamp on a very narrow terminal);
    only a single word wider than a line is broken.
    """
    lines: list[Text] = []
    line = Text()
    queue = list(reversed(atoms))
    while queue:
        piece, separator = queue.pop()
        if line.plain and line.cell_len + len(separator) + piece.cell_len <= width:
            line.append(separator)
            line.append_text(piece)
            continue
        lead = Text(restart if restart and separator == SEPARATOR else "")
        words = _words(piece)
        if lead.cell_len + piece.cell_len > width and [word.plain for word in words] != [piece.plain]:
            queue += reversed([(word, separator if k == 0 else " ") for k, word in enumerate(words)])
            continue
        if line.plain:
            lines.append(line)
        line = lead + piece
        while line.cell_len > width > 0:  # one word wider than the whole line: the only word ever broken
            cut = width
            while cut > 1 and cell_len(line.plain[:cut]) > width:  # wide characters take two cells
                cut -= 1
            head, line = line.divide([cut])
            lines.append(head)
    if line.plain:
        lines.append(line)
    return lines


def _words(text: Text) -> list[Text]:
    return [text[match.start():match.end()] for match in _WORD.finditer(text.plain)]
