"""Pages of reporting rounds: the rounds, a round's board, its status JSON and Torch export,
opening a round, a return (figures, checks, manual fields, evidence), its print layout.

Who may do what is asked of ``platforms.access`` only: a return the user may not see does not
exist (404); a manager who may see it but not fill it in gets 403 from the services, which
refuse every change with its reasons (``services.Refused``). The review actions are in
``review_views``.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from platforms import access
from platforms.models import Zone
from tracker import exports
from tracker.formatting import thousand_yuan

from . import services
from .choices import EDITABLE, MISSING, ReturnStatus
from .display import board_rows, figure_rows, frozen_rows
from .forms import CommentForm, EvidenceForm, OpenRoundForm, PeriodReturnForm, ReasonForm
from .models import PeriodReturn, ReportingPeriod


def visible_returns(user, round_):
    """The round's returns the user may see, with what the board shows (one query)."""
    return (
        PeriodReturn.objects.visible_to(user)
        .filter(period=round_)
        .select_related("platform", "platform__zone")
        .order_by("platform__zone__name", "platform__name")
    )


def round_or_404(code):
    return get_object_or_404(ReportingPeriod.objects.select_related("zone"), code=code)


def return_or_404(user, code, platform_pk):
    found = (
        PeriodReturn.objects.visible_to(user)
        .select_related(
            "period", "period__zone", "platform", "platform__zone", "submitted_by", "reviewed_by"
        )
        .filter(period__code=code, platform_id=platform_pk)
        .first()
    )
    if found is None:
        raise Http404("No such return.")
    return found


class RoundListView(LoginRequiredMixin, TemplateView):
    """The rounds in which the user sees at least one return, newest first."""

    template_name = "returns/round_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        visible = PeriodReturn.objects.visible_to(user).values("period_id")
        context["rounds"] = ReportingPeriod.objects.filter(pk__in=visible).select_related("zone")
        context["may_open"] = Zone.objects.reviewable_by(user).exists()
        return context


BOARD_FIELDS = ("platform_id", "platform__name", "platform__zone__name", "status")


class BoardMixin(LoginRequiredMixin):
    """A round and the returns of it the user may see; a round in which the user sees no
    return does not exist for them (administrators see every round)."""

    def board(self, code, *, rows=True):
        user = self.request.user
        round_ = round_or_404(code)
        returns = visible_returns(user, round_)
        if rows:
            # Plain rows, not model instances: a board of 3,000 platforms stays one light query.
            returns = returns.values(*BOARD_FIELDS, "submitted_at", "approved_at")
        returns = list(returns)
        if not returns and not access.has_full_access(user):
            raise Http404("No such round.")
        return round_, returns


class RoundBoardView(BoardMixin, View):
    """Every expected platform the user may see, its status, overdue ones marked, counts per
    status: two queries whatever the number of platforms (the round, its returns)."""

    def get(self, request, code):
        round_, returns = self.board(code)
        today = timezone.localdate()
        late = today > round_.due_on
        labels = {value: str(label) for value, label in ReturnStatus.choices}
        counts = dict.fromkeys(ReturnStatus.values, 0)
        for item in returns:
            counts[item["status"]] += 1
            item["overdue"] = late and item["status"] in MISSING
        return render(
            request,
            "returns/round_board.html",
            {
                "round": round_,
                "rows": board_rows(round_, returns, labels),
                "counts": [(labels[s], s, n) for s, n in counts.items()],
                "overdue": sum(item["overdue"] for item in returns),
                "today": today,
            },
        )


class RoundStatusJsonView(BoardMixin, View):
    """``status.json``: the board for other systems (statuses as codes, times in ISO 8601)."""

    def get(self, request, code):
        round_, returns = self.board(code)
        return JsonResponse(
            {
                "period": round_.code,
                "due_on": round_.due_on.isoformat(),
                "returns": [
                    {
                        "platform_id": item["platform_id"],
                        "platform": item["platform__name"],
                        "status": item["status"],
                        "submitted_at": _iso(item["submitted_at"]),
                        "approved_at": _iso(item["approved_at"]),
                    }
                    for item in returns
                ],
            },
            json_dumps_params={"ensure_ascii": False},
        )


