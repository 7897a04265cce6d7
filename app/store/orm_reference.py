"""Reference data tables: read-only, loaded from resources/reference by migration (see orm.py)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    Boolean,
    Date,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.store.orm_base import Base

# --- reference data (read-only, loaded from resources/reference by migration) -----------------------------


class CenterRow(Base):
    __tablename__ = "centers"
    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    industry: Mapped[str] = mapped_column(String(120))
    office: Mapped[str] = mapped_column(String(120))
    office_port: Mapped[str] = mapped_column(String(4))
    hts_chapters: Mapped[str] = mapped_column(String(400))
    wave: Mapped[str] = mapped_column(String(40))


class PortRow(Base):
    __tablename__ = "ports"
    code: Mapped[str] = mapped_column(String(4), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    state: Mapped[str] = mapped_column(String(4))
    kind: Mapped[str] = mapped_column(String(20))
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    confidence: Mapped[str] = mapped_column(String(16))


class EntryTypeRow(Base):
    __tablename__ = "entry_types"
    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    description: Mapped[str] = mapped_column(String(120))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    retired_on: Mapped[date | None] = mapped_column(Date)


class TransportModeRow(Base):
    __tablename__ = "transport_modes"
    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    description: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(12))
    confidence: Mapped[str] = mapped_column(String(16))


class HoldCategoryRow(Base):
    __tablename__ = "hold_categories"
    code: Mapped[str] = mapped_column(String(24), primary_key=True)
    label: Mapped[str] = mapped_column(String(80))
    owner: Mapped[str] = mapped_column(String(8))
    agency: Mapped[str] = mapped_column(String(12))
    typical_exam: Mapped[str] = mapped_column(String(16))
    min_days: Mapped[int | None] = mapped_column(Integer)
    max_days: Mapped[int | None] = mapped_column(Integer)
    aliases: Mapped[str] = mapped_column(String(400))


class DispositionCodeRow(Base):
    __tablename__ = "disposition_codes"
    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    meaning: Mapped[str] = mapped_column(String(200))
    effect: Mapped[str] = mapped_column(String(80))
    hold_action: Mapped[str] = mapped_column(String(12))
    category: Mapped[str] = mapped_column(String(24))
    confidence: Mapped[str] = mapped_column(String(16))


class AgencyRow(Base):
    __tablename__ = "agencies"
    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(8))


class ComplianceEventTypeRow(Base):
    __tablename__ = "compliance_event_types"
    code: Mapped[str] = mapped_column(String(24), primary_key=True)
    label: Mapped[str] = mapped_column(String(80))
    aliases: Mapped[str] = mapped_column(String(400))
    deadline_days: Mapped[int | None] = mapped_column(Integer)
    deadline_basis: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(String(400))


class CountryRow(Base):
    __tablename__ = "countries"
    alpha2: Mapped[str] = mapped_column(String(2), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    numeric: Mapped[str] = mapped_column(String(3))
