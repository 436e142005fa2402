"""Validators shared by both apps.

The unified social credit code (统一社会信用代码, GB 32100-2015) identifies every Chinese
company. Its 18th character is a check character over the first 17, so a mistyped code can be
caught at entry instead of silently creating a second record of the same enterprise.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
USCC_LENGTH = 18
# The weight of position i (1-based) is 3^(i-1) mod 31.
USCC_WEIGHTS = [pow(3, i, 31) for i in range(USCC_LENGTH - 1)]
# Database-side shape check (the check character itself needs arithmetic a CHECK can't do).
USCC_REGEX = r"^[0-9A-HJ-NP-RTUW-Y]{18}$"


def normalize_uscc(value: str) -> str:
    """Upper-case and strip a code as typed, so that ``91350100m000100y43`` is the same company."""
    return (value or "").strip().upper()


def uscc_check_character(first17: str) -> str:
    """The check character GB 32100-2015 assigns to the first 17 characters."""
    total = sum(
        USCC_ALPHABET.index(char) * weight
        for char, weight in zip(first17, USCC_WEIGHTS, strict=True)
    )
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> None:
    """Reject a code of the wrong length, with a forbidden letter, or a wrong check character."""
    code = normalize_uscc(value)
    if len(code) != USCC_LENGTH:
        raise ValidationError(
            _("A unified social credit code has 18 characters, not %(length)d"),
            code="uscc_length",
            params={"length": len(code)},
        )
    bad = sorted({char for char in code if char not in USCC_ALPHABET})
    if bad:
        raise ValidationError(
            _("A unified social credit code cannot contain: %(chars)s"),
            code="uscc_characters",
            params={"chars": ", ".join(bad)},
        )
    if uscc_check_character(code[:17]) != code[17]:
        raise ValidationError(
            _("Invalid unified social credit code check character"), code="uscc_check"
        )
