"""The project form and, on the same page, the formsets of its yield runs and financing rounds.

Rules are checked by the models (``clean`` and named constraints); the forms add what only a
form can know: which platforms the user may pick, how the client enterprise is found or
created, money typed the way people write it ("1,234.56", "85万"), and duplicates across the rows of
one submission. Whatever is refused is shown again exactly as typed ("Infinity", "1e999"), next
to its error, so nobody loses a form to one bad cell.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import UniqueConstraint
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from platforms import access
from platforms.models import Platform
from tracker.fields import MoneyFormField
from tracker.validators import (
    EARLIEST_DATE,
    USCC_LENGTH,
    latest_date,
    normalize_project_code,
    normalize_uscc,
    refuse_hidden_characters,
    validate_uscc,
)

from .codes import suggest_code
from .models import Enterprise, Financing, Project, YieldRun

# What a typed USCC looks like before its check character is verified.
USCC_LIKE = re.compile(rf"[0-9A-Z]{{{USCC_LENGTH}}}")


class MoneyField(MoneyFormField):
    """Yuan as Decimal, typed as the import reads it ("1,234.56", "85万", "1.2亿"; see
    ``tracker.formatting.parse_amount``); refuses negative amounts clearly.

    At most ``MAX_AMOUNT`` (10^12 yuan), refused with its own message by ``MoneyFormField``.
    """

    def validate(self, value):
        super().validate(value)
        if value is not None and value < 0:
            raise ValidationError(_("An amount cannot be negative."), code="negative")


class ProjectCodeField(forms.CharField):
    """A project code, normalised as every way in normalises it (``tracker.validators``).

    Invisible characters are refused before normalising, so that the message names the
    character the user typed (U+3000 IDEOGRAPHIC SPACE rather than the space NFKC makes of it).
    """

    def to_python(self, value):
        value = super().to_python(value)
        refuse_hidden_characters(value)
        return normalize_project_code(value)


class UsccField(forms.CharField):
    """A unified social credit code, normalised and checked (GB 32100-2015)."""

    default_validators = [validate_uscc]

    def to_python(self, value):
        value = super().to_python(value)
        refuse_hidden_characters(value)
        return normalize_uscc(value)


class DateInput(forms.DateInput):
    """A date picker limited to the dates the models accept (1949-10-01 to ten years ahead)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs.setdefault("min", EARLIEST_DATE.isoformat())
        widget_attrs.setdefault("max", latest_date().isoformat())
        return context


