"""Shared test data for the coding tests: a tiny codebook and a small coded corpus."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tcs_themes.codebook.model import Codebook, Pattern, Theme


def tiny_codebook(name: str = "tiny") -> Codebook:
    """Return a four-theme codebook with phrase and token rules, a sub-theme and examples."""
    return Codebook(
        name=name,
        themes=(
            Theme(
                "clarity",
                "Clarity",
                "Jargon and plain English",
                patterns=(Pattern("clarity/1", phrase="jargon"), Pattern("clarity/2", phrase="plain english")),
                examples=("Too many buzzwords, say it simply", "Nobody understands these acronyms"),
            ),
            Theme(
                "green_spaces",
                "Green spaces",
                "Parks and nature",
                patterns=(Pattern("green_spaces/1", tokens=({"LOWER": {"IN": ["park", "parks"]}},)),),
                examples=("More trees and meadows please",),
            ),
            Theme(
                "funding_costs",
                "Funding and costs",
                "Money",
                patterns=(Pattern("funding_costs/1", phrase="funding"),),
                examples=("Who pays for all this?",),
            ),
            Theme("community_safety", "Community safety", "Policing and lighting", examples=("Street lights are broken",)),
        ),
        subthemes=(
            Theme(
                "clarity_terminology",
                "Terminology",
                parent="clarity",
                patterns=(Pattern("clarity_terminology/1", phrase="acronyms"),),
            ),
        ),
    )


CLARITY = [
    "The paper is full of jargon, please use plain English",
    "What does thriving even mean here, it is jargon",
    "Too long and too many acronyms for residents to read",
    "Write it in plain English so people can follow it",
    "Nobody outside the council understands these terms",
    "The language is confusing and the document is long",
    "Define the words you use, the jargon puts people off",
    "Plain English summary needed, it reads like a report for officers",
    "Explain what the strategy means in practice, not in buzzwords",
    "Shorter document please, with clear words",
]
GREEN = [
    "We need more trees in the park near the estate",
    "Parks are where families meet in summer",
    "Keep the green spaces open and safe for children",
    "The meadow and the river path matter for wellbeing",
    "Equal access to parks across the city",
    "Nature on the doorstep helps mental health",
    "Park benches and toilets would help older people",
    "Protect the allotments and green corridors",
    "Green space in the east of the city is poor",
    "Play areas in the parks need repair",
]
FUNDING = [
    "How will this be paid for without new funding",
    "Small grants for community groups would make a difference",
    "Where does the money come from for all of this",
    "Funding is short term and groups cannot plan",
    "Budgets are being cut so who pays",
    "Make the grant forms simpler for small charities",
    "The cost of delivering this is not mentioned",
    "Funding should go to the groups already doing the work",
    "Money for youth clubs has been cut again",
    "Will there be a fund that residents can bid into",
]


def check_model_file_names_the_encoder_only(model, texts, codes, folder, max_bytes: int) -> None:  # noqa: ANN001
    """Save a hybrid coder around ``model`` (embeddings), check the file is small and loads back to the same scores."""
    import numpy as np

    from tcs_themes.coding.hybrid import HybridCoder
    from tcs_themes.coding.model.model_io import load_model, save_model

    coder = HybridCoder(tiny_codebook(), model=model).fit(texts, codes)
    save_model(coder, folder / "m.skops")
    assert (folder / "m.skops").stat().st_size < max_bytes  # the encoder's weights are not in the file
    loaded = load_model(folder / "m.skops", tiny_codebook())
    some = ["so much jargon", "more trees please"]
    assert loaded.model.embeddings == model.embeddings
    assert np.array_equal(loaded.predict_proba(some), coder.predict_proba(some))


def code_by_question_and_bare(runner, app, folder: Path, model: Path, book: list[str], questions: list[str]):  # noqa: ANN001, ANN201
    """Code the same comment under each question (``new.csv``) and with no question column (``bare.csv``) with
    ``tcs-themes code``; return the first's main themes and the second's CLI result."""
    new = pd.DataFrame({"text": ["the leaflet and the staff"] * len(questions), "question": questions})
    new.to_csv(folder / "new.csv", index=False)
    result = runner.invoke(app, ["code", str(folder / "new.csv"), *book, "--model", str(model), "--out", str(folder / "out")])
    assert result.exit_code == 0, result.output
    new[["text"]].to_csv(folder / "bare.csv", index=False)
    bare = runner.invoke(app, ["code", str(folder / "bare.csv"), *book, "--model", str(model), "--out", str(folder / "o2")])
    return pd.read_csv(folder / "out" / "coded.csv")["primary_theme"].tolist(), bare
