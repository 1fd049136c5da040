"""The outlet registries load, and bad entries are refused with a message naming the problem."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from crawler.errors import RegistryError
from crawler.outlets import REAL_REGISTRY, SAMPLE_REGISTRY, load_registry, select

GOOD = """
[outlet.demo]
name = "Demo"
group = "western"
country = "GB"
language = "en"
ownership = "commercial"
homepage = "https://demo.example/"
timezone = "Europe/London"
allowed_domains = ["demo.example"]
article_url = '/news/'
[[outlet.demo.source]]
kind = "feed"
url = "https://demo.example/rss"
"""


def test_real_registry_covers_the_three_groups() -> None:
    outlets = load_registry(REAL_REGISTRY)
    groups = Counter(o.group for o in outlets.values())
    assert len(outlets) >= 24
    assert groups["western"] >= 10
    assert groups["chinese"] >= 10
    assert groups["hongkong"] >= 3
    languages = {o.language for o in outlets.values() if o.group == "chinese"}
    assert {"en", "zh"} <= languages
    assert {o.ownership for o in outlets.values() if o.group == "chinese"} >= {
        "state",
        "commercial",
    }
    assert all(len(o.sources) >= 1 for o in outlets.values())


def test_sample_registry_is_sample_and_on_test_domains() -> None:
    outlets = load_registry(SAMPLE_REGISTRY, is_sample=True)
    groups = Counter(o.group for o in outlets.values())
    assert len(outlets) >= 12
    assert groups["western"] >= 5
    assert groups["chinese"] >= 5
    assert groups["hongkong"] >= 2
    assert all(d.endswith(".test") for o in outlets.values() for d in o.allowed_domains)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('group = "western"', 'group = "eastern"'), "group is 'eastern'; use one of"),
        (('country = "GB"', 'country = "Britain"'), "ISO 3166-1"),
        (('timezone = "Europe/London"', 'timezone = "Mars/Base"'), "unknown timezone"),
        (("article_url = '/news/'", "article_url = '/news/('"), "not a valid regular expression"),
        (('kind = "feed"', 'kind = "twitter"'), "kind is 'twitter'"),
        (
            ('url = "https://demo.example/rss"', 'url = "ftp://demo.example/rss"'),
            "must be an http(s) URL",
        ),
        (('name = "Demo"', 'name = "Demo"\nsecton = "x"'), "unknown key(s) ['secton']"),
        (('ownership = "commercial"\n', ""), "missing ownership"),
        (("[outlet.demo]", "[outlet.Demo_1]"), "slug must be lower-case"),
        (('name = "Demo"', 'name = "Demo'), "not valid TOML"),
    ],
)
def test_bad_entries_are_refused_clearly(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    path = tmp_path / "outlets.toml"
    path.write_text(GOOD.replace(*change, 1), encoding="utf-8")
    with pytest.raises(RegistryError) as caught:
        load_registry(path)
    assert message in str(caught.value)
    assert str(path) in str(caught.value)


def test_good_entry_loads_and_unknown_slug_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "outlets.toml"
    path.write_text(GOOD, encoding="utf-8")
    outlets = load_registry(path)
    assert outlets["demo"].owns("www.demo.example")
    assert not outlets["demo"].owns("demo.example.evil")
    with pytest.raises(RegistryError, match="unknown outlet"):
        select(outlets, ["nope"])


def test_missing_registry_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="not found"):
        load_registry(tmp_path / "absent.toml")
