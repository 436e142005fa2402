"""The zone's review of a return: approve, send back with a comment, reopen (administrators).

Each is a POST on the return's address; the services decide (``services.Refused`` carries the
HTTP status: 403 for the wrong role, 400 for a missing comment, 409 for the wrong status).
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views import View

from . import services
from .forms import CommentForm, ReasonForm
from .views import ReturnPageMixin


class ReviewActionView(ReturnPageMixin, View):
    """One review action: ``perform(period_return, user, text)`` with the text of ``field``
    (if any), then back to the return with ``done``; a refusal re-renders the return page."""

    perform = None
    field = None
    form_class = None
    form_name = None
    done = ""

    def post(self, request, code, platform_pk):
        period_return = self.get_return()
        forms = {}
        arguments = []
        if self.field:
            form = self.form_class(request.POST)
            forms[self.form_name] = form
            arguments.append(form.data.get(self.field, ""))
        try:
            type(self).perform(period_return, request.user, *arguments)
        except services.Refused as refusal:
            for form in forms.values():
                form.is_valid()  # shows "This field is required." beside an empty field
            return self.refused(period_return, refusal, **forms)
        messages.success(request, self.done)
        return redirect("returns:return_detail", code=code, platform_pk=platform_pk)


class ReturnApproveView(ReviewActionView):
    perform = services.approve
    done = _("The return is approved and locked.")


class ReturnSendBackView(ReviewActionView):
    perform = services.send_back
    field, form_class, form_name = "comment", CommentForm, "comment_form"
    done = _("The return is sent back to the platform.")


class ReturnReopenView(ReviewActionView):
    perform = services.reopen
    field, form_class, form_name = "reason", ReasonForm, "reason_form"
    done = _("The return is reopened.")