def _iso(moment):
    return None if moment is None else moment.isoformat()


# The Torch survey's columns: counts as they are, amounts in 千元 (thousand yuan).
TORCH_COLUMNS = (
    ("projects_cumulative", gettext_lazy("Projects, cumulative"), "count"),
    ("projects_new", gettext_lazy("Projects, new"), "count"),
    ("projects_active", gettext_lazy("Projects, active"), "count"),
    ("enterprises_cumulative", gettext_lazy("Enterprises served, cumulative"), "count"),
    ("new_products_cumulative", gettext_lazy("New products, cumulative"), "count"),
    (
        "service_revenue_cumulative",
        gettext_lazy("Service revenue, cumulative (thousand yuan)"),
        "money",
    ),
    (
        "service_revenue_increment",
        gettext_lazy("Service revenue, increment (thousand yuan)"),
        "money",
    ),
    ("output_value_cumulative", gettext_lazy("Output value, cumulative (thousand yuan)"), "money"),
    ("output_value_increment", gettext_lazy("Output value, increment (thousand yuan)"), "money"),
    ("financing_period", gettext_lazy("Financing in the period (thousand yuan)"), "money"),
    ("financing_cumulative", gettext_lazy("Financing, cumulative (thousand yuan)"), "money"),
    ("grants", gettext_lazy("Grants received in the period (thousand yuan)"), "money"),
    ("staff_headcount", gettext_lazy("Staff headcount"), "count"),
    ("incubated_firms", gettext_lazy("Incubated firms"), "count"),
)
MANUAL_COLUMNS = ("grants", "staff_headcount", "incubated_firms")


class RoundExportView(BoardMixin, View):
    """The round as the Torch survey lists it: one row per platform, amounts in 千元 (rounded
    half up to 0.1, ``tracker.formatting.thousand_yuan``). Figures are those frozen in
    submitted and approved returns (empty for the others); text cells are formula-safe."""

    def get(self, request, code):
        round_, returns = self.board(code, rows=False)
        header = [_("Platform"), _("Zone"), _("Status"), _("Submitted at"), _("Approved at")]
        header += [str(label) for _name, label, _kind in TORCH_COLUMNS]
        rows = []
        for item in returns:
            row = [
                item.platform.name,
                item.platform.zone.name,
                str(item.get_status_display()),
                item.submitted_at,
                item.approved_at,
            ]
            for name, _label, kind in TORCH_COLUMNS:
                value = getattr(item, name)
                if not item.is_frozen and name not in MANUAL_COLUMNS:
                    value = None
                row.append(thousand_yuan(value) if kind == "money" else value)
            rows.append(row)
        filename = exports.export_filename("returns", [round_.code], "xlsx")
        return exports.xlsx_response(filename, header, rows, title=round_.code)


