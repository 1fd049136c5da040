"""The codebook's names (../shared/CODEBOOK.md) and its bilingual topic cues, declared once.

Every stage uses these names; `tests/db/test_codebook.py` keeps them equal to the codebook.
"""

from __future__ import annotations

import math
import re

GROUPS: tuple[str, ...] = ("western", "chinese", "hongkong")
OWNERSHIPS: tuple[str, ...] = ("state", "commercial", "public")
TONES: tuple[str, ...] = ("negative", "neutral", "positive")
FRAMES: tuple[str, ...] = (
    "crackdown",
    "talent_drain",
    "economic_harm",
    "human_interest",
    "fairness",
    "real_economy",
    "discipline",
    "financialization",
)

# Topic cues for the crawl's prefilter. The prefilter scores and marks; relevance is the
# classifier's decision. A page looks relevant when it talks about pay limits (PAY_CUES) *and*
# places them in China's financial sector (CHINA_FINANCE_CUES): the EU bonus cap or DeepSeek alone
# must not look relevant. Matching is case-insensitive; English cues match at word starts.
PAY_CUES: tuple[str, ...] = (
    # English
    "pay cap",
    "salary cap",
    "pay caps",
    "salary caps",
    "capped pay",
    "cap on pay",
    "caps on pay",
    "pay ceiling",
    "pay limit",
    "pay limits",
    "pay cut",
    "pay cuts",
    "salary cut",
    "salary cuts",
    "bonus clawback",
    "clawback",
    "clawbacks",
    "claw back",
    "clawed back",
    "bonus deferral",
    "deferred bonus",
    "deferred pay",
    "2.9 million yuan",
    "2.9m yuan",
    "2.9 million",
    "yuan cap",
    "financial elite",
    "hedonism",
    "excessive pay",
    "executive pay",
    "banker pay",
    "bankers' pay",
    "compensation cap",
    "pay guidance",
    "pay reform",
    "pay curbs",
    "salary limits",
    "pay squeeze",
    "salary",
    "salaries",
    "bonus",
    "bonuses",
    "compensation",
    "remuneration",
    "pay packages",
    "deferral",
    "deferrals",
    "deferred",
    # Chinese, simplified and traditional
    "限薪",
    "薪酬上限",
    "薪酬改革",
    "降薪",
    "减薪",
    "減薪",
    "薪酬管理",
    "薪酬",
    "年薪",
    "绩效薪酬",
    "績效薪酬",
    "追索扣回",
    "延期支付",
    "金融精英",
    "享乐主义",
    "享樂主義",
    "高薪",
    "290万",
    "290萬",
    "限高",
    "收入分配",
    "薪酬延付",
    "奖金",
    "獎金",
)
CHINA_FINANCE_CUES: tuple[str, ...] = (
    "china",
    "chinese",
    "beijing",
    "shanghai",
    "mainland",
    "state-owned",
    "state-backed",
    "state-run",
    "csrc",
    "nfra",
    "ccdi",
    "communist party",
    "xi jinping",
    "common prosperity",
    "yuan",
    "rmb",
    "中国",
    "中國",
    "内地",
    "內地",
    "国有",
    "國有",
    "央企",
    "国企",
    "國企",
    "证监会",
    "證監會",
    "金融监管",
    "金融監管",
    "中纪委",
    "中紀委",
    "纪委",
    "紀委",
    "共同富裕",
    "券商",
    "基金公司",
    "公募",
    "金融机构",
    "金融機構",
    "金融业",
    "金融業",
    "投行",
    "银行业",
    "銀行業",
)

