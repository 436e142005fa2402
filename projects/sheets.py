"""What the projects app brings to imports and exports (``projects.imports.registry``).

Four sheets: ``enterprises`` (clients, by their unified social credit code), ``projects`` (by
code; each names its platform and client), ``yield_runs`` and ``financing`` (rows of a
project, named by its code plus their own key); the lookups that let later sheets name an
enterprise or a project; and the Chinese labels of the projects app's choices. The row rules
are in ``sheet_handlers``.
"""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from platforms.choices import Sector
from platforms.sheets import platforms_in
from projects.imports import parsers
from projects.imports.columns import AMOUNT, BOOL, CHOICE, DATE, INT, REF, column
from projects.imports.exporting import column_rows
from projects.imports.registry import (
    Lookup,
    Sheet,
    register_choice_labels,
    register_lookup,
    register_sheet,
)

from .choices import (
    Confidentiality,
    EnterpriseSize,
    FinancingInstrument,
    FinancingRound,
    InvestorType,
    ProjectStatus,
    SrdiLevel,
    Stage,
    Track,
    YieldUnit,
)
from .confidential import HIDDEN_TEXT_FIELDS, shown_text
from .models import Enterprise, Financing, Project, YieldRun
from .sheet_handlers import (
    EnterpriseHandler,
    FinancingHandler,
    ProjectHandler,
    YieldRunHandler,
    find_projects,
)

AMOUNT_HELP = _("Yuan; 12.5万 and 1.2亿 are accepted")


def project_column(**kwargs):
    """The code of the project a yield run or financing row belongs to."""
    return column(
        "project",
        "project",
        "项目编号",
        REF,
        required=True,
        key=True,
        target="projects",
        parse=parsers.parse_project_code,
        help=_("Project code"),
        **kwargs,
    )


# --- exports: the platforms in scope, their projects, clients, runs and financing -------------


def projects_in(scope):
    return Project.objects.filter(platform__in=platforms_in(scope).values("pk"))


def export_enterprises(sheet, scope):
    clients = Enterprise.objects.filter(pk__in=projects_in(scope).values("enterprise_id"))
    return column_rows(sheet, clients, order=["uscc"])


def export_projects(sheet, scope):
    """Confidential text as the reader may see it (``shown_text``), as on every page."""
    paths = {"platform": "platform__name", "enterprise": "enterprise__uscc"}
    paths |= {field: shown_text(field, scope.user) for field in HIDDEN_TEXT_FIELDS}
    return column_rows(sheet, projects_in(scope), order=["code"], paths=paths)


def export_yield_runs(sheet, scope):
    runs = YieldRun.objects.filter(project__in=projects_in(scope).values("pk"))
    order = ["project__code", "stage", "sequence"]
    return column_rows(sheet, runs, order=order, paths={"project": "project__code"})


def export_financing(sheet, scope):
    rounds = Financing.objects.filter(project__in=projects_in(scope).values("pk"))
    order = ["project__code", "date", "pk"]
    return column_rows(sheet, rounds, order=order, paths={"project": "project__code"})


# --- registrations ------------------------------------------------------------------------------

register_lookup(
    Lookup(
        "enterprises",
        Enterprise,
        "uscc",
        unknown=_("Unknown enterprise (USCC): %(key)s"),
        hidden=_(
            "No client enterprise of your platforms has the USCC %(key)s. If it is a new "
            "client, add it to the enterprises sheet with its full name and USCC."
        ),
    )
)
register_lookup(
    Lookup(
        "projects",
        Project,
        "code",
        unknown=_("Unknown project code: %(key)s"),
        hidden=_("No project with the code %(key)s among your platforms."),
        find=find_projects,
    )
)

