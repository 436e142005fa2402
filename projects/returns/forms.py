"""Forms of reporting rounds: the manual fields of a return, a review comment, a new round."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from platforms import access
from platforms.models import Zone
from tracker.fields import MoneyFormField
from tracker.validators import validate_record_date

from .models import MAX_HEADCOUNT, MAX_INCUBATED, PeriodReturn
from .periods import parse_code


class PeriodReturnForm(forms.ModelForm):
    """The manual fields; the figures are never a form field (they come from the records)."""

    grants = MoneyFormField(label=_("Grants received (yuan)"), required=False, min_value=0)
    staff_headcount = forms.IntegerField(
        label=_("Staff headcount"), required=False, min_value=0, max_value=MAX_HEADCOUNT
    )
    incubated_firms = forms.IntegerField(
        label=_("Incubated firms"), required=False, min_value=0, max_value=MAX_INCUBATED
    )
    explanation = forms.CharField(
        label=_("Explanation"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when a check gives a warning: say why the figure is right."),
    )

    class Meta:
        model = PeriodReturn
        fields = ["grants", "staff_headcount", "incubated_firms", "explanation"]


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment for the platform"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for reopening"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Signed and stamped return (PDF, JPG or PNG, at most 10 MB)"))


class OpenRoundForm(forms.Form):
    """Open a round for a zone the user reviews (administrators may leave it empty: every zone)."""

    code = forms.CharField(
        label=_("Period code"),
        max_length=7,
        help_text=_("2025 (year), 2025H1 (half), 2025Q4 (quarter) or 2025-11 (month)"),
    )
    due_on = forms.DateField(
        label=_("Due date"),
        validators=[validate_record_date],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    zone = forms.ModelChoiceField(label=_("Zone"), queryset=Zone.objects.none(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["zone"].queryset = Zone.objects.reviewable_by(user)
        if not access.may_open_round(user, None):  # every zone at once: administrators
            self.fields["zone"].required = True
            self.fields["zone"].empty_label = None
        else:
            self.fields["zone"].empty_label = _("Every zone")

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        try:
            parse_code(code)
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None
        return code
