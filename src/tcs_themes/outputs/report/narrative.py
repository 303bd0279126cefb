"""Sentences an analyst would write, generated from the counts (and only from the counts).

Every number in these sentences comes from
:class:`~tcs_themes.analysis.counts.ThemeCounts`, formatted by :func:`count`
and :func:`percent`, the same way the workbook displays it.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from tcs_themes.analysis.counts import NO_STRAND, ThemeCounts, top_cooccurring
from tcs_themes.codebook.model import Codebook
from tcs_themes.ingest.exercises import Exercises
from tcs_themes.schema import UNCODED

#: The words analysts use for how many people said something, by share of the comments in view:
#: at most ``FEW_MAX`` comments is "a few"; otherwise the first row whose share bound is above the share.
FEW_MAX = 3
FREQUENCY_WORDS = ((0.10, "some"), (0.25, "a number of"), (0.50, "many"), (1.01, "most"))
_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_ORDINALS = ("", "", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")


def percent(share: float) -> str:
    """A share as the workbook shows it (format ``0.0%``): ``0.2353`` -> ``"23.5%"``."""
    return f"{share * 100:.1f}%"


def count(n: int) -> str:
    """A count with thousands separators, as the workbook shows it (format ``#,##0``)."""
    return f"{int(n):,}"


def words(n: int) -> str:
    """Small numbers in words ("four"), larger ones in figures, as in a report."""
    return _WORDS[n] if 0 <= n < len(_WORDS) else count(n)


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    """``"1 comment"``, ``"3 comments"`` (figures)."""
    return f"{count(n)} {singular if n == 1 else (plural_form or singular + 's')}"


def frequency_word(n: int, total: int) -> str:
    """``"a few"``, ``"some"``, ``"a number of"``, ``"many"`` or ``"most"`` for ``n`` of ``total`` comments.

    >>> [frequency_word(n, 100) for n in (2, 8, 20, 40, 60)]
    ['a few', 'some', 'a number of', 'many', 'most']
    """
    if n <= FEW_MAX or total <= 0:
        return "a few"
    share = n / total
    return next(word for bound, word in FREQUENCY_WORDS if share < bound)


def frequency_paragraph() -> str:
    """The method's sentence that says what the frequency words mean."""
    bounds = [f"\u201c{word}\u201d under {percent(bound)}" for bound, word in FREQUENCY_WORDS[:-1]]
    return (
        f"Words for how often something was said follow fixed thresholds: \u201ca few\u201d is {words(FEW_MAX)} comments or fewer, "
        f"then by share of the comments in view {join(bounds)}, and \u201c{FREQUENCY_WORDS[-1][1]}\u201d from {percent(FREQUENCY_WORDS[-2][0])}."
    )


def coders_paragraph(code_sources: dict[str, int]) -> str:
    """Who coded the comments: an analyst (codes that came with the input), an analyst's review, the machine."""
    analyst, review, machine = (int(code_sources.get(k, 0)) for k in ("analyst", "review", "machine"))
    return (
        f"Who coded them: {_were(analyst)} coded by an analyst before "
        "the toolkit ran, and their codes are used as given (the machine never replaces them); "
        f"{_reviewed(review)}; "
        f"and {_were(machine)} coded by the machine alone, "
        "with the codebook's rules and a model trained on analysts' codes."
    )


def _reviewed(n: int) -> str:
    """The coders paragraph's clause on comments whose codes an analyst's review set."""
    if n == 0:
        return "no comment's codes were changed by an analyst reviewing the machine's codes"
    return f"{_were(n)} coded by the machine and then reviewed by an analyst, whose codes are used"


def _were(n: int) -> str:
    """``"no comment was"``, ``"1 comment was"``, ``"3 comments were"``: a count as the subject of a sentence."""
    return "no comment was" if n == 0 else f"{plural(n, 'comment')} {'was' if n == 1 else 'were'}"


#: The ingest log's reasons (:mod:`tcs_themes.ingest.ledger`) in words for the report: (one, many).
LOG_REASONS = {
    "removed": ("part of an email removed (a greeting, sign-off, signature, quoted earlier message or disclaimer)",
                "parts of emails removed (greetings, sign-offs, signatures, quoted earlier messages, disclaimers)"),
    "blank": ("empty row", "empty rows"),
    "duplicate": ("repeat of a comment already counted", "repeats of comments already counted"),
    "not-comments": ("file that holds no comments (settings, sessions register or exercise results)",
                     "files that hold no comments (settings, sessions register, exercise results)"),
    "attachment": ("email attachment (not read)", "email attachments (not read)"),
    "unsupported": ("file of a type the toolkit does not read", "files of a type the toolkit does not read"),
    "skipped": ("sheet or file skipped", "sheets or files skipped"),
    "error": ("file or row that could not be read", "files or rows that could not be read"),
    "truncated": ("over-long comment cut to length (still counted)", "over-long comments cut to length (still counted)"),
    "decoded": ("file with its text encoding repaired (still counted)", "files with their text encoding repaired (still counted)"),
    "personal-column": ("column of personal details left out", "columns of personal details left out"),
}  # fmt: skip


def logged_sentence(logged: Mapping[str, int]) -> str:
    """What was read but not counted as a comment, by reason, and where it is listed (the ingest log).

    >>> logged_sentence({"blank": 22, "attachment": 1})
    'What was read but not counted as a comment is listed, each with its reason, in the ingest log (ingest-log.csv): 23 entries, namely 22 empty rows; and 1 email attachment (not read).'
    """
    entries = sorted(((int(n), str(reason)) for reason, n in logged.items() if int(n)), key=lambda item: (-item[0], item[1]))
    if not entries:
        return "Everything read from the input files was counted as a comment: the ingest log (ingest-log.csv) is empty."
    parts = [f"{count(n)} {LOG_REASONS.get(reason, (reason, reason))[n != 1]}" for n, reason in entries]
    total = sum(n for n, _ in entries)
    return (
        "What was read but not counted as a comment is listed, each with its reason, in the ingest log (ingest-log.csv): "
        f"{plural(total, 'entry', 'entries')}, namely {'; '.join(parts[:-1])}{'; and ' if len(parts) > 1 else ''}{parts[-1]}."
    )


def ordinal_rank(rank: int, tied: bool) -> str:
    """``"most common"``, ``"second most common"``, ``"joint third most common"``, ``"12th most common"``."""
    if rank == 1:
        word = "most common"
    elif rank < len(_ORDINALS):
        word = f"{_ORDINALS[rank]} most common"
    else:
        suffix = "th" if 10 <= rank % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(rank % 10, "th")
        word = f"{rank}{suffix} most common"
    return f"joint {word}" if tied else word


def join(items: list[str]) -> str:
    """``"a"``, ``"a and b"``, ``"a, b and c"``; with a comma before the last ``and`` only where it aids
    clarity (GOV.UK style): when one of the last two items has its own ``and``, so that two names are
    not run together (``"cost of living and affordability, and community involvement and engagement"``)."""
    if len(items) <= 1:
        return "".join(items)
    last = ", and " if any(" and " in item for item in items[-2:]) else " and "
    return f"{', '.join(items[:-1])}{last}{items[-1]}"


def quoted(phrases: list[str]) -> str:
    """``\u201ca\u201d, \u201cb\u201d and \u201cc\u201d``: phrases in curly quotes, joined."""
    return join([f"\u201c{p}\u201d" for p in phrases])


def in_sentence(name: str) -> str:
    """A theme or sub-theme name as it reads mid-sentence: ``"Cost of living"`` -> ``"cost of living"``, while a
    name with capitals after its first letter (``"NHS services"``, ``"4Ps"``) keeps them."""
    return name.lower() if name[1:].islower() else name


def lower_first(text: str) -> str:
    """``text`` with its first letter lowered to follow on mid-sentence, unless its second letter is a capital too
    (``"Money for..."`` -> ``"money for..."``, ``"NHS..."`` as it is)."""
    return text[0].lower() + text[1:] if text[1:2].islower() else text


def strand_label(strand: str, strand_names: dict[str, str]) -> str:
    """``"Strand 3 (Locality conversations)"`` when described, else the label."""
    return f"{strand} ({strand_names[strand]})" if strand_names.get(strand) else strand


def _sessions_phrase(row: pd.Series, where: str = "") -> str:
    total = int(row["sessions_total"])
    raised = int(row["sessions"])
    if total == 0:
        return ""
    if raised == total and total > 1:
        return f"it came up in all {words(total)} {where}sessions"
    return f"it came up in {words(raised)} of the {words(total)} {where}sessions"


def _emails_phrase(emails: int, total: int) -> str:
    """``"15 of the 21 emails"``: the emails that raised a theme, out of all the emails."""
    if emails == 0:
        return ""
    if emails == total:
        return f"all {words(total)} emails" if total > 1 else "the one email"
    return f"{words(emails)} of the {words(total)} emails"


def theme_paragraph(
    theme_id: str, counts: ThemeCounts, codebook: Codebook, strand_names: dict[str, str]
) -> str:
    """The factual paragraph about a theme over all discussions.

    Count, share and rank; how many sessions and emails raised it; the strand where it
    was most common; its sub-themes; the themes it most often came up with.
    """
    overall = counts.overall.set_index("theme_id")
    row = overall.loc[theme_id]
    name = codebook.name_of(theme_id)
    rank = int(row["rank"])
    tied = int((overall["rank"] == rank).sum()) > 1
    sentences = [
        f"{name} was the {ordinal_rank(rank, tied)} theme: {count(row['main_comments'])} of the "
        f"{count(counts.n_comments)} comments ({percent(row['main_share'])}) had it as their main theme, "
        f"and {count(row['any_comments'])} ({percent(row['any_share'])}) touched on it at all."
    ]
    sessions, emails = _sessions_phrase(row), _emails_phrase(int(row["emails"]), int(counts.strands.iloc[-1]["emails"]))
    if sessions or emails:
        where = f"{sessions} and in {emails}" if sessions and emails else sessions or f"it came up in {emails}"
        sentences.append(f"{where[0].upper()}{where[1:]}.")
    standout = _standout_strand(theme_id, counts)
    if standout is not None:
        strand, srow = standout
        sentences.append(
            f"It was most common in {strand_label(strand, strand_names)}, where it was the main theme of "
            f"{count(srow['main_comments'])} of the {count(srow['group_size'])} comments ({percent(srow['main_share'])})."
        )
    subs = counts.subthemes[(counts.subthemes["theme_id"] == theme_id) & (counts.subthemes["comments"] > 0)]
    if not subs.empty:
        parts = [f"{in_sentence(s)} ({plural(int(n), 'comment')})" for s, n in zip(subs["subtheme"], subs["comments"], strict=True)]
        with_sub = int(subs["theme_with_subtheme"].iloc[0])
        two = " (some were given two)" if int(subs["comments"].sum()) > with_sub else ""
        sentences.append(
            f"Of the {count(row['any_comments'])} comments that touched on it, {count(with_sub)} "
            f"{'was' if with_sub == 1 else 'were'} also given a sub-theme{two}: {join(parts)}."
        )
    together = top_cooccurring(counts.cooccurrence, theme_id, n=3)
    if together:
        parts = [f"{codebook.name_of(t)} ({plural(n, 'comment')})" for t, n in together]
        sentences.append(f"It most often came up alongside {join(parts)}.")
    return " ".join(sentences)


def said_sentence(phrases: list[str], n_any: int, total: int, variant: int) -> str:
    """What people said under a theme, in the words that set its comments apart (varied by ``variant``)."""
    if not phrases:
        return ""
    amount = frequency_word(n_any, total)
    forms = (
        f"{amount[0].upper()}{amount[1:]} comments touched on it, and what set them apart was talk of {quoted(phrases)}.",
        f"People who raised it spoke most about {quoted(phrases)}.",
        f"The words that distinguish these comments from the rest are {quoted(phrases)}.",
    )
    return forms[variant % len(forms)]


def where_sentence(theme_id: str, counts: ThemeCounts, strand_names: dict[str, str]) -> str:
    """Where a theme was raised: the strand with most of its comments (out of that strand's comments,
    so the base is said), and in how many of that strand's sessions."""
    rows = counts.by_strand[(counts.by_strand["theme_id"] == theme_id) & (counts.by_strand["strand"] != NO_STRAND)]
    rows = rows[rows["any_comments"] > 0]
    if counts.by_strand["strand"].nunique() < 2 or rows.empty:
        return ""
    top = rows.sort_values(["any_comments", "strand"], ascending=[False, True], kind="stable").iloc[0]
    label = strand_label(str(top["strand"]), strand_names)
    size = int(counts.strands.set_index("strand").loc[top["strand"], "comments"])
    raised, total = int(top["sessions"]), int(top["sessions_total"])
    sessions = f"in all {words(total)} of its sessions" if raised == total > 1 else f"in {words(raised)} of its {words(total)} sessions"
    n = int(top["any_comments"])
    base = f"{count(n)} of its {plural(size, 'comment')} ({percent(float(top['any_share']))}) touched on it, {sessions}"
    if n * 2 > int(rows["any_comments"].sum()):
        return f"By number of comments it was raised most in {label}: {base}."
    return f"It was raised across the strands, most of all by number of comments in {label}, where {base}."


def subtheme_sentence(name: str, n: int, theme_total: int, phrases: list[str], variant: int) -> str:
    """One sentence about a sub-theme: how many comments, in words and figures, and what they said."""
    amount = frequency_word(n, theme_total).removesuffix(" of")
    said = f" about {quoted(phrases)}" if phrases else ""
    forms = (
        f"{amount[0].upper()}{amount[1:]} of the theme's comments ({count(n)}) were about {name.lower()}{', talking' + said if said else ''}.",
        f"{name} came up in {plural(n, 'comment')}{', mostly' + said if said else ''}.",
    )
    return forms[variant % len(forms)]


def _standout_strand(theme_id: str, counts: ThemeCounts) -> tuple[str, pd.Series] | None:
    """The strand (not the no-strand group) where the theme had its largest main-theme share."""
    table = counts.by_strand
    sizes = counts.strands.set_index("strand")["comments"]
    rows = table[(table["theme_id"] == theme_id) & (table["strand"] != NO_STRAND) & (table["main_comments"] > 0)]
    if table["strand"].nunique() < 2 or rows.empty:
        return None
    best = rows.sort_values(["main_share", "main_comments"], ascending=False, kind="stable").iloc[0]
    return str(best["strand"]), pd.concat([best, pd.Series({"group_size": int(sizes[best["strand"]])})])


def strand_theme_paragraph(row: pd.Series, strand: str, strand_size: int, codebook: Codebook) -> str:
    """The paragraph about one theme within one strand."""
    name = codebook.name_of(str(row["theme_id"]))
    where = "outside the group sessions" if strand == NO_STRAND else f"in {strand}"
    text = (
        f"{name} was the main theme of {count(row['main_comments'])} of the {count(strand_size)} comments "
        f"{where} ({percent(row['main_share'])}), and {count(row['any_comments'])} touched on it at all."
    )
    sessions = _sessions_phrase(row, where=f"{strand} ")
    if sessions:
        text += f" {sessions[0].upper()}{sessions[1:]}."
    return text


def less_common_line(row: pd.Series, codebook: Codebook, phrases: list[str] | None = None) -> str:
    """One line about a less common theme: what people said (their distinguishing phrases), else the codebook's description."""
    theme = codebook.theme(str(row["theme_id"])) if str(row["theme_id"]) in codebook.ids else None
    description = theme.description.rstrip(".") if theme is not None else ""
    description = lower_first(description)
    if phrases:
        description = "people spoke of " + quoted(phrases)
    about = f": {description}" if description else ""
    line = (
        f"{codebook.name_of(str(row['theme_id']))} - {plural(int(row['main_comments']), 'comment')} as the main theme "
        f"({percent(row['main_share'])}), {count(row['any_comments'])} touching on it"
    )
    sessions = int(row["sessions"])
    if sessions:
        line += f", in {words(sessions)} of the {words(int(row['sessions_total']))} sessions"
    return line + about + "."


def nothing_coded(counts: ThemeCounts) -> str | None:
    """The sentence saying that no comment was coded, or None when at least one was."""
    totals = counts.strands.iloc[-1]
    if int(totals["coded"]):
        return None
    if not int(totals["comments"]):
        return "No comment was found in the inputs, so there is nothing to count."
    return (
        f"No comment was coded: no theme in the codebook fitted any of the {plural(int(totals['comments']), 'comment')}, "
        "so there are no theme counts or quotes to report; every comment is counted as uncoded."
    )


def summary_points(
    counts: ThemeCounts, codebook: Codebook, strand_names: dict[str, str], exercises: Exercises | None, top: int = 5
) -> list[str]:
    """The summary of findings, as bullet points."""
    totals = counts.strands.iloc[-1]
    strands = counts.strands[~counts.strands["strand"].isin(["All strands", NO_STRAND])]
    in_sessions = int(strands["comments"].sum())
    parts = []
    emailed = int(totals["comments"]) - in_sessions
    if int(totals["emails"]):
        parts.append(f"{count(emailed)} in {plural(int(totals['emails']), 'email')} to the consultation mailbox")
    if in_sessions:
        sessions = f"{words(int(totals['sessions_with_comments']))} group sessions across {words(len(strands))} {'strand' if len(strands) == 1 else 'strands'}"
        parts.append(f"the rest in {sessions}" if parts else f"{count(in_sessions)} in {sessions}")
    recorded = f"{plural(int(totals['comments']), 'comment')} {'was' if int(totals['comments']) == 1 else 'were'} recorded"
    points = [f"{recorded}: {', and '.join(parts)}." if parts else f"{recorded}."]
    nothing = nothing_coded(counts)
    if nothing is not None:
        points.append(nothing)
    ranked = counts.overall[(counts.overall["theme_id"] != UNCODED) & counts.overall["rank"].notna()].head(top)
    parts = [f"{t} ({count(n)}, {percent(s)})" for t, n, s in zip(ranked["theme"], ranked["main_comments"], ranked["main_share"], strict=True)]
    if parts:
        points.append(
            f"The most common themes across all discussions, by each comment's main theme, were {join(parts)} "
            f"(number of comments, and share of all {count(int(totals['comments']))} comments)."
        )
    for strand, table in counts.by_strand.groupby("strand", sort=False):
        leaders = table[table["rank"] == 1]
        if strand == NO_STRAND or leaders.empty:
            continue
        names = join(list(leaders["theme"]))
        points.append(f"In {strand_label(strand, strand_names)} the most common theme was {names} ({percent(leaders['main_share'].iloc[0])} of the strand's comments).")
    uncoded = counts.overall.set_index("theme_id").loc[UNCODED]
    if int(uncoded["main_comments"]) == 0:
        if int(totals["comments"]):
            points.append("Every comment fitted at least one theme in the codebook: none is counted as uncoded.")
    else:
        points.append(
            f"{plural(int(uncoded['main_comments']), 'comment')} ({percent(uncoded['main_share'])}) did not fit any theme "
            f"in the codebook; {'it is' if int(uncoded['main_comments']) == 1 else 'they are'} counted as uncoded."
        )
    if exercises is not None:
        totals_p = exercises.choice_totals().sort_values("stickers", ascending=False, kind="stable")
        first = totals_p.iloc[0]
        points.append(
            f"At the community events, {first['p']} received the most stickers as the P that matters most "
            f"({count(first['stickers'])} of {count(int(totals_p['stickers'].sum()))}, {percent(first['share'])})."
        )
    return points


def missing_point(summary: pd.DataFrame, n_comments: int, top: int = 3) -> list[str]:
    """The summary's point on what people said was missing: how many of the ``n_comments`` comments, and the
    themes most often raised (none: no point). ``summary`` is :func:`~tcs_themes.analysis.missing.missing_summary`'s table."""
    if summary.empty:
        return []
    return [f"{missing_count(summary, n_comments)} said something was missing from the draft or needed more focus{_missing_about(summary, top)}."]


def missing_count(summary: pd.DataFrame, n_comments: int) -> str:
    """``"252 of the 1,067 comments"``: how many comments said something was missing, with the base."""
    return f"{count(int(summary['comments'].sum()))} of the {plural(n_comments, 'comment')}"


def _missing_about(summary: pd.DataFrame, top: int) -> str:
    named = summary[summary["theme_id"] != UNCODED].head(top)
    parts = [f"{in_sentence(t)} ({plural(n, 'comment')})" for t, n in zip(named["theme"], named["comments"], strict=True)]
    return f", most often about {join(parts)}" if parts else ""


def missing_line(row) -> str:
    """``"Funding and costs: grants; match funding (12 comments)"``: one theme's missing items in the comments' words."""
    phrases = str(row.key_phrases).replace("; ", ", ") if row.key_phrases else "no shared wording"
    name = "Comments that fitted no theme" if row.theme_id == UNCODED else row.theme
    return f"{name}: {phrases} ({plural(int(row.comments), 'comment')})"


#: Two Ps whose shares of the stickers differ by less than this are "effectively tied".
TIE_SHARE = 0.02


def exercise_interpretation(exercises: Exercises) -> str:
    """What the 4Ps result means: a clear lead or an effective tie, and the events that chose differently."""
    totals = exercises.choice_totals().sort_values(["stickers", "p"], ascending=[False, True], kind="stable")
    if int(totals["stickers"].sum()) == 0:
        return ""
    first, second = totals.iloc[0], totals.iloc[1]
    gap = float(first["share"] - second["share"])
    if gap < TIE_SHARE:
        sentences = [f"{first['p']} and {second['p']} were effectively tied ({count(first['stickers'])} and {count(second['stickers'])} stickers): no single P stood out."]
    else:
        sentences = [f"{first['p']} came first, clearly ahead of {second['p']} ({count(first['stickers'])} stickers against {count(second['stickers'])})."]
    by_event = exercises.choices.groupby(["event", "p"], sort=False)["stickers"].sum().unstack(fill_value=0)
    led: dict[str, list[str]] = {}
    for event in exercises.events:
        if event not in by_event.index or int(by_event.loc[event].sum()) == 0:
            continue
        row = by_event.loc[event]
        led.setdefault(" and ".join(sorted(row[row == row.max()].index)), []).append(event)
    if len(led) > 1:
        parts = [f"{p} at {join(events)}" for p, events in sorted(led.items(), key=lambda item: (-len(item[1]), item[0]))]
        sentences.append(f"The events differed: the P with most stickers was {'; '.join(parts)}.")
    elif led:
        sentences.append(f"{next(iter(led))} came first at every event.")
    return " ".join(sentences)


def drivers_sentence(sessions: list[tuple[str, int]], total: int) -> str:
    """The sessions that drove a theme in a strand: ``sessions`` are (name, comments), most first."""
    if not sessions or total == 0:
        return ""
    name, n = sessions[0]
    if len(sessions) == 1:
        return f"All {plural(total, 'comment')} on it came from {name}."
    if n * 5 >= total * 2:  # 40% or more from one session
        return f"It was raised mainly at {name} ({count(n)} of the {plural(total, 'comment')} on it), and in {words(len(sessions) - 1)} other {'session' if len(sessions) == 2 else 'sessions'}."
    top = [f"{s} ({plural(k, 'comment')})" for s, k in sessions[:3]]
    return f"The sessions that raised it most were {join(top)}."


#: A theme "stood out" in a strand when its share of the strand's comments is at least this many times its
#: share across the whole consultation (and more than ``FEW_MAX`` comments): a smaller lift is not worth a conclusion.
STANDOUT_RATIO = 1.5


def strand_conclusions(
    top: pd.DataFrame, lifted: pd.Series, overall_share: float, gaps: list[str], group: str = "the strand"
) -> list[str]:
    """Conclusions for a strand (``group`` names it: ``"the strand"``, ``"the emails"``): its main concerns,
    what stood out against the whole consultation, what it said was missing."""
    many = group.endswith("s")
    whose = f"{group}'" if many else f"{group}'s"
    concerns = [f"{t} ({percent(s)})" for t, s in zip(top["theme"], top["main_share"], strict=True)]
    if concerns:
        concerns[0] = concerns[0][:-1] + f" of {'their' if many else 'its'} comments)"
    points = [f"{whose[0].upper()}{whose[1:]} main concerns were {join(concerns)}."]
    if float(lifted["main_share"]) >= STANDOUT_RATIO * overall_share and int(lifted["main_comments"]) > FEW_MAX:
        points.append(
            f"{lifted['theme']} stood out here: {percent(lifted['main_share'])} of {whose} comments against "
            f"{percent(overall_share)} across the whole consultation."
        )
    else:
        points.append(
            f"No theme stood out against the whole consultation: {whose} shares were close to the overall ones "
            f"(the largest rise was {lifted['theme']}: {percent(lifted['main_share'])} here against {percent(overall_share)} overall)."
        )
    if gaps:
        parts = [in_sentence(t) for t in gaps]
        points.append(f"What {'they' if many else 'it'} said was missing was mostly about {join(parts)}.")
    return points


def theme_recommendation(name: str, n: int, phrases: list[str], subtheme: tuple[str, int] | None) -> str:
    """A draft recommendation from one theme's findings, with the counts behind it."""
    text = f"Respond to what {plural(n, 'comment')} said about {in_sentence(name)}"
    if subtheme is not None and subtheme[0].casefold() != name.casefold():  # not "accessible formats: accessible formats"
        sub = in_sentence(subtheme[0])
        text += f", the largest sub-theme being {sub} ({plural(subtheme[1], 'comment')})"
    if phrases:
        text += f"; they spoke of {quoted(phrases[:3])}"
    return text + "."


def missing_recommendation(row) -> str:
    """A draft recommendation to add what people said was missing, with the count behind it."""
    about = f" ({quoted(str(row.key_phrases).split('; '))})" if row.key_phrases else ""
    return f"Say more about {in_sentence(row.theme)}{about}: {plural(int(row.comments), 'comment')} said it was missing or needed more focus."


def exercise_paragraph(exercises: Exercises) -> str:
    """What people chose in the 4Ps exercise, over all events."""
    totals = exercises.choice_totals().sort_values("stickers", ascending=False, kind="stable")
    whole = int(totals["stickers"].sum())
    parts = [f"{p} ({count(n)}, {percent(s)})" for p, n, s in zip(totals["p"], totals["stickers"], totals["share"], strict=True)]
    events = exercises.events
    return (
        f"At {words(len(events))} community {'event' if len(events) == 1 else 'events'}, people placed "
        f"{count(whole)} stickers against the P that matters most to them: {join(parts)}."
    )
