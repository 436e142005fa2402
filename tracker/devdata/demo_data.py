"""Word lists and published cases behind the demo data (``seed_demo``) and scale data
(``generate_bulk``).

The real cases of ``shared/seed-facts.md`` keep their real names, dates and published outcomes.
Everything the news feature does not state (amounts per project, project codes, yields other
than the 40% → 90% case, and the USCCs, which are placeholders with a correct GB 32100-2015
check character, not the companies' registered codes) is illustrative.
"""

import datetime as dt

from platforms.choices import ConstructionModel, Sector
from projects.choices import Stage, Track, YieldUnit

# The news feature is from mid-2025: no demo project starts after it, no record is dated after
# the end of that year.
CUTOFF = dt.date(2025, 6, 30)
LAST_DAY = dt.date(2025, 12, 31)
FIRST_DAY = dt.date(2019, 1, 1)

# One line of work a platform can specialise in: the sector MIIT files it under, the track its
# projects follow, what the yield is counted in, and the products clients bring.
DOMAINS = [
    # (domain, sector, track, unit, products)
    (
        "智能硬件",
        Sector.INFORMATION_TECHNOLOGY,
        Track.DISCRETE,
        YieldUnit.PIECES,
        ["智能门锁", "车载摄像模组", "智能手环", "边缘计算网关", "无线充电模组", "智能音箱"],
    ),
    (
        "集成电路封装测试",
        Sector.INFORMATION_TECHNOLOGY,
        Track.DISCRETE,
        YieldUnit.WAFERS,
        ["电源管理芯片", "射频前端芯片", "MCU控制芯片", "图像传感器芯片", "功率MOSFET"],
    ),
    (
        "新型显示",
        Sector.INFORMATION_TECHNOLOGY,
        Track.DISCRETE,
        YieldUnit.PIECES,
        ["Micro LED显示模组", "柔性OLED触控模组", "车载显示屏", "AR光波导镜片"],
    ),
    (
        "5G通信模组",
        Sector.INFORMATION_TECHNOLOGY,
        Track.DISCRETE,
        YieldUnit.PIECES,
        ["5G工业模组", "Wi-Fi 6模组", "北斗定位终端", "毫米波雷达", "光通信模块"],
    ),
    (
        "智能传感器",
        Sector.INFORMATION_TECHNOLOGY,
        Track.DISCRETE,
        YieldUnit.PIECES,
        ["MEMS压力传感器", "红外热成像模组", "激光雷达", "气体传感器", "工业相机"],
    ),
    (
        "无人机",
        Sector.EQUIPMENT,
        Track.DISCRETE,
        YieldUnit.PIECES,
        ["工业级无人机", "植保无人机", "无人机飞控系统", "垂直起降固定翼无人机"],
    ),
    (
        "工业机器人",
        Sector.EQUIPMENT,
        Track.DISCRETE,
        YieldUnit.PIECES,
        ["协作机器人关节", "精密减速器", "伺服电机", "视觉分拣机器人", "AGV驱动单元"],
    ),
    (
        "航空零部件",
        Sector.EQUIPMENT,
        Track.DISCRETE,
        YieldUnit.PIECES,
        ["航空发动机叶片", "钛合金结构件", "机载线缆组件", "复合材料舵面"],
    ),
    (
        "氢能装备",
        Sector.EQUIPMENT,
        Track.DISCRETE,
        YieldUnit.PIECES,
        ["燃料电池电堆", "PEM电解槽", "储氢瓶阀", "氢气循环泵"],
    ),
    (
        "锂电材料",
        Sector.RAW_MATERIALS,
        Track.PROCESS,
        YieldUnit.KILOGRAMS,
        ["磷酸铁锂正极材料", "硅碳负极材料", "钠离子电池正极材料", "固态电解质粉体"],
    ),
    (
        "电子化学品",
        Sector.RAW_MATERIALS,
        Track.PROCESS,
        YieldUnit.KILOGRAMS,
        ["电子级氢氟酸", "光刻胶显影液", "高纯电子特气", "CMP抛光液"],
    ),
    (
        "先进金属材料",
        Sector.RAW_MATERIALS,
        Track.PROCESS,
        YieldUnit.TONNES,
        ["高性能钛合金棒材", "硬质合金刀具材料", "高温合金粉末", "稀土永磁材料"],
    ),
    (
        "绿色食品",
        Sector.CONSUMER_GOODS,
        Track.PROCESS,
        YieldUnit.BATCHES,
        ["川味复合调味料", "植物基肉制品", "益生菌发酵饮品", "低度果酒"],
    ),
    (
        "智能家居",
        Sector.CONSUMER_GOODS,
        Track.DISCRETE,
        YieldUnit.PIECES,
        ["扫地机器人", "智能晾衣架", "厨房净水器", "智能照明面板"],
    ),
    (
        "生物医药",
        Sector.EMERGING_FUTURE,
        Track.PROCESS,
        YieldUnit.BATCHES,
        ["单克隆抗体注射液", "mRNA疫苗原液", "CAR-T细胞制剂", "多肽原料药", "重组蛋白试剂"],
    ),
    (
        "高端医疗器械",
        Sector.EMERGING_FUTURE,
        Track.DISCRETE,
        YieldUnit.PIECES,
        ["血管介入导管", "可降解骨钉", "手术机器人末端器械", "便携式超声探头"],
    ),
    (
        "新能源光伏",
        Sector.EMERGING_FUTURE,
        Track.PROCESS,
        YieldUnit.SQUARE_METRES,
        ["钙钛矿光伏组件", "异质结电池片", "柔性光伏薄膜"],
    ),
    (
        "检验检测与可靠性",
        Sector.COMMON_NEEDS,
        Track.DISCRETE,
        YieldUnit.PIECES,
        ["车规级可靠性验证", "EMC整改样机", "环境应力筛选样机"],
    ),
    (
        "工业软件与数字孪生",
        Sector.COMMON_NEEDS,
        Track.DISCRETE,
        YieldUnit.PIECES,
        ["产线数字孪生系统", "工艺仿真软件", "设备预测性维护终端"],
    ),
]

