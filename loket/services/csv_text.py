"""Reading an uploaded CSV file the project's one way (the club register import, region sets).

- UTF-8, with or without byte order mark; anything else is refused with one message about the encoding.
- The first non-blank line names the columns: compared without case, spaces or punctuation, with aliases
  (`CsvFormat.aliases`); exactly the format's columns, in any order, no others, none twice.
- Columns are separated by `;` or `,`: whichever the first line uses most. Blank lines are skipped.
- Reading stops as soon as the size or the row limit is passed; the whole file is then refused with one message
  (InvalidInput under `CsvFormat.field`) and the caller stores nothing.

A row with a different number of cells than the header is still returned, with its `width_error`, so the caller
can report it as a bad row among the good ones.
"""
import csv
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from loket.services.errors import InvalidInput
from loket.services.text import GEMEENTE_CODE_PATTERN, has_control_characters

BOM = b"\xef\xbb\xbf"
ENCODING_MESSAGE = ("Het bestand is niet in UTF-8 opgeslagen (bijvoorbeeld als ‘CSV (gescheiden door "
                    "lijstscheidingsteken)’ uit een oudere Excel). Sla het op als ‘CSV UTF-8’ en probeer het opnieuw.")
BROKEN_MESSAGE = "Het bestand is geen geldige CSV (regel {line}): controleer de aanhalingstekens."
SHOWN_MAX = 60


@dataclass(frozen=True)
class CsvFormat:
    """What one kind of upload looks like, with the Dutch messages that refuse a file as a whole."""

    columns: tuple[str, ...]
    empty_message: str
    no_rows_message: str
    too_large: Callable[[int], str]  # limit in bytes → message
    too_many_rows: Callable[[int], str]  # limit in rows → message
    aliases: dict[str, str] = field(default_factory=dict)  # normalised header name → column
    field: str = "file"

    def refuse(self, message: str) -> InvalidInput:
        return InvalidInput({self.field: message})


@dataclass
class Record:
    line: int  # the line number in the file (1 is the header, blank lines counted)
    values: dict[str, str]
    width_error: str | None = None


def megabytes(limit: int) -> str:
    """1048576 → '1,0' (for a Dutch size message)."""
    return f"{limit / (1024 * 1024):.1f}".replace(".", ",")


def thousands(count: int) -> str:
    """5000 → '5.000'."""
    return f"{count:,}".replace(",", ".")


def read_records(stream, fmt: CsvFormat, *, max_bytes: int, max_rows: int) -> list[Record]:
    """Every non-blank row of an uploaded CSV (a binary file object) under the checked header.

    Raises InvalidInput({fmt.field: message}) when the file as a whole cannot be used: too large, too many rows,
    empty, only a header, not UTF-8, wrong columns, broken quoting.
    """
    size = size_of(stream)
    if size is not None and size > max_bytes:
        raise fmt.refuse(fmt.too_large(max_bytes))
    try:
        return list(records(decoded_lines(stream, max_bytes, fmt), fmt, max_rows))
    except UnicodeDecodeError:
        raise fmt.refuse(ENCODING_MESSAGE) from None
    except csv.Error as error:
        raise fmt.refuse(BROKEN_MESSAGE.format(line=getattr(error, "line", "?"))) from None


def size_of(stream) -> int | None:
    """The upload's size without reading it (werkzeug spools uploads to a seekable file); None if unknown."""
    try:
        position = stream.tell()
        stream.seek(0, os.SEEK_END)
        size = stream.tell() - position
        stream.seek(position)
        return size
    except (AttributeError, OSError, ValueError):
        return None


def decoded_lines(stream, limit: int, fmt: CsvFormat) -> Iterator[str]:
    """The file's lines as text, decoded one by one (UTF-8 never splits a character over a line break), without
    a leading BOM; stops with the size message once more than `limit` bytes were read."""
    read = 0
    first = True
    for raw in stream:
        read += len(raw)
        if read > limit:
            raise fmt.refuse(fmt.too_large(limit))
        if first:
            raw = raw.removeprefix(BOM)
            first = False
        yield raw.decode("utf-8")


