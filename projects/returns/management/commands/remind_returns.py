"""``python manage.py remind_returns CODE``: e-mail the staff of every platform whose return is
missing (not started, draft) or returned after the due date, and print whom it reminded.

Django's mail (the console backend in development). Exit 0 even when nobody is late. The mail
is written in both languages, as the office's notices are.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.core.management.base import BaseCommand, CommandError
from django.db.models import F
from django.utils import timezone, translation

from projects.reports.management.commands.rollup import USAGE_ERROR
from projects.returns.choices import MISSING
from projects.returns.models import ReportingPeriod

SUBJECT = "[中试平台] {code} 报表逾期 / return overdue: {platform}"
BODY = (
    "{platform} 的 {code} 报表（截止 {due}）状态为“{status_zh}”，请尽快填报。\n"
    "The {code} return of {platform} (due {due}) is {status_en}: please complete and submit it."
)


class Command(BaseCommand):
    help = "Remind the staff of platforms whose return for CODE is late."

    def add_arguments(self, parser):
        parser.add_argument("code")

    def handle(self, *args, **options):
        round_ = ReportingPeriod.objects.filter(code=options["code"]).first()
        if round_ is None:
            raise CommandError(f"Unknown round: {options['code']!r}.", returncode=USAGE_ERROR)
        if timezone.localdate() <= round_.due_on:
            self.stdout.write(f"Round {round_.code} is due {round_.due_on}: nobody is late yet.")
            return
        late = list(round_.returns.filter(status__in=MISSING).select_related("platform"))
        staff_of = self.staff_of([item.platform_id for item in late])
        mails, reminded = [], []
        for item in late:
            words = {
                "code": round_.code,
                "platform": item.platform.name,
                "due": round_.due_on,
                "status_zh": _status_label(item, "zh-hans"),
                "status_en": _status_label(item, "en").lower(),
            }
            for user in staff_of.get(item.platform_id, []):
                mails.append(
                    (
                        SUBJECT.format(**words),
                        BODY.format(**words),
                        settings.DEFAULT_FROM_EMAIL or None,
                        [user.email],
                    )
                )
                reminded.append(f"{user.username} <{user.email}> · {item.platform.name}")
        if mails:
            send_mass_mail(mails, fail_silently=False)
        for line in reminded:
            self.stdout.write(f"Reminded {line}")
        self.stdout.write(f"{len(reminded)} reminder(s) sent; {len(late)} return(s) late.")

    @staticmethod
    def staff_of(platform_ids) -> dict:
        """platform id → its active staff with an e-mail address, by username (one query)."""
        users = (
            get_user_model()
            .objects.filter(is_active=True, platform_memberships__platform_id__in=platform_ids)
            .exclude(email="")
            .annotate(platform_id=F("platform_memberships__platform_id"))
            .order_by("username")
        )
        staff = {}
        for user in users:
            staff.setdefault(user.platform_id, []).append(user)
        return staff


def _status_label(item, language: str) -> str:
    """The return's status as its label in ``language`` (a word, never the stored code)."""
    with translation.override(language):
        return str(item.get_status_display())