register_sheet(
    Sheet(
        kind="enterprises",
        model=Enterprise,
        handler=EnterpriseHandler,
        export=export_enterprises,
        aliases=("企业",),
        columns=(
            column(
                "uscc",
                "uscc",
                "统一社会信用代码",
                required=True,
                key=True,
                parse=parsers.parse_uscc,
                help=_("18 characters, GB 32100-2015"),
            ),
            column("name", "name", "企业名称", required=True),
            column("sector", "sector", "领域", CHOICE, choices=Sector, aliases=("行业领域",)),
            column("size", "size", "企业规模", CHOICE, choices=EnterpriseSize),
            column("is_high_tech", "is_high_tech", "高新技术企业", BOOL),
            column(
                "srdi_level",
                "srdi_level",
                "专精特新级别",
                CHOICE,
                choices=SrdiLevel,
                aliases=("专精特新等级",),
            ),
            column("founded_on", "founded_on", "成立日期", DATE),
        ),
        example={
            "uscc": "91350100M000100Y43",
            "name": "成都臻识科技发展有限公司",
            "sector": "information_technology",
            "size": "small",
            "is_high_tech": True,
            "srdi_level": "provincial",
            "founded_on": dt.date(2015, 3, 1),
        },
    )
)

register_sheet(
    Sheet(
        kind="projects",
        model=Project,
        handler=ProjectHandler,
        export=export_projects,
        aliases=("中试项目", "项目"),
        columns=(
            column(
                "code",
                "code",
                "项目编号",
                required=True,
                key=True,
                parse=parsers.parse_project_code,
                help=_("Unique project code"),
            ),
            column(
                "platform",
                "platform",
                "中试平台",
                REF,
                required=True,
                target="platforms",
                help=_("Platform name"),
            ),
            column(
                "enterprise",
                "enterprise_uscc",
                "企业统一社会信用代码",
                REF,
                required=True,
                target="enterprises",
                parse=parsers.parse_uscc,
                help=_("USCC of the client enterprise"),
            ),
            column("title", "title", "项目名称", required=True),
            column("product", "product", "产品"),
            column("track", "track", "技术路线", CHOICE, choices=Track),
            column("stage", "stage", "阶段", CHOICE, choices=Stage),
            column("status", "status", "状态", CHOICE, choices=ProjectStatus),
            column("start_on", "start_on", "开始日期", DATE, required=True),
            column("end_on", "end_on", "结束日期", DATE),
            column(
                "service_revenue", "service_revenue", "中试服务收入(元)", AMOUNT, help=AMOUNT_HELP
            ),
            column("output_value", "output_value", "产品产值(元)", AMOUNT, help=AMOUNT_HELP),
            column("new_product", "new_product", "孵化新产品", BOOL),
            column("confidentiality", "confidentiality", "密级", CHOICE, choices=Confidentiality),
            column("description", "description", "简介", aliases=("项目说明",)),
        ),
        example={
            "code": "FN-2023-001",
            "platform": "成都高新蜂鸟智能硬件中试平台",
            "enterprise": "91350100M000100Y43",
            "title": "路内停车移动巡查设备小批量试产",
            "product": "路内停车移动巡查设备",
            "track": "discrete",
            "stage": "PVT",
            "status": "completed",
            "start_on": dt.date(2023, 3, 1),
            "end_on": dt.date(2023, 12, 31),
            "service_revenue": "12.5万",
            "output_value": "1.2亿",
            "new_product": True,
            "confidentiality": "public",
            "description": "",
        },
    )
)

register_sheet(
    Sheet(
        kind="yield_runs",
        model=YieldRun,
        handler=YieldRunHandler,
        export=export_yield_runs,
        aliases=("良率记录", "良率"),
        columns=(
            project_column(),
            column("stage", "stage", "阶段", CHOICE, required=True, key=True, choices=Stage),
            column(
                "sequence", "sequence", "序号", INT, required=True, key=True, aliases=("轮次序号",)
            ),
            column("measured_on", "measured_on", "测试日期", DATE, required=True),
            column("units_tested", "units_tested", "测试数量", INT, required=True),
            column("units_passed", "units_passed", "合格数量", INT, required=True),
            column(
                "first_pass_units", "first_pass_units", "一次合格数量", INT, aliases=("直通数量",)
            ),
            column("unit", "unit", "计量单位", CHOICE, choices=YieldUnit),
            column("notes", "notes", "备注"),
        ),
        example={
            "project": "FN-2023-001",
            "stage": "DVT",
            "sequence": 1,
            "measured_on": dt.date(2023, 5, 10),
            "units_tested": 50,
            "units_passed": 20,
            "first_pass_units": 18,
            "unit": "pcs",
            "notes": "DVT#1",
        },
    )
)

