"""Sealing a trip pack: the SQLite subset's bytes encrypted under a passphrase, so a lost laptop bag does not
hand out the accounts it carries.

Layout: `AEWPACK1` (8 bytes) + scrypt salt (16) + AES-GCM nonce (12) + ciphertext (with GCM's 16-byte tag).
The key is scrypt(passphrase, salt, n=2**15, r=8, p=1, 32 bytes). The magic and the salt are GCM's associated
data, so changing either one fails the tag check just like a changed ciphertext byte.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from app.domain.errors import ValidationError

MAGIC = b"AEWPACK1"
SALT_BYTES = 16
NONCE_BYTES = 12
TAG_BYTES = 16
HEADER_BYTES = len(MAGIC) + SALT_BYTES + NONCE_BYTES
MIN_PASSPHRASE = 8
PACK_SUFFIX = ".aewpack"
PACK_FILE_NAME = f"AE Workbench trip pack{PACK_SUFFIX}"
# scrypt cost: ~0.1 s and 32 MB per derivation, once per make or open; a guesser pays the same per try.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
WRONG_PASSPHRASE = "wrong passphrase, or the trip pack is damaged"


def check_passphrase(passphrase: str) -> None:
    """ValidationError unless the passphrase has at least MIN_PASSPHRASE characters."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise ValidationError(
            f"the passphrase needs at least {MIN_PASSPHRASE} characters", field="passphrase"
        )


def _key(passphrase: str, salt: bytes) -> bytes:
    kdf = Scrypt(salt=salt, length=32, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
    return kdf.derive(passphrase.encode("utf-8"))


def seal(data: bytes, passphrase: str) -> bytes:
    """`data` encrypted under `passphrase`, in the trip pack layout."""
    check_passphrase(passphrase)
    salt, nonce = os.urandom(SALT_BYTES), os.urandom(NONCE_BYTES)
    associated = MAGIC + salt
    ciphertext = AESGCM(_key(passphrase, salt)).encrypt(nonce, data, associated)
    return associated + nonce + ciphertext


def is_sealed(blob: bytes) -> bool:
    return blob[: len(MAGIC)] == MAGIC and len(blob) >= HEADER_BYTES + TAG_BYTES


def unseal(blob: bytes, passphrase: str) -> bytes:
    """The data `seal` was given; ValidationError for a file that is not a trip pack, and for a wrong
    passphrase or any changed byte (the two cannot be told apart, by design)."""
    if not is_sealed(blob):
        raise ValidationError("this file is not an AE Workbench trip pack", field="path")
    salt = blob[len(MAGIC) : len(MAGIC) + SALT_BYTES]
    nonce = blob[len(MAGIC) + SALT_BYTES : HEADER_BYTES]
    try:
        return AESGCM(_key(passphrase, salt)).decrypt(nonce, blob[HEADER_BYTES:], MAGIC + salt)
    except InvalidTag as exc:
        raise ValidationError(WRONG_PASSPHRASE, field="passphrase") from exc
