"""Importing ACE-style extract files (CONTRACTS.md §4): reading files, mapping headers, validating rows.

`readers` opens CSV / XLSX files and streams their rows; `headers` recognises the import kind and maps header
text to canonical column names, turning rows into `app.domain.import_rows.SourceRow`s.
"""
