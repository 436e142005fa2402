"""Choice sets of the projects app, with translated labels, and the groups views filter by."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class EnterpriseSize(models.TextChoices):
    LARGE = "large", _("Large")
    MEDIUM = "medium", _("Medium")
    SMALL = "small", _("Small")
    MICRO = "micro", _("Micro")


class SrdiLevel(models.TextChoices):
    """专精特新: specialised, refined, distinctive and innovative enterprise recognition."""

    NONE = "none", _("None")
    PROVINCIAL = "provincial", _("Provincial SRDI")
    LITTLE_GIANT = "little_giant", _('National "little giant"')


class Track(models.TextChoices):
    """Discrete products: EVT→DVT→PVT→MP; process industries: lab→scale-up→pilot→plant."""

    DISCRETE = "discrete", _("Discrete (EVT/DVT/PVT/MP)")
    PROCESS = "process", _("Process (lab/scale-up/pilot/industrial)")


class Stage(models.TextChoices):
    EVT = "EVT", _("Engineering verification test")
    DVT = "DVT", _("Design verification test")
    PVT = "PVT", _("Small-batch trial production")
    MP = "MP", _("Mass production")
    LAB = "LAB", _("Lab test")
    SCALE_UP = "SCALE_UP", _("Scale-up test")
    PILOT = "PILOT", _("Pilot test")
    INDUSTRIAL = "INDUSTRIAL", _("Industrial demonstration")


# Stage order within each track: used to validate a project's stage and to sort stages.
TRACK_STAGES = {
    Track.DISCRETE: [Stage.EVT, Stage.DVT, Stage.PVT, Stage.MP],
    Track.PROCESS: [Stage.LAB, Stage.SCALE_UP, Stage.PILOT, Stage.INDUSTRIAL],
}


class ProjectStatus(models.TextChoices):
    INTENT = "intent", _("Intent")
    CONTRACTED = "contracted", _("Contracted")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    TERMINATED = "terminated", _("Terminated")


# Status groups, so that "open" and "closed" are defined once, not re-listed in views.
OPEN_STATUSES = [ProjectStatus.INTENT, ProjectStatus.CONTRACTED, ProjectStatus.IN_PROGRESS]
CLOSED_STATUSES = [ProjectStatus.COMPLETED, ProjectStatus.TERMINATED]


@dataclass(frozen=True)
class StatusGroup:
    """Statuses counted together under one name, with the words every page uses for them."""

    value: str
    label: str
    help_text: str
    statuses: tuple


# "Active projects" (在研项目): signed and not finished, i.e. contracted or in progress. An
# intent is not a project yet; a completed or terminated one is over. The home page once counted
# only "in progress" (74) and the platform page intents too (92) under two names for one idea:
# every page that counts active projects uses this group, its label and its help text, and the
# project list filters by it (``?status=active``). Not to be confused with the status "in
# progress" (进行中), one member of the group.
ACTIVE = StatusGroup(
    value="active",
    label=_("Active projects"),
    help_text=_(
        "Active projects: contracted or in progress. Intents and completed or terminated "
        "projects are not counted."
    ),
    statuses=(ProjectStatus.CONTRACTED, ProjectStatus.IN_PROGRESS),
)


class Confidentiality(models.TextChoices):
    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal")
    CONFIDENTIAL = "confidential", _("Confidential")


class YieldUnit(models.TextChoices):
    PIECES = "pcs", _("pieces")
    KILOGRAMS = "kg", _("kg")
    TONNES = "t", _("tonnes")
    LITRES = "l", _("litres")
    BATCHES = "batch", _("batches")
    WAFERS = "wafer", _("wafers")
    SQUARE_METRES = "m2", _("square metres")


class FinancingRound(models.TextChoices):
    SEED = "seed", _("Seed")
    ANGEL = "angel", _("Angel")
    PRE_A = "pre_a", _("Pre-A")
    A = "a", _("Series A")
    A_PLUS = "a_plus", _("Series A+")
    B = "b", _("Series B")
    B_PLUS = "b_plus", _("Series B+")
    C = "c", _("Series C")
    D_LATER = "d_later", _("Series D and later")
    PRE_IPO = "pre_ipo", _("Pre-IPO")
    STRATEGIC = "strategic", _("Strategic")
    IPO = "ipo", _("IPO")
    PRIVATE_PLACEMENT = "private_placement", _("Private placement")
    NONE = "none", _("No round (debt)")


class FinancingInstrument(models.TextChoices):
    EQUITY = "equity", _("Equity")
    BANK_LOAN = "bank_loan", _("Bank loan")
    TECH_LOAN = "tech_loan", _("Technology loan")
    IP_PLEDGE = "ip_pledge", _("IP pledge")
    CONVERTIBLE = "convertible", _("Convertible")
    OTHER = "other", _("Other")


class InvestorType(models.TextChoices):
    VC_PE = "vc_pe", _("VC/PE")
    CORPORATE = "corporate", _("Corporate/industrial capital")
    GUIDANCE_FUND = "guidance_fund", _("Government guidance fund")
    STATE_PLATFORM = "state_platform", _("State-owned platform")
    BANK = "bank", _("Bank")
    OTHER = "other", _("Other")
