"""The project form and, on the same page, the formsets of its yield runs and financing rounds.

Rules are checked by the models (``clean`` and named constraints); the forms add what only a
form can know: which platforms the user may pick, how the client enterprise is found or
created, money typed the way people write it ("1,234.56"), and duplicates across the rows of
one submission.
"""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import UniqueConstraint
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from platforms.models import Platform
from tracker.money import format_wan
from tracker.validators import USCC_LENGTH, normalize_uscc, validate_uscc

from .models import Enterprise, Financing, Project, YieldRun

# What a typed USCC looks like before its check character is verified.
USCC_LIKE = re.compile(rf"[0-9A-Z]{{{USCC_LENGTH}}}")
ENTERPRISE_CHOICES_SHOWN = 200


def parse_money(value) -> Decimal | None:
    """ "1,234.56", "1，234.56" or " 1 234.56 " → Decimal("1234.56"); None if not a number."""
    if value is None or isinstance(value, Decimal):
        return value
    text = re.sub(r"[,，\s_]", "", str(value))
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


class MoneyInput(forms.TextInput):
    """A text input for yuan that shows the 万元 figure beside it (updated live by tracker.js)."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Decimal):
            return f"{value:,.2f}"
        return super().format_value(value)

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        amount = parse_money(value)
        element_id = (attrs or {}).get("id", "")
        return format_html(
            '{}<output class="wan" data-wan-for="{}" aria-live="polite">{}</output>',
            html,
            element_id,
            format_wan(amount) if amount is not None else "",
        )


class MoneyField(forms.DecimalField):
    """Yuan as Decimal; accepts thousands separators; refuses negative amounts clearly."""

    widget = MoneyInput

    def to_python(self, value):
        if isinstance(value, str):
            value = re.sub(r"[,，\s_]", "", value)
        return super().to_python(value)

    def validate(self, value):
        super().validate(value)
        if value is not None and value < 0:
            raise ValidationError(_("An amount cannot be negative."), code="negative")


class UsccField(forms.CharField):
    """A unified social credit code, upper-cased and checked (GB 32100-2015)."""

    default_validators = [validate_uscc]

    def to_python(self, value):
        return normalize_uscc(super().to_python(value))


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class ProjectForm(forms.ModelForm):
    """A project; its client enterprise is picked by name or USCC, or created on the spot."""

    enterprise_ref = forms.CharField(
        label=_("Enterprise (name or USCC)"),
        required=False,
        max_length=250,
        help_text=_("Type the client's exact name or its 18-character USCC."),
        widget=forms.TextInput(attrs={"list": "enterprise-options", "autocomplete": "off"}),
    )
    new_enterprise_name = forms.CharField(
        label=_("New enterprise: name"), required=False, max_length=200
    )
    new_enterprise_uscc = UsccField(
        label=_("New enterprise: USCC"), required=False, max_length=USCC_LENGTH + 4
    )
    # The version the user started from (optimistic locking, see ProjectUpdateView).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Project
        fields = [
            "code",
            "platform",
            "title",
            "product",
            "track",
            "stage",
            "status",
            "start_on",
            "end_on",
            "service_revenue",
            "output_value",
            "new_product",
            "confidentiality",
            "description",
        ]
        field_classes = {"service_revenue": MoneyField, "output_value": MoneyField}
        widgets = {
            "start_on": DateInput,
            "end_on": DateInput,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.new_enterprise = None
        # Only the user's own platforms: a smuggled id fails as "not one of the choices".
        self.fields["platform"].queryset = Platform.objects.editable_by(user)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields[
                "enterprise_ref"
            ].initial = f"{self.instance.enterprise.name} {self.instance.enterprise.uscc}"

    def enterprise_options(self):
        """Suggestions for the enterprise box: clients the user already sees."""
        return Enterprise.objects.visible_to(self.user).only("name", "uscc")[
            :ENTERPRISE_CHOICES_SHOWN
        ]

    def clean(self):
        cleaned = super().clean()
        wants_new = bool(
            cleaned.get("new_enterprise_name")
            or self.data.get(self.add_prefix("new_enterprise_uscc"), "").strip()
        )
        reference = (cleaned.get("enterprise_ref") or "").strip()
        if wants_new and reference:
            self.add_error(
                "enterprise_ref",
                _("Either pick an existing enterprise or create a new one, not both."),
            )
        elif wants_new:
            self._clean_new_enterprise(cleaned)
        elif reference:
            self._clean_enterprise_reference(reference)
        else:
            self.add_error("enterprise_ref", _("Pick the client enterprise, or create it below."))
        return cleaned

    def _clean_enterprise_reference(self, reference):
        token = normalize_uscc(reference.split()[-1])
        if USCC_LIKE.fullmatch(token):
            try:
                validate_uscc(token)
            except ValidationError as error:
                self.add_error("enterprise_ref", error)
                return
            enterprise = Enterprise.objects.filter(uscc=token).first()
            if enterprise is None:
                self.add_error(
                    "enterprise_ref",
                    _("No enterprise has the USCC %(uscc)s yet; create it below.")
                    % {"uscc": token},
                )
                return
        else:
            matches = list(Enterprise.objects.visible_to(self.user).filter(name=reference)[:2])
            if len(matches) != 1:
                message = (
                    _("Several enterprises are called %(name)s; type the USCC instead.")
                    if matches
                    else _(
                        "No enterprise called %(name)s is known to you; "
                        "type its USCC or create it below."
                    )
                )
                self.add_error("enterprise_ref", message % {"name": reference})
                return
            enterprise = matches[0]
        self.instance.enterprise = enterprise

    def _clean_new_enterprise(self, cleaned):
        name = cleaned.get("new_enterprise_name", "").strip()
        uscc = cleaned.get("new_enterprise_uscc")
        if not name:
            self.add_error("new_enterprise_name", _("A new enterprise needs its name."))
        if "new_enterprise_uscc" in self.errors:
            return
        if not uscc:
            self.add_error("new_enterprise_uscc", _("A new enterprise needs its USCC."))
            return
        existing = Enterprise.objects.filter(uscc=uscc).first()
        if existing is not None:
            self.add_error(
                "new_enterprise_uscc",
                _("%(uscc)s is already registered as %(name)s: pick it above by its USCC.")
                % {"uscc": uscc, "name": existing.name},
            )
            return
        if name:
            self.new_enterprise = Enterprise(name=name, uscc=uscc)


class YieldRunForm(forms.ModelForm):
    class Meta:
        model = YieldRun
        fields = [
            "stage",
            "sequence",
            "measured_on",
            "units_tested",
            "units_passed",
            "first_pass_units",
            "unit",
            "notes",
        ]
        widgets = {"measured_on": DateInput, "notes": forms.TextInput}

    def validate_unique(self):
        """Also check "one DVT#1 per project" against the database.

        Django skips a model's UniqueConstraints in inline formsets (the parent key is excluded
        from the form's model validation), so a run saved meanwhile by someone else would only
        surface as an IntegrityError at save time. Duplicates *within* the submission are the
        formset's job (BaseYieldRunFormSet.clean).
        """
        super().validate_unique()
        exclude = self._get_validation_exclusions()
        for constraint in self.instance._meta.constraints:
            if isinstance(constraint, UniqueConstraint):
                try:
                    constraint.validate(YieldRun, self.instance, exclude=exclude)
                except ValidationError as error:
                    self._update_errors(error)


class BaseYieldRunFormSet(forms.BaseInlineFormSet):
    """Runs of one project; two rows may not both be, say, DVT#1."""

    def clean(self):
        seen = {}
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            key = (form.cleaned_data.get("stage"), form.cleaned_data.get("sequence"))
            if None in key:
                continue
            if key in seen:
                form.add_error(
                    "sequence",
                    _("%(stage)s#%(sequence)s is entered twice.")
                    % {"stage": key[0], "sequence": key[1]},
                )
            seen.setdefault(key, form)
        super().clean()


