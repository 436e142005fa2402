"""Model and form fields for money, shared by every model that records yuan.

``MoneyField`` is a ``DecimalField`` (16 digits, 2 decimals: fen) that

* refuses amounts above ``tracker.money.MAX_AMOUNT`` (10^12 yuan) with one clear message,
  instead of a count of digits; every model declares the matching CHECK constraint too;
* always *reads*, whatever the database holds. SQLite keeps decimals as doubles; Django
  rebuilds a Decimal from 15 significant digits and then quantises it to the column's two
  decimals in the field's ``context``, which has only ``max_digits`` of precision. A value
  stored before the maximum existed (up to 10^14 yuan), or written by hand, needs more and
  raised ``InvalidOperation``: the project page, its list, the admin, the exports and
  ``dumpdata`` all failed from then on, so the row could be neither seen nor corrected. Here
  that quantisation gets the precision any finite double needs and traps nothing (an infinity
  reads as NaN), so the row loads, shows its (rounded) figure, and validation asks for a
  correct one at the next save.
"""

import decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator, MaxValueValidator
from django.db import models
from django.utils.functional import cached_property

from tracker.money import AMOUNT_TOO_LARGE, MAX_AMOUNT

MONEY_MAX_DIGITS = 16
MONEY_DECIMAL_PLACES = 2
# Digits needed to quantise the largest finite double (about 1.8e308) to two decimals.
READ_PRECISION = 312


class MoneyFormField(forms.DecimalField):
    """Yuan with at most two decimals and at most ``MAX_AMOUNT``, refused with one message.

    The digit count of the column is not checked separately: the maximum already bounds it,
    and "no more than 16 digits" says less than "cannot exceed 1 trillion yuan".
    """

    def __init__(self, *, max_digits=None, decimal_places=MONEY_DECIMAL_PLACES, **kwargs):
        super().__init__(max_digits=None, decimal_places=decimal_places, **kwargs)

    def to_python(self, value):
        """Decimal("Infinity"), "NaN" and "sNaN" are refused here, not merely in ``validate``:
        ``has_changed`` compares the typed value with the initial one, and comparing a
        signalling NaN raises (an edit form with "sNaN" in an amount answered 500)."""
        value = super().to_python(value)
        if value is not None and not value.is_finite():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return value

    def validate(self, value):
        super().validate(value)
        if value is not None and value > MAX_AMOUNT:
            raise ValidationError(AMOUNT_TOO_LARGE, code="max_value")


class MoneyField(models.DecimalField):
    """Yuan as an exact Decimal (fen), at most 10^12; see the module docstring."""

    default_validators = [MaxValueValidator(MAX_AMOUNT, message=AMOUNT_TOO_LARGE)]

    def __init__(
        self,
        verbose_name=None,
        name=None,
        max_digits=MONEY_MAX_DIGITS,
        decimal_places=MONEY_DECIMAL_PLACES,
        **kwargs,
    ):
        super().__init__(verbose_name, name, max_digits, decimal_places, **kwargs)

    @cached_property
    def validators(self):
        """Field validators, then the places check (the size is the maximum's job)."""
        return [
            *self.default_validators,
            *self._validators,
            DecimalValidator(None, self.decimal_places),
        ]

    @cached_property
    def context(self):
        """The context SQLite's converter quantises a stored value in: wide, trapping nothing."""
        return decimal.Context(prec=READ_PRECISION, traps=[])

    def to_python(self, value):
        """As DecimalField, but a float is rounded to the column's digits, not ``context``'s."""
        if isinstance(value, float):
            value = decimal.Context(prec=self.max_digits).create_decimal_from_float(value)
        return super().to_python(value)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": MoneyFormField, **kwargs})


def money_max_constraint(field: str) -> models.CheckConstraint:
    """The database's half of the maximum: ``<field> <= MAX_AMOUNT``, named after the field."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__lte": MAX_AMOUNT}),
        name=f"%(app_label)s_%(class)s_{field}_at_most_max",
        violation_error_message=AMOUNT_TOO_LARGE,
    )
