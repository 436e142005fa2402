"""Every change to a round or a return, each in one transaction, each refusing with reasons.

Views and commands call these and nothing else writes a return, so the rules (who, in which
status, with which checks) hold whatever the entry point. Concurrent requests are serialised
on the return's row (``select_for_update``; SQLite's IMMEDIATE transactions serialise all
writers) and state changes are conditional UPDATEs ("… WHERE status = 'submitted'"): of two
managers approving at once, one approves and the other is told it is already approved.
"""

import hashlib

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from platforms import access
from platforms.choices import PlatformStatus
from platforms.models import Platform
from projects.reports.queries import (
    PeriodFigures,
    increments,
    period_figures,
    period_rows,
)
from tracker.validators import validate_record_date

from . import evidence as evidence_files
from .checks import run_checks
from .choices import EDITABLE, ReturnStatus, ReviewAction, RoundStatus
from .models import Evidence, PeriodReturn, ReportingPeriod, ReturnProjectRow, ReviewLogEntry
from .periods import parse_code


class Refused(Exception):
    """A change that is not made, with every reason; ``status`` is the HTTP answer."""

    def __init__(self, reasons, status=409):
        self.reasons = [
            str(reason) for reason in (reasons if isinstance(reasons, list) else [reasons])
        ]
        self.status = status
        super().__init__("; ".join(self.reasons))


# --------------------------------------------------------------------------------------------
# Rounds


def overlapping_rounds(period, zone):
    """Rounds whose dates overlap ``period`` and whose zones meet ``zone`` (every zone meets
    every zone): a platform reports once for any day."""
    rounds = ReportingPeriod.objects.filter(
        start_on__lte=period.end_on, end_on__gte=period.start_on
    )
    if zone is not None:
        rounds = rounds.filter(zone__isnull=True) | rounds.filter(zone=zone)
    return rounds


def open_round(code, due_on, zone, user) -> ReportingPeriod:
    """Open the round ``code`` for ``zone`` (None: every zone), with a return per active
    platform. Refused (status 400) for a malformed code, a due date before the period starts,
    or a round overlapping an existing one."""
    try:
        period = parse_code(code)
    except ValidationError as error:
        raise Refused(error.messages, status=400) from None
    try:
        validate_record_date(due_on)
    except ValidationError as error:
        raise Refused(error.messages, status=400) from None
    if due_on < period.start_on:
        raise Refused(_("The due date cannot be before the period starts."), status=400)
    with transaction.atomic():
        clash = overlapping_rounds(period, zone).order_by("code").first()
        if clash is not None:
            raise Refused(
                _("Round %(code)s overlaps round %(other)s, which is already open for %(zone)s.")
                % {
                    "code": period.code,
                    "other": clash.code,
                    "zone": clash.zone.name if clash.zone else _("every zone"),
                },
                status=400,
            )
        try:
            with transaction.atomic():
                round_ = ReportingPeriod.objects.create(
                    code=period.code,
                    kind=period.kind,
                    start_on=period.start_on,
                    end_on=period.end_on,
                    due_on=due_on,
                    zone=zone,
                    opened_by=user if user is not None and user.pk else None,
                )
        except IntegrityError:
            raise Refused(
                _("Round %(code)s already exists.") % {"code": period.code}, 400
            ) from None
        platforms = Platform.objects.filter(status=PlatformStatus.ACTIVE)
        if zone is not None:
            platforms = platforms.filter(zone=zone)
        PeriodReturn.objects.bulk_create(
            PeriodReturn(period=round_, platform_id=pk)
            for pk in platforms.values_list("pk", flat=True)
        )
    return round_


# --------------------------------------------------------------------------------------------
# The live (draft) state of a return


def baseline_of(period_return):
    """The platform's latest approved return ending before this period starts, or None."""
    return (
        PeriodReturn.objects.filter(
            platform_id=period_return.platform_id,
            status=ReturnStatus.APPROVED,
            period__end_on__lt=period_return.period.start_on,
        )
        .order_by("-period__end_on")
        .first()
    )


def period_months(round_) -> int:
    return (
        (round_.end_on.year - round_.start_on.year) * 12
        + round_.end_on.month
        - round_.start_on.month
        + 1
    )


