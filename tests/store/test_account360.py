"""Account 360 queries through their services: header, 12-month figures, holds, compliance (both backends)."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta

import pytest

from app.domain.deadlines import hold_age_business_days
from app.domain.enums import (
    ComplianceEventType,
    CTPATTier,
    HoldCategory,
    PartnershipState,
    Program,
    ThresholdState,
)
from app.domain.errors import NotFoundError
from app.services.account360 import account_compliance, account_header, account_holds, account_overview
from app.services.workspace import Workspace
from app.store import orm
from app.store.queries.account360 import month_starts
from tests.store.factories import (
    add_account,
    add_entry,
    add_event,
    add_hold,
    add_importer_number,
    add_partnership,
)

TODAY = date(2026, 11, 23)  # a Monday


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour))


def test_unknown_and_deleted_accounts_are_not_found(workspace: Workspace) -> None:
    with workspace.database.session() as session:
        gone = add_account(session, "Gone", deleted=True)
    for account_id in (uuid.uuid4(), gone):
        for call in (account_header, account_overview, account_holds, account_compliance):
            with pytest.raises(NotFoundError):
                call(workspace, account_id)


def test_header(workspace: Workspace) -> None:
    with workspace.database.session() as session:
        ae = orm.AccountExecutiveRow(name="Dana Reyes", center_code="ELEC")
        backup = orm.AccountExecutiveRow(name="Sam Ortiz", center_code="ELEC")
        session.add_all([ae, backup])
        session.flush()
        account_id = add_account(session, "Acme Imports", ["12-3456789-00"], dba="Acme")
        add_importer_number(session, account_id, "123-45-6789")  # SSN-based: masked
        add_importer_number(session, account_id, "98-7654321-00", deleted=True)
        account = session.get(orm.AccountRow, account_id)
        assert account is not None
        account.ae_id, account.backup_ae_id, account.risk_segment = ae.id, backup.id, "high"
        add_partnership(session, account_id, "CTPAT_SECURITY", "CERTIFIED", date(2020, 1, 1), tier="TIER1")
        add_partnership(session, account_id, "CTPAT_SECURITY", "VALIDATED", date(2023, 5, 1), tier="TIER3")
        add_partnership(session, account_id, "CTPAT_SECURITY", "SUSPENDED", date(2025, 1, 1), deleted=True)
        add_partnership(session, account_id, "CTPAT_TRADE_COMPLIANCE", "CERTIFIED", date(2024, 2, 1))
    header = account_header(workspace, account_id)

    assert (header.name, header.dba, header.center.value) == ("Acme Imports", "Acme", "ELEC")
    assert header.center_name == "Electronics"
    assert (header.ae_name, header.backup_ae_name, header.risk_segment.value) == (
        "Dana Reyes",
        "Sam Ortiz",
        "high",
    )
    assert header.importer_numbers[0] == "12-345678900"
    assert len(header.importer_numbers) == 2
    assert "6789" in header.importer_numbers[1] and "123-45" not in header.importer_numbers[1]
    ctpat = header.program(Program.CTPAT_SECURITY)
    assert ctpat is not None
    assert (ctpat.state, ctpat.tier, ctpat.effective_on) == (
        PartnershipState.VALIDATED,
        CTPATTier.TIER3,
        date(2023, 5, 1),
    )
    trade = header.program(Program.CTPAT_TRADE_COMPLIANCE)
    assert trade is not None and trade.state is PartnershipState.CERTIFIED
    assert [status.program for status in header.programs] == [
        Program.CTPAT_SECURITY,
        Program.CTPAT_TRADE_COMPLIANCE,
    ]


def test_overview_figures(workspace: Workspace) -> None:
    with workspace.database.session() as session:
        account_id = add_account(session, "Figures")
        other = add_account(session, "Other")
        clean = add_entry(session, account_id, 1, TODAY - timedelta(days=10), lines=3, value_cents=500_000)
        held = add_entry(session, account_id, 2, TODAY - timedelta(days=40), lines=2, duty_cents=1_000)
        examined = add_entry(session, account_id, 3, TODAY - timedelta(days=100), lines=1)
        add_entry(session, account_id, 4, TODAY - timedelta(days=400), lines=5)  # outside the window
        add_entry(session, other, 5, TODAY - timedelta(days=10), lines=9)
        for number in (clean, held):
            session.get(orm.EntryRow, number).release_date = TODAY - timedelta(days=5)  # type: ignore[union-attr]
        session.get(orm.EntryRow, clean).fees_cents = 700  # type: ignore[union-attr]
        placed = TODAY - timedelta(days=20)
        add_hold(session, held, account_id, at(placed), removed_at=at(placed + timedelta(days=7)))
        add_hold(session, examined, account_id, at(TODAY - timedelta(days=3)), exam_type="NII_VACIS")
        add_event(session, account_id, "CM_DISCREPANCY", TODAY - timedelta(days=30))
        add_event(session, account_id, "CF29_PROPOSED", TODAY - timedelta(days=30))
        add_event(session, account_id, "PSC", TODAY - timedelta(days=500))  # outside the window
        for opened, responded in (
            (60, 50),
            (90, 40),
            (5, None),
            (45, None),
        ):  # on time, late, running, overdue
            event = orm.ComplianceEventRow(
                account_id=account_id,
                event_type="CF28",
                opened_on=TODAY - timedelta(days=opened),
                responded_on=None if responded is None else TODAY - timedelta(days=responded),
            )
            session.add(event)
        session.add(
            orm.ComplianceEventRow(
                account_id=account_id,
                event_type="PENALTY_1592",
                opened_on=TODAY - timedelta(days=15),
                proposed_cents=90_000,
                assessed_cents=50_000,
            )
        )
    overview = account_overview(workspace, account_id, today=TODAY)
    kpis = overview.kpis

    assert (kpis.period_start, kpis.period_end) == (TODAY - timedelta(days=364), TODAY)
    assert (kpis.entries, kpis.lines) == (3, 6)
    assert kpis.entered_value_cents == 500_000 + 2 * 100_000
    assert kpis.duty_fees_cents == 2_500 + 700 + 1_000 + 2_500
    assert kpis.exam_rate == pytest.approx(1 / 3)
    assert kpis.hold_rate == pytest.approx(2 / 3)
    assert kpis.first_time_release == pytest.approx(1 / 3)  # released, never held: the first entry only
    days = hold_age_business_days(placed, placed + timedelta(days=7))
    assert kpis.hold_days_median == kpis.hold_days_p90 == days
    assert kpis.cf28_count == 4
    assert kpis.cf28_answered_in_30_days == pytest.approx(1 / 3)  # the running one does not count yet
    assert (kpis.cf29_proposed, kpis.cf29_taken, kpis.psc_count) == (1, 0, 0)
    assert (kpis.penalties, kpis.penalty_proposed_cents, kpis.penalty_assessed_cents) == (1, 90_000, 50_000)
    assert kpis.compliance_rate == pytest.approx(1 - 1 / 6)

    assert [month.month for month in overview.months] == month_starts(TODAY)
    assert overview.months[0].month == date(2025, 12, 1)
    by_month = {month.month: month for month in overview.months}
    assert by_month[date(2026, 11, 1)].entries == 1  # 13 Nov
    assert by_month[date(2026, 10, 1)].entries == 1  # 14 Oct
    assert by_month[date(2026, 8, 1)].entries == 1  # 15 Aug
    assert sum(month.entries for month in overview.months) == 3
    assert by_month[date(2026, 11, 1)].holds_placed == 2


def test_overview_of_an_account_without_activity(workspace: Workspace) -> None:
    with workspace.database.session() as session:
        account_id = add_account(session, "Quiet")
    kpis = account_overview(workspace, account_id, today=TODAY).kpis
    assert (kpis.entries, kpis.lines, kpis.cf28_count) == (0, 0, 0)
    assert kpis.exam_rate is kpis.hold_rate is kpis.compliance_rate is kpis.cf28_answered_in_30_days is None
    assert kpis.hold_days_median is None


def test_month_starts_cross_the_year() -> None:
    assert month_starts(date(2026, 2, 10), 3) == [date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]


def test_holds_open_first_then_newest(workspace: Workspace) -> None:
    with workspace.database.session() as session:
        account_id = add_account(session, "Holds")
        entry = add_entry(session, account_id, 1, TODAY - timedelta(days=90))
        old_open = add_hold(session, entry, account_id, at(TODAY - timedelta(days=40)), category="CET")
        new_open = add_hold(
            session, entry, account_id, at(TODAY - timedelta(days=2)), category="PGA_FDA", owner="PGA"
        )
        old_past = add_hold(
            session,
            entry,
            account_id,
            at(TODAY - timedelta(days=80)),
            removed_at=at(TODAY - timedelta(days=70)),
        )
        new_past = add_hold(
            session,
            entry,
            account_id,
            at(TODAY - timedelta(days=30)),
            removed_at=at(TODAY - timedelta(days=27)),
        )
    result = account_holds(workspace, account_id, today=TODAY)

    assert [hold.hold_id for hold in result.holds] == [old_open, new_open, new_past, old_past]
    assert result.open_count == 2
    first = result.holds[0]
    assert first.category is HoldCategory.CET and first.threshold is ThresholdState.EXCLUSION
    assert first.dwell_business_days == hold_age_business_days(TODAY - timedelta(days=40), TODAY)
    assert result.holds[1].threshold is ThresholdState.OK  # PGA holds have no statutory clock
    past = result.holds[2]
    assert past.threshold is None and not past.is_open
    assert past.dwell_business_days == hold_age_business_days(
        TODAY - timedelta(days=30), TODAY - timedelta(days=27)
    )
    assert first.entry_number.count("-") == 2  # display form
    assert first.port_name  # 2704 is in Schedule D


def test_compliance_events_and_history(workspace: Workspace) -> None:
    with workspace.database.session() as session:
        account_id = add_account(session, "Compliance")
        entry = add_entry(session, account_id, 1, date(2026, 3, 2))
        rows = [
            ("CF28", TODAY - timedelta(days=40), None, None, None),  # due 30 days after: overdue
            ("CF28", TODAY - timedelta(days=25), None, None, None),  # due in 5 days: due soon
            ("CF29_PROPOSED", TODAY - timedelta(days=2), None, None, None),  # due in 18 days: open
            ("CF28", TODAY - timedelta(days=50), None, TODAY - timedelta(days=30), None),  # answered: done
            ("PSC", TODAY - timedelta(days=10), None, None, entry),  # due from the entry date
            ("AUDIT_FA", TODAY - timedelta(days=60), TODAY - timedelta(days=1), None, None),  # recorded due
        ]
        for kind, opened, due, responded, entry_number in rows:
            session.add(
                orm.ComplianceEventRow(
                    account_id=account_id,
                    event_type=kind,
                    opened_on=opened,
                    due_on=due,
                    responded_on=responded,
                    entry_number=entry_number,
                    reference=f"REF-{kind}",
                )
            )
        add_event(session, account_id, "PROTEST", TODAY, deleted=True)
        add_partnership(session, account_id, "CTPAT_TRADE_COMPLIANCE", "CERTIFIED", date(2024, 2, 1))
        add_partnership(session, account_id, "CTPAT_SECURITY", "CERTIFIED", date(2020, 1, 1), tier="TIER1")
        add_partnership(
            session, account_id, "CTPAT_SECURITY", "VALIDATED", date(2023, 5, 1), tier="TIER2",
            next_validation_due=date(2027, 5, 1),
        )  # fmt: skip
    result = account_compliance(workspace, account_id, today=TODAY)

    by_kind_opened = {(event.event_type.value, event.opened_on): event for event in result.events}
    assert len(result.events) == 6
    assert [event.opened_on for event in result.events] == sorted(
        (event.opened_on for event in result.events), reverse=True
    )
    states = {key: event.due_state for key, event in by_kind_opened.items()}
    assert states[("CF28", TODAY - timedelta(days=40))] == "overdue"
    assert states[("CF28", TODAY - timedelta(days=25))] == "due_soon"
    assert states[("CF29_PROPOSED", TODAY - timedelta(days=2))] == "open"
    assert states[("CF28", TODAY - timedelta(days=50))] == "done"
    assert states[("AUDIT_FA", TODAY - timedelta(days=60))] == "overdue"
    cf28 = by_kind_opened[("CF28", TODAY - timedelta(days=40))]
    assert cf28.due_on == TODAY - timedelta(days=10)
    assert cf28.type_label == "CF-28" and cf28.reference == "REF-CF28"
    psc = by_kind_opened[("PSC", TODAY - timedelta(days=10))]
    assert psc.due_on == date(2026, 3, 2) + timedelta(days=299)  # estimated liquidation - 15 days
    assert psc.entry_number.startswith("ABC-")
    assert psc.event_type is ComplianceEventType.PSC

    assert [(s.program, s.state, s.tier) for s in result.history] == [
        (Program.CTPAT_SECURITY, PartnershipState.VALIDATED, CTPATTier.TIER2),
        (Program.CTPAT_SECURITY, PartnershipState.CERTIFIED, CTPATTier.TIER1),
        (Program.CTPAT_TRADE_COMPLIANCE, PartnershipState.CERTIFIED, CTPATTier.NONE),
    ]
    assert result.history[0].next_validation_due == date(2027, 5, 1)
