"""The scorecard from a fixture database built with db.store."""

from __future__ import annotations

import pytest
from sqlite_utils import Database

from db import store
from db.codebook import FRAMES, TONES
from db.text import article_id, content_hash
from reports.build import ReportError, build, once_per_cluster

VERSION = "fixture-model"
_TEXTS = {
    ("western", True): "Bankers at {slug} fear the crackdown on pay as the campaign spreads.",
    ("western", False): "Regulators issued guidance on pay at state-owned brokerages, {slug} said.",
    ("chinese", True): "State media warn that a punish-first campaign would hurt {slug}'s banks.",
    ("chinese", False): "The reform will regulate pay and serve the real economy, {slug} wrote.",
    ("zh", True): "金融行业限薪引发担忧，打压之声不断。{slug}",
    ("zh", False): "监管部门推进薪酬改革，规范金融机构收入分配。{slug}",
    ("hongkong", True): "Hong Kong headhunters see the crackdown sending talent south. {slug}",
    ("hongkong", False): "Hong Kong banks study the mainland's pay guidance. {slug}",
}


def _fill(
    db: Database, outlets: dict[str, str], negative_share: dict[str, float], per_outlet: int = 10
) -> None:
    store.upsert_outlets(
        db,
        [
            {
                "slug": slug,
                "name": slug,
                "group": group,
                "country": "GB",
                "language": "en",
                "ownership": "commercial",
                "homepage": f"http://{slug}.test/",
                "timezone": "UTC",
            }
            for slug, group in outlets.items()
        ],
        is_sample=True,
    )
    store.register_model(db, VERSION, {"en": "x"}, {})
    for slug, group in outlets.items():
        for n in range(per_outlet):
            url = f"http://{slug}.test/{n}"
            negative = n < negative_share[group] * per_outlet
            language = "zh" if group == "chinese" and n % 3 == 0 else "en"
            text = _TEXTS[language if language == "zh" else group, negative].format(slug=slug)
            if n % 5 == 4:  # some 2025 articles tell the hedge-fund-to-AI story
                text += " A hedge fund quant moved to DeepSeek to build AI models."
            store.upsert_article(
                db,
                {
                    "id": article_id(url),
                    "url": url,
                    "canonical_url": url,
                    "outlet": slug,
                    "title": "t",
                    "published": f"202{4 + n % 2}-0{1 + n % 9}-01",
                    "language": language,
                    "text": text,
                    "paragraphs": [text],
                    "word_count": 8,
                    "content_hash": content_hash(text),
                    "dup_cluster": article_id(url),
                    "topic_score": 1.0,
                    "topic_match": True,
                    "topic_cues": [],
                    "is_sample": True,
                },
            )
            store.save_predictions(
                db,
                VERSION,
                [
                    {
                        "article_id": article_id(url),
                        "language": language,
                        "relevant": True,
                        "relevance": 0.9,
                        "tone": "negative" if negative else "neutral",
                        "tone_scores": dict.fromkeys(TONES, 0.3),
                        "passages": 2,
                        "frame_scores": dict.fromkeys(FRAMES, 0.9 if negative else 0.1),
                        "frames": ["crackdown"] if negative else [],
                        "evidence": {"crackdown": (text, 0.9)} if negative else {},
                    }
                ],
            )


def test_scorecard_from_fixture(db: Database) -> None:
    outlets = {f"w{i}": "western" for i in range(3)} | {f"c{i}": "chinese" for i in range(3)}
    _fill(db, outlets, {"western": 0.6, "chinese": 0.1})
    report = build(db)
    assert report["model_version"] == VERSION
    assert report["sample_data"] is True
    assert report["relevant_articles"] == 60
    negative = report["scorecard"][0]["measures"][0]
    assert negative["label"] == "negative tone"
    assert negative["western"]["value"] == 0.6
    assert negative["chinese"]["value"] == 0.1
    assert (negative["western"]["n_articles"], negative["western"]["n_outlets"]) == (30, 3)
    assert negative["difference"]["value"] == 0.5
    assert negative["verdict"] == "supports"
    western = report["by_group"]["western"]
    assert western["shares"]["tone:negative"]["value"] == 0.6
    assert western["articles_per_outlet"] == {"w0": 10, "w1": 10, "w2": 10}
    assert report["by_group"]["hongkong"]["shares"]["frame:crackdown"]["value"] is None
    assert report["method"]["duplicates_merged"] == 0
    fairness = report["scorecard"][2]["measures"][0]
    assert fairness["western"]["value"] == fairness["chinese"]["value"] == 0.0
    assert fairness["verdict"] == "too thin to say"


