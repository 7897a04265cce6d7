"""Tools > MID builder (DOMAIN.md §4.5, 19 CFR part 102 appendix): each part shown as it is built."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from app.domain.errors import ValidationError
from app.domain.mid import (
    CANADIAN_PROVINCE_CODES,
    build_mid,
    check_mid,
    mid_city_part,
    mid_name_part,
    mid_street_part,
)


@dataclass(frozen=True)
class MidResult:
    """The parts of a MID being built; `mid` is "" until every required part can be built."""

    country: str
    name_part: str
    number_part: str
    city_part: str
    mid: str
    problems: list[str] = field(default_factory=list)


def _sentence(message: str) -> str:
    # The domain's messages are lower case (they also go into import reports); str.capitalize() would
    # lower-case the country code they quote.
    return message[:1].upper() + message[1:]


def _part(build: Callable[[str], str], text: str, problems: list[str]) -> str:
    if not text.strip():
        return ""
    try:
        return build(text)
    except ValidationError as exc:
        problems.append(_sentence(str(exc)))
        return ""


def compose_mid(
    country: str, name: str, street: str, city: str, known_countries: Collection[str]
) -> MidResult:
    """Build what can be built; problems are the domain's messages (a MID only ever warns)."""
    problems: list[str] = []
    code = country.strip().upper()
    name_part = _part(mid_name_part, name, problems)
    number_part = mid_street_part(street)
    city_part = _part(mid_city_part, city, problems)
    mid = ""
    if code and name_part and city_part:
        try:
            mid = build_mid(code, name, street, city)
            warning = check_mid(mid, known_countries)
        except ValidationError as exc:
            problems.insert(0, _sentence(str(exc)))
        else:
            if warning:
                problems.append(_sentence(warning))
    return MidResult(code, name_part, number_part, city_part, mid, problems)


class MidBuilderDialog(QDialog):
    """Non-modal: the AE builds a MID from an invoice's manufacturer block, to compare with the entry's."""

    def __init__(self, known_countries: Collection[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("MID builder")
        self.setObjectName("mid-builder-dialog")
        self._known = frozenset(known_countries)
        self.country = self._line("Country code (ISO alpha-2, or province code XA to XY for Canada)", "AU")
        self.country.setMaxLength(2)
        self.name = self._line("Manufacturer name", "Ozrock")
        self.street = self._line("Street address", "92 Alice Springs Road")
        self.city = self._line("City", "Melbourne")
        self.name_part = self._value("Name part")
        self.number_part = self._value("Number part")
        self.city_part = self._value("City part")
        self.mid = self._value("MID")
        self.problems = self._value("Warnings")
        self.problems.setWordWrap(True)
        self.copy_button = QPushButton("&Copy", self)
        self.copy_button.setAccessibleName("Copy MID")
        self.copy_button.setAutoDefault(False)
        self._lay_out()
        for edit in (self.country, self.name, self.street, self.city):
            edit.textChanged.connect(self._update)
        self.copy_button.clicked.connect(self.copy)
        self._update()

    def _line(self, accessible: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setAccessibleName(accessible)
        edit.setPlaceholderText(placeholder)
        return edit

    def _value(self, accessible: str) -> QLabel:
        label = QLabel(self)
        label.setAccessibleName(accessible)
        return label

    def _lay_out(self) -> None:
        form = QFormLayout(self)
        form.addRow("C&ountry:", self.country)
        form.addRow("&Manufacturer:", self.name)
        form.addRow("&Street address:", self.street)
        form.addRow("C&ity:", self.city)
        form.addRow("Name part:", self.name_part)
        form.addRow("Number part:", self.number_part)
        form.addRow("City part:", self.city_part)
        mid_row = QHBoxLayout()
        mid_row.addWidget(self.mid, 1)
        mid_row.addWidget(self.copy_button)
        form.addRow("MID:", mid_row)
        form.addRow("", self.problems)
        provinces = ", ".join(f"{code} {name}" for code, name in CANADIAN_PROVINCE_CODES.items())
        self.country.setToolTip(f"Canada: use the province code instead of CA — {provinces}")
        order = (self.country, self.name, self.street, self.city, self.copy_button)
        for first, second in itertools.pairwise(order):
            self.setTabOrder(first, second)

    def _update(self) -> None:
        result = compose_mid(
            self.country.text(), self.name.text(), self.street.text(), self.city.text(), self._known
        )
        self.name_part.setText(result.name_part)
        self.number_part.setText(result.number_part or ("(none)" if self.street.text().strip() else ""))
        self.city_part.setText(result.city_part)
        self.mid.setText(result.mid)
        self.problems.setText("\n".join(result.problems))
        self.copy_button.setEnabled(bool(result.mid))

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.mid.text())
