"""The article editor's view of its sentences, the claims on each and what the integrity check found."""

from bisect import bisect_left

from django import template
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.text import slugify

from articles.models import ArticleRevision

from .. import policy
from ..admin.assigning import assignment_context
from ..admin.comments import thread_views_for
from ..admin.revisions import published_claims
from ..comments import article_discussion
from ..evidence_watch import summary_of, with_source_summary
from ..forms import sentence_value
from ..models import COMMENT_MAX_CHARS, Claim, SuggestionDismissal
from ..publishing import draft_digest
from ..reports import article_findings
from ..selectors import with_integrity_known
from ..text import suggestions
from ..text.integrity import wording_context

register = template.Library()


def marked_words(claim, rating):
    """The claim's quote as HTML with the words that drove its rating in <mark>."""
    quote = claim.quote
    shift = wording_context(quote, claim.prefix, claim.suffix)[1]
    marked, position = [], 0
    for cue in rating.cues:
        start, end = cue.start - shift, cue.end - shift
        if start < position or end > len(quote):
            continue  # words outside the quote, or overlapping a cue already marked
        marked.append((quote[position:start], quote[start:end]))
        position = end
    return format_html_join("", "{}<mark>{}</mark>", marked) + format_html("{}", quote[position:])


@register.inclusion_tag("admin/claims/_article_sentences.html", takes_context=True)
def article_sentences_panel(context, article):
    request = context.get("request")
    claims = list(
        with_source_summary(with_integrity_known(Claim.objects.filter(article=article)))
        .with_causal_sources()
        .select_related("condition", "evidence_status")
        .order_by("start")
    )
    anchored = [c for c in claims if not c.is_orphaned]
    sentences = article.sentences()
    findings = article_findings(article, claims=anchored, sentences=sentences)
    checks = {check.claim.key: check for check in findings.check.claims}
    # What the claims' sources say against their grades (claims.text.source_findings), read beside them.
    source_found = {claim.pk: summary_of(claim) for claim in anchored}
    suggested = {}
    add_url = reverse("admin:claims_claim_add")
    by_start = {sentence.start: sentence.index for sentence in sentences}
    # Dismissals matter for the sentences still suggested; none is read when nothing is.
    texts = {suggestion.text for suggestion in findings.check.suggestions}
    dismissals = (
        list(SuggestionDismissal.objects.filter(article=article, sentence__in=texts).select_related("dismissed_by"))
        if texts
        else []
    )
    dismissed = {dismissal.sentence for dismissal in dismissals}
    for suggestion in findings.check.suggestions:
        if suggestion.text in dismissed:
            continue  # a reviewer said it makes no health claim: listed apart, with the reason
        index = by_start.get(suggestion.start)  # a suggestion spans its whole sentence
        condition = findings.conditions.get(suggestion.condition_key)
        if index is None or (condition is None and suggestion.names_known_condition):
            continue
        # With no known condition, the claim's form opens with none picked: the editor picks or adds it.
        query = {"article": article.pk, "sentence": sentence_value(sentences[index])}
        if condition is not None:
            query["condition"] = condition.pk
        item = {"suggestion": suggestion, "condition": condition, "add_url": f"{add_url}?{urlencode(query)}"}
        if suggestion.from_context and suggestion.context_start in by_start:
            item["context_number"] = by_start[suggestion.context_start] + 1  # the earlier sentence naming it
        suggested.setdefault(index, []).append(item)
    starts = [c.start for c in anchored]
    rows, flagged = [], []
    for sentence in sentences:
        # The claims starting inside the sentence, found by halving rather than by reading every claim.
        first, after = bisect_left(starts, sentence.start), bisect_left(starts, sentence.end)
        row_claims = [
            {"claim": claim, "check": checks[claim.pk], "sources_found": source_found.get(claim.pk, [])}
            for claim in anchored[first:after]
        ]
        row = {
            "number": sentence.index + 1,
            "sentence": sentence,
            "claims": row_claims,
            "suggestions": suggested.get(sentence.index, []),
            "add_url": f"{add_url}?{urlencode({'article': article.pk, 'sentence': sentence_value(sentence)})}",
        }
        rows.append(row)
        for item in row_claims:
            if item["check"].flagged or item["sources_found"]:
                claim = item["claim"]
                item["marked"] = marked_words(claim, item["check"].rating)
                flagged.append({"row": row, **item})
    list_url = reverse("admin:claims_claim_changelist")
    user = getattr(request, "user", None)
    # Only those who may add conditions are offered "Add “Asthma” as a condition".
    can_add_condition = user is not None and user.has_perm("claims.add_condition")
    if can_add_condition:
        for row in rows:
            if row["suggestions"]:
                row["new_conditions"] = new_condition_links(row["sentence"].text, findings.matcher, article)
    counts = {
        **findings.counts,
        "suggested": sum(len(items) for items in suggested.values()),
        "sources": sum(1 for found in source_found.values() if found),
    }
    return {
        "article": article,
        "rows": rows,
        "orphans": [c for c in claims if c.is_orphaned],
        "claim_count": len(claims),
        "claim_list_url": f"{list_url}?{urlencode({'article__id__exact': article.pk})}",
        "counts": counts,
        "dismissals": dismissals,
        # Reviewers other than the author say a suggested sentence makes no health claim (claims.publishing).
        "can_dismiss": user is not None and policy.refusal_to_sign_off(article, user) is None,
        "dismiss_url": reverse("admin:articles_articlerevision_dismiss_suggestion", args=[article.pk]),
        "flagged": flagged,
        "suggested_rows": [row for row in rows if row["suggestions"]],
        # Reviewers read the panel; only those who may add claims are offered the links.
        "can_add": request is not None and request.user.has_perm("claims.add_claim"),
        "can_add_condition": can_add_condition,
        "condition_add_url": condition_add_url(article),
    }