class FinancingForm(forms.ModelForm):
    class Meta:
        model = Financing
        fields = ["date", "round", "instrument", "investor", "investor_type", "amount"]
        field_classes = {"amount": MoneyField}
        widgets = {"date": DateInput}

    def validate_unique(self):
        """Also check "one row per date, round, instrument and investor" against the database
        (the formset excludes the project from model validation; see YieldRunForm)."""
        super().validate_unique()
        exclude = self._get_validation_exclusions()
        for constraint in self.instance._meta.constraints:
            if isinstance(constraint, UniqueConstraint):
                try:
                    constraint.validate(Financing, self.instance, exclude=exclude)
                except ValidationError as error:
                    self._update_errors(error)


class BaseFinancingFormSet(forms.BaseInlineFormSet):
    """Financing rounds of one project; the same round may not be entered twice."""

    def clean(self):
        seen = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            data = form.cleaned_data
            key = tuple(data.get(name) for name in ("date", "round", "instrument", "investor"))
            if None in key:
                continue
            if key in seen:
                form.add_error(
                    None,
                    _(
                        "This round is entered twice: another row has the same date, round, "
                        "instrument and investor."
                    ),
                )
            seen.add(key)
        super().clean()


YieldRunFormSet = forms.inlineformset_factory(
    Project,
    YieldRun,
    form=YieldRunForm,
    formset=BaseYieldRunFormSet,
    extra=1,
    can_delete=True,
)
FinancingFormSet = forms.inlineformset_factory(
    Project,
    Financing,
    form=FinancingForm,
    formset=BaseFinancingFormSet,
    extra=1,
    can_delete=True,
)
