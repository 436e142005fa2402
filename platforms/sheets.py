"""What the platforms app brings to imports and exports (``projects.imports.registry``).

The ``platforms`` sheet (the registry of platforms), and the reference data other sheets name
by their natural key: zones and platforms and recognition lists, each by its name. Reference
data is the administrators' (``access.may_change_reference_data``): a staff member's platforms
row may change only the descriptive fields of their own platform and must repeat the rest.
"""

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from platforms import access
from platforms.choices import ConstructionModel, PlatformStatus, Sector
from platforms.models import Platform, Recognition, RecognitionList, Zone
from projects.imports import parsers
from projects.imports.columns import CHOICE, DATE, REF, REFS, column
from projects.imports.exporting import column_rows
from projects.imports.handlers import RowProblem, SheetHandler, column_label
from projects.imports.registry import (
    ExportScope,
    Lookup,
    Sheet,
    register_choice_labels,
    register_lookup,
    register_sheet,
)
from projects.imports.writing import create_with_history

# --- who may write which platform, within one import --------------------------------------


def editable_platforms(run) -> set | None:
    """Primary keys of the platforms whose records the run's user may write
    (``access.platforms_editable_by``); None when they may write every platform."""
    if not run.restricted:
        return None
    return run.cached(
        "editable_platforms",
        lambda: set(Platform.objects.editable_by(run.user).values_list("pk", flat=True)),
    )


def may_edit_platform(run, pk) -> bool:
    """New platforms of the file (pk None) are the creator's; creating them was checked."""
    editable = editable_platforms(run)
    return editable is None or pk is None or pk in editable


def platforms_in(scope: ExportScope):
    """The platforms an export covers: those its reader may see, of one zone if asked."""
    platforms = Platform.objects.visible_to(scope.user)
    return platforms.filter(zone__name=scope.zone) if scope.zone else platforms


# --- the platforms sheet ----------------------------------------------------------------------


class PlatformHandler(SheetHandler):
    """Platforms: the registry. Zone, status, sector, construction model, operator, dates and
    recognitions are reference data (administrators only); a platform's own staff may update
    its descriptive fields (``access.PLATFORM_STAFF_FIELDS``) and must otherwise repeat the
    stored values, as a re-imported export does."""

    def load_existing(self, keys):
        names = [key[0] for key in keys]
        found = Platform.objects.filter(name__in=names).select_related("zone")
        existing = {(platform.name,): platform for platform in found}
        if "recognition_lists" in self.given and existing:
            # Every list a platform was ever on (the writer never adds one twice), and those
            # in force (what a staff row may repeat).
            self.current_lists, self.lists_in_force = {}, {}
            for platform_id, list_name, revoked_on in Recognition.objects.filter(
                platform__in=existing.values()
            ).values_list("platform_id", "recognition_list__name", "revoked_on"):
                self.current_lists.setdefault(platform_id, set()).add(list_name)
                if revoked_on is None:
                    self.lists_in_force.setdefault(platform_id, set()).add(list_name)
        return existing

    def resolve(self, parsed):
        if self.run.restricted:
            # A staff row's zone and lists are compared with the stored ones instead
            # (``check_restricted``): whether another zone or list exists is not their concern.
            return []
        return super().resolve(parsed)

    def check_row(self, parsed, existing):
        if self.run.restricted and (
            existing is None or not may_edit_platform(self.run, existing.pk)
        ):
            # One message, whether no platform has the name or another platform does; and no
            # other check of the row, whose outcome could differ between the two.
            message = _(
                "No platform called %(name)s among your platforms; only administrators add "
                "platforms."
            )
            raise RowProblem([("name", message % {"name": parsed.get("name")})])
        action, payload = super().check_row(parsed, existing)
        if self.run.restricted:
            self.check_restricted(parsed, existing, payload if action == "update" else {})
        return action, payload

    def check_restricted(self, parsed, existing, changes):
        """A staff row changes descriptive fields only; every other column must repeat the
        stored value. Each column that does not is an error naming it."""
        problems = [
            (
                field,
                _(
                    "Only administrators change %(column)s (reference data); leave the stored "
                    "value or ask an administrator."
                )
                % {"column": column_label(self.sheet.by_field[field])},
            )
            for field in changes
            if field not in access.PLATFORM_STAFF_FIELDS and field != "recognition_lists"
        ]
        in_force = getattr(self, "lists_in_force", {}).get(existing.pk, set())
        claimed = sorted(set(parsed.get("recognition_lists") or []) - in_force)
        if claimed:
            message = _(
                "Only administrators grant recognitions; this platform holds no current "
                "recognition on: %(lists)s."
            )
            problems.append(("recognition_lists", message % {"lists": "; ".join(claimed)}))
        if problems:
            raise RowProblem(problems)

    def reference_values(self, existing, parsed):
        return {"zone": existing.zone.name}

    def extra_changes(self, parsed, existing):
        wanted = set(parsed.get("recognition_lists") or [])
        missing = wanted - getattr(self, "current_lists", {}).get(existing.pk, set())
        return {"recognition_lists": sorted(missing)} if missing else {}

    def remember_row(self, key, parsed, instance, existing, ok):
        self.run.remember("platforms", key[0], existing.pk if existing else None, ok=ok)

    def write_links(self, field, pairs):
        """The recognitions rows add (each once), with their history entries."""
        lists = "recognition_lists"
        create_with_history(
            self.run,
            Recognition,
            [
                Recognition(platform_id=pk, recognition_list_id=self.run.pk_of(lists, name))
                for pk, name in dict.fromkeys(pairs)
            ],
        )


