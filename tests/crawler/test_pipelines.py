"""Pipeline stages on their own: topic cues, MinHash near-duplicates."""

from __future__ import annotations

from crawler.pipelines.dedupe import NearDuplicateIndex, minhash, similarity
from crawler.sample.site import SampleSites
from db.codebook import topic_score

WIRE = (
    "China's state-backed brokerages will cap annual pay at about 2.9 million yuan, people "
    "familiar with the matter said on Tuesday, extending a campaign against the financial "
    "elite. The rules also claw back bonuses paid in earlier years and defer part of pay."
)


def test_topic_score_needs_pay_and_china_finance_context() -> None:
    on, cues = topic_score("China caps banker pay", WIRE)
    assert on > 0.7
    assert "2.9 million yuan" in cues
    eu, _ = topic_score(
        "EU keeps its bonus cap",
        "European banks say the bonus cap in the EU "
        "pushes up fixed salaries in London and Frankfurt.",
    )
    deepseek, _ = topic_score(
        "DeepSeek releases a model",
        "The Chinese start-up in Hangzhou released a reasoning model that rivals American ones.",
    )
    assert eu < 0.2
    assert deepseek < 0.2


def test_topic_score_reads_chinese() -> None:
    score, cues = topic_score(
        "券商限薪落地", "多家国有券商执行年薪上限，绩效薪酬实行追索扣回，金融精英论受到中纪委批评。"
    )
    assert score > 0.7
    assert "限薪" in cues


def test_sample_off_topic_pages_score_below_on_topic(sample_sites: SampleSites) -> None:
    scores = {"on": [], "off": []}
    for _, article in sample_sites.all_articles():
        scores[article.topic].append(topic_score(article.title, article.text)[0])
    median_on = sorted(scores["on"])[len(scores["on"]) // 2]
    assert max(scores["off"]) < median_on
    assert sum(s >= 0.35 for s in scores["off"]) <= len(scores["off"]) // 5


def test_minhash_separates_near_copies_from_other_articles() -> None:
    copy = "Beijing, Tuesday. " + WIRE.replace("on Tuesday", "this week")
    other = (
        "Hong Kong's stock exchange recorded its busiest month for listings since 2021 as "
        "mainland companies returned, with bankers expecting more deals before the summer."
    )
    assert similarity(minhash(WIRE), minhash(WIRE)) == 1.0
    assert similarity(minhash(WIRE), minhash(copy)) > 0.5
    assert similarity(minhash(WIRE), minhash(other)) < 0.1


def test_near_duplicate_index_returns_the_first_articles_cluster() -> None:
    index = NearDuplicateIndex(0.5)
    index.add("a1", minhash(WIRE), "a1")
    assert index.cluster_of(minhash(WIRE + " Shares fell.")) == "a1"
    assert (
        index.cluster_of(
            minhash(
                "Completely different text about tennis and weather "
                "in the city of Melbourne this summer season."
            )
        )
        is None
    )


def test_sample_copies_cluster_with_their_originals(sample_sites: SampleSites) -> None:
    for site, article in sample_sites.all_articles():
        if not article.copy_of:
            continue
        slug, original_id = article.copy_of.split("/")
        original = next(a for a in sample_sites.sites[slug].articles if a.id == original_id)
        assert similarity(minhash(article.text), minhash(original.text)) >= 0.5, site.url(article)