# The codebook's typical cues per frame and tone, in English and Chinese, for the keyword
# baseline that the classifier's evaluation reports beside the model (what the model adds).
FRAME_CUES: dict[str, tuple[str, ...]] = {
    "crackdown": (
        "crackdown",
        "clampdown",
        "communist party",
        "xi's",
        "campaign",
        "ideolog",
        "punish",
        "forced to",
        "purge",
        "tighten",
        "grip",
        "打压",
        "整肃",
        "运动式",
        "政治",
        "党的领导",
        "意识形态",
        "整治",
        "清理",
        "打壓",
        "運動式",
    ),
    "talent_drain": (
        "brain drain",
        "exodus",
        "talent flight",
        "morale",
        "quit",
        "headhunter",
        "leaving",
        "poach",
        "resign",
        "人才流失",
        "离职",
        "跳槽",
        "猎头",
        "出走",
        "離職",
        "獵頭",
        "流失",
        "南下",
        "士气",
    ),
    "economic_harm": (
        "competitiveness",
        "investors",
        "capital markets",
        "confidence",
        "slowdown",
        "fallout",
        "financial centre",
        "financial center",
        "竞争力",
        "投资者",
        "资本市场",
        "信心",
        "競爭力",
        "投資者",
        "資本市場",
        "国际金融中心",
    ),
    "human_interest": (
        "a banker said",
        "returned bonus",
        "luxury",
        "lifestyle",
        "anonymous",
        "mortgage",
        "family",
        "told me",
        "化名",
        "房贷",
        "生活",
        "退还",
        "退回奖金",
        "房貸",
        "家庭",
        "打工",
    ),
    "fairness": (
        "common prosperity",
        "inequality",
        "wealth gap",
        "excessive pay",
        "hedonism",
        "elitism",
        "elite",
        "fair",
        "共同富裕",
        "贫富差距",
        "收入差距",
        "过高",
        "享乐主义",
        "精英",
        "公平",
        "分配",
        "貧富",
        "享樂主義",
        "公平",
    ),
    "real_economy": (
        "real economy",
        "technology",
        "innovation",
        "artificial intelligence",
        " ai ",
        "engineers",
        "talent allocation",
        "semiconductor",
        "实体经济",
        "科技",
        "创新",
        "人工智能",
        "工程师",
        "實體經濟",
        "科技創新",
        "硬科技",
    ),
    "discipline": (
        "anti-graft",
        "corruption",
        "discipline inspection",
        "accountability",
        "financial risk",
        "clawback",
        "claw back",
        "反腐",
        "腐败",
        "纪检",
        "纪委",
        "问责",
        "风险",
        "追索扣回",
        "紀委",
        "腐敗",
        "風險",
    ),
    "financialization": (
        "wall street",
        "financialization",
        "financialisation",
        "late-stage",
        "rent-seeking",
        "parasitic",
        "the west",
        "america",
        "华尔街",
        "金融化",
        "食利",
        "西方",
        "美国",
        "華爾街",
        "美國",
    ),
}
TONE_CUES: dict[str, tuple[str, ...]] = {
    "negative": (
        "harm",
        "damage",
        "exodus",
        "crackdown",
        "punish",
        "mistake",
        "backfire",
        "coercive",
        "erode",
        "blow",
        "fear",
        "打压",
        "伤害",
        "寒心",
        "一刀切",
        "流失",
        "打擊",
        "代价",
        "代價",
        "担忧",
        "擔憂",
    ),
    "positive": (
        "fair",
        "overdue",
        "justified",
        "welcome",
        "sensible",
        "healthy",
        "right to",
        "common prosperity",
        "serve the real economy",
        "合理",
        "公平",
        "必要",
        "正确",
        "健康",
        "共同富裕",
        "服务实体经济",
        "正確",
        "值得",
    ),
}


# The essay's claims (CODEBOOK.md) 5 and 6 count words: reports test them, and the query
# package's stored queries look them up, so they are defined here once.
# Claim 5's word families (English stems and Chinese words), counted per article.
CRACKDOWN_WORDS = (
    "crackdown",
    "clampdown",
    "purge",
    "punish",
    "campaign",
    "打压",
    "整肃",
    "打壓",
    "清洗",
    "运动式",
)
REFORM_WORDS = (
    "reform",
    "regulat",
    "standardi",
    "rectif",
    "guidance",
    "改革",
    "规范",
    "規範",
    "监管",
    "監管",
    "整改",
    "治理",
)
# Claim 6: the hedge-fund-to-AI story.
QUANT_WORDS = ("hedge fund", "quant", "量化", "私募", "幻方")
AI_WORDS = ("deepseek", "artificial intelligence", " ai ", "人工智能", "大模型", "深度求索")
AI_STORY_SINCE = "2025-01-01"


def cue_pattern(cues: tuple[str, ...]) -> re.Pattern[str]:
    """One regex for a cue list: Latin cues at word starts (so "pay cap" does not match
    "repay capital"), Chinese cues anywhere; longest first, so the longest match wins."""
    parts = sorted({c.lower() for c in cues}, key=len, reverse=True)
    latin = "|".join(re.escape(c) for c in parts if c[0].isascii())
    chinese = "|".join(re.escape(c) for c in parts if not c[0].isascii())
    return re.compile("|".join(p for p in (latin and f"(?<![a-z])(?:{latin})", chinese) if p))


_PAY = cue_pattern(PAY_CUES)
_CONTEXT = cue_pattern(CHINA_FINANCE_CUES)


def topic_score(title: str, text: str) -> tuple[float, list[str]]:
    """(score in [0, 1], distinct cues found) for a title and body.

    Pay cues and China-finance context both have to be there: each side saturates with its
    number of hits (a pay cue in the title counts three times), and the score is their product.
    """
    title_l, text_l = title.lower(), text.lower()
    pay_hits = _PAY.findall(text_l) + 3 * _PAY.findall(title_l)
    context_hits = _CONTEXT.findall(text_l) + _CONTEXT.findall(title_l)
    pay = 1 - math.exp(-len(pay_hits) / 3)
    context = 1 - math.exp(-len(context_hits) / 2)
    return round(pay * context, 4), sorted(set(pay_hits) | set(context_hits))