def export_platforms(sheet, scope):
    """The platforms of the scope, their current recognitions' list names in one cell."""
    platforms = platforms_in(scope)
    names = {}
    current = Recognition.objects.current().filter(platform__in=platforms.values("pk"))
    for platform_id, name in current.order_by("recognition_list__name").values_list(
        "platform_id", "recognition_list__name"
    ):
        names.setdefault(platform_id, []).append(name)
    lists = [c.field for c in sheet.columns].index("recognition_lists")
    for row in column_rows(
        sheet, platforms, order=["name"], paths={"zone": "zone__name", "recognition_lists": "pk"}
    ):
        row = list(row)
        row[lists] = "; ".join(names.get(row[lists], []))
        yield row


register_lookup(Lookup("zones", Zone, "name", unknown=gettext_lazy("Unknown zone: %(key)s")))
register_lookup(
    Lookup(
        "platforms",
        Platform,
        "name",
        unknown=gettext_lazy("Unknown platform: %(key)s"),
        hidden=gettext_lazy("No platform called %(key)s among your platforms."),
    )
)
register_lookup(
    Lookup(
        "recognition_lists",
        RecognitionList,
        "name",
        unknown=gettext_lazy("Unknown recognition list: %(key)s"),
    )
)

register_sheet(
    Sheet(
        kind="platforms",
        model=Platform,
        handler=PlatformHandler,
        export=export_platforms,
        aliases=("中试平台", "平台"),
        columns=(
            column(
                "name",
                "name",
                "平台名称",
                required=True,
                key=True,
                help=gettext_lazy("Unique name"),
            ),
            column("name_en", "name_en", "英文名称"),
            column(
                "zone",
                "zone",
                "所属园区",
                REF,
                required=True,
                target="zones",
                aliases=("所属高新区",),
                help=gettext_lazy("Zone name"),
            ),
            column("sector", "sector", "领域", CHOICE, required=True, choices=Sector),
            column("operator_name", "operator_name", "运营主体"),
            column(
                "operator_uscc",
                "operator_uscc",
                "运营主体统一社会信用代码",
                parse=parsers.parse_uscc,
                help=gettext_lazy("18 characters, optional"),
            ),
            column(
                "construction_model",
                "construction_model",
                "建设模式",
                CHOICE,
                choices=ConstructionModel,
            ),
            column("established_on", "established_on", "成立日期", DATE),
            column("status", "status", "状态", CHOICE, choices=PlatformStatus),
            column("description", "description", "简介"),
            column("contact_name", "contact_name", "联系人"),
            column("contact_phone", "contact_phone", "联系电话"),
            column(
                "recognition_lists",
                "recognition_lists",
                "认定名单",
                REFS,
                target="recognition_lists",
                help=gettext_lazy(
                    "Names of recognition lists, separated by semicolons; only added, and "
                    "only by administrators"
                ),
            ),
        ),
        example={
            "name": "成都高新蜂鸟智能硬件中试平台",
            "name_en": "Chengdu Hi-tech Hummingbird Intelligent Hardware Pilot Platform",
            "zone": "成都高新区",
            "sector": "information_technology",
            "operator_name": "成都高新蜂鸟科技有限公司",
            "operator_uscc": "",
            "construction_model": "enterprise_market",
            "established_on": dt.date(2019, 6, 1),
            "status": "active",
            "description": "",
            "contact_name": "张明",
            "contact_phone": "028-85190000",
            "recognition_lists": "",
        },
    )
)

# Chinese labels of the choices, as a Chinese spreadsheet writes them.
CHINESE_LABELS = {
    Sector: {
        "raw_materials": "原材料工业",
        "equipment": "装备制造",
        "consumer_goods": "消费品工业",
        "information_technology": "信息技术",
        "emerging_future": "新兴和未来产业",
        "common_needs": "共性需求",
    },
    ConstructionModel: {
        "government_public": "政府投资公共服务",
        "university_transfer": "高校院所成果转化",
        "multi_party": "多元主体联合共建",
        "enterprise_market": "企业运营市场服务",
        "enterprise_opened": "企业建设适度开放",
        "leading_in_house": "龙头企业自主建设",
    },
    PlatformStatus: {"active": "运行", "suspended": "暂停", "revoked": "撤销", "closed": "关闭"},
}
for choices, labels in CHINESE_LABELS.items():
    register_choice_labels(choices, labels)
