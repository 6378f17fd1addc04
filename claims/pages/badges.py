"""The evidence badges of public pages: each claimed passage wrapped, a badge group after each claimed sentence.

The article's stored HTML passed the sanitiser on save; every tag added here is built with
format_html, which escapes each value put in it. The template tags in claims/templatetags/evidence.py
call these functions.
"""

from bisect import bisect_right
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from articles.text import read_html, wrap_ranges


@dataclass
class AnnotatedBody:
    html: str
    claims: list


def _claim_open_tag(claims_by_id):
    def open_tag(claim_id, first_piece):
        claim = claims_by_id[claim_id]
        grade = claim.public_grade
        evidence = grade.slug if grade else "under-review"
        return format_html(
            '<span class="claim"{} data-claim="{}" data-evidence="{}" data-condition="{}">',
            format_html(' id="claim-{}"', claim.public_id) if first_piece else "",
            claim.public_id,
            evidence,
            claim.condition.slug,
        )

    return open_tag


def _source_warning(claim) -> str:
    """The warning about a claim's sources its badge and chip carry ("source retracted"), or ""."""
    return getattr(claim, "source_warning", "")


def _held(claim) -> bool:
    """Under review because every source it cites was retracted."""
    return getattr(claim, "grade_withheld", False)


def warning_html(words):
    """ "⚠ source retracted": the mark a badge or chip carries, in words, never by colour alone."""
    if not words:
        return ""
    return format_html(
        ' <span class="badge__warning"><span aria-hidden="true">⚠</span>'
        '<span class="visually-hidden">Warning:</span> {}</span>',
        words,
    )


def badge_html(claim, with_condition=False):
    status = claim.public_grade
    warning = ""
    if status:
        symbol, words, tone = status.symbol, status.badge_text, status.tone
        warning = warning_html(_source_warning(claim))
    elif _held(claim):
        symbol, words, tone = "⚠", "Under review", "review"
    else:
        symbol, words, tone = "◐", "Under review", "review"
    condition = format_html(" · {}", claim.condition.name) if with_condition else ""
    return format_html(
        '<a class="badge badge--{}" href="#evidence-{}">'
        '<span aria-hidden="true">{}</span>'
        '<span class="visually-hidden">Evidence: </span>{}{}{}</a>',
        tone,
        claim.public_id,
        symbol,
        words,
        warning,
        condition,
    )


def _badge_group(claims_by_id):
    def after(claim_ids):
        claims = [claims_by_id[i] for i in sorted(claim_ids, key=lambda i: claims_by_id[i].condition.name)]
        badges = format_html_join(" ", "{}", ((badge_html(c, len(claims) > 1),) for c in claims))
        return format_html(' <span class="badge-group">{}</span>', badges)

    return after


def badge_groups(sentences, claims):
    """{offset: claim ids}: one badge group per sentence, after its last claimed word.

    Claims in one sentence, or whose ranges overlap, share a group so that a reader meets
    every grade of a sentence in one place.
    """
    starts = [s.start for s in sentences]
    groups = []  # [sentence index, end, ids]
    for claim in sorted(claims, key=lambda c: (c.start, c.end)):
        index = bisect_right(starts, claim.start) - 1
        if groups and (groups[-1][0] == index or claim.start < groups[-1][1]):
            groups[-1][1] = max(groups[-1][1], claim.end)
            groups[-1][2].append(claim.pk)
        else:
            groups.append([index, claim.end, [claim.pk]])
    return {end: ids for _, end, ids in groups}


def annotate_article(article, claims):
    """The article's stored HTML with each anchored claim wrapped and followed by its badge."""
    document = read_html(article.body_html)
    placed = [c for c in claims if not c.is_orphaned and document.text[c.start : c.end] == c.quote]
    by_id = {c.pk: c for c in placed}
    html = wrap_ranges(
        document,
        [(c.start, c.end, c.pk) for c in placed],
        open_tag=_claim_open_tag(by_id),
        after=_badge_group(by_id),
        badge_points=badge_groups(document.sentences(), placed),
    )
    # The stored HTML passed the sanitiser on save and every inserted value is escaped above.
    return AnnotatedBody(html=mark_safe(html), claims=sorted(placed, key=lambda c: (c.start, c.condition.name)))


def status_chip_html(status, warning="", held=False):
    """The reader's chip for an evidence grade, or for "under review" when status is None.

    `warning` marks a grade shown beside a source readers are warned of ("source retracted"); `held`
    is a claim under review because every source it cites was retracted ("⚠ Under review").
    """
    if status is None:
        return format_html(
            '<span class="chip chip--review"><span aria-hidden="true">{}</span> {}</span>',
            "⚠" if held else "◐",
            "Under review",
        )
    return format_html(
        '<span class="chip chip--{}"><span aria-hidden="true">{}</span> {}{}</span>',
        status.tone,
        status.symbol,
        status.badge_text,
        warning_html(warning),
    )


def claim_chip_html(claim):
    """The chip of one claim's evidence note: its grade with any warning about its sources."""
    return status_chip_html(claim.public_grade, _source_warning(claim), _held(claim))


def note_chip_html(claim):
    """The chip of a claim's note on its article page: a graded claim's chip is the link to what its grade means.

    The page says each grade's meaning once, under "What the grades mean" (`#grade-<slug>`); the chip's
    words and symbol are the grade, so the link says it with nothing repeated.
    """
    status = claim.public_grade
    if status is None:
        return claim_chip_html(claim)
    return format_html(
        '<a class="chip chip--{}" href="#grade-{}"><span aria-hidden="true">{}</span> {}{}</a>',
        status.tone,
        status.slug,
        status.symbol,
        status.badge_text,
        warning_html(_source_warning(claim)),
    )
