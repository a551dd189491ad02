"""Argon2PasswordHasher (fast parameters; one test checks the defaults)."""

from __future__ import annotations

import pytest

from desktop.core.ports import PasswordHasher
from desktop.security.passwords import Argon2PasswordHasher

FAST = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}


@pytest.fixture
def hasher() -> PasswordHasher:
    return Argon2PasswordHasher(**FAST)


def test_hash_and_verify(hasher: PasswordHasher):
    encoded = hasher.hash("correct horse battery staple")
    assert encoded.startswith("$argon2id$v=19$m=1024,t=1,p=1$")
    assert "correct" not in encoded
    assert hasher.verify(encoded, "correct horse battery staple")
    assert not hasher.verify(encoded, "correct horse battery stapl")
    assert not hasher.verify(encoded, "")


def test_salts_differ(hasher: PasswordHasher):
    assert hasher.hash("same") != hasher.hash("same")


@pytest.mark.parametrize("encoded", ["", "not a hash", "$argon2id$v=19$m=1024,t=1,p=1$AAAA$AAAA"])
def test_verify_never_raises(hasher: PasswordHasher, encoded: str):
    assert hasher.verify(encoded, "anything") is False


def test_long_passwords_are_not_truncated(hasher: PasswordHasher):
    long = "パスワード" * 200 + "x"  # 3,001 characters, 9,001 UTF-8 bytes
    encoded = hasher.hash(long)
    assert hasher.verify(encoded, long)
    assert not hasher.verify(encoded, long[:-1])
    assert not hasher.verify(encoded, long[:72])
    assert not hasher.verify(encoded, long + " ")


def test_whitespace_is_significant(hasher: PasswordHasher):
    encoded = hasher.hash(" secret ")
    assert not hasher.verify(encoded, "secret")


def test_unicode_composition_does_not_matter_but_width_does(hasher: PasswordHasher):
    composed = "が"  # U+304C
    decomposed = "か\u3099"  # か + combining voiced mark
    encoded = hasher.hash("pass" + composed)
    assert hasher.verify(encoded, "pass" + decomposed)
    full_width = hasher.hash("ＡＢＣ１２３")
    assert not hasher.verify(full_width, "ABC123")


def test_needs_rehash_when_parameters_rise(hasher: PasswordHasher):
    encoded = hasher.hash("pw")
    assert not hasher.needs_rehash(encoded)
    stronger = Argon2PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1)
    assert stronger.needs_rehash(encoded)
    assert stronger.verify(encoded, "pw")  # old hashes still verify
    assert not stronger.needs_rehash(stronger.hash("pw"))


def test_needs_rehash_for_foreign_hashes(hasher: PasswordHasher):
    assert hasher.needs_rehash("not a hash")
    argon2i = "$argon2i$v=19$m=1024,t=1,p=1$c29tZXNhbHQ$6Rhq2KD8qYI6x6Uk5j/KQPAJ7u0sK0PZZ/2aD+nzk+U"
    assert hasher.needs_rehash(argon2i)


def test_defaults_are_the_production_parameters():
    encoded = Argon2PasswordHasher().hash("pw")
    assert encoded.startswith("$argon2id$v=19$m=65536,t=3,p=2$")
