"""Undoable note edits for the notes tab: add, edit and delete, each written through `services.notes`.

The writes are one small statement each, so they run on the GUI thread inside redo()/undo(), as the
follow-ups screen's MarkDoneCommand does. A write that fails marks the command obsolete, so the stack drops it
and never holds a step that did not happen. Undo of add tombstones the note; its redo restores the same row.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from app.domain.activity import NoteActivity
from app.domain.model import Note
from app.services import notes as service
from app.ui.account.note_composer import NoteDraft

if TYPE_CHECKING:
    from app.ui.account.notes_tab import NotesTab


def _preview(text: str) -> str:
    first = text.split("\n", 1)[0]
    return first if len(first) <= 40 else first[:39] + "…"


class _NoteCommand(QUndoCommand):
    def __init__(self, tab: NotesTab, text: str) -> None:
        super().__init__(text)
        self._tab = tab

    def _write(self, write: Callable[[], object], *, from_composer: bool = False) -> bool:
        """Run `write`; on success tell the tab, on failure show why and drop this command from the stack."""
        try:
            write()
        except Exception as exc:  # shown next to the field, in the bar, or sent to the crash handler
            self._tab.show_write_error(exc, from_composer=from_composer)
            self.setObsolete(True)
            return False
        self._tab.note_written()
        return True


class AddNoteCommand(_NoteCommand):
    def __init__(self, tab: NotesTab, draft: NoteDraft) -> None:
        super().__init__(tab, f"Add note “{_preview(draft.text)}”")
        self._draft = draft
        self.note_id: uuid.UUID | None = None

    def redo(self) -> None:
        if self.note_id is None:
            self._write(self._add, from_composer=True)
        else:
            note_id = self.note_id
            self._write(lambda: service.restore_note(self._tab.context.workspace, note_id))

    def _add(self) -> None:
        draft = self._draft
        note = service.add_note(
            self._tab.context.workspace,
            str(self._tab.account_id),
            draft.text,
            kind=draft.kind,
            follow_up=draft.follow_up,
            entry_number=draft.entry_number,
            include_in_summary=draft.include_in_summary,
            sensitive=draft.sensitive,
            hold_id=draft.hold_id,
        )
        self.note_id = note.id
        self._tab.composer.start_new()

    def undo(self) -> None:
        note_id = self.note_id
        if note_id is not None:
            self._write(lambda: service.delete_note(self._tab.context.workspace, note_id))


def _rewrite(tab: NotesTab, note: Note, *, expected_version: int | None = None) -> Note:
    """Write every editable field of `note` over the stored note (the done state too, so undo is exact)."""
    return service.update_note(
        tab.context.workspace,
        note.id,
        text=note.text,
        kind=note.kind,
        entry_number=note.entry_number,
        hold_id=note.hold_id,
        follow_up=note.follow_up_on,
        include_in_summary=note.include_in_summary,
        sensitive=note.sensitive,
        expected_version=expected_version,
        follow_up_done=note.follow_up_done,
    )


class EditNoteCommand(_NoteCommand):
    def __init__(self, tab: NotesTab, before: NoteActivity, draft: NoteDraft) -> None:
        super().__init__(tab, f"Edit note “{_preview(draft.text)}”")
        self._before = before
        self._draft = draft
        self._after: Note | None = None  # the note as the first redo wrote it

    def redo(self) -> None:
        after = self._after
        if after is None:
            self._write(self._first_write, from_composer=True)
        else:
            self._write(lambda: _rewrite(self._tab, after))

    def _first_write(self) -> None:
        draft, before = self._draft, self._before
        self._after = service.update_note(
            self._tab.context.workspace,
            before.note.id,
            text=draft.text,
            kind=draft.kind,
            entry_number=draft.entry_number,
            hold_id=draft.hold_id,
            follow_up=draft.follow_up,
            include_in_summary=draft.include_in_summary,
            sensitive=draft.sensitive,
            expected_version=before.version,  # an edit made elsewhere since loading is not overwritten
        )
        self._tab.composer.start_new()

    def undo(self) -> None:
        self._write(lambda: _rewrite(self._tab, self._before.note))


class DeleteNoteCommand(_NoteCommand):
    def __init__(self, tab: NotesTab, item: NoteActivity) -> None:
        super().__init__(tab, f"Delete note “{_preview(item.note.text)}”")
        self._note_id = item.note.id

    def redo(self) -> None:
        if self._write(lambda: service.delete_note(self._tab.context.workspace, self._note_id)):
            editing = self._tab.composer.editing
            if editing is not None and editing.note.id == self._note_id:
                self._tab.composer.start_new()

    def undo(self) -> None:
        self._write(lambda: service.restore_note(self._tab.context.workspace, self._note_id))
