"""Account 360: one account's header and its tabs (overview, entries, holds, notes, compliance, contacts,
action plan)."""
