"""How the PDF writes a value for reading: US formats, local times, money in dollars.

The same conventions as the GUI (app/ui/formatting.py), restated here because reports may not import the UI.
Missing values print as nothing, so a dense table does not fill with "None".
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from app.reports.dataset import Value, ValueKind

DATE_FORMAT = "%m/%d/%Y"
DATETIME_FORMAT = "%m/%d/%Y %H:%M"
NUMERIC_KINDS = frozenset({ValueKind.INTEGER, ValueKind.MONEY, ValueKind.PERCENT, ValueKind.DECIMAL})


def local_time(value: datetime) -> datetime:
    """A stored naive-UTC time as the reader's local wall-clock time (naive)."""
    return value.replace(tzinfo=UTC).astimezone().replace(tzinfo=None)


def fmt_timestamp(value: datetime | None) -> str:
    """A stored naive-UTC time in local time, MM/DD/YYYY HH:MM."""
    return local_time(value).strftime(DATETIME_FORMAT) if value is not None else ""


def fmt_money(cents: int) -> str:
    """ "$1,234.56"; a negative amount (a refund) "-$1,234.56"."""
    sign = "-" if cents < 0 else ""
    dollars, rest = divmod(abs(cents), 100)
    return f"{sign}${dollars:,}.{rest:02d}"


def format_value(value: Value, kind: ValueKind) -> str:
    """`value` as the PDF prints it under a column (or fact) of `kind`."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return fmt_timestamp(value)
    if isinstance(value, date):
        return value.strftime(DATE_FORMAT)
    if isinstance(value, int | float):
        return _format_number(value, kind)
    return str(value)


def _format_number(value: int | float, kind: ValueKind) -> str:
    if kind is ValueKind.MONEY:
        return fmt_money(round(value))
    if kind is ValueKind.PERCENT:
        return f"{value * 100:.1f}%"
    if kind is ValueKind.DECIMAL:
        return f"{value:,.1f}"
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}"


def truncate(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, saying how much was left out (a table row must fit on one page)."""
    if len(text) <= limit:
        return text
    return f"{text[:limit].rstrip()}… ({len(text) - limit:,} more characters)"
