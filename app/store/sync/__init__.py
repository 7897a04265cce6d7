"""Sync between a laptop's SQLite replica and the Center's PostgreSQL team server (docs/sync.md)."""