# Who or where a synthetic platform belongs to: place names of the zones, not institutions.
CHENGDU_OWNERS = [
    "成都高新",
    "天府",
    "菁蓉",
    "锦城",
    "蓉创",
    "西部",
    "芯谷",
    "新川",
    "瞪羚谷",
    "天府国际生物城",
    "成都未来科技城",
    "高新西区",
    "中和",
    "石羊",
]
KUNSHAN_OWNERS = ["昆山", "阳澄湖", "花桥", "周市", "玉山", "昆山开发区"]
PLATFORM_SUFFIXES = [
    "中试平台",
    "中试基地",
    "中试验证中心",
    "概念验证与中试平台",
    "小批量试产平台",
    "中试熟化平台",
]

# Enterprise names: brand (two syllables) + line of business + legal form.
BRAND_SYLLABLES = list(
    "睿芯瑞鼎华博晨拓鑫川蓉天锐思凌云创联智恒昊宇航达泰安康信诚越卓远光微星弘启迪澜峰图融海"
)
BUSINESS_BY_SECTOR = {
    Sector.INFORMATION_TECHNOLOGY: ["智能科技", "电子科技", "微电子", "光电科技", "通信技术"],
    Sector.EQUIPMENT: ["智能装备", "精密机械", "航空科技", "机器人", "动力科技"],
    Sector.RAW_MATERIALS: ["新材料科技", "材料科技", "化工科技", "金属材料"],
    Sector.CONSUMER_GOODS: ["食品科技", "家居科技", "生物科技", "消费电子"],
    Sector.EMERGING_FUTURE: ["生物医药", "医疗器械", "新能源科技", "基因科技"],
    Sector.COMMON_NEEDS: ["检测技术", "信息技术", "软件技术", "技术服务"],
}
LEGAL_FORMS = ["有限公司", "有限公司", "有限公司", "股份有限公司"]

