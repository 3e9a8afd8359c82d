"""A UK bank account as people write it, checked for its shape, and shown masked.

Sort codes are six digits, written with or without dashes or spaces; account numbers are eight
digits, and a six- or seven-digit number is written with leading zeros, as the banks' own
(Vocalink's) rules say. The modulus check itself is not made: no maintained Python library offers
it (docs/decisions.md), and a wrong but well-formed number is caught when finance checks the
details by a second channel before any payment.
"""

from __future__ import annotations

import re

SEPARATORS = re.compile(r"[\s\-–]")


def digits_of(value: str) -> str:
    return SEPARATORS.sub("", value or "")


def sort_code_problems(value: str) -> tuple[str, list[str]]:
    """The sort code as six digits, and what is wrong with what was typed."""
    code = digits_of(value)
    if not code:
        return "", ["Enter the sort code, like 30-90-89"]
    if not code.isdigit():
        return code, ["A sort code has only numbers: enter it like 30-90-89"]
    if len(code) != 6:
        return code, [f"A sort code has 6 numbers: this has {len(code)}. Enter it like 30-90-89"]
    return code, []


def account_number_problems(value: str) -> tuple[str, list[str]]:
    """The account number as eight digits, and what is wrong with what was typed."""
    number = digits_of(value)
    if not number:
        return "", ["Enter the account number, like 00733445"]
    if not number.isdigit():
        return number, ["An account number has only numbers: enter it like 00733445"]
    if len(number) < 6:
        return number, [f"An account number has 8 numbers (6 or 7 for a few banks): this has {len(number)}"]
    if len(number) > 8:
        return number, [
            f"An account number has 8 numbers: this has {len(number)}. For a building society account "
            "with a roll number, ask the society for the account number to pay"
        ]
    return number.zfill(8), []


def masked_sort_code(code: str) -> str:
    return f"**-**-{code[-2:]}" if len(code) == 6 else "**-**-**"


def masked_account_number(number: str) -> str:
    return f"****{number[-4:]}" if len(number) >= 4 else "********"
