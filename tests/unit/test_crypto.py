"""Field encryption: AES-256-GCM with key ids, random nonces and the row's identity as associated data."""
from __future__ import annotations

import pytest

from app.security import crypto
from app.security.keyring import KeyConfigError, load_keyring, new_keyring, parse_keyring


def test_round_trip_of_thai_text():
    ring = new_keyring()
    sealed = crypto.encrypt_text("นายสมชาย ใจดี 081-234-5678", "case:1:reporter", ring)
    assert "สมชาย" not in sealed and "081" not in sealed
    assert crypto.decrypt_text(sealed, "case:1:reporter", ring) == "นายสมชาย ใจดี 081-234-5678"


def test_value_copied_to_another_row_fails_to_decrypt():
    ring = new_keyring()
    sealed = crypto.encrypt_text("ความลับ", "case:aaa:reporter", ring)
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_text(sealed, "case:bbb:reporter", ring)


def test_same_value_encrypts_differently_each_time():
    ring = new_keyring()
    assert crypto.encrypt_text("x", "a", ring) != crypto.encrypt_text("x", "a", ring)


def test_tampered_value_is_rejected():
    ring = new_keyring()
    sealed = crypto.encrypt_bytes(b"secret", "a", ring)
    tampered = sealed[:-1] + bytes([sealed[-1] ^ 1])
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_bytes(tampered, "a", ring)


def test_value_names_its_key_and_old_keys_still_decrypt_after_adding_one():
    ring = new_keyring()
    old = crypto.encrypt_text("เก่า", "a", ring)
    assert crypto.key_id_of(old) == "k1"
    ring.add_key()
    assert ring.active == "k2"
    assert crypto.key_id_of(crypto.encrypt_text("ใหม่", "a", ring)) == "k2"
    assert crypto.decrypt_text(old, "a", ring) == "เก่า"


def test_unknown_key_id_is_a_decryption_error():
    ring = new_keyring()
    sealed = crypto.encrypt_text("x", "a", ring)
    other = new_keyring()
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_text(sealed, "a", other)


def test_ciphertext_carries_no_timestamp(monkeypatch):
    """Fernet embeds the time of encryption; our format is only version, key id, nonce and ciphertext."""
    ring = new_keyring()
    sealed = crypto.encrypt_bytes(b"", "a", ring)
    assert len(sealed) == len(b"v1:k1:") + 12 + 16


def test_keyring_file_round_trip_and_permissions(tmp_path):
    path = tmp_path / "keyring.json"
    ring = load_keyring(path, generate=True)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    again = load_keyring(path, generate=False)
    assert again.keys == ring.keys and again.index_key == ring.index_key


def test_missing_keyring_refuses_when_not_allowed_to_generate(tmp_path):
    with pytest.raises(KeyConfigError):
        load_keyring(tmp_path / "absent.json", generate=False)


def test_malformed_keyring_is_refused():
    with pytest.raises(KeyConfigError):
        parse_keyring('{"active": "k1", "keys": {"k1": "c2hvcnQ="}, "index_key": "c2hvcnQ="}')