class RoundOpenView(LoginRequiredMixin, View):
    """Open a round from the web: managers for their zones, administrators for any or all."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not Zone.objects.reviewable_by(request.user).exists():
            raise PermissionDenied(_("Only zone managers and administrators open rounds."))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self.page(OpenRoundForm(user=request.user))

    def post(self, request):
        form = OpenRoundForm(request.POST, user=request.user)
        if form.is_valid():
            zone = form.cleaned_data["zone"]
            if not access.may_open_round(request.user, zone):
                raise PermissionDenied(_("Only administrators open a round for every zone."))
            try:
                round_ = services.open_round(
                    form.cleaned_data["code"], form.cleaned_data["due_on"], zone, request.user
                )
            except services.Refused as refusal:
                for reason in refusal.reasons:
                    form.add_error("code", reason)
            else:
                messages.success(request, _("Round %(code)s is open.") % {"code": round_.code})
                return redirect("returns:round_board", code=round_.code)
        return self.page(form, status=400)

    def page(self, form, status=200):
        return render(self.request, "returns/round_open.html", {"form": form}, status=status)


class ReturnPageMixin(LoginRequiredMixin):
    template_name = "returns/return_detail.html"

    def get_return(self):
        return return_or_404(self.request.user, self.kwargs["code"], self.kwargs["platform_pk"])

    def page(self, period_return, *, form=None, refusal=None, status=200, **extra):
        user = self.request.user
        state = services.ReturnState(period_return)
        context = {
            "ret": period_return,
            "round": period_return.period,
            "state": state,
            "figure_rows": figure_rows(state),
            "form": form or PeriodReturnForm(instance=period_return),
            "evidence_form": extra.pop("evidence_form", None) or EvidenceForm(),
            "comment_form": extra.pop("comment_form", None) or CommentForm(),
            "reason_form": extra.pop("reason_form", None) or ReasonForm(),
            "evidence": period_return.evidence.select_related("uploaded_by"),
            "log": period_return.log.select_related("actor"),
            "refusal": refusal,
            "may_fill": access.may_fill_return(user, period_return),
            "may_edit": (
                period_return.status in EDITABLE
                and period_return.period.is_open
                and access.may_fill_return(user, period_return)
            ),
            "rows": frozen_rows(user, period_return),
            "may_review": access.may_review_return(user, period_return),
            "may_reopen": access.may_reopen_return(user),
            **extra,
        }
        return render(self.request, self.template_name, context, status=status)

    def refused(self, period_return, refusal, **forms):
        return self.page(period_return, refusal=refusal.reasons, status=refusal.status, **forms)


class ReturnDetailView(ReturnPageMixin, View):
    """The return: figures (live until submitted), the previous approved return beside them,
    the checks, the manual fields (POST saves the draft) and the evidence."""

    def get(self, request, code, platform_pk):
        return self.page(self.get_return())

    def post(self, request, code, platform_pk):
        period_return = self.get_return()
        if not access.may_fill_return(request.user, period_return):
            raise PermissionDenied(_("Only the platform's own staff fill in its return."))
        form = PeriodReturnForm(request.POST, instance=period_return)
        if not form.is_valid():
            return self.page(period_return, form=form, status=400)
        try:
            services.save_draft(period_return, request.user, form.cleaned_data)
        except services.Refused as refusal:
            return self.page(
                period_return, form=form, refusal=refusal.reasons, status=refusal.status
            )
        messages.success(request, _("The draft is saved."))
        return redirect("returns:return_detail", code=code, platform_pk=platform_pk)


class ReturnPrintView(ReturnPageMixin, View):
    """An A4 print layout, watermarked "草稿/DRAFT" until the return is approved."""

    template_name = "returns/return_print.html"

    def get(self, request, code, platform_pk):
        return self.page(self.get_return())


class EvidenceUploadView(ReturnPageMixin, View):
    def post(self, request, code, platform_pk):
        period_return = self.get_return()
        if not access.may_fill_return(request.user, period_return):
            raise PermissionDenied(_("Only the platform's own staff fill in its return."))
        form = EvidenceForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.page(period_return, evidence_form=form, status=400)
        try:
            services.add_evidence(period_return, request.user, form.cleaned_data["file"])
        except services.Refused as refusal:
            form.add_error("file", refusal.reasons)
            return self.refused(period_return, refusal, evidence_form=form)
        messages.success(request, _("The file is uploaded."))
        return redirect("returns:return_detail", code=code, platform_pk=platform_pk)


class EvidenceDownloadView(ReturnPageMixin, View):
    """An evidence file, to whoever may see the return, never from a public media URL."""

    def get(self, request, code, platform_pk, evidence_pk):
        period_return = self.get_return()
        item = get_object_or_404(period_return.evidence, pk=evidence_pk)
        response = FileResponse(
            item.file.open("rb"),
            content_type=item.content_type,
            as_attachment=True,
            filename=item.original_name,
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response


class ReturnSubmitView(ReturnPageMixin, View):
    def post(self, request, code, platform_pk):
        period_return = self.get_return()
        try:
            services.submit(period_return, request.user)
        except services.Refused as refusal:
            return self.refused(period_return, refusal)
        messages.success(request, _("The return is submitted; the figures are frozen."))
        return redirect("returns:return_detail", code=code, platform_pk=platform_pk)