class ProjectForm(forms.ModelForm):
    """A project; its client enterprise is picked by name or USCC, or created on the spot.

    Enterprises are shared by every platform that serves them, so naming one is an access
    question (``access.may_link_enterprise``): a client of the user's own platforms may be
    picked by its code or name; any other registered enterprise only by its full exact name
    together with its code. Linking never changes the enterprise, and a refusal never says
    whether, or under which name, a code is registered.
    """

    enterprise_ref = forms.CharField(
        label=_("Enterprise (name or USCC)"),
        required=False,
        max_length=250,
        help_text=_(
            "Type part of the name or of the USCC and pick one of your platforms' clients, or "
            "type a registered enterprise's full name followed by its 18-character USCC."
        ),
        # A combobox: tracker.js lists the matching clients under it (see enterprise_suggest).
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "role": "combobox",
                "aria-autocomplete": "list",
                "aria-expanded": "false",
                "aria-controls": "enterprise-suggestions",
            }
        ),
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
        field_classes = {
            "code": ProjectCodeField,
            "service_revenue": MoneyField,
            "output_value": MoneyField,
        }
        widgets = {
            "start_on": DateInput,
            "end_on": DateInput,
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "track": _(
                "Discrete: EVT → DVT → PVT → MP; process: lab → scale-up → pilot → industrial."
            ),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.new_enterprise = None
        # Only the user's own platforms: a smuggled id fails as "not one of the choices".
        self.fields["platform"].queryset = Platform.objects.editable_by(user)
        self.fields["enterprise_ref"].widget.attrs["data-suggest-url"] = reverse(
            "projects:enterprise_suggest"
        )
        if not self.instance.pk:
            # A new project is offered its platform's next code when the platform changes.
            self.fields["code"].widget.attrs["data-code-suggest-url"] = reverse(
                "projects:project_code_suggest"
            )
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields[
                "enterprise_ref"
            ].initial = f"{self.instance.enterprise.name} {self.instance.enterprise.uscc}"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("code"):
            self._clean_code_is_free(cleaned["code"], cleaned.get("platform"))
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

    def _clean_code_is_free(self, code, platform):
        """A code another project holds is refused naming that project when the user may see
        it (masked if confidential), and only as "taken" otherwise: the code is then known to
        exist, but not whose it is. The next free code of the platform is offered either way.
        """
        holder = (
            Project.objects.filter(code=code)
            .exclude(pk=self.instance.pk)
            .visible_to(self.user)
            .with_masking(self.user)
            .select_related("platform")
            .first()
        )
        if holder is not None:
            message = _("The code %(code)s is already used by %(project)s (%(platform)s).") % {
                "code": code,
                "project": holder,
                "platform": holder.platform.name,
            }
        elif Project.objects.filter(code=code).exclude(pk=self.instance.pk).exists():
            message = _("The code %(code)s is already taken.") % {"code": code}
        else:
            return
        suggestion = suggest_code(platform) if platform is not None else ""
        if suggestion:
            message += " " + _("The next free code of this platform is %(code)s.") % {
                "code": suggestion
            }
        self.add_error("code", message)

    def _not_a_client(self, uscc):
        """The refusal for a credit code the user may not name: the same words whether no
        enterprise has the code or another platform's client has it, so that typing codes
        reveals neither a client's name nor that the code is registered."""
        return _(
            "No client enterprise of your platforms has the USCC %(uscc)s. If it is a new "
            "client, fill in its full name and its USCC below."
        ) % {"uscc": uscc}

    def _clean_enterprise_reference(self, reference):
        """A typed reference: "<name> <USCC>" (as the suggestions read), "<USCC>" or "<name>"."""
        name, _space, last = reference.rpartition(" ")
        token = normalize_uscc(last)
        if not USCC_LIKE.fullmatch(token):
            self._clean_enterprise_name(reference)
            return
        try:
            validate_uscc(token)
        except ValidationError as error:
            self.add_error("enterprise_ref", error)
            return
        enterprise = Enterprise.objects.filter(uscc=token).first()
        if enterprise is None or not access.may_link_enterprise(self.user, enterprise, name=name):
            self.add_error("enterprise_ref", self._not_a_client(token))
            return
        name = name.strip()
        if name and name != enterprise.name:
            # Only reached for the user's own clients (a foreign client needs the exact name),
            # so naming it reveals nothing; it catches a code typed for the wrong company.
            self.add_error(
                "enterprise_ref",
                _("%(uscc)s is your client %(name)s, not %(typed)s: check the name and the code.")
                % {"uscc": token, "name": enterprise.name, "typed": name},
            )
            return
        self.instance.enterprise = enterprise

    def _clean_enterprise_name(self, name):
        matches = list(Enterprise.objects.linkable_by(self.user).filter(name=name)[:2])
        if len(matches) != 1:
            message = (
                _("Several enterprises are called %(name)s; type the USCC instead.")
                if matches
                else _(
                    "No client of your platforms is called %(name)s; type its name and USCC, "
                    "or create it below."
                )
            )
            self.add_error("enterprise_ref", message % {"name": name})
            return
        self.instance.enterprise = matches[0]

    def _clean_new_enterprise(self, cleaned):
        """A new client: its name and USCC. If the USCC is registered already, the pair names
        that enterprise when the name is its exact registered name (it is linked, nothing about
        it changes); otherwise the form is refused without saying what the registered name is."""
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
        if existing is None:
            if name:
                self.new_enterprise = Enterprise(name=name, uscc=uscc)
            return
        if not name:
            return
        if access.may_link_enterprise(self.user, existing, name=name):
            if access.names_enterprise_exactly(existing, name):
                self.instance.enterprise = existing
                return
            # The user's own client under another name: saying which one leaks nothing.
            self.add_error(
                "new_enterprise_uscc",
                _("%(uscc)s is already registered as %(name)s: pick it above by its USCC.")
                % {"uscc": uscc, "name": existing.name},
            )
            return
        self.add_error(
            "new_enterprise_uscc",
            _(
                "An enterprise is already registered with the USCC %(uscc)s under another "
                "name. To name it as your client, type its full registered name exactly; "
                "otherwise check the code."
            )
            % {"uscc": uscc},
        )


class EnterpriseForm(forms.ModelForm):
    """A client enterprise, as the staff of the platforms that alone serve it keep it current
    (``access.enterprises_changeable_by``); one another platform serves too is changed by an
    administrator. A credit code registered to another enterprise is refused without naming it.
    """

    class Meta:
        model = Enterprise
        fields = ["name", "uscc", "sector", "size", "is_high_tech", "srdi_level", "founded_on"]
        field_classes = {"uscc": UsccField}
        widgets = {"founded_on": DateInput}
        error_messages = {
            "uscc": {
                "unique": _(
                    "Another enterprise is registered with this USCC; check the code, or ask "
                    "an administrator if the two are one company."
                )
            }
        }


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

    # How the error summary names a row: "Yield run, row 2" (tracker.error_summary).
    row_name = _("Yield run")

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

    row_name = _("Financing round")

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