class ReturnState:
    """What a return page shows: figures (live, or frozen once submitted), increments,
    the previous approved return and the checks."""

    def __init__(self, period_return):
        self.period_return = period_return
        round_ = period_return.period
        self.baseline = baseline_of(period_return)
        if period_return.is_frozen:
            self.figures = PeriodFigures.of_return(period_return)
            self.increments = {
                column: getattr(period_return, column) for column in _increment_columns()
            }
        else:
            self.figures = period_figures(period_return.platform_id, round_.start_on, round_.end_on)
            baseline = PeriodFigures.of_return(self.baseline) if self.baseline else None
            self.increments = increments(self.figures, baseline)
        self.evidence_count = period_return.evidence.count()
        self.checks = run_checks(
            self.figures,
            self.increments,
            period_return,
            months=period_months(round_),
            baseline=self.baseline,
            evidence_count=self.evidence_count,
        )

    def refusals(self) -> list[str]:
        reasons = list(self.checks.errors)
        if self.checks.warnings and not self.period_return.explanation.strip():
            reasons += [
                _("Warning without an explanation: %(warning)s") % {"warning": warning}
                for warning in self.checks.warnings
            ]
        return reasons


def _increment_columns():
    from projects.reports.queries.returns import INCREMENTS

    return tuple(INCREMENTS.values())


# --------------------------------------------------------------------------------------------
# The platform's side


def _locked(period_return) -> PeriodReturn:
    return (
        PeriodReturn.objects.select_for_update()
        .select_related("period", "platform")
        .get(pk=period_return.pk)
    )


def _require_editable(period_return, user):
    if not access.may_fill_return(user, period_return):
        raise Refused(_("Only the platform's own staff fill in its return."), status=403)
    if period_return.period.status != RoundStatus.OPEN:
        raise Refused(_("Round %(code)s is closed.") % {"code": period_return.period.code})
    if period_return.status not in EDITABLE:
        raise Refused(
            _("This return is %(status)s: it cannot be changed.")
            % {"status": period_return.get_status_display().lower()}
        )


MANUAL_FIELDS = ("grants", "staff_headcount", "incubated_firms", "explanation")


def save_draft(period_return, user, data: dict) -> PeriodReturn:
    """Store the manual fields (already validated by the form); the return becomes a draft."""
    with transaction.atomic():
        current = _locked(period_return)
        _require_editable(current, user)
        for name in MANUAL_FIELDS:
            setattr(current, name, data.get(name))
        if current.status == ReturnStatus.NOT_STARTED:
            current.status = ReturnStatus.DRAFT
        current.save()
    return current


def add_evidence(period_return, user, upload) -> Evidence:
    """Check the file by its bytes and store it through the storage API (never a public URL)."""
    with transaction.atomic():
        current = _locked(period_return)
        _require_editable(current, user)
        try:
            kind = evidence_files.sniff(upload)
        except ValidationError as error:
            raise Refused(error.messages, status=400) from None
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        item = Evidence(
            period_return=current,
            original_name=(upload.name or "")[-200:],
            content_type=kind,
            size=upload.size,
            sha256=digest.hexdigest(),
            uploaded_by=user,
        )
        upload.seek(0)
        item.file.save("evidence", upload, save=False)
        item.save()
        if current.status == ReturnStatus.NOT_STARTED:
            current.status = ReturnStatus.DRAFT
            current.save(update_fields=["status", "updated_at"])
    return item


def submit(period_return, user) -> PeriodReturn:
    """Freeze the figures and project rows, or refuse with every reason (nothing written)."""
    with transaction.atomic():
        current = _locked(period_return)
        _require_editable(current, user)
        state = ReturnState(current)
        reasons = state.refusals()
        if reasons:
            raise Refused(reasons, status=400)
        round_ = current.period
        for name, value in state.figures.as_dict().items():
            setattr(current, name, value)
        for column, value in state.increments.items():
            setattr(current, column, value)
        current.baseline = state.baseline
        now = timezone.now()
        current.frozen_at = now
        current.status = ReturnStatus.SUBMITTED
        current.submitted_by = user
        current.submitted_at = now
        current.save()
        current.project_rows.all().delete()
        ReturnProjectRow.objects.bulk_create(
            _frozen_row(current, row)
            for row in period_rows(current.platform_id, round_.start_on, round_.end_on)
        )
        ReviewLogEntry.objects.create(period_return=current, action=ReviewAction.SUBMIT, actor=user)
    return current


