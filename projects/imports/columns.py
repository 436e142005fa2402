"""The import format: which sheets exist, which columns each has, and what a header may be called.

Headers are accepted in English (the model field name, e.g. ``service_revenue``) or in Chinese
(e.g. ``中试服务收入（元）``). The Chinese names are spelled out here rather than taken from the
translation catalogue because the catalogue is produced later and may reword a label; a header
that worked in last year's spreadsheet must keep working. The same goes for the Chinese labels
of choices ("设计验证测试" for DVT).
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.db import models
from django.utils.translation import gettext_lazy as _

from platforms.choices import ConstructionModel, PlatformStatus, Sector
from projects.choices import (
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

# Processing order: a row may refer to rows of earlier sheets of the same file.
KINDS = ("platforms", "enterprises", "projects", "yield_runs", "financing")

# Sheet names in Chinese, so that a workbook whose tabs were renamed by a Chinese user still works.
SHEET_ALIASES = {
    "platforms": ["platforms", "中试平台", "平台"],
    "enterprises": ["enterprises", "企业"],
    "projects": ["projects", "中试项目", "项目"],
    "yield_runs": ["yield_runs", "良率记录", "良率"],
    "financing": ["financing", "融资", "融资记录"],
}

# Value types a column can hold; each has one parser in ``parsers.py``.
TEXT, CHOICE, DATE, AMOUNT, INT, BOOL, REF, REFS = (
    "text",
    "choice",
    "date",
    "amount",
    "int",
    "bool",
    "ref",
    "refs",
)


@dataclass(frozen=True)
class Column:
    """One column of a sheet.

    ``field`` is the model field it fills (for references, the foreign key), ``names`` the
    headers it may have: ``[English, Chinese]`` (more aliases may follow).
    """

    field: str
    names: tuple[str, ...]
    value_type: str = TEXT
    required: bool = False
    key: bool = False
    choices: type[models.TextChoices] | None = None
    help: str = ""

    @property
    def english(self) -> str:
        return self.names[0]

    @property
    def chinese(self) -> str:
        return self.names[1]


@dataclass(frozen=True, eq=False)
class SheetSpec:
    kind: str
    columns: tuple[Column, ...]
    by_field: dict = field(default_factory=dict, compare=False)

    def __post_init__(self):
        self.by_field.update({column.field: column for column in self.columns})

    @cached_property
    def key_fields(self) -> tuple[str, ...]:
        return tuple(column.field for column in self.columns if column.key)


def _c(field_name, english, chinese, type_=TEXT, **kwargs) -> Column:
    return Column(field=field_name, names=(english, chinese), value_type=type_, **kwargs)


SHEETS = {
    "platforms": SheetSpec(
        "platforms",
        (
            _c("name", "name", "平台名称", required=True, key=True, help=_("Unique name")),
            _c("name_en", "name_en", "英文名称"),
            _c("zone", "zone", "所属高新区", REF, required=True, help=_("Zone name")),
            _c("sector", "sector", "领域", CHOICE, required=True, choices=Sector),
            _c("operator_name", "operator_name", "运营主体"),
            _c(
                "operator_uscc",
                "operator_uscc",
                "运营主体统一社会信用代码",
                help=_("18 characters, optional"),
            ),
            _c(
                "construction_model",
                "construction_model",
                "建设模式",
                CHOICE,
                choices=ConstructionModel,
            ),
            _c("established_on", "established_on", "成立日期", DATE),
            _c("status", "status", "状态", CHOICE, choices=PlatformStatus),
            _c("description", "description", "简介"),
            _c("contact_name", "contact_name", "联系人"),
            _c("contact_phone", "contact_phone", "联系电话"),
            _c(
                "recognition_lists",
                "recognition_lists",
                "认定名单",
                REFS,
                help=_(
                    "Names of recognition lists, separated by semicolons; only added, and "
                    "only by administrators"
                ),
            ),
        ),
    ),
    "enterprises": SheetSpec(
        "enterprises",
        (
            _c(
                "uscc",
                "uscc",
                "统一社会信用代码",
                required=True,
                key=True,
                help=_("18 characters, GB 32100-2015"),
            ),
            _c("name", "name", "企业名称", required=True),
            _c("sector", "sector", "行业领域", CHOICE, choices=Sector),
            _c("size", "size", "企业规模", CHOICE, choices=EnterpriseSize),
            _c("is_high_tech", "is_high_tech", "高新技术企业", BOOL),
            _c("srdi_level", "srdi_level", "专精特新等级", CHOICE, choices=SrdiLevel),
            _c("founded_on", "founded_on", "成立日期", DATE),
        ),
    ),
    "projects": SheetSpec(
        "projects",
        (
            _c("code", "code", "项目编号", required=True, key=True, help=_("Unique project code")),
            _c("platform", "platform", "中试平台", REF, required=True, help=_("Platform name")),
            _c(
                "enterprise",
                "enterprise_uscc",
                "企业统一社会信用代码",
                REF,
                required=True,
                help=_("USCC of the client enterprise"),
            ),
            _c("title", "title", "项目名称", required=True),
            _c("product", "product", "产品"),
            _c("track", "track", "技术路线", CHOICE, choices=Track),
            _c("stage", "stage", "阶段", CHOICE, choices=Stage),
            _c("status", "status", "状态", CHOICE, choices=ProjectStatus),
            _c("start_on", "start_on", "开始日期", DATE, required=True),
            _c("end_on", "end_on", "结束日期", DATE),
            _c(
                "service_revenue",
                "service_revenue",
                "中试服务收入(元)",
                AMOUNT,
                help=_("Yuan; 12.5万 and 1.2亿 are accepted"),
            ),
            _c(
                "output_value",
                "output_value",
                "产品产值(元)",
                AMOUNT,
                help=_("Yuan; 12.5万 and 1.2亿 are accepted"),
            ),
            _c("new_product", "new_product", "孵化新产品", BOOL),
            _c("confidentiality", "confidentiality", "密级", CHOICE, choices=Confidentiality),
            _c("description", "description", "项目说明"),
        ),
    ),
    "yield_runs": SheetSpec(
        "yield_runs",
        (
            _c(
                "project",
                "project",
                "项目编号",
                REF,
                required=True,
                key=True,
                help=_("Project code"),
            ),
            _c("stage", "stage", "阶段", CHOICE, required=True, key=True, choices=Stage),
            _c("sequence", "sequence", "轮次序号", INT, required=True, key=True),
            _c("measured_on", "measured_on", "测试日期", DATE, required=True),
            _c("units_tested", "units_tested", "测试数量", INT, required=True),
            _c("units_passed", "units_passed", "合格数量", INT, required=True),
            _c("first_pass_units", "first_pass_units", "直通数量", INT),
            _c("unit", "unit", "计量单位", CHOICE, choices=YieldUnit),
            _c("notes", "notes", "备注"),
        ),
    ),
    "financing": SheetSpec(
        "financing",
        (
            _c(
                "project",
                "project",
                "项目编号",
                REF,
                required=True,
                key=True,
                help=_("Project code"),
            ),
            _c("date", "date", "融资日期", DATE, required=True, key=True),
            _c(
                "round",
                "round",
                "融资轮次",
                CHOICE,
                required=True,
                key=True,
                choices=FinancingRound,
            ),
            _c(
                "instrument",
                "instrument",
                "融资方式",
                CHOICE,
                key=True,
                choices=FinancingInstrument,
            ),
            _c("investor", "investor", "投资方", key=True),
            _c("investor_type", "investor_type", "投资方类型", CHOICE, choices=InvestorType),
            _c(
                "amount",
                "amount",
                "金额(元)",
                AMOUNT,
                required=True,
                help=_("Yuan; 12.5万 and 1.2亿 are accepted"),
            ),
        ),
    ),
}

# Chinese labels of every choice a sheet can hold, independent of the translation catalogue.
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
        "pre_ipo": "Pre-IPO",
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


def normalize_header(text) -> str:
    """Headers compare case-insensitively, ignoring surrounding spaces and full-width brackets."""
    text = "" if text is None else str(text)
    return text.strip().replace("（", "(").replace("）", ")").replace(" ", "").casefold()


def header_lookup(spec: SheetSpec) -> dict[str, Column]:
    return {normalize_header(name): column for column in spec.columns for name in column.names}


def kind_for_sheet(name: str) -> str | None:
    wanted = normalize_header(name)
    for kind, aliases in SHEET_ALIASES.items():
        if wanted in {normalize_header(alias) for alias in aliases}:
            return kind
    return None


def header_for(column: Column, language: str) -> str:
    """The header a template or export uses for the given language."""
    return column.chinese if language.startswith("zh") else column.english
