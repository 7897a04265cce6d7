"""The import wizard (File › Import…, Ctrl+I; the Imports screen's "Import files…").

Four pages: choose the files (button or drag and drop), check each file's kind and column mapping with a
preview of its first rows, see what a dry run would do, then import with progress and Cancel. The pages live
in `import_wizard_pages.py` (files, mapping) and `import_wizard_run.py` (dry run, import); this module holds
what they share: the files being imported (`ImportFile`), the order they are imported in, and the mappings
remembered per header set.

A mapping the user fixed by hand is remembered under a hash of the file's normalised header, so next month's
extract with the same columns opens already mapped.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import QSizePolicy, QWidget, QWizard

from app.domain.enums import ImportKind
from app.domain.errors import UserError
from app.services.importing.headers import normalise_header
from app.services.importing.preview import FilePreview, preview_file
from app.ui.settings import Settings
from app.ui.views.base import ScreenContext

# Dependencies first: holds need their entry, compliance events their importer number's account.
IMPORT_ORDER = tuple(ImportKind)  # the order that respects dependencies (see ImportKind)
KIND_TITLES = {
    ImportKind.ACCOUNTS: "Accounts roster",
    ImportKind.ENTRIES: "Entry summary lines",
    ImportKind.HOLDS: "Holds",
    ImportKind.COMPLIANCE: "Compliance events",
}
MAPPINGS_GROUP = "ui/import_mappings"


@dataclass
class ImportFile:
    """One file in the wizard: its preview once read, or the error that kept it from being read.

    `kind` is the user's choice (None: as recognised); `overrides` the columns the user mapped by hand
    (header text -> canonical column, or None to leave the column out), passed to preview and import.
    """

    path: Path
    preview: FilePreview | None = None
    error: str | None = None
    kind: ImportKind | None = None
    overrides: dict[str, str | None] = field(default_factory=dict)
    changed_by_user: bool = False
    generation: int = 0  # previews overtaken by a newer request are dropped

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def effective_kind(self) -> ImportKind | None:
        if self.kind is not None:
            return self.kind
        return self.preview.kind if self.preview is not None else None

    @property
    def ready(self) -> bool:
        """Readable, of a known kind, every required column mapped and no header error."""
        preview = self.preview
        if preview is None or self.error or preview.kind is None:
            return False
        return not any(issue.severity == "error" for issue in preview.header_issues)


def ordered(files: list[ImportFile]) -> list[ImportFile]:
    """The files in the order that respects dependencies (IMPORT_ORDER), else as chosen."""

    def rank(item: ImportFile) -> int:
        kind = item.effective_kind
        return IMPORT_ORDER.index(kind) if kind in IMPORT_ORDER else len(IMPORT_ORDER)

    return sorted(files, key=rank)


def header_key(header: list[str]) -> str:
    """The settings key of a header set: the same columns, however spelled or ordered, share one key."""
    names = sorted(normalise_header(text) for text in header if text.strip())
    return hashlib.sha256("\x1f".join(names).encode()).hexdigest()[:24]


class MappingMemory:
    """The user's own mappings, per header set, in the settings file."""

    def __init__(self, settings: Settings) -> None:
        self.store = settings.store

    def recall(self, header: list[str]) -> tuple[ImportKind | None, dict[str, str | None]] | None:
        value = self.store.value(f"{MAPPINGS_GROUP}/{header_key(header)}")
        if not value:
            return None
        try:
            saved = json.loads(str(value))
            kind = ImportKind(saved["kind"]) if saved.get("kind") else None
            mapping = {str(k): (str(v) if v else None) for k, v in dict(saved["mapping"]).items()}
        except (ValueError, KeyError, TypeError):
            return None  # written by another version, or edited by hand: start afresh
        return kind, mapping

    def remember(self, header: list[str], kind: ImportKind | None, mapping: dict[str, str | None]) -> None:
        text = json.dumps({"kind": str(kind) if kind else None, "mapping": mapping}, sort_keys=True)
        self.store.setValue(f"{MAPPINGS_GROUP}/{header_key(header)}", text)