@register.inclusion_tag("admin/claims/_article_comments.html", takes_context=True)
def article_comments_panel(context, article):
    """The article's comment threads by sentence, orphaned ones apart, and the form starting one on a sentence;
    only for editors and reviewers (claims.policy.may_comment)."""
    request = context.get("request")
    if request is None or not policy.may_comment(request.user):
        return {"hidden": True}
    sentences = article.sentences()
    discussion = article_discussion(article, sentences)
    views = [view for _, _, row in discussion.rows for view in row] + discussion.orphaned
    key = f"article-{article.pk}"
    _, drafts = thread_views_for(request, views, [key])
    draft = drafts.get(key) or {}
    return {
        "article": article,
        "discussion": discussion,
        "comment_back": "article",
        "comment_max": COMMENT_MAX_CHARS,
        "sentence_choices": [
            (sentence_value(s), f"{s.index + 1}. {s.text if len(s.text) <= 100 else s.text[:99] + '…'}")
            for s in sentences
        ],
        "new_thread_draft": draft.get("body", ""),
        "new_thread_sentence": draft.get("sentence", ""),
    }


def condition_add_url(article, name=""):
    """The Condition add page, its name prefilled, coming back to the article's integrity panel once saved."""
    query = {"article": article.pk}
    if name:
        query.update(name=name, slug=slugify(name))
    return f"{reverse('admin:claims_condition_add')}?{urlencode(query)}"


def new_condition_links(text, matcher, article):
    """A link to add each disease-like phrase of a suggested sentence that names no condition on the site."""
    names = suggestions.new_conditions(text, matcher)
    return [{"name": name, "url": condition_add_url(article, name)} for name in names]


@register.inclusion_tag("admin/claims/publication/_status.html", takes_context=True)
def publication_status(context, article):
    """The article page's line about publishing: the live revision, the draft, a schedule and its problems."""
    request = context.get("request")
    user = getattr(request, "user", None)
    # One query: the live revision and those not yet published (signed off, scheduled, or failed to go live).
    revisions = list(
        ArticleRevision.objects.filter(article=article)
        .filter(Q(is_live=True) | Q(published_at__isnull=True))
        .select_related("published_by", "scheduled_by")
        .defer("body", "body_html", "body_text", "standfirst")
        .order_by("-number")
    )
    live = next((revision for revision in revisions if revision.is_live), None)
    waiting = [revision for revision in revisions if revision.published_at is None]
    scheduled = next((revision for revision in waiting if revision.scheduled_for is not None), None)
    failed = next((r for r in waiting if r.scheduled_for is None and r.schedule_problem), None)
    if failed is not None and live is not None and live.number > failed.number:
        failed = None
    may_publish = user is not None and policy.may_publish_articles(user)
    can_see = may_publish or (user is not None and policy.may_review_articles(user))
    live_claims = published_claims(live) if live is not None and can_see else []
    return {
        "article": article,
        "live": live,
        "draft_differs": live is not None and live.draft_digest != _digest(article),
        "scheduled": scheduled,
        "failed": failed,
        "live_url": article.get_absolute_url(),
        "publish_url": reverse("admin:articles_articlerevision_publish", args=[article.pk]),
        "sign_off_url": reverse("admin:articles_articlerevision_sign_off", args=[article.pk]),
        "revisions_url": reverse("admin:articles_articlerevision_revisions", args=[article.pk]),
        "live_claims": live_claims,
        "can_withdraw": user is not None and policy.refusal_to_withdraw_urgently(user) is None,
        "can_publish": may_publish,
        "can_see": can_see,
        "can_sign_off": user is not None and policy.may_review_articles(user),
    }


def _digest(article):
    """draft_digest from the claims' keys and versions alone, in one query."""
    return draft_digest(
        article, list(Claim.objects.filter(article=article).only("pk", "version").order_by("start", "pk"))
    )


@register.inclusion_tag("admin/claims/_assignment.html", takes_context=True)
def review_assignment(context, article):
    """The article draft's review assignment on its page: who signs it off, by when; take it or assign it."""
    return {
        **assignment_context(context["request"], article),
        "assign_url": reverse("admin:articles_articlerevision_assign", args=[article.pk]),
        "csrf_token": context.get("csrf_token"),
    }
