"""The rule coder's phrase index is cached on disk per codebook, and a bad cache entry is never trusted."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import yaml

from tcs_themes.cache import cache_dir
from tcs_themes.codebook import Codebook, load_codebook
from tcs_themes.coding.rules.coder import RuleCoder

AUTHORING = Path(__file__).resolve().parents[1] / "scripts" / "sample_source" / "sessions"


@pytest.fixture(scope="module")
def texts() -> list[str]:
    """The authored comments of the sample, and texts only token patterns and exclusions match."""
    comments = [str(c["text"]) for path in sorted(AUTHORING.glob("S*.yaml"))
                for c in yaml.safe_load(path.read_text(encoding="utf-8"))["comments"]]  # fmt: skip
    return comments + ["What does that mean for parking?", "So does that mean the park closes?", ""]


@pytest.fixture(scope="module")
def codebook() -> Codebook:
    return load_codebook()


@pytest.fixture(scope="module")
def expected(codebook: Codebook, texts: list[str]) -> list:
    """The matches of a coder built without any cache."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TCS_THEMES_NO_CACHE", "1")
        return RuleCoder(codebook).match(texts)


@pytest.fixture()
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TCS_THEMES_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("TCS_THEMES_NO_CACHE", raising=False)
    return tmp_path


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("rules-*.npz"))


def test_the_second_coder_reads_the_index_and_matches_the_same(folder: Path, codebook, texts, expected) -> None:
    first = RuleCoder(codebook)
    assert len(_entries(folder)) == 1 and first._phrases._keys  # built, then cached
    second = RuleCoder(codebook)
    assert not second._phrases._keys  # read from the cache: it keeps no phrase list
    assert len(second._phrases) == len(first._phrases) > 100_000
    assert first.match(texts) == expected
    assert second.match(texts) == expected
    assert sum(map(len, expected)) > 1000


def test_another_codebook_gets_its_own_entry(folder: Path, codebook, texts) -> None:
    fewer = replace(codebook, themes=codebook.themes[:3], subthemes=())
    RuleCoder(codebook)
    coder = RuleCoder(fewer)
    assert len(_entries(folder)) == 2
    assert {m.theme_id for found in coder.match(texts) for m in found} <= {t.id for t in fewer.themes}


@pytest.mark.parametrize("damage", ["garbage", "truncated", "codes", "keys", "token_patterns", "stale"])
def test_a_damaged_entry_is_ignored_and_rebuilt(folder: Path, damage: str, codebook, texts, expected) -> None:
    RuleCoder(codebook)
    (entry,) = _entries(folder)
    if damage == "garbage":
        entry.write_bytes(b"not a zip file at all")
    elif damage == "truncated":
        entry.write_bytes(entry.read_bytes()[:1000])
    else:
        with np.load(entry, allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
        if damage == "codes":  # two phrases swapped: the codes no longer fit the words
            arrays["2_codes"] = arrays["2_codes"][::-1].copy()
        elif damage == "keys":  # phrases under a key no pattern of this codebook has
            arrays["1_keys"] = arrays["1_keys"] + np.uint64(1)
        elif damage == "token_patterns":
            arrays["token_patterns"] = np.str_('[["no/such/pattern", [{"LOWER": "x"}]]]')
        else:
            arrays["cache_key"] = np.str_("0" * 64)
        np.savez(entry, **arrays)
    coder = RuleCoder(codebook)
    assert coder._phrases._keys  # built afresh
    assert coder.match(texts) == expected
    with np.load(entry, allow_pickle=False) as data:  # and written again, whole
        assert len(data["vocabulary"]) > 1000


def test_the_cache_can_be_turned_off(folder: Path, monkeypatch: pytest.MonkeyPatch, codebook) -> None:
    monkeypatch.setenv("TCS_THEMES_NO_CACHE", "1")
    assert cache_dir() is None
    RuleCoder(codebook)
    assert _entries(folder) == []


def test_the_cache_folder_follows_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TCS_THEMES_NO_CACHE", raising=False)
    monkeypatch.delenv("TCS_THEMES_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_dir() == tmp_path / "tcs-themes"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # not absolute: ignored, as the XDG spec says
    assert cache_dir() == Path.home() / ".cache" / "tcs-themes"


def test_an_unwritable_cache_is_not_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, codebook, texts, expected) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setenv("TCS_THEMES_CACHE_DIR", str(blocker / "cache"))
    monkeypatch.delenv("TCS_THEMES_NO_CACHE", raising=False)
    assert RuleCoder(codebook).match(texts) == expected
