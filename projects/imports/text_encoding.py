"""Which encodings a CSV file may come in, and telling GBK text from text in another encoding.

Chinese Excel saves "CSV" in GBK; "CSV UTF-8" in UTF-8 with a byte-order mark. Nothing else is
accepted: a choice between UTF-8 and GB18030 (a superset of GBK and GB2312) is all a user ever
needs, and a free-form codec name reached codecs that are not text encodings at all
(``punycode`` crashed the check).

GB18030 decodes almost any byte string, so a Big5 file from Taiwan or Hong Kong, a Shift-JIS
file from Japan or an EUC-KR file from Korea would be imported as plausible-looking nonsense
(台灣積體電路 → 芖縩砰筿隔). ``foreign_encoding`` looks at what GB18030 made of the bytes:

- Big5 and Shift-JIS bytes come out as rare characters outside GB2312 (GBK's extension areas),
  private-use characters, kana and box-drawing signs, which Chinese business data hardly
  contains; when over 30% of the non-ASCII characters are of that sort and the bytes read well
  as Big5 or Shift-JIS instead, the file is refused, naming the likely encoding.
- EUC-KR Hangul lands exactly on GB2312's level-1 characters, so the characters themselves look
  fine; what gives it away is that, read as Korean, the text consists of common Hangul
  syllables, while read as Chinese it consists of uncommon characters (삼성전자 → 伙己傈磊).
  The two word lists below (about 650 characters frequent in Chinese company names, places,
  products and headers; 200 frequent Hangul syllables) decide which reading is the better one.

A file of two or three Chinese or Korean characters can be read either way; such files are let
through as GBK. charset-normalizer was tried: on files this short it guessed wrong (it took
"比亚迪股份有限公司" and "中试平台" in GBK for Shift-JIS, a Big5 list of Taiwanese companies for
Johab), so it is not used.
"""

from django.utils.translation import gettext as _

from .errors import ImportFileError

# The encodings offered in the upload form: value → label. "" means: detect.
CHOICES = [("utf-8", "UTF-8"), ("gb18030", "GB18030 / GBK / GB2312")]
ALIASES = {
    "utf-8": "utf-8",
    "utf8": "utf-8",
    "utf-8-sig": "utf-8",
    "gb18030": "gb18030",
    "gbk": "gb18030",
    "gb2312": "gb18030",
    "cp936": "gb18030",
}
SAMPLE_BYTES = 1 << 20  # the analysis looks at the first megabyte; decoding checks everything

COMMON_HANZI = frozenset(
    # general words, and the language of reports and forms
    "的了是在和与及或有无不也就都而但并且其这那此该各每某些个们我你他她它为以于从向对把被让"
    "给到由自至往按照根据通过关之上下中内外前后左右东南西北大小多少高低长短新旧好坏老早晚先首"
    "次再又还更最很太较已将正要会能可应须必需得用做作办干看见听说问答想知道认识觉表示明确提出"
    "进行开展实现完成达取获保持加强推动促支帮助服务管理组织领导建设发改革创合交流研究分析计划"
    "安排施落执检查考核评价统报告汇总年月日时秒周季度期间当目今来经"
    # companies, industries and products
    "司限股份责任控集企厂所室站网络软硬件芯片微半纳晶硅钢铝铜锂钠氢氧碳氮磷硫钛镍钴锰锌铁稀塑"
    "胶橡纤维纺饰鞋帽食品饮酒茶粮油蔬果肉蛋奶药医疗械诊测试验模块传感制仪泵阀轴承齿轮电机驱伺"
    "减速器激雷摄像屏幕显触灯储池充智慧云端数库链码信息讯移联宽带频射卫星航斗空天船舶舰艇海洋"
    "港口路轨桥梁隧筑装材涂料玻璃陶瓷瓶罐包印刷纸业木竹家具环节废循生态污染治放净化水燃气热供"
    "冷暖风光伏煤炭矿冶炼铸锻焊处床刀夹磨抛面精密工造配调产线人视算法平台系方案咨询培训证标准"
    "质量全消防急监断修运营贸易物仓输快递商零售批租赁投融资担险银券基金托孵园区技术院学程心重"
    "点育备国级省市县镇乡村街"
    # provinces and cities
    "京津庆河山辽宁吉林黑龙江苏浙徽福湖广四川贵州陕甘肃青夏疆藏蒙古香澳门湾深圳杭武汉沙肥郑济"
    "岛厦波锡昆莞佛珠常嘉兴绍温泉连沈阳哈尔滨春石庄原呼浩特兰乌鲁齐拉萨亚三绵德宜宾泸攀枝花芜"
    "蚌埠滁马鞍扬徐泰盐城淮宿迁华丽衢舟汕头惠湛肇清远韶梅揭潮"
    # the import's own columns and values
    "编号名称代始结束状阶段类型额收入值良率单位注描述话邮箱地址一社规公亿元万使战略定增项样迭优"
    "升降本效格返订客户同协议签署付"
)
COMMON_HANGUL = frozenset(
    "이다는의에가하고지기사리자을로서대스정한전주시수도인아나일드트어해국장유부회상보구동성소경"
    "원개공관화용연업물세생문발계무방위신적과러비여우요치들면라마것간식명조내습니만된분선실미오"
    "래안산교현진양모학행결통단판입레프크코테포홀딩텍닉엘디플케차삼롯두효금호카네버쿠팡셀온바직"
    "엔씨웨반체배터재품철강너력건설술센작종료목젝날짜액투및또를은와으까처럼같없있했합그저당거언"
    "제엇누떻게왜예감영총괄담팀님룹링놀템솔루션웍"
)
LABELS = {"big5": "Big5", "cp932": "Shift-JIS", "cp949": "EUC-KR"}