CONSTRUCTION_MODELS = list(ConstructionModel.values)

# Financing counterparties (illustrative names): equity investors by type, and lenders.
EQUITY_INVESTORS = [
    ("天府科创投资基金", "vc_pe"),
    ("蓉城创新创业投资", "vc_pe"),
    ("西部硬科技创投", "vc_pe"),
    ("芯动产业资本", "corporate"),
    ("锦江产业投资集团", "state_platform"),
    ("高新区科技成果转化引导基金", "guidance_fund"),
    ("成都市先进制造业引导基金", "guidance_fund"),
    ("四川省创新驱动产业基金", "guidance_fund"),
    ("长三角协同创新投资", "vc_pe"),
    ("昆山市产业引导基金", "guidance_fund"),
]
LENDERS = [
    "中国工商银行成都高新支行",
    "中国建设银行四川省分行科技支行",
    "成都银行科技支行",
    "交通银行昆山分行",
    "江苏银行昆山科技支行",
]
# Rounds a client of a pilot platform typically raises, most common first.
EQUITY_ROUNDS = ["angel", "pre_a", "a", "a", "a_plus", "b", "b", "b_plus", "c", "strategic"]
DEBT_INSTRUMENTS = ["bank_loan", "tech_loan", "tech_loan", "ip_pledge"]

# The per-stage sample size of a yield run, by unit (discrete units grow from EVT to PVT).
SAMPLE_SIZE = {
    YieldUnit.PIECES: [(20, 60), (50, 300), (200, 1500), (1000, 5000)],
    YieldUnit.WAFERS: [(5, 25), (25, 100), (100, 400), (400, 1200)],
    YieldUnit.KILOGRAMS: [(5, 50), (50, 500), (500, 5000), (5000, 20000)],
    YieldUnit.TONNES: [(1, 5), (5, 20), (20, 100), (100, 500)],
    YieldUnit.BATCHES: [(3, 10), (5, 20), (10, 40), (20, 60)],
    YieldUnit.SQUARE_METRES: [(10, 50), (50, 500), (500, 5000), (5000, 20000)],
}

# ------------------------------------------------------------------------------------------
# Reference records and published cases.

PROVINCES = [
    {"code": "51", "name": "四川省", "name_en": "Sichuan"},
    {"code": "32", "name": "江苏省", "name_en": "Jiangsu"},
]
CHENGDU = {
    "name": "成都高新区",
    "name_en": "Chengdu High-tech Zone",
    "province": "51",
    "city": "成都",
}
KUNSHAN = {
    "name": "昆山高新区",
    "name_en": "Kunshan High-tech Zone",
    "province": "32",
    "city": "昆山",
}

MIIT_LIST = {
    "name": "首批工业和信息化部重点培育中试平台名单",
    "name_en": "MIIT first batch of key cultivated pilot-test platforms",
    "level": "miit_key",
    "issuer": "工业和信息化部",
    "batch": 1,
    # The preliminary list was made public on 8 May 2025 (241 platforms nationwide).
    "published_on": dt.date(2025, 5, 8),
}
# Sichuan's total is published (8 Chengdu platforms = 50%); Jiangsu's is illustrative.
MIIT_PROVINCE_TOTALS = {"51": 16, "32": 21}

SICHUAN_LIST = {
    "name": "四川省省级中试平台名单（2023年）",
    "name_en": "Sichuan provincial pilot-test platforms (2023)",
    "level": "provincial",
    "issuer": "四川省经济和信息化厅",
    "batch": 1,
    "published_on": dt.date(2023, 11, 20),
}