def records(lines: Iterable[str], fmt: CsvFormat, limit: int) -> Iterator[Record]:
    """The header checked, then each non-blank row as a Record (values by column); refuses the file at the
    first row beyond `limit`, and a file without rows."""
    lines = iter(lines)
    header_line, skipped = next(lines, None), 0
    while header_line is not None and not header_line.strip():
        header_line, skipped = next(lines, None), skipped + 1
    if header_line is None:
        raise fmt.refuse(fmt.empty_message)
    delimiter = ";" if header_line.count(";") >= header_line.count(",") else ","
    reader = csv.reader(_chain(header_line, lines), delimiter=delimiter)
    columns = header_columns(next(reader), fmt)
    count = 0
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        count += 1
        if count > limit:
            raise fmt.refuse(fmt.too_many_rows(limit))
        width_error = None
        if len(cells) != len(columns):
            width_error = (f"Deze regel heeft {len(cells)} kolom{'' if len(cells) == 1 else 'men'}; de kopregel "
                           f"heeft er {len(columns)}. Controleer de scheidingstekens en aanhalingstekens.")
        yield Record(line=skipped + reader.line_num,
                     values={c: (cells[i] if i < len(cells) else "") for i, c in enumerate(columns)},
                     width_error=width_error)
    if count == 0:
        raise fmt.refuse(fmt.no_rows_message)


def _chain(first: str, rest):
    yield first
    yield from rest


def header_columns(header: list[str], fmt: CsvFormat) -> list[str]:
    """The header's column names (normalised); refuses the file unless they are exactly the format's columns."""
    expected = ";".join(fmt.columns)
    names = ["".join(ch for ch in cell.casefold() if ch.isalnum()) for cell in header]
    columns = [fmt.aliases.get(name, name) for name in names]
    unknown = [cell.strip() for cell, column in zip(header, columns) if column not in fmt.columns]
    missing = [c for c in fmt.columns if c not in columns]
    doubled = sorted({c for c in columns if columns.count(c) > 1 and c in fmt.columns})
    problems = []
    if missing:
        problems.append(f"ontbrekende kolom{'' if len(missing) == 1 else 'men'}: {', '.join(missing)}")
    if unknown:
        listed = ", ".join(f"‘{shown(u) or '(leeg)'}’" for u in unknown[:5])
        problems.append(f"onbekende kolom{'' if len(unknown) == 1 else 'men'}: {listed}")
    if doubled:
        problems.append(f"dubbele kolom{'' if len(doubled) == 1 else 'men'}: {', '.join(doubled)}")
    if problems:
        raise fmt.refuse(f"De kopregel klopt niet ({'; '.join(problems)}). Gebruik precies de kolommen {expected}.")
    return columns


def shown(text: str) -> str:
    """Typed text safe to repeat in a message: no control characters, at most SHOWN_MAX characters."""
    clean = "".join(ch for ch in text if not has_control_characters(ch)).strip()
    return clean if len(clean) <= SHOWN_MAX else clean[:SHOWN_MAX - 3] + "…"


def gemeente_code(typed: str) -> str | None:
    """A gemeente's CBS code as a file gives it (GM0344, gm0344, 0344 or 344) in its stored form; None for text
    that is no such code."""
    code = typed.strip().upper()
    if code.isascii() and code.isdigit() and len(code) <= 4:  # "³⁴⁴" is digits to isdigit(), not to int()
        code = f"GM{int(code):04d}"
    return code if GEMEENTE_CODE_PATTERN.fullmatch(code) else None


def unknown_gemeente_message(typed: str) -> str:
    """The row's message for a gemeente code that names no gemeente (or is left empty)."""
    if not typed.strip():
        return "Vul de gemeentecode in, bijvoorbeeld GM0344."
    return f"Onbekende gemeentecode ‘{shown(typed)}’; gebruik de CBS-code, bijvoorbeeld GM0344."
