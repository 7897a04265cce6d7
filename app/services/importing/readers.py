"""Reading import files (CONTRACTS.md §4): CSV in UTF-8 / UTF-8 with BOM / cp1252, and XLSX.

`open_table(path)` returns a `TableSource`: the header (the first non-empty row) and a stream of the data rows
after it. Rows are streamed so a file of a million lines never sits in memory whole. Row numbers are
physical file rows counted from 1, so they match what a person sees in a text editor or in Excel; with the
header on the first line that is the "header = row 1" numbering of CONTRACTS §4. A CSV record whose quoted
field spans several lines is numbered by its first line.

Every problem with the file itself (missing, empty, header only, binary, unknown extension, undecodable text,
a runaway cell) raises `ValidationError` / `NotFoundError` with one message that names the file.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Self

from app.domain.errors import NotFoundError, ValidationError

Cell = object
"""A cell as read: text (CSV, XLSX strings) or a native date/datetime/time/number/bool from XLSX."""

NumberedRow = tuple[int, list[Cell]]

CSV_SUFFIXES = frozenset({".csv", ".txt", ".tsv"})
WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm"})

# No column of any import kind needs more than this; a bigger cell means a wrong or broken file, and the limit
# keeps a hostile file from being read into memory as one giant field.
MAX_CELL_CHARS = 1_000_000
_SAMPLE_BYTES = 64 * 1024
# Share of control characters above which a "text" file is taken for binary data.
_MAX_CONTROL_SHARE = 0.01
_HARMLESS_CONTROLS = frozenset("\t\n\r\x0b\x0c\x1a")

if csv.field_size_limit() < MAX_CELL_CHARS:
    csv.field_size_limit(MAX_CELL_CHARS)


def is_blank(cells: list[Cell]) -> bool:
    """True when no cell holds anything but whitespace."""
    # A plain loop: this runs once per row of files with a million rows, and usually stops at the first cell.
    for cell in cells:
        if isinstance(cell, str):
            if cell and not cell.isspace():
                return False
        elif cell is not None:
            return False
    return True


class TableSource:
    """An open import file: `header`, `header_row` and `rows()`. Use as a context manager to close it."""

    def __init__(self, path: Path, header: list[str], header_row: int, rows: Iterator[NumberedRow]) -> None:
        self.path = path
        self.header = header
        self.header_row = header_row
        self._rows = rows

    def rows(self) -> Iterator[NumberedRow]:
        """The non-blank data rows after the header as (file row number, cells); a single-use stream."""
        return self._rows

    def close(self) -> None:
        close = getattr(self._rows, "close", None)
        if close is not None:
            close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def open_table(path: str | Path, *, sheet: str | None = None) -> TableSource:
    """Open a CSV or XLSX import file and read its header; the data rows are read lazily by `rows()`.

    `sheet` picks a worksheet by name in a workbook (default: the first one); it is an error for a CSV file.
    """
    path = Path(path)
    if not path.is_file():
        raise NotFoundError(f"{path.name}: file not found ({path})")
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        if sheet is not None:
            raise ValidationError(f"{path.name}: a CSV file has no sheets; leave out the sheet name")
        rows = _csv_rows(path)
    elif suffix in WORKBOOK_SUFFIXES:
        rows = _workbook_rows(path, sheet)
    else:
        raise ValidationError(
            f"{path.name}: cannot import a '{suffix or 'extension-less'}' file; use a CSV or XLSX file"
        )
    return _with_header(path, rows)


def _with_header(path: Path, rows: Iterator[NumberedRow]) -> TableSource:
    """Split off the header and make sure at least one data row follows it."""
    numbered = _non_blank(rows)
    try:
        header_row, header_cells = next(numbered, (0, []))
        if not header_row:
            raise ValidationError(f"{path.name}: the file is empty")
        first = next(numbered, None)
        if first is None:
            raise ValidationError(f"{path.name}: the file has a header but no data rows")
    except BaseException:
        numbered.close()  # type: ignore[attr-defined]  # a generator: release the file now, not at GC
        raise
    header = ["" if cell is None else str(cell).strip() for cell in header_cells]
    return TableSource(path, header, header_row, _prepend(first, numbered))


def _non_blank(rows: Iterator[NumberedRow]) -> Iterator[NumberedRow]:
    try:
        for number, cells in rows:
            if not is_blank(cells):
                yield number, cells
    finally:
        close = getattr(rows, "close", None)
        if close is not None:
            close()


def _prepend(first: NumberedRow, rest: Iterator[NumberedRow]) -> Iterator[NumberedRow]:
    try:
        yield first
        yield from rest
    finally:
        rest.close()  # type: ignore[attr-defined]  # always a generator here


# --- CSV ----------------------------------------------------------------------------------------------------


def _csv_rows(path: Path) -> Iterator[NumberedRow]:
    """Validate the text encoding on a sample now, then return the lazily parsed records."""
    with path.open("rb") as raw:
        sample = raw.read(_SAMPLE_BYTES)
    complete = len(sample) < _SAMPLE_BYTES
    encoding = _detect_encoding(path, sample, complete=complete)
    text = sample.decode(encoding, errors="ignore")
    _refuse_binary(path, text)
    delimiter = _sniff_delimiter(text)
    return _parse_csv(path, encoding, delimiter)


def _detect_encoding(path: Path, sample: bytes, *, complete: bool) -> str:
    if not sample.strip():
        raise ValidationError(f"{path.name}: the file is empty")
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ValidationError(
            f"{path.name}: the file is saved as UTF-16; save it as CSV UTF-8 and import again"
        )
    if b"\x00" in sample:
        raise ValidationError(f"{path.name}: this is not a text CSV file (it contains binary data)")
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        # Incremental, so a character cut in half at the end of the sample is not mistaken for bad UTF-8.
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=complete)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        sample.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        raise ValidationError(
            f"{path.name}: the text is neither UTF-8 nor Windows-1252 (cp1252); save it as CSV UTF-8"
        ) from None


def _refuse_binary(path: Path, text: str) -> None:
    controls = sum(1 for char in text if ord(char) < 32 and char not in _HARMLESS_CONTROLS)
    controls += text.count("\x7f")
    if text and controls / len(text) > _MAX_CONTROL_SHARE:
        raise ValidationError(f"{path.name}: this is not a text CSV file (it contains binary data)")


def _sniff_delimiter(text: str) -> str:
    """Comma, semicolon or tab: whichever occurs most (outside quotes) on the first non-empty line."""
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    counts = dict.fromkeys(",;\t", 0)
    quoted = False
    for char in first_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def _parse_csv(path: Path, encoding: str, delimiter: str) -> Iterator[NumberedRow]:
    # Lines are split as Latin-1 (every byte is one character, so no decoding can fail there) and each line
    # is then decoded strictly on its own: a stray byte in another encoding is reported at its own row.
    handle: IO[str] = path.open("r", encoding="latin-1", newline="")
    decoded = _decoded_lines(path, handle, encoding)
    reader = csv.reader(decoded, delimiter=delimiter)
    next_line = 1
    try:
        while True:
            try:
                record = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise _bad_csv(path, next_line, error) from None
            yield next_line, list[Cell](record)
            next_line = reader.line_num + 1
    finally:
        handle.close()


def _decoded_lines(path: Path, lines: IO[str], encoding: str) -> Iterator[str]:
    for number, line in enumerate(lines, start=1):
        try:
            yield line.encode("latin-1").decode(encoding)
        except UnicodeDecodeError:
            raise _mixed_encoding(path, encoding, number) from None


def _mixed_encoding(path: Path, encoding: str, row: int) -> ValidationError:
    name = "UTF-8" if encoding.startswith("utf-8") else "Windows-1252 (cp1252)"
    return ValidationError(
        f"{path.name}: row {row} is not {name} like the rows before it; "
        "save the whole file in one encoding (CSV UTF-8)",
        row=row,
    )


def _bad_csv(path: Path, row: int, error: csv.Error) -> ValidationError:
    if "field larger than field limit" in str(error):
        return ValidationError(
            f"{path.name}: row {row} has a cell longer than {MAX_CELL_CHARS:,} characters; "
            "no import column holds that much, so this is probably not the right file",
            row=row,
        )
    return ValidationError(f"{path.name}: row {row} cannot be read as CSV ({error})", row=row)


# --- XLSX ---------------------------------------------------------------------------------------------------


def _workbook_rows(path: Path, sheet: str | None) -> Iterator[NumberedRow]:
    """Rows of one worksheet through python-calamine, or openpyxl when calamine is missing or fails."""
    try:
        return _calamine_rows(path, sheet)
    except ValidationError:
        raise
    except Exception:  # any calamine failure: the slower reader gets its chance
        return _openpyxl_rows(path, sheet)


def _calamine_rows(path: Path, sheet: str | None) -> Iterator[NumberedRow]:
    from python_calamine import CalamineWorkbook  # optional at run time: openpyxl is the fallback

    workbook = CalamineWorkbook.from_path(str(path))
    try:
        worksheet = workbook.get_sheet_by_name(_pick_sheet(path, list(workbook.sheet_names), sheet))
    except BaseException:
        workbook.close()
        raise
    return _stream_calamine(path, workbook, worksheet)


def _stream_calamine(path: Path, workbook: Any, worksheet: Any) -> Iterator[NumberedRow]:
    number = 0
    try:
        # Calamine's rows start at the sheet's first row, so enumerating gives the Excel row number.
        for number, cells in enumerate(worksheet.iter_rows(), start=1):
            yield number, list(cells)
    except Exception as error:  # a broken sheet: a message, never a traceback
        raise _broken_sheet(path, number + 1, error) from None
    finally:
        workbook.close()


def _openpyxl_rows(path: Path, sheet: str | None) -> Iterator[NumberedRow]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # both readers failed: say so once, in words
        raise ValidationError(f"{path.name}: cannot be read as an Excel workbook ({error})") from None
    try:
        worksheet = workbook[_pick_sheet(path, workbook.sheetnames, sheet)]
    except ValidationError:
        workbook.close()
        raise
    return _stream_openpyxl(path, workbook, worksheet)


def _stream_openpyxl(path: Path, workbook: Any, worksheet: Any) -> Iterator[NumberedRow]:
    number = 0
    try:
        for number, cells in enumerate(worksheet.iter_rows(values_only=True), start=1):
            yield number, ["" if cell is None else cell for cell in cells]
    except Exception as error:  # a broken sheet: a message, never a traceback
        raise _broken_sheet(path, number + 1, error) from None
    finally:
        workbook.close()


def _broken_sheet(path: Path, row: int, error: Exception) -> ValidationError:
    return ValidationError(f"{path.name}: the sheet cannot be read from row {row} on ({error})", row=row)


def _pick_sheet(path: Path, names: list[str], sheet: str | None) -> str:
    if not names:
        raise ValidationError(f"{path.name}: the workbook has no sheets")
    if sheet is None:
        return names[0]
    if sheet in names:
        return sheet
    folded = {name.casefold(): name for name in names}
    if sheet.casefold() in folded:
        return folded[sheet.casefold()]
    raise ValidationError(f"{path.name}: no sheet named '{sheet}'; the sheets are: {', '.join(names)}")