def _frozen_row(period_return, row) -> ReturnProjectRow:
    return ReturnProjectRow(
        period_return=period_return,
        project_id=row["pk"],
        code=row["code"],
        title=row["title"],
        confidentiality=row["confidentiality"],
        status=row["status"],
        start_on=row["start_on"],
        end_on=row["end_on"],
        is_new=row["is_new"],
        is_active=row["is_active"],
        new_product=row["new_product"],
        enterprise_uscc=row["enterprise_uscc"],
        enterprise_ref=row["enterprise_id"],
        service_revenue=row["service_revenue"],
        output_value=row["output_value"],
        financing_period=row["financing_period"],
        financing_cumulative=row["financing_cumulative"],
        yield_gain_pp=row["yield_gain_pp"],
    )


# --------------------------------------------------------------------------------------------
# The zone's side


def _review_transition(period_return, user, *, action, text="", allowed=None):
    """Move a return by a conditional UPDATE, so that concurrent reviews change it once."""
    if action == ReviewAction.REOPEN:
        if not access.may_reopen_return(user):
            raise Refused(_("Only an administrator reopens an approved return."), status=403)
    elif not access.may_review_return(user, period_return):
        raise Refused(_("Only the zone's managers review its returns."), status=403)
    if action in (ReviewAction.RETURN, ReviewAction.REOPEN) and not text.strip():
        raise Refused(
            _("Give the reason for reopening.")
            if action == ReviewAction.REOPEN
            else _("Write a comment for the platform: what must it fix?"),
            status=400,
        )
    if period_return.period.status != RoundStatus.OPEN and action != ReviewAction.REOPEN:
        raise Refused(_("Round %(code)s is closed.") % {"code": period_return.period.code})
    now = timezone.now()
    changes = {
        ReviewAction.APPROVE: {
            "status": ReturnStatus.APPROVED,
            "approved_at": now,
            "reviewed_by": user,
            "reviewed_at": now,
        },
        ReviewAction.RETURN: {
            "status": ReturnStatus.RETURNED,
            "review_comment": text.strip(),
            "reviewed_by": user,
            "reviewed_at": now,
            "frozen_at": None,
        },
        ReviewAction.REOPEN: {
            "status": ReturnStatus.RETURNED,
            "review_comment": text.strip(),
            "reviewed_by": user,
            "reviewed_at": now,
            "approved_at": None,
            "frozen_at": None,
        },
    }[action]
    with transaction.atomic():
        updated = PeriodReturn.objects.filter(pk=period_return.pk, status=allowed).update(
            updated_at=now, **changes
        )
        if not updated:
            current = PeriodReturn.objects.get(pk=period_return.pk)
            raise Refused(_status_refusal(action, current))
        ReviewLogEntry.objects.create(
            period_return_id=period_return.pk, action=action, actor=user, text=text.strip()
        )
        current = PeriodReturn.objects.select_related("period", "platform").get(pk=period_return.pk)
        # A conditional UPDATE bypasses save(): record the change in the history explicitly.
        current._change_reason = str(ReviewAction(action).label)
        current.save(update_fields=["updated_at"])
    return current


def _status_refusal(action, current) -> str:
    status = current.get_status_display().lower()
    if current.status == ReturnStatus.APPROVED and action == ReviewAction.APPROVE:
        return _("This return is already approved.")
    if action == ReviewAction.REOPEN:
        return _("Only an approved return can be reopened; this one is %(status)s.") % {
            "status": status
        }
    return _("Only a submitted return can be reviewed; this one is %(status)s.") % {
        "status": status
    }


def approve(period_return, user):
    return _review_transition(
        period_return, user, action=ReviewAction.APPROVE, allowed=ReturnStatus.SUBMITTED
    )


def send_back(period_return, user, comment):
    return _review_transition(
        period_return,
        user,
        action=ReviewAction.RETURN,
        text=comment or "",
        allowed=ReturnStatus.SUBMITTED,
    )


def reopen(period_return, user, reason):
    return _review_transition(
        period_return,
        user,
        action=ReviewAction.REOPEN,
        text=reason or "",
        allowed=ReturnStatus.APPROVED,
    )
