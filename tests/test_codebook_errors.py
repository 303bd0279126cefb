"""Bad codebooks give one clear line naming the file, the line and the key; warnings for unknown keys."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tcs_themes.codebook import load_codebook
from tcs_themes.errors import CodebookError, CodebookValidationError, CodebookWarning

GOOD_THEME = """\
  - id: parks
    name: Parks
    patterns:
      - green space
"""


def write(tmp_path: Path, text: str, name: str = "bad.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    with pytest.raises(CodebookError) as caught:
        load_codebook(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(str(path))
    return message


def test_yaml_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "name: x\nthemes:\n  - id: a\n    name: [unclosed\n")
    message = error_of(path)
    assert "YAML syntax error" in message and "line 5" in message


def test_empty_file(tmp_path: Path) -> None:
    assert "the file is empty" in error_of(write(tmp_path, "# nothing but a comment\n\n"))


def test_missing_file(tmp_path: Path) -> None:
    assert "not found" in error_of(tmp_path / "nope.yaml")


def test_missing_id_names_the_line(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, "themes:\n" + GOOD_THEME + "  - name: Lost\n"))
    assert "(line 6, key themes[2]): missing 'id'" in message


def test_duplicate_ids_name_the_second_line(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, "themes:\n" + GOOD_THEME + GOOD_THEME))
    assert "line 6, key parks.id" in message and "duplicate id 'parks'" in message


def test_unknown_parent_suggests_the_close_id(tmp_path: Path) -> None:
    text = "themes:\n" + GOOD_THEME + "  - id: benches\n    name: Benches\n    parent: prks\n"
    message = error_of(write(tmp_path, text))
    assert "line 8, key benches.parent" in message and "unknown parent 'prks'; did you mean 'parks'?" in message


def test_empty_theme_entry(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, "themes:\n" + GOOD_THEME + "  -\n"))
    assert "key themes[2]" in message and "empty theme" in message


def test_pattern_of_the_wrong_shape(tmp_path: Path) -> None:
    text = "themes:\n  - id: parks\n    name: Parks\n    patterns:\n      - tokens: {LEMMA: park}\n"
    message = error_of(write(tmp_path, text))
    assert "line 5, key parks.patterns[1].tokens" in message and "non-empty list of token mappings" in message


def test_pattern_spacy_cannot_compile_suggests_the_attribute(tmp_path: Path) -> None:
    text = "themes:\n  - id: parks\n    name: Parks\n    patterns:\n      - tokens: [{LEMA: park}]\n"
    message = error_of(write(tmp_path, text))
    assert "parks.patterns[1].tokens[1].LEMA" in message
    assert "unknown attribute 'LEMA'; did you mean 'LEMMA'?" in message


def test_pattern_with_a_broken_regex_is_reported(tmp_path: Path) -> None:
    text = 'themes:\n  - id: parks\n    name: Parks\n    patterns:\n      - tokens: [{TEXT: {REGEX: "("}}]\n'
    assert "spaCy cannot compile it" in error_of(write(tmp_path, text))


@pytest.mark.parametrize(
    ("tokens", "expected"),
    [
        ("[{POS: NOUN}]", "POS is never set by the rule pipeline"),
        ("[{LEMMA: parks}]", "'parks' is not a lemma (the lemma of 'parks' is 'park')"),
        ("[{LOWER: Park}]", "LOWER values are lower case; write 'park'"),
        ("[{LOWER: {IN: [park, no]}}]", "YAML read False as true/false, not a word: put it in quotes"),
        ("[{OP: '*'}]", "would match any comment"),
    ],
)
def test_patterns_that_could_never_work_are_refused(tmp_path: Path, tokens: str, expected: str) -> None:
    text = f"themes:\n  - id: parks\n    name: Parks\n    patterns:\n      - tokens: {tokens}\n"
    assert expected in error_of(write(tmp_path, text))


def test_all_problems_are_reported_at_once(tmp_path: Path) -> None:
    text = (
        "themes:\n"
        "  - id: Parks\n    name: Parks\n"
        "  - id: ok\n    name: OK\n    colour: red\n    patterns:\n      - phrase: a\n        lemmas: b\n"
    )
    with pytest.raises(CodebookValidationError) as caught:
        load_codebook(write(tmp_path, text))
    assert len(caught.value.problems) == 3
    message = str(caught.value)
    assert "3 problems" in message and "line 2" in message and "line 6" in message and "line 8" in message


def test_duplicate_yaml_keys_are_an_error(tmp_path: Path) -> None:
    text = "themes:\n  - id: parks\n    name: Parks\n    name: Parks again\n"
    assert "line 4" in error_of(write(tmp_path, text)) and "duplicate key 'name'" in error_of(write(tmp_path, text))


def test_unknown_key_is_a_warning_with_the_close_match(tmp_path: Path) -> None:
    text = "themes:\n  - id: parks\n    name: Parks\n    patern:\n      - park\n    color: '#117733'\n"
    with pytest.warns(CodebookWarning) as record:
        codebook = load_codebook(write(tmp_path, text))
    messages = [str(w.message) for w in record]
    assert any("line 4, key parks.patern" in m and "did you mean 'patterns'?" in m for m in messages)
    assert any("did you mean 'colour'?" in m for m in messages)
    assert codebook.ids == ["parks"]


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("themes:\n  - id: caf\n    name: Caf\xe9\n".encode("latin-1"))
    assert "not UTF-8" in error_of(path)


def test_error_messages_never_quote_examples(tmp_path: Path) -> None:
    text = "themes:\n  - id: parks\n    name: Parks\n    examples:\n      - My neighbour at 12 Acacia Road said\n      - 12\n"
    message = error_of(write(tmp_path, text))
    assert "Acacia" not in message and "examples[2]" in message