register_sheet(
    Sheet(
        kind="financing",
        model=Financing,
        handler=FinancingHandler,
        export=export_financing,
        aliases=("融资", "融资记录"),
        columns=(
            project_column(),
            column("date", "date", "融资日期", DATE, required=True, key=True),
            column(
                "round",
                "round",
                "融资轮次",
                CHOICE,
                required=True,
                key=True,
                choices=FinancingRound,
            ),
            column(
                "instrument",
                "instrument",
                "融资方式",
                CHOICE,
                key=True,
                choices=FinancingInstrument,
            ),
            column("investor", "investor", "投资方", key=True),
            column("investor_type", "investor_type", "投资方类型", CHOICE, choices=InvestorType),
            column("amount", "amount", "金额(元)", AMOUNT, required=True, help=AMOUNT_HELP),
        ),
        example={
            "project": "FN-2023-001",
            "date": dt.date(2023, 9, 1),
            "round": "a",
            "instrument": "equity",
            "investor": "成都科创投",
            "investor_type": "guidance_fund",
            "amount": "3000万",
        },
    )
)

# Chinese labels of the choices, as a Chinese spreadsheet writes them.
CHINESE_LABELS = {
    EnterpriseSize: {"large": "大型", "medium": "中型", "small": "小型", "micro": "微型"},
    SrdiLevel: {"none": "无", "provincial": "省级专精特新", "little_giant": "国家级专精特新小巨人"},
    Track: {"discrete": "离散制造", "process": "流程工业"},
    Stage: {
        "EVT": "工程验证测试",
        "DVT": "设计验证测试",
        "PVT": "小批量试产",
        "MP": "量产",
        "LAB": "小试",
        "SCALE_UP": "放大试验",
        "PILOT": "中试",
        "INDUSTRIAL": "工业化示范",
    },
    ProjectStatus: {
        "intent": "意向",
        "contracted": "已签约",
        "in_progress": "进行中",
        "completed": "已完成",
        "terminated": "已终止",
    },
    Confidentiality: {"public": "公开", "internal": "内部", "confidential": "保密"},
    YieldUnit: {
        "pcs": "件",
        "kg": "千克",
        "t": "吨",
        "l": "升",
        "batch": "批",
        "wafer": "片",
        "m2": "平方米",
    },
    FinancingRound: {
        "seed": "种子轮",
        "angel": "天使轮",
        "pre_a": "Pre-A轮",
        "a": "A轮",
        "a_plus": "A+轮",
        "b": "B轮",
        "b_plus": "B+轮",
        "c": "C轮",
        "d_later": "D轮及以后",
        "pre_ipo": "Pre-IPO轮",
        "strategic": "战略融资",
        "ipo": "IPO",
        "private_placement": "定增",
        "none": "无轮次(债权)",
    },
    FinancingInstrument: {
        "equity": "股权",
        "bank_loan": "银行贷款",
        "tech_loan": "科技贷",
        "ip_pledge": "知识产权质押",
        "convertible": "可转债",
        "other": "其他",
    },
    InvestorType: {
        "vc_pe": "VC/PE",
        "corporate": "产业资本",
        "guidance_fund": "政府引导基金",
        "state_platform": "国资平台",
        "bank": "银行",
        "other": "其他",
    },
}
for choices, labels in CHINESE_LABELS.items():
    register_choice_labels(choices, labels)
