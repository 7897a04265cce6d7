"""Sealing trip packs: AES-GCM under an scrypt key; every changed byte and a wrong passphrase are refused."""

from __future__ import annotations

import pytest

from app.domain.errors import ValidationError
from app.services.sealed import HEADER_BYTES, MAGIC, WRONG_PASSPHRASE, seal, unseal

DATA = b"SQLite format 3\x00" + bytes(range(256)) * 40
PASSPHRASE = "harbour pilot 42"


def test_round_trip_gives_back_the_data_and_hides_it() -> None:
    blob = seal(DATA, PASSPHRASE)
    assert blob.startswith(MAGIC)
    assert DATA[:64] not in blob  # encrypted, not merely wrapped
    assert len(blob) == HEADER_BYTES + len(DATA) + 16  # header, ciphertext, GCM tag
    assert unseal(blob, PASSPHRASE) == DATA


def test_two_seals_of_the_same_data_differ() -> None:
    assert seal(DATA, PASSPHRASE) != seal(DATA, PASSPHRASE)  # fresh salt and nonce each time


def test_wrong_passphrase_is_refused() -> None:
    blob = seal(DATA, PASSPHRASE)
    with pytest.raises(ValidationError, match=WRONG_PASSPHRASE) as caught:
        unseal(blob, "harbour pilot 43")
    assert caught.value.field == "passphrase"


@pytest.mark.parametrize("position", [len(MAGIC) + 3, HEADER_BYTES - 1, HEADER_BYTES + 100, -1])
def test_a_damaged_byte_is_refused(position: int) -> None:
    """A byte of the salt, the nonce, the ciphertext or the tag: each fails the check."""
    blob = bytearray(seal(DATA, PASSPHRASE))
    blob[position] ^= 0x01
    with pytest.raises(ValidationError, match=WRONG_PASSPHRASE):
        unseal(bytes(blob), PASSPHRASE)


@pytest.mark.parametrize("blob", [b"", b"SQLite format 3\x00" + b"\x00" * 100, MAGIC + b"\x00" * 10])
def test_a_file_that_is_not_a_pack_is_refused(blob: bytes) -> None:
    with pytest.raises(ValidationError, match="not an AE Workbench trip pack"):
        unseal(blob, PASSPHRASE)


def test_a_short_passphrase_is_refused() -> None:
    with pytest.raises(ValidationError, match="at least 8 characters") as caught:
        seal(DATA, "1234567")
    assert caught.value.field == "passphrase"
    assert unseal(seal(DATA, "12345678"), "12345678") == DATA  # eight is enough