class ImportWizard(QWizard):
    """The pages share `files` (in the order chosen) and `context`."""

    file_changed = Signal(object)  # an ImportFile whose preview (or error) has just arrived

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from app.ui.dialogs.import_wizard_mapping import MappingPage
        from app.ui.dialogs.import_wizard_pages import FilesPage
        from app.ui.dialogs.import_wizard_run import DryRunPage, ImportPage

        self.context = context
        self.memory = MappingMemory(context.settings)
        self.files: list[ImportFile] = []
        self.setObjectName("import-wizard")
        self.setWindowTitle("Import files")
        self.setAccessibleName("Import files")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.HaveHelpButton, False)
        self.files_page = FilesPage(self)
        self.mapping_page = MappingPage(self)
        self.dry_run_page = DryRunPage(self)
        self.import_page = ImportPage(self)
        for page in (self.files_page, self.mapping_page, self.dry_run_page, self.import_page):
            # Expanding: the wizard then gives the page its whole height instead of padding below it.
            page.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            self.addPage(page)
        self.resize(QSize(1180, 760))

    def add_files(self, paths: list[Path]) -> None:
        self.files_page.add_paths(paths)

    def request_preview(self, item: ImportFile) -> None:
        """Read the file's header and first rows again (in the background) with its kind and mapping."""
        item.generation += 1
        generation = item.generation
        workspace, path, kind, overrides = self.context.workspace, item.path, item.kind, dict(item.overrides)
        self.context.runner.run(
            lambda _progress, _cancel: preview_file(workspace, path, kind=kind, mapping=overrides or None),
            name=f"preview {item.name}",
            owner=self,
            on_result=lambda preview: self._on_preview(item, generation, preview),
            on_error=lambda exc: self._on_preview_failed(item, generation, exc),
        )

    def _on_preview(self, item: ImportFile, generation: int, preview: FilePreview) -> None:
        if generation != item.generation:
            return
        first_look = item.preview is None and item.kind is None and not item.overrides
        item.preview, item.error = preview, None
        recalled = self.memory.recall(preview.header) if first_look else None
        if recalled is not None:  # this header set was mapped by hand before: do it the same way
            item.kind, item.overrides = recalled[0], _as_written(recalled[1], preview.header)
            self.request_preview(item)
            return
        self.file_changed.emit(item)

    def _on_preview_failed(self, item: ImportFile, generation: int, exc: BaseException) -> None:
        if generation != item.generation:
            return
        if not isinstance(exc, UserError):  # a bug: the crash dialog, as for any task
            sys.excepthook(type(exc), exc, exc.__traceback__)
            return
        item.preview, item.error = None, str(exc)
        self.file_changed.emit(item)

    def remember_mappings(self) -> None:
        """Keep the mapping of every file the user changed by hand, for the next file with its header."""
        for item in self.files:
            if item.changed_by_user and item.preview is not None:
                self.memory.remember(item.preview.header, item.kind, item.overrides)

    def reject(self) -> None:
        """Escape or Cancel while an import runs cancels the import (rolled back) instead of closing."""
        if self.import_page.running:
            self.import_page.cancel_import()
            return
        super().reject()


def _as_written(saved: dict[str, str | None], header: list[str]) -> dict[str, str | None]:
    """A remembered mapping keyed by this file's own header texts ("ENTRY_NO" where it said "Entry No")."""
    written = {normalise_header(text): text for text in header if text.strip()}
    return {
        written[key]: value for name, value in saved.items() if (key := normalise_header(name)) in written
    }


def open_import_wizard(context: ScreenContext, parent: QWidget | None = None) -> ImportWizard:
    """Show a new wizard, window-modal; it deletes itself when closed."""
    wizard = ImportWizard(context, parent)
    wizard.finished.connect(wizard.deleteLater)
    wizard.open()
    return wizard