def test_a_group_with_one_outlet_is_too_thin(db: Database) -> None:
    _fill(
        db,
        {"w0": "western", "c0": "chinese", "c1": "chinese", "c2": "chinese"},
        {"western": 1.0, "chinese": 0.0},
        per_outlet=30,
    )
    negative = build(db)["scorecard"][0]["measures"][0]
    assert negative["western"]["n_outlets"] == 1
    assert negative["verdict"] == "too thin to say"


def test_empty_database_is_a_clear_error(db: Database) -> None:
    with pytest.raises(ReportError, match="run `framegap classify`"):
        build(db)


def test_once_per_cluster_keeps_the_first_per_group() -> None:
    rows = [
        {"dup_cluster": "a", "grp": "western", "id": 1},
        {"dup_cluster": "a", "grp": "western", "id": 2},
        {"dup_cluster": "a", "grp": "hongkong", "id": 3},
    ]
    assert [r["id"] for r in once_per_cluster(rows)] == [1, 3]


def _two_groups(db: Database) -> None:
    outlets = {f"w{i}": "western" for i in range(3)} | {f"c{i}": "chinese" for i in range(3)}
    _fill(db, outlets, {"western": 0.6, "chinese": 0.1})


def test_group_option_limits_the_report(db: Database) -> None:
    _two_groups(db)
    report = build(db, groups=("western",))
    assert report["parameters"]["groups"] == ["western"]
    assert report["relevant_articles"] == 30
    negative = report["scorecard"][0]["measures"][0]
    assert negative["chinese"]["value"] is None
    assert negative["verdict"] == "too thin to say"
    assert list(report["by_group"]) == ["western"]
    assert {o["grp"] for o in report["method"]["corpus"]} == {"western"}
    with pytest.raises(ReportError, match="unknown group"):
        build(db, groups=("westren",))


def test_a_window_with_no_articles_gives_an_empty_report_not_a_crash(db: Database) -> None:
    from reports.render import to_html, to_markdown

    _two_groups(db)
    report = build(db, since="2030-01-01", until="2030-12-31")
    assert report["relevant_articles"] == 0
    assert {m["verdict"] for c in report["scorecard"] for m in c["measures"]} == {"too thin to say"}
    assert report["timeline"]["months"] == []
    assert report["evidence"] == []
    assert "No dated articles." in to_markdown(report)
    assert "No frame was found" in to_html(report)


@pytest.mark.parametrize(
    ("since", "until", "message"),
    [("2024-13", "", "--since '2024-13' is not a date"), ("2025-01-01", "2024-01-01", "swap")],
)
def test_bad_dates_are_clear_errors(db: Database, since: str, until: str, message: str) -> None:
    _two_groups(db)
    with pytest.raises(ReportError, match=message):
        build(db, since=since, until=until)


def test_evidence_is_the_strongest_passages_per_frame_and_group(db: Database) -> None:
    _two_groups(db)
    evidence = build(db)["evidence"]
    cells = {(r["frame"], r["grp"]) for r in evidence}
    assert cells == {("crackdown", "western"), ("crackdown", "chinese")}
    western = [r for r in evidence if r["grp"] == "western"]
    assert len(western) == 3
    assert all("crackdown" in r["evidence"] and r["url"].startswith("http://w") for r in western)
