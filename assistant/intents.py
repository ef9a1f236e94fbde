"""What is asked, from the folded message: keyword rules, checked in this order.

Rules read folded text (no diacritics), so "mất bao lâu" and "mat bao lau" are the same.
A message that names no procedure but asks one of these is a follow-up on the last one found.
"""

import re

from procedures.parsing import fold

STATUS = "status"
DOCUMENTS = "documents"
FEE = "fee"
TIME = "time"
WHERE = "where"
ONLINE = "online"
FOLLOW = "follow"
PROCEDURE = "procedure"

# Circular 01/2018 art. 19: agency id, reception date, daily number (000.00.06.H56-231027-0361);
# the middle parts of an agency id take up to three characters (the portal's desks may number
# past 99).
DOSSIER_CODE = re.compile(
    r"\b[0-9A-Z]{3}\.[0-9A-Z]{2,3}\.[0-9A-Z]{2,3}\.[A-Z][0-9A-Z]{2}-\d{6}-\d{4}\b", re.I
)
VERIFIER = re.compile(r"(?<![\d.-])\d{4}(?![\d.-])")

RULES: list[tuple[str, tuple[str, ...]]] = [
    (
        STATUS,
        (
            "tinh trang ho so",
            "ho so cua toi",
            "ho so den dau",
            "tien do ho so",
            "tra cuu ho so",
            "ma ho so",
            "ho so toi",
        ),
    ),
    (FOLLOW, ("theo doi", "danh gia", "tra cuu tien do", "xem tien do", "hai long")),
    (
        ONLINE,
        (
            "truc tuyen",
            "online",
            "qua mang",
            "tren mang",
            "qua internet",
            "tai nha",
            "dich vu cong",
        ),
    ),
    (
        FEE,
        (
            "le phi",
            "phi",
            "bao nhieu tien",
            "mat tien",
            "ton tien",
            "chi phi",
            "het bao nhieu",
            "mien phi",
            "tien",
        ),
    ),
    (
        TIME,
        (
            "bao lau",
            "may ngay",
            "thoi gian",
            "thoi han",
            "bao nhieu ngay",
            "khi nao co",
            "lau khong",
            "lau ko",
            "mat may",
            "may hom",
            "bao gio co",
        ),
    ),
    (
        DOCUMENTS,
        (
            "giay to",
            "can gi",
            "can nhung gi",
            "ho so gom",
            "chuan bi",
            "mang theo",
            "thanh phan",
            "mang gi",
            "can mang",
            "nhung gi",
            "hs gom",
        ),
    ),
    (
        WHERE,
        (
            "o dau",
            "nop o",
            "dia chi",
            "cho nao",
            "gio lam viec",
            "may gio",
            "mo cua",
            "noi nop",
            "di dau",
            "lam o",
            "nop tai",
        ),
    ),
]

# Words of the rules and of questions in general: what is left after removing them says
# whether the message names a procedure or only asks about the last one.
_FILLER = set(
    "a ah oi nhe nha vay the nao sao gi la co khong ko duoc dc thi can phai minh toi em anh chi "
    "ban cho hoi xin muon lam the nay do ay roi ma nhu va voi cua con nua them".split()
)


def detect(message: str) -> str:
    if DOSSIER_CODE.search(message or ""):
        return STATUS
    padded = f" {fold(message)} "
    for intent, phrases in RULES:
        if any(f" {p} " in padded for p in phrases):
            return intent
    return PROCEDURE


def content_words(message: str) -> list[str]:
    """The words left once the question words are taken out: few means a follow-up."""
    padded = f" {fold(message)} "
    for _, phrases in RULES:
        for phrase in phrases:
            padded = padded.replace(f" {phrase} ", " ")
    return [w for w in padded.split() if w not in _FILLER]