HUMMINGBIRD = {
    "name": "成都高新蜂鸟智能硬件中试平台",
    "name_en": "Chengdu Hi-tech Hummingbird Intelligent Hardware Pilot Platform",
    "sector": Sector.INFORMATION_TECHNOLOGY,
    "description": (
        "累计服务中试项目600余项，孵化新产品近400个，经中试验证的产品产值约20亿元。"
        "每年为成都臻识科技发展有限公司试产数十款新产品。"
    ),
}
GCL_PLATFORM = {
    "name": "协鑫光电钙钛矿中试线",
    "name_en": "GCL Optoelectronics perovskite pilot line",
    "sector": Sector.EMERGING_FUTURE,
    "operator_name": "昆山协鑫光电材料有限公司",
    "construction_model": ConstructionModel.ENTERPRISE_OPENED,
    "description": (
        "2021年在昆山高新区支持下建成全球首条100MW钙钛矿中试线；"
        "2025年6月24日GW级钙钛矿叠层组件生产基地投产。"
    ),
}
CHANGYING_PLATFORM = {
    "name": "超细及纳米晶硬质合金创新联合体中试平台",
    "name_en": "Ultrafine and nanocrystalline cemented carbide consortium pilot platform",
    "sector": Sector.RAW_MATERIALS,
    "operator_name": "昆山长鹰硬质材料科技股份有限公司",
    "construction_model": ConstructionModel.MULTI_PARTY,
    "description": (
        "2023年组建的超细及纳米晶碳化钨硬质合金创新联合体，由国家级专精特新“小巨人”"
        "昆山长鹰硬质材料科技股份有限公司牵头，东北大学等三所高校及四家企业、科研院所和"
        "服务机构参与。"
    ),
}

ZHENSHI = {
    "name": "成都臻识科技发展有限公司",
    "region": "510100",
    "sector": Sector.INFORMATION_TECHNOLOGY,
    "size": "medium",
    "is_high_tech": True,
    "srdi_level": "provincial",
}
GCL = {
    "name": "昆山协鑫光电材料有限公司",
    "region": "320583",
    "sector": Sector.EMERGING_FUTURE,
    "size": "medium",
    "is_high_tech": True,
    "srdi_level": "none",
}
CHANGYING = {
    "name": "昆山长鹰硬质材料科技股份有限公司",
    "region": "320583",
    "sector": Sector.RAW_MATERIALS,
    "size": "medium",
    "is_high_tech": True,
    "srdi_level": "little_giant",
}

