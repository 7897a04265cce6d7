"""Enumerations of the customs domain (DOMAIN.md §9.2).

Values are the stored spellings: they go into the database and into import files, so never rename a member's
value without a migration.
"""

from __future__ import annotations

from enum import StrEnum


class CenterCode(StrEnum):
    """The ten Centers of Excellence and Expertise (app-internal short codes, DOMAIN.md §2.2)."""

    ELEC = "ELEC"
    PHC = "PHC"
    AA = "AA"
    PNGM = "PNGM"
    IMM = "IMM"
    MACH = "MACH"
    BM = "BM"
    AGRI = "AGRI"
    AFT = "AFT"
    CPMM = "CPMM"


class IORType(StrEnum):
    EIN = "EIN"
    SSN = "SSN"
    CBP_ASSIGNED = "CBP_ASSIGNED"


class RiskSegment(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class AccountStatus(StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"


class Program(StrEnum):
    """Trusted-partner programs whose status history is kept (DOMAIN.md §3)."""

    CTPAT_SECURITY = "CTPAT_SECURITY"
    CTPAT_TRADE_COMPLIANCE = "CTPAT_TRADE_COMPLIANCE"
    ISA = "ISA"
    TRUSTED_TRADER = "TRUSTED_TRADER"
    MRA_PARTNER = "MRA_PARTNER"


class CTPATTier(StrEnum):
    NONE = "NONE"
    TIER1 = "TIER1"
    TIER2 = "TIER2"
    TIER3 = "TIER3"


class PartnershipState(StrEnum):
    PRE_APPLICANT = "PRE_APPLICANT"
    CERTIFIED = "CERTIFIED"
    VALIDATED = "VALIDATED"
    SUSPENDED = "SUSPENDED"
    REMOVED = "REMOVED"
    INACTIVE = "INACTIVE"


class HoldCategory(StrEnum):
    CBP_GENERAL = "CBP_GENERAL"
    CBP_INTENSIVE = "CBP_INTENSIVE"
    NII = "NII"
    TAILGATE = "TAILGATE"
    CET = "CET"
    DOC_REVIEW = "DOC_REVIEW"
    MANIFEST = "MANIFEST"
    ISF = "ISF"
    PGA_FDA = "PGA_FDA"
    PGA_USDA_APHIS = "PGA_USDA_APHIS"
    PGA_FSIS = "PGA_FSIS"
    PGA_EPA = "PGA_EPA"
    PGA_CPSC = "PGA_CPSC"
    PGA_FCC = "PGA_FCC"
    PGA_NHTSA = "PGA_NHTSA"
    PGA_FWS = "PGA_FWS"
    PGA_NMFS = "PGA_NMFS"
    PGA_ATF = "PGA_ATF"
    PGA_DDTC = "PGA_DDTC"
    PGA_TTB = "PGA_TTB"
    PGA_DEA = "PGA_DEA"
    PGA_OTHER = "PGA_OTHER"
    DETENTION = "DETENTION"
    UFLPA = "UFLPA"
    WRO = "WRO"
    IPR = "IPR"
    GENERAL_ORDER = "GENERAL_ORDER"
    SEIZURE = "SEIZURE"
    CONVEYANCE = "CONVEYANCE"

    @property
    def is_pga(self) -> bool:
        return self.value.startswith("PGA_")


class HoldOwner(StrEnum):
    """Who owns (and can lift) a hold: DOMAIN.md §2.3. The AE coordinates but never releases."""

    PORT = "PORT"
    PGA = "PGA"
    CENTER = "CENTER"


class HoldOutcome(StrEnum):
    OPEN = "OPEN"
    RELEASED = "RELEASED"
    RELEASED_AFTER_EXAM = "RELEASED_AFTER_EXAM"
    REFUSED_EXCLUDED = "REFUSED_EXCLUDED"
    DEEMED_EXCLUDED = "DEEMED_EXCLUDED"
    EXPORTED = "EXPORTED"
    DESTROYED = "DESTROYED"
    SEIZED = "SEIZED"
    GO = "GO"


class ExamType(StrEnum):
    NONE = "NONE"
    NII_VACIS = "NII_VACIS"
    TAILGATE = "TAILGATE"
    CET = "CET"
    INTENSIVE_CES = "INTENSIVE_CES"
    PGA_EXAM = "PGA_EXAM"


class ComplianceEventType(StrEnum):
    CM_DISCREPANCY = "CM_DISCREPANCY"
    CF28 = "CF28"
    CF29_PROPOSED = "CF29_PROPOSED"
    CF29_TAKEN = "CF29_TAKEN"
    PSC = "PSC"
    PROTEST = "PROTEST"
    PRIOR_DISCLOSURE = "PRIOR_DISCLOSURE"
    PENALTY_1592 = "PENALTY_1592"
    LD_CLAIM = "LD_CLAIM"
    SEIZURE = "SEIZURE"
    FORFEITURE_1595A = "FORFEITURE_1595A"
    IPR = "IPR"
    UFLPA_DETENTION = "UFLPA_DETENTION"
    WRO_DETENTION = "WRO_DETENTION"
    EAPA = "EAPA"
    AUDIT_FA = "AUDIT_FA"
    AUDIT_QRA = "AUDIT_QRA"
    AUDIT_RASA = "AUDIT_RASA"
    CTPAT_SUSPENSION = "CTPAT_SUSPENSION"


class Culpability(StrEnum):
    NA = "NA"
    NEGLIGENCE = "NEGLIGENCE"
    GROSS_NEGLIGENCE = "GROSS_NEGLIGENCE"
    FRAUD = "FRAUD"


class LiquidationStatus(StrEnum):
    UNLIQUIDATED = "UNLIQUIDATED"
    SCHEDULED = "SCHEDULED"
    LIQUIDATED = "LIQUIDATED"
    EXTENDED = "EXTENDED"
    SUSPENDED = "SUSPENDED"
    RELIQUIDATED = "RELIQUIDATED"


class NoteKind(StrEnum):
    CALL = "call"
    EMAIL = "email"
    MEETING = "meeting"
    VISIT = "visit"
    NOTE = "note"


class ActionStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"


class ContactRole(StrEnum):
    TRADE_COMPLIANCE_MANAGER = "trade_compliance_manager"
    BROKER = "broker"
    PORT_SUPERVISOR = "port_supervisor"
    PGA_LIAISON = "pga_liaison"
    IMPORT_SPECIALIST = "import_specialist"
    CTPAT_SCSS = "ctpat_scss"
    OTHER = "other"


class ImportKind(StrEnum):
    """The kinds of import file, in the order several files are imported: entries may create accounts, holds
    need their entry, compliance events need their importer number on an account."""

    ACCOUNTS = "accounts"
    ENTRIES = "entries"
    HOLDS = "holds"
    COMPLIANCE = "compliance"


class ThresholdState(StrEnum):
    """Where an open hold stands against its clock (DOMAIN.md §5.6), in rising urgency."""

    OK = "ok"
    DECISION_DUE = "decision_due"  # past day 5: detention decision (or UFLPA response window running)
    NOTICE_DUE = "notice_due"  # past day 10: detention notice expected
    EXCLUSION = "exclusion"  # past day 30: deemed exclusion / UFLPA response deadline passed
