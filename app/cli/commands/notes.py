"""`ae-workbench note add ACCOUNT TEXT` and `ae-workbench notes ACCOUNT`.

An account is named by any of its importer numbers (any accepted spelling) or by its id; the notes service
resolves the reference and raises NotFoundError (exit 2) for an unknown one.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from app.cli.commands import open_workspace
from app.cli.output import iso_datetime, print_json, print_table
from app.cli.parsing import add_command, add_json_flag, add_subcommands, iso_date
from app.domain.enums import NoteKind

if TYPE_CHECKING:
    from app.domain.model import Note

ACCOUNT_HELP = "the account: one of its importer numbers (any spelling) or its id"


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    group = add_command(subparsers, "note", "log a note or contact on an account")
    actions = add_subcommands(group, title="actions", dest="action", required=True)
    add = add_command(actions, "add", "log a note, call, email, meeting or visit on an account")
    add.add_argument("account", metavar="IOR_OR_ACCOUNT_ID", help=ACCOUNT_HELP)
    add.add_argument("text", metavar="TEXT", help="the note (quote it)")
    add.add_argument(
        "--kind", choices=[kind.value for kind in NoteKind], default=NoteKind.NOTE.value, help="default: note"
    )
    add.add_argument("--follow-up", metavar="YYYY-MM-DD", type=iso_date, help="date to follow up on")
    add.set_defaults(handler=run_add)

    listing = add_command(subparsers, "notes", "list an account's notes, newest first")
    listing.add_argument("account", metavar="IOR_OR_ACCOUNT_ID", help=ACCOUNT_HELP)
    add_json_flag(listing)
    listing.set_defaults(handler=run_list)


def run_add(args: argparse.Namespace) -> int:
    from app.services.notes import add_note

    with open_workspace(args) as workspace:
        note = add_note(
            workspace, args.account, args.text, kind=NoteKind(args.kind), follow_up=args.follow_up
        )
    follow_up = f", follow up on {note.follow_up_on.isoformat()}" if note.follow_up_on else ""
    print(f"{note.kind} {note.id} added{follow_up}")
    return 0


def run_list(args: argparse.Namespace) -> int:
    from app.services.notes import list_notes

    with open_workspace(args) as workspace:
        notes = list_notes(workspace, args.account)
    if args.json:
        print_json([note_json(note) for note in notes])
    elif not notes:
        print("no notes")
    else:
        rows = [
            (
                note.created_at.strftime("%Y-%m-%d %H:%M"),
                str(note.kind),
                note.author,
                note.follow_up_on.isoformat() if note.follow_up_on else "",
                note.text,
            )
            for note in notes
        ]
        print_table(("CREATED (UTC)", "KIND", "AUTHOR", "FOLLOW UP", "TEXT"), rows)
    return 0


def note_json(note: Note) -> dict[str, object]:
    """CONTRACTS.md §2: exactly these keys; ISO strings, null when there is no follow-up."""
    return {
        "id": str(note.id),
        "created_at": iso_datetime(note.created_at),
        "author": note.author,
        "kind": str(note.kind),
        "text": note.text,
        "follow_up": note.follow_up_on.isoformat() if note.follow_up_on else None,
    }