# Real projects: (enterprise, platform, fields, yield runs as (stage, seq, date, tested, passed)).
PARKING_PATROL_CODE = "FN-2021-0042"
CASE_PROJECTS = [
    {
        "enterprise": ZHENSHI,
        "platform": HUMMINGBIRD,
        "code": PARKING_PATROL_CODE,
        "title": "路内停车移动巡查设备设计验证与小批量试产",
        "product": "路内停车移动巡查设备",
        "track": Track.DISCRETE,
        "stage": Stage.MP,
        "status": "completed",
        "start_on": dt.date(2021, 3, 1),
        "end_on": dt.date(2021, 12, 15),
        "service_revenue": "1860000.00",
        "output_value": "320000000.00",
        "new_product": True,
        "description": (
            "经两次设计验证测试和一次小批量试产，良率从40%提升至90%。"
            "此后销量超100万台，智慧交通设备覆盖104个国家和地区、服务近1.5亿人，"
            "三年内国内市场占有率超50%。"
        ),
        "runs": [
            (Stage.DVT, 1, dt.date(2021, 5, 20), 200, 80),
            (Stage.DVT, 2, dt.date(2021, 8, 16), 200, 130),
            (Stage.PVT, 1, dt.date(2021, 11, 10), 500, 450),
        ],
    },
    {
        "enterprise": ZHENSHI,
        "platform": HUMMINGBIRD,
        "code": "FN-2023-0117",
        "title": "智能相机模组小批量试产",
        "product": "运动车辆号牌抓拍智能相机模组",
        "track": Track.DISCRETE,
        "stage": Stage.MP,
        "status": "completed",
        "start_on": dt.date(2023, 4, 10),
        "end_on": dt.date(2023, 10, 30),
        "service_revenue": "420000.00",
        "output_value": "86000000.00",
        "new_product": True,
        "description": "小批量试产一款能更清晰抓拍行进中车辆号牌的智能相机模组。",
        "runs": [
            (Stage.PVT, 1, dt.date(2023, 6, 12), 300, 264),
            (Stage.PVT, 2, dt.date(2023, 8, 28), 500, 476),
        ],
    },
    {
        "enterprise": GCL,
        "platform": GCL_PLATFORM,
        "code": "KS-2021-GCL-01",
        "title": "100MW钙钛矿组件中试线建设与工艺验证",
        "product": "钙钛矿光伏组件",
        "track": Track.PROCESS,
        "stage": Stage.INDUSTRIAL,
        "status": "completed",
        "start_on": dt.date(2021, 1, 15),
        "end_on": dt.date(2021, 12, 31),
        "service_revenue": "0.00",
        "output_value": "0.00",
        "new_product": True,
        "description": "全球首条100MW钙钛矿中试线（2021年）。",
        "runs": [],
    },
    {
        "enterprise": GCL,
        "platform": GCL_PLATFORM,
        "code": "KS-2023-GCL-02",
        "title": "GW级钙钛矿叠层组件量产基地",
        "product": "钙钛矿叠层组件",
        "track": Track.PROCESS,
        "stage": Stage.INDUSTRIAL,
        "status": "completed",
        "start_on": dt.date(2023, 3, 1),
        "end_on": dt.date(2025, 6, 24),
        "service_revenue": "0.00",
        "output_value": "0.00",
        "new_product": True,
        "description": "全球首个GW级钙钛矿叠层组件生产基地，2025年6月24日投产。",
        "runs": [],
    },
    {
        "enterprise": CHANGYING,
        "platform": CHANGYING_PLATFORM,
        "code": "KS-2023-CY-01",
        "title": "超细及纳米晶碳化钨硬质合金中试",
        "product": "超细晶硬质合金刀具材料",
        "track": Track.PROCESS,
        "stage": Stage.PILOT,
        "status": "in_progress",
        "start_on": dt.date(2023, 5, 1),
        "end_on": None,
        "service_revenue": "0.00",
        "output_value": "0.00",
        "new_product": False,
        "description": "创新联合体联合攻关项目（2023年组建）。",
        "runs": [],
    },
]

# Published roll-up of Chengdu High-tech Zone, and what the synthetic filler aims at (yuan).
# Each target sits inside the published bracket ("超18亿元" etc.) with room on both sides.
CHENGDU_PLATFORMS = 96
CHENGDU_KEY_PLATFORMS = 8
CHENGDU_PROJECTS = 4547
CHENGDU_REVENUE_TARGET = 1_826_000_000
CHENGDU_OUTPUT_TARGET = 10_260_000_000
CHENGDU_FINANCING_TARGET = 2_872_000_000
HUMMINGBIRD_PROJECTS = 623
HUMMINGBIRD_NEW_PRODUCTS = 388
HUMMINGBIRD_OUTPUT_TARGET = 2_004_000_000
# Zhenshi gets "dozens of new products each year" trial-produced at Hummingbird.
ZHENSHI_FILLER_PROJECTS = 48

KUNSHAN_FILLER_PLATFORMS = 5
KUNSHAN_FILLER_PROJECTS = 240
KUNSHAN_FINANCING_TARGET = 540_000_000


# Chengdu High-tech Zone's "中试十条" policy targets (metric, value; counts, or yuan for the fund).
# The policy's years are taken as 2024–2026 (adopted in 2024, three-year horizon). "A 5 bn yuan
# fund" is measured as financing raised with the platforms' help in those years; "firms
# incubated" as the tracker defines it (``projects/reports/queries/targets.py``).
CHENGDU_TARGET_YEARS = (2024, 2026)
CHENGDU_TARGETS = (
    ("new_platforms", 20),
    ("projects", 1000),
    ("new_products", 200),
    ("firms_incubated", 100),
    ("financing", 5_000_000_000),
)
