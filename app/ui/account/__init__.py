"""Account 360: one account's header and tabs (overview, entries, holds, notes, compliance, contacts, plan)."""
