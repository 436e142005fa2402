"""Model and form fields for money, shared by every model and form that records yuan.

``MoneyFormField`` reads what a person types with ``tracker.formatting.parse_amount``, the
parser the import uses too: "1,234.5", "12.5万", "1.2亿", full-width digits. Its widget,
``MoneyInput``, is a text input (a number input would not let anyone type 万) that shows the
amount in 万元 beside it.

``MoneyField`` is a ``DecimalField`` (16 digits, 2 decimals: fen) that

* refuses amounts above ``tracker.formatting.MAX_AMOUNT`` (10^12 yuan) with one clear message,
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
from django.utils.html import format_html

from tracker.formatting import (
    AMOUNT_TOO_LARGE,
    MAX_AMOUNT,
    AmountError,
    format_wan,
    format_yuan,
    parse_amount,
)

MONEY_MAX_DIGITS = 16
MONEY_DECIMAL_PLACES = 2
# Digits needed to quantise the largest finite double (about 1.8e308) to two decimals.
READ_PRECISION = 312


def _typed_amount(value) -> decimal.Decimal | None:
    """What a money input holds, or None when it holds nothing that will be accepted."""
    try:
        return parse_amount(value)
    except AmountError:
        return None


class MoneyInput(forms.TextInput):
    """A text input for yuan that shows the 万元 figure beside it (updated live by tracker.js)."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, decimal.Decimal) and value.is_finite():
            return format_yuan(value)
        return super().format_value(value)

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        amount = _typed_amount(value)
        element_id = (attrs or {}).get("id", "")
        # No 万元 figure for what will be refused anyway (and "1e999999" has a million digits).
        shown = amount is not None and abs(amount) <= MAX_AMOUNT
        return format_html(
            '{}<output class="wan" data-wan-for="{}" aria-live="polite">{}</output>',
            html,
            element_id,
            format_wan(amount) if shown else "",
        )


class MoneyFormField(forms.DecimalField):
    """Yuan with at most two decimals and at most ``MAX_AMOUNT``, typed as ``parse_amount``
    reads it; each refusal has one message, which lists the accepted formats.

    The digit count of the column is not checked separately: the maximum already bounds it,
    and "no more than 16 digits" says less than "cannot exceed 1 trillion yuan".
    """

    widget = MoneyInput

    def __init__(self, *, max_digits=None, decimal_places=MONEY_DECIMAL_PLACES, **kwargs):
        super().__init__(max_digits=None, decimal_places=decimal_places, **kwargs)

    def to_python(self, value):
        """Everything a person may type is refused or accepted here, infinity and NaN included
        (not merely in ``validate``): ``has_changed`` compares the typed value with the initial
        one, and comparing a signalling NaN raises (an edit form with "sNaN" answered 500)."""
        if value in self.empty_values:
            return None
        try:
            return parse_amount(value)
        except AmountError as error:
            raise ValidationError(error.message, code=error.code) from None

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
