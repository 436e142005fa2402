"""Everything a failed submission got wrong, listed at the top of its form, each with a link to
its field.

A long form (the project form is 2,500 px tall with its yield runs and financing rows) that
reloads scrolled to the top, with every error below the fold, looks as if Save did nothing. So
every form page shows, above the form, one summary of the errors of the form *and* of its inline
formsets, in the order of the page, each naming where it is — the field's label, and for a row of
an inline formset the row too ("良率记录第2行：合格数量") — and linking to that field. tracker.js
moves the focus to the summary when the page loads (``[data-error-summary]``) and to a field
when its link is followed; the fields keep what was typed, since the form is re-rendered bound.

A formset names its rows by its ``row_name`` (e.g. "Yield run"), or else by its model's verbose
name; the row number is the one its legend shows (1-based).
"""

from dataclasses import dataclass

from django.forms.formsets import BaseFormSet
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

NON_FIELD = "__all__"


@dataclass(frozen=True)
class FormError:
    """One message, where it belongs ("" for the whole form) and the element id to link to."""

    where: str
    message: str
    target: str = ""

    def as_html(self) -> SafeString:
        """ "<a href="#id_code">项目编号</a>：…"; a form-wide error is its message alone."""
        if not self.where:
            return conditional_escape(self.message)
        if self.target:
            where = format_html('<a href="#{}" data-error-link>{}</a>', self.target, self.where)
        else:
            where = self.where
        # The translated pattern ("%(where)s：%(message)s") becomes a format_html template, so
        # that both parts are escaped (the link is already safe) and nothing else is trusted.
        pattern = _("%(where)s: %(message)s").replace("{", "{{").replace("}", "}}")
        template = pattern % {"where": "{where}", "message": "{message}"}
        return format_html(template, where=where, message=self.message)


def collect(*forms) -> list[FormError]:
    """The errors of ``forms`` (forms and formsets, in the order of the page)."""
    errors = []
    for form in forms:
        if form is None:
            continue
        if isinstance(form, BaseFormSet):
            errors += formset_errors(form)
        else:
            errors += form_errors(form)
    return errors


def form_errors(form, row: str = "", row_target: str = "") -> list[FormError]:
    """A form's errors: form-wide ones first, then each field's, in the order of the fields.

    Inside a formset ``row`` names the row ("Yield run, row 2") and ``row_target`` is the id of
    its fieldset, linked for the row's form-wide errors and for errors of hidden fields.
    """
    if not form.is_bound:
        return []
    errors = [FormError(row, str(message), row_target) for message in form.non_field_errors()]
    for bound_field in form:
        if bound_field.name not in form.errors:
            continue
        label = str(bound_field.label or bound_field.name)
        where = _("%(row)s: %(field)s") % {"row": row, "field": label} if row else label
        target = row_target if bound_field.is_hidden else bound_field.id_for_label
        errors += [FormError(where, str(message), target) for message in bound_field.errors]
    return errors


def formset_errors(formset) -> list[FormError]:
    """A formset's own errors (named by its row name), then each row's, numbered from 1."""
    if not formset.is_bound:
        return []
    name = str(getattr(formset, "row_name", None) or formset.model._meta.verbose_name)
    errors = [FormError(name, str(message)) for message in formset.non_form_errors()]
    for number, form in enumerate(formset.forms, start=1):
        if form.errors:
            row = _("%(name)s, row %(number)s") % {"name": name, "number": number}
            errors += form_errors(form, row=row, row_target=form.prefix)
    return errors
