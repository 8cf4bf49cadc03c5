"""Who a report names: the staff directory offered to reporters, and matching typed names to staff accounts.

The directory holds positions and units only (what an organisation publishes anyway), never names or
contact data. A typed name, position and unit are compared with every active account after Thai-aware
normalisation: titles and ranks (นาย, นางสาว, น.ส., ว่าที่ร.ต., ดร., ผศ. …), informal address (พี่, คุณ …),
spaces, zero-width characters, Thai digits, and a sound skeleton that forgives the spelling variants
people type for the same name (ศ/ษ/ส, ธ/ท, ณ/น, tone marks, silent letters). Matching leans towards
excluding: a wrong exclusion is corrected by two people later, a missed one shows the report to the
person it accuses.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

from sqlalchemy import select

from ...extensions import db
from ...models import User
from ...models.people import EXECUTIVE
from ...security.hashing import keyed_hash

#: Similarity (0..1) of two sound skeletons from which two names are taken to be the same.
NAME_THRESHOLD = 0.84
#: A position or unit counts as the same from this similarity on.
PLACE_THRESHOLD = 0.8

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")

#: Titles, ranks and forms of address that may stand before a name (longest first when matched).
_TITLES = sorted({
    "นาย", "นาง", "นางสาว", "น.ส.", "นส.", "ด.ช.", "ด.ญ.", "เด็กชาย", "เด็กหญิง", "คุณ", "ท่าน",
    "ว่าที่ร้อยตรี", "ว่าที่ร้อยโท", "ว่าที่ร้อยเอก", "ว่าที่ร.ต.", "ว่าที่ร.ท.", "ว่าที่ร.อ.", "ว่าที่",
    "ร้อยตรี", "ร้อยโท", "ร้อยเอก", "ร.ต.", "ร.ท.", "ร.อ.", "พ.ต.", "พ.ท.", "พ.อ.", "จ.ส.อ.", "จ.ส.ท.", "จ.ส.ต.",
    "ส.อ.", "ส.ท.", "ส.ต.", "ด.ต.", "ร.ต.อ.", "ร.ต.ท.", "ร.ต.ต.", "พ.ต.อ.", "พ.ต.ท.", "พ.ต.ต.",
    "ดร.", "ดร", "ผศ.", "รศ.", "ศ.", "ผศ.ดร.", "รศ.ดร.", "นพ.", "พญ.", "ทพ.", "ภก.", "ภญ.",
    "พี่", "น้อง", "ลุง", "ป้า", "น้า", "อา", "ครู", "หมอ", "เจ๊", "เฮีย",
    "mr.", "mrs.", "ms.", "miss", "dr.", "mr", "mrs", "ms", "dr",
}, key=len, reverse=True)

#: Letters heard alike in names, each mapped to one representative (Thai has several letters per sound).
_SOUNDS = str.maketrans({
    "ศ": "ส", "ษ": "ส", "ซ": "ส",
    "ณ": "น", "ญ": "ย",
    "ฐ": "ท", "ฑ": "ท", "ฒ": "ท", "ถ": "ท", "ธ": "ท",
    "ฏ": "ต", "ฎ": "ด",
    "ภ": "พ", "ผ": "พ",
    "ฝ": "ฟ", "ฆ": "ค", "ฅ": "ค", "ฃ": "ข",
    "ฬ": "ล", "ร": "ล",
    "ใ": "ไ", "ฤ": "ร",
})
#: Tone marks, the silent-letter mark's neighbour and other signs people leave out or add.
_DROP = re.compile(r"[\u0e48-\u0e4b\u0e47\u0e4d\u0e4e\u0e2f\u0e46.\-'’,]")
_SILENT = re.compile(r".[\u0e31-\u0e3a\u0e47-\u0e4b]*\u0e4c")  # a letter (and its vowel) under ์ is not said
#: ร after ส/ศ/ซ/ท at the start of a syllable is silent (ศรี, สร้าง, ทราย are said สี, ส้าง, ซาย).
_SILENT_R = re.compile(r"(?<=[สศซษ])ร|(?<=ท)ร(?=[ \u0e30-\u0e4e]|$)")
#: Final consonants are said as one of six sounds: -k, -t, -p, -n, -m, -ng (only the first four vary in spelling).
_FINALS = ((re.compile(r"[ขคฆ](?= |$)"), "ก"), (re.compile(r"[ตทธฐฑฒถจชซสศษ](?= |$)"), "ด"),
           (re.compile(r"[ปพภฟ](?= |$)"), "บ"), (re.compile(r"[ญณรลฬ](?= |$)"), "น"))


def clean(text: str) -> str:
    """NFC, no zero-width characters, Arabic digits, single spaces, lower case (for Latin letters)."""
    text = unicodedata.normalize("NFC", text or "").translate(_ZERO_WIDTH).translate(_THAI_DIGITS)
    return " ".join(text.lower().split())


def strip_titles(text: str) -> str:
    """Drop every leading title and form of address (``ว่าที่ร.ต.ดร.สมชาย`` → ``สมชาย``).

    "นาย" before "ก" is kept when the rest reads as a position (นายก อบต., นายกเทศมนตรี), not a name.
    """
    text = clean(text)
    changed = True
    while changed and text:
        changed = False
        for title in _TITLES:
            if text.startswith(title) and len(text) > len(title):
                rest = text[len(title):].lstrip()
                if title == "นาย" and rest.startswith("ก") and _is_executive_title(text):
                    return text
                text, changed = rest, True
                break
    return text


def _is_executive_title(text: str) -> bool:
    compact = text.replace(" ", "")
    return compact.startswith(("นายกอบต", "นายกองค์การ", "นายกเทศมนตรี", "นายกฯ"))


def skeleton(text: str, *, silent: bool = True) -> str:
    """How a name sounds, roughly: letters heard alike merged, tone marks and silent letters dropped,
    word-final consonants by the sound they make. ``silent=False`` keeps the letters under ์ (people often
    leave the mark out and write the letters as if said)."""
    text = clean(text)
    text = _SILENT.sub("", text) if silent else text.replace("\u0e4c", "")
    text = _DROP.sub("", _SILENT_R.sub("", text))
    for pattern, sound in _FINALS:
        text = pattern.sub(sound, text)
    return text.translate(_SOUNDS).replace(" ", "")


def similarity(a: str, b: str) -> float:
    """0..1: how alike two skeletons are (1 for equal)."""
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def alike(a: str, b: str) -> float:
    """0..1: how alike two typed names sound, whether or not silent letters were written as said."""
    return max(similarity(skeleton(a, silent=x), skeleton(b, silent=y)) for x in (True, False) for y in (True, False))


# ---------------------------------------------------------------- the directory

@dataclass(frozen=True)
class DirectoryEntry:
    """One position in one unit, as a reporter may choose it; ``key`` is what the form sends."""

    key: str
    unit: str
    position: str


def _entry_key(unit: str, position: str) -> str:
    return keyed_hash("directory", f"{clean(unit)}\x00{clean(position)}")[:20]


def _staff() -> list[User]:
    return list(db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.id)))


def _unit_name(user: User) -> str:
    return user.unit.name if user.unit is not None else ""


def directory() -> list[DirectoryEntry]:
    """The positions of active staff, by unit (executives first): structure only, never who holds them."""
    seen: dict[str, DirectoryEntry] = {}
    for user in _staff():
        if not user.position.strip():
            continue
        unit = _unit_name(user)
        key = _entry_key(unit, user.position)
        seen.setdefault(key, DirectoryEntry(key, unit, user.position.strip()))
    return sorted(seen.values(), key=lambda e: (e.unit != "", e.unit, e.position))


def directory_entry(key: str) -> DirectoryEntry | None:
    """The entry a form sent, or None when it is unknown (e.g. the position changed meanwhile)."""
    return next((entry for entry in directory() if entry.key == key), None) if key else None


# ---------------------------------------------------------------- matching

@dataclass(frozen=True)
class Match:
    """A staff account a report likely names, and why."""

    user: User
    #: "directory", "name", "first_name", "last_name", "position" or "executive".
    basis: str


def _names(user: User) -> tuple[str, str, str]:
    """(whole name, first name, last name) without titles."""
    parts = strip_titles(user.full_name).split(" ")
    first, last = parts[0], parts[-1] if len(parts) > 1 else ""
    return " ".join(parts), first, last


def _same_place(typed: str, actual: str) -> bool:
    typed_sound, actual_sound = skeleton(typed), skeleton(actual)
    if not typed_sound or not actual_sound:
        return False
    return typed_sound in actual_sound or actual_sound in typed_sound or alike(typed, actual) >= PLACE_THRESHOLD


def _by_name(typed: str, staff: list[User], position: str, unit: str) -> list[Match]:
    """Staff whose name the typed text is: the whole name, or a first or last name backed by more."""
    typed_words = strip_titles(typed).split(" ")
    whole = " ".join(typed_words)
    if not skeleton(whole):
        return []
    matches = []
    first_hits = []
    for user in staff:
        name, first, last = _names(user)
        place = (position and _same_place(position, user.position)) or (unit and _same_place(unit, _unit_name(user)))
        if alike(whole, name) >= NAME_THRESHOLD:
            matches.append(Match(user, "name"))
        elif len(typed_words) == 1 and first and alike(whole, first) >= NAME_THRESHOLD:
            first_hits.append((user, place))
        elif last and any(alike(w, last) >= NAME_THRESHOLD for w in typed_words[1:] or typed_words) and place:
            matches.append(Match(user, "last_name"))
        elif len(typed_words) > 1 and first and alike(typed_words[0], first) >= NAME_THRESHOLD:
            first_hits.append((user, place))
    # A first name alone (people often know only that, or a nickname-free form of it): all who bear it,
    # narrowed to those whose position or unit also fits when the reporter gave one that fits somebody.
    placed = [user for user, place in first_hits if place]
    for user in placed or [user for user, _place in first_hits]:
        matches.append(Match(user, "first_name"))
    return matches


def _by_position(position: str, unit: str, staff: list[User]) -> list[Match]:
    """Staff holding the typed position (in the typed unit, when given); the executive by title."""
    matches = []
    for user in staff:
        if _is_executive_title(clean(position)) and user.has_role(EXECUTIVE):
            matches.append(Match(user, "executive"))
        elif position and _same_place(position, user.position) and (not unit or _same_place(unit, _unit_name(user))):
            matches.append(Match(user, "position"))
    return matches


def find(name: str = "", position: str = "", unit: str = "", directory_key: str = "") -> list[Match]:
    """The staff accounts a report likely names (each once, strongest reason first)."""
    staff = _staff()
    found: dict[int, Match] = {}

    def add(matches: list[Match]) -> None:
        for match in matches:
            found.setdefault(match.user.id, match)

    entry = directory_entry(directory_key)
    if entry is not None:
        add([Match(u, "directory") for u in staff
             if _entry_key(_unit_name(u), u.position) == entry.key])
    if clean(name):
        add(_by_name(name, staff, position, unit))
        # A typed title such as "นายก อบต." in the name box names the executive.
        if _is_executive_title(clean(name)):
            add(_by_position(name, "", staff))
    if clean(position):
        add(_by_position(position, unit, staff))
    return list(found.values())