def canonical(name: str | None) -> str | None:
    """The codec for an encoding the user named; ``None`` to detect; refuses anything else."""
    if not name or not name.strip():
        return None
    codec = ALIASES.get(name.strip().lower().replace("_", "-"))
    if codec is None:
        raise ImportFileError(
            _("Encoding %(name)s is not supported; save the file as CSV UTF-8 or choose GBK.")
            % {"name": name[:40]}
        )
    return codec


def foreign_encoding(data: bytes) -> str | None:
    """The name of the encoding bytes that decode as GB18030 more likely are, if any."""
    sample = _sample(data)
    text = sample.decode("gb18030", errors="replace")
    chars = [char for char in text if char > "\x7f"]
    if not chars:
        return None
    odd = sum(1 for char in chars if _unlikely_in_chinese(char))
    rare = sum(1 for char in chars if _is_hanzi(char) and not _in_gb2312(char))
    share = (odd + rare) / len(chars)
    if share > 0.3:
        fits = {codec: _fit(sample, codec) for codec in ("big5", "cp932")}
        codec = max(fits, key=fits.get)
        if fits[codec] >= 0.6:
            return LABELS[codec]
        if odd / len(chars) > 0.5 and len(chars) >= 4:
            return _("an unknown encoding")
    korean = _hangul(sample)
    if korean is not None and len(korean) >= 3:
        chinese_common = sum(1 for char in chars if char in COMMON_HANZI) / len(chars)
        korean_common = sum(1 for char in korean if char in COMMON_HANGUL) / len(korean)
        if korean_common > chinese_common + 0.2:
            return LABELS["cp949"]
    return None


def _sample(data: bytes) -> bytes:
    """The first megabyte, cut after a line end (never inside a character in these codecs)."""
    if len(data) <= SAMPLE_BYTES:
        return data
    end = data.rfind(b"\n", 0, SAMPLE_BYTES)
    return data[: end + 1] if end > 0 else data[:SAMPLE_BYTES]


def _is_hanzi(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _unlikely_in_chinese(char: str) -> bool:
    """Kana, box drawing, private use and anything else outside GB2312 that is no hanzi."""
    if _is_hanzi(char):
        return False
    if "\u3040" <= char <= "\u30ff" or "\u2500" <= char <= "\u257f" or "\uff61" <= char <= "\uff9f":
        return True
    return not _in_gb2312(char)


def _fit(sample: bytes, codec: str) -> float:
    """How much of the text, read in that codec, is that language's common characters."""
    try:
        chars = [char for char in sample.decode(codec) if char > "\x7f"]
    except UnicodeDecodeError:
        return 0.0
    if not chars:
        return 0.0
    if codec == "big5":  # level-1 (frequent) hanzi of Big5 and its punctuation
        good = sum(1 for char in chars if 0xA1 <= char.encode("big5")[0] <= 0xC6)
    else:  # kana and level-1 kanji of JIS X 0208
        good = sum(1 for char in chars if 0x829F <= int.from_bytes(char.encode(codec)) <= 0x9872)
    return good / len(chars)


def _hangul(sample: bytes) -> list[str] | None:
    """The Hangul syllables of the text read as EUC-KR, if it reads so and is mostly Hangul."""
    try:
        chars = [char for char in sample.decode("cp949") if char > "\x7f"]
    except UnicodeDecodeError:
        return None
    syllables = [char for char in chars if "\uac00" <= char <= "\ud7a3"]
    return syllables if chars and len(syllables) >= 0.9 * len(chars) else None
