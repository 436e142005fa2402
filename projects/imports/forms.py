"""The upload form: a workbook or a CSV file, and for a CSV file its kind and encoding."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import text_encoding
from .errors import ImportFileError
from .reading import check_name, check_size
from .registry import registry


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"), help_text=_("An .xlsx workbook, or a .csv file of one kind of rows.")
    )
    kind = forms.ChoiceField(
        label=_("Kind of rows (CSV only)"),
        required=False,
        choices=lambda: [("", _("From the file name"))] + [(k, k) for k in registry.kinds()],
    )
    encoding = forms.ChoiceField(
        label=_("Encoding (CSV only)"),
        required=False,
        choices=[("", _("Detect UTF-8 or GBK")), *text_encoding.CHOICES],
    )

    def clean_file(self):
        """Empty, too large and not a spreadsheet by its name: refused before it is stored."""
        upload = self.cleaned_data["file"]
        try:
            check_size(upload.size)
            check_name(upload.name)
        except ImportFileError as refusal:
            raise forms.ValidationError(str(refusal)) from None
        return upload


class ConfirmForm(forms.Form):
    """The confirm of a checked file; its warnings (a new enterprise whose name is already
    recorded under another credit code) must be acknowledged by ticking the box."""

    acknowledge = forms.BooleanField(
        label=_("I have read the warnings above and want to import the file as it is."),
        required=False,
    )

    def __init__(self, *args, batch, **kwargs):
        super().__init__(*args, **kwargs)
        self.batch = batch
        if batch.warnings:
            self.fields["acknowledge"].required = True
            self.fields["acknowledge"].error_messages["required"] = _(
                "Tick the box that acknowledges the warnings before confirming; nothing was "
                "written."
            )
        else:
            del self.fields["acknowledge"]
