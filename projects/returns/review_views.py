"""The zone's review of a return: approve, send back with a comment, reopen (administrators).

Each is a POST on the return's address; the services decide (``services.Refused`` carries the
HTTP status: 403 for the wrong role, 400 for a missing comment, 409 for the wrong status).
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View

from . import services
from .forms import CommentForm, ReasonForm
from .views import ReturnPageMixin


class ReturnApproveView(ReturnPageMixin, View):
    def post(self, request, code, platform_pk):
        period_return = self.get_return()
        try:
            services.approve(period_return, request.user)
        except services.Refused as refusal:
            return self.refused(period_return, refusal)
        messages.success(request, _("The return is approved and locked."))
        return redirect("returns:return_detail", code=code, platform_pk=platform_pk)


class ReturnSendBackView(ReturnPageMixin, View):
    def post(self, request, code, platform_pk):
        period_return = self.get_return()
        form = CommentForm(request.POST)
        comment = form.data.get("comment", "")
        try:
            services.send_back(period_return, request.user, comment)
        except services.Refused as refusal:
            if refusal.status == 400:
                form.is_valid()
            return self.refused(period_return, refusal, comment_form=form)
        messages.success(request, _("The return is sent back to the platform."))
        return redirect("returns:return_detail", code=code, platform_pk=platform_pk)


class ReturnReopenView(ReturnPageMixin, View):
    def post(self, request, code, platform_pk):
        period_return = self.get_return()
        form = ReasonForm(request.POST)
        try:
            services.reopen(period_return, request.user, form.data.get("reason", ""))
        except services.Refused as refusal:
            return self.refused(period_return, refusal, reason_form=form)
        messages.success(request, _("The return is reopened."))
        return redirect("returns:return_detail", code=code, platform_pk=platform_pk)
