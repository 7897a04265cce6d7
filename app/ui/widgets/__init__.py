"""Reusable widgets shared by screens: KPI cards, a wrapping card row, themed charts."""
