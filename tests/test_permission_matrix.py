"""Who may see, create, change, decide on, publish and delete what: the permission matrix.

Four roles: anonymous, an editor (the Editors group), a reviewer (the Reviewers group) and a
superuser. The editor wrote every article and claim below; another reviewer approved the approved
ones, so the reviewer and the superuser are free to decide on the rest.

- ADMIN_PAGES, PUBLIC_PAGES: what each role gets from a GET of every admin and public address.
  Outcomes: OK (200), LOGIN (sent to the admin sign-in), MOVED (another redirect), DENIED (403),
  MISSING (404), NO_GET (405: the address takes POSTs only).
- ACTIONS: every admin action and every form that writes, per role: DONE (its effect is checked in
  the database), or a refusal after which nothing in the database or the upload folder has changed:
  LOGIN, DENIED (403), NOT_ALLOWED (405), NOT_OFFERED (the admin does not offer that action to the
  user), or told("…"): refused with those words.
- SEPARATION_OF_DUTIES: nobody decides on a claim they wrote or last changed, nor reviews an article
  they wrote, whatever their permissions.
- ARCHIVE_PERMISSION: archiving and restoring an article follow the archive permission, whatever the group;
  deleting an article for good takes a superuser.

The addresses and actions are also read from the URL configuration and the admin site, so that a
new page or action without a row here fails `test_every_*_has_a_row`.
"""

import datetime
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from articles.models import Article, ArticleRevision
from articles.rendering import render_markdown
from articles.services import article_archive, article_update
from claims.comments import thread_resolve, thread_start_on_claim, thread_start_on_sentence
from claims.forms import sentence_value
from claims.models import (
    Assignment,
    Claim,
    ClaimDecision,
    Comment,
    CommentThread,
    Condition,
    EvidenceAlert,
    EvidenceStatus,
    OrphanedClaim,
    Outcome,
    PublishedClaim,
    ReviewQueueClaim,
    Source,
    SourceEvent,
    SourceRecord,
    SuggestionDismissal,
)
from claims.publishing import article_publish, article_sign_off, draft_digest, open_suggestions
from notifications.models import Delivery, Kind, Notification, NotificationPreference
from notifications.services import notify
from notifications.services import preference as notification_preference
from people.models import Profile
from people.profiles import profile_for
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    ConditionFactory,
    EditorFactory,
    ReviewerFactory,
    SourceFactory,
    UserFactory,
    article_form_data,
    claim_form_data,
    evidence,
    published,
)
from tests.factories import (
    published as make_live,
)
from tests.reviewing import seen_inputs, seen_now

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "editor", "reviewer", "superuser")
State, Decision = Claim.ReviewState, ClaimDecision.Decision

OK, DENIED, MISSING = 200, 403, 404
NO_GET = NOT_ALLOWED = 405  # a page that only takes POSTs; an address that refuses a POST
CREATED = 201  # the image upload answers with the Markdown of what it stored
LOGIN, MOVED, DONE = "login", "redirect", "done"


@dataclass(frozen=True)
class Told:
    """Refused with these words, in a message or on the page; nothing changed."""

    words: str


def told(words):
    return Told(words)


# The admin does not offer the action to this user: a forced POST brings the list back, or says
# "No action selected.", and nothing changes.
NOT_OFFERED = "not offered"
NOT_REVIEWER = told("Only medical reviewers can decide on claims.")
# Claims still use it: the delete page lists them and deletes nothing, even when confirmed.
IN_USE = told("is in use, so it was not deleted")
SOME_IN_USE = told("Nothing was deleted: some of the selected")
NOT_ARCHIVED = told("is not archived: archive it first")  # only an archived article is deleted for good
# Posting an action the admin no longer has: it names no action at all, whoever posts it.
NO_ACTION = told("No action selected.")
HIDDEN = told("doesn’t exist")  # the review queue leaves out what the user wrote, its addresses too
NO_REVIEWER_TO_ASSIGN = told("is not a medical reviewer: only reviewers can be assigned")
PAST_DUE = told("is in the past: choose today or a later date")


# ---------------------------------------------------------------------------------------------------
# PAGES: a GET of each address. Placeholders are filled from the object named in the second column.
# ---------------------------------------------------------------------------------------------------

ADMIN_PAGES = [
    # address under /admin/                                 object           anonymous editor    reviewer  superuser
    ("",                                                    None,            LOGIN,    OK,       OK,       OK),
    ("login/",                                              None,            OK,       MOVED,    MOVED,    MOVED),
    ("logout/",                                             None,            MOVED,    NO_GET,   NO_GET,   NO_GET),
    ("password_change/",                                    None,            LOGIN,    OK,       OK,       OK),
    ("password_change/done/",                               None,            LOGIN,    OK,       OK,       OK),
    ("jsi18n/",                                             None,            LOGIN,    OK,       OK,       OK),
    ("autocomplete/",                                       None,            LOGIN,    DENIED,   DENIED,   DENIED),
    ("autocomplete/?app_label=claims&model_name=claim&field_name=condition",
                                                            None,            LOGIN,    OK,       OK,       OK),
    ("r/<type_id>/<id>/",                                   "draft",         LOGIN,    MOVED,    MOVED,    MOVED),
    ("<app_label>/",                                        "claims",        LOGIN,    OK,       OK,       OK),
    ("<app_label>/",                                        "auth",          LOGIN,    MISSING,  MISSING,  OK),
    ("<anything>",                                          "no-such-page/", LOGIN,    MISSING,  MISSING,  MISSING),
    # Articles
    ("articles/article/",                                   None,            LOGIN,    OK,       OK,       OK),
    # The admin home's dashboard links to the lists filtered (claims/dashboard.py): whoever sees the list sees them.
    ("articles/article/?gate=blocked&mine=written",         None,            LOGIN,    OK,       OK,       OK),
    ("articles/article/?gate=sign_off&review_assigned=none", None,           LOGIN,    OK,       OK,       OK),
    ("articles/article/?review_assigned=me",                None,            LOGIN,    OK,       OK,       OK),
    ("articles/article/?scheduled=yes&published=no",        None,            LOGIN,    OK,       OK,       OK),
    ("articles/article/?review_due=near&mine=reviewed",     None,            LOGIN,    OK,       OK,       OK),
    ("articles/article/add/",                               None,            LOGIN,    OK,       DENIED,   OK),
    ("articles/article/import/",                            None,            LOGIN,    OK,       DENIED,   OK),
    ("articles/article/<id>/",                              "draft",         LOGIN,    MOVED,    MOVED,    MOVED),
    ("articles/article/<id>/change/",                       "draft",         LOGIN,    OK,       OK,       OK),
    ("articles/article/<id>/change/",                       "published",     LOGIN,    OK,       OK,       OK),
    ("articles/article/<id>/history/",                      "draft",         LOGIN,    OK,       OK,       OK),
    ("articles/article/<id>/history/<history_id>/",         "draft",         LOGIN,    OK,       OK,       OK),
    ("articles/article/<id>/history/<history_id>/diff/",    "draft",         LOGIN,    OK,       OK,       OK),
    ("articles/article/<id>/history/<history_id>/revert/",  "draft",         LOGIN,    NO_GET,   NO_GET,   NO_GET),
    # Articles: "delete" asks to archive; archived ones are restored, or deleted for good by superusers only
    # (see ARTICLE_ARCHIVE_ACTIONS). An archived article's delete page sends back to its page.
    ("articles/article/<id>/delete/",                       "published",     LOGIN,    OK,       DENIED,   OK),
    ("articles/article/<id>/delete/",                       "archived",      LOGIN,    MOVED,    DENIED,   MOVED),
    ("articles/article/<id>/change/",                       "archived",      LOGIN,    OK,       OK,       OK),
    ("articles/article/<id>/restore/",                      "archived",      LOGIN,    NO_GET,   NO_GET,   NO_GET),
    ("articles/article/<id>/purge/",                        "archived",      LOGIN,    DENIED,   DENIED,   OK),
    ("articles/article/<id>/purge/",                        "published",     LOGIN,    DENIED,   DENIED,   MOVED),
    # Publishing revisions (claims/admin/publication.py): editors publish, reviewers sign off and dismiss
    # suggested claims (see PUBLICATION_ACTIONS); revisions themselves have no list or change page.
    ("articles/articlerevision/article/<id>/publish/",      "draft",         LOGIN,    OK,       OK,       OK),
    ("articles/articlerevision/article/<id>/cancel-schedule/", "draft",      LOGIN,    NO_GET,   NO_GET,   NO_GET),
    ("articles/articlerevision/article/<id>/sign-off/",     "draft",         LOGIN,    OK,       OK,       OK),
    ("articles/articlerevision/article/<id>/assign/",       "draft",         LOGIN,    OK,       OK,       OK),
    ("articles/articlerevision/article/<id>/dismiss-suggestion/", "draft",   LOGIN,    NO_GET,   NO_GET,   NO_GET),
    # Revisions (claims/admin/revisions.py): listed, shown as readers saw them, compared, published again;
    # a live claim withdrawn urgently by a reviewer (see PUBLICATION_ACTIONS). Editors read the withdrawal
    # page and are told only reviewers withdraw.
    ("articles/articlerevision/article/<id>/revisions/",    "published",     LOGIN,    OK,       OK,       OK),
    ("articles/articlerevision/article/<id>/revisions/",    "draft",         LOGIN,    OK,       OK,       OK),
    ("articles/articlerevision/revision/<id>/",             "live revision", LOGIN,    OK,       OK,       OK),
    ("articles/articlerevision/revision/<id>/compare/",     "live revision", LOGIN,    OK,       OK,       OK),
    ("articles/articlerevision/revision/<id>/republish/",   "live revision", LOGIN,    OK,       OK,       OK),
    ("articles/articlerevision/published-claim/<id>/withdraw-urgently/", "live claim", LOGIN, OK,   OK,       OK),
    ("articles/articlerevision/revision/<id>/",             "999999",        LOGIN,    MISSING,  MISSING,  MISSING),
    # Claims
    ("claims/claim/",                                       None,            LOGIN,    OK,       OK,       OK),
    ("claims/claim/?sent_back=me",                          None,            LOGIN,    OK,       OK,       OK),
    ("claims/claim/add/",                                   None,            LOGIN,    OK,       DENIED,   OK),
    ("claims/claim/add/?article=<id>",                      "draft",         LOGIN,    OK,       DENIED,   OK),
    ("claims/claim/<id>/",                                  "pending claim", LOGIN,    MOVED,    MOVED,    MOVED),
    ("claims/claim/integrity-report/",                      None,            LOGIN,    OK,       OK,       OK),
    ("claims/claim/integrity-report/?format=csv",           None,            LOGIN,    OK,       OK,       OK),
    ("claims/claim/<id>/change/",                           "pending claim", LOGIN,    OK,       OK,       OK),
    ("claims/claim/<id>/change/",                           "approved claim",LOGIN,    OK,       OK,       OK),
    ("claims/claim/<id>/decide/",                           "pending claim", LOGIN,    NO_GET,   NO_GET,   NO_GET),
    # Assigning its review: editors and reviewers see the form (see the assignment rows of CLAIM_ACTIONS)
    ("claims/claim/<id>/assign/",                           "pending claim", LOGIN,    OK,       OK,       OK),
    ("claims/claim/<id>/history/",                          "approved claim",LOGIN,    OK,       OK,       OK),
    ("claims/claim/<id>/history/<history_id>/",             "approved claim",LOGIN,    OK,       OK,       OK),
    ("claims/claim/<id>/delete/",                           "pending claim", LOGIN,    OK,       DENIED,   OK),
    ("claims/claim/<id>/delete/",                           "approved claim",LOGIN,    DENIED,   DENIED,   OK),
    # The reviewers' queue: it lists nothing the user wrote, so the editor's own claim is "not found" there.
    ("claims/reviewqueueclaim/",                            None,            LOGIN,    DENIED,   OK,       OK),
    ("claims/reviewqueueclaim/?approval=ready&assigned=me", None,            LOGIN,    DENIED,   OK,       OK),
    ("claims/reviewqueueclaim/add/",                        None,            LOGIN,    DENIED,   DENIED,   DENIED),
    ("claims/reviewqueueclaim/<id>/",                       "pending claim", LOGIN,    MOVED,    MOVED,    MOVED),
    ("claims/reviewqueueclaim/<id>/change/",                "pending claim", LOGIN,    DENIED,   OK,       OK),
    ("claims/reviewqueueclaim/<id>/decide/",                "pending claim", LOGIN,    MOVED,    NO_GET,   NO_GET),
    ("claims/reviewqueueclaim/<id>/assign/",                "pending claim", LOGIN,    MOVED,    OK,       OK),
    ("claims/reviewqueueclaim/<id>/history/",               "pending claim", LOGIN,    MOVED,    OK,       OK),
    ("claims/reviewqueueclaim/<id>/delete/",                "pending claim", LOGIN,    DENIED,   DENIED,   DENIED),
    # Comments (claims/admin/comments.py): only the addresses their forms post to (see COMMENT_ACTIONS)
    ("claims/commentthread/claim/<id>/start/",              "pending claim", LOGIN,    NO_GET,   NO_GET,   NO_GET),
    ("claims/commentthread/article/<id>/start/",            "draft",         LOGIN,    NO_GET,   NO_GET,   NO_GET),
    ("claims/commentthread/<id>/reply/",                    "thread",        LOGIN,    NO_GET,   NO_GET,   NO_GET),
    ("claims/commentthread/<id>/resolve/",                  "thread",        LOGIN,    NO_GET,   NO_GET,   NO_GET),
    ("claims/commentthread/<id>/reopen/",                   "thread",        LOGIN,    NO_GET,   NO_GET,   NO_GET),
    # Claims that lost their sentence
    ("claims/orphanedclaim/",                               None,            LOGIN,    OK,       OK,       OK),
    ("claims/orphanedclaim/add/",                           None,            LOGIN,    DENIED,   DENIED,   DENIED),
    ("claims/orphanedclaim/<id>/",                          "orphan",        LOGIN,    MOVED,    MOVED,    MOVED),
    ("claims/orphanedclaim/<id>/change/",                   "orphan",        LOGIN,    OK,       OK,       OK),
    ("claims/orphanedclaim/<id>/history/",                  "orphan",        LOGIN,    OK,       OK,       OK),
    ("claims/orphanedclaim/<id>/delete/",                   "orphan",        LOGIN,    OK,       DENIED,   OK),
    # Conditions, evidence statuses, sources
    ("claims/condition/",                                   None,            LOGIN,    OK,       OK,       OK),
    ("claims/condition/add/",                               None,            LOGIN,    OK,       DENIED,   OK),
    ("claims/condition/<id>/",                              "condition",     LOGIN,    MOVED,    MOVED,    MOVED),
    ("claims/condition/<id>/change/",                       "condition",     LOGIN,    OK,       OK,       OK),
    ("claims/condition/<id>/history/",                      "condition",     LOGIN,    OK,       OK,       OK),
    ("claims/condition/<id>/delete/",                       "condition",     LOGIN,    DENIED,   DENIED,   OK),
    ("claims/evidencestatus/",                              None,            LOGIN,    OK,       OK,       OK),
    ("claims/evidencestatus/add/",                          None,            LOGIN,    OK,       DENIED,   OK),
    ("claims/evidencestatus/<id>/",                         "status",        LOGIN,    MOVED,    MOVED,    MOVED),
    ("claims/evidencestatus/<id>/change/",                  "status",        LOGIN,    OK,       OK,       OK),
    ("claims/evidencestatus/<id>/history/",                 "status",        LOGIN,    OK,       OK,       OK),
    ("claims/evidencestatus/<id>/delete/",                  "status",        LOGIN,    DENIED,   DENIED,   OK),
    ("claims/source/",                                      None,            LOGIN,    OK,       OK,       OK),
    ("claims/source/add/",                                  None,            LOGIN,    OK,       OK,       OK),
    ("claims/source/<id>/",                                 "source",        LOGIN,    MOVED,    MOVED,    MOVED),
    ("claims/source/<id>/change/",                          "source",        LOGIN,    OK,       OK,       OK),
    ("claims/source/<id>/history/",                         "source",        LOGIN,    OK,       OK,       OK),
    ("claims/source/<id>/delete/",                          "source",        LOGIN,    DENIED,   DENIED,   OK),
    ("claims/source/<id>/take-looked-up/",                  "source",        LOGIN,    NO_GET,   NO_GET,   NO_GET),
    # Evidence alerts: reviewers only (a cited source retracted, under concern or its trial stopped)
    ("claims/evidencealert/",                               None,            LOGIN,    DENIED,   OK,       OK),
    ("claims/evidencealert/<id>/resolve/",                  "alert",         LOGIN,    DENIED,   OK,       OK),
    # Topics (taggit); the merge page sends back to the list until tags are selected there
    ("taggit/tag/",                                         None,            LOGIN,    OK,       OK,       OK),
    ("taggit/tag/add/",                                     None,            LOGIN,    OK,       DENIED,   OK),
    ("taggit/tag/merge-tags/",                              None,            LOGIN,    MOVED,    DENIED,   MOVED),
    ("taggit/tag/<id>/",                                    "tag",           LOGIN,    MOVED,    MOVED,    MOVED),
    ("taggit/tag/<id>/change/",                             "tag",           LOGIN,    OK,       OK,       OK),
    ("taggit/tag/<id>/history/",                            "tag",           LOGIN,    OK,       OK,       OK),
    ("taggit/tag/<id>/delete/",                             "tag",           LOGIN,    DENIED,   DENIED,   OK),
    # Accounts
    # Profiles: staff are taken from the list to their own profile (made then if need be); they edit their
    # own only, superusers every one; profiles are made as pages need them, so only superusers add or delete.
    ("people/profile/",                                     None,            LOGIN,    MOVED,    MOVED,    OK),
    ("people/profile/add/",                                 None,            LOGIN,    DENIED,   DENIED,   OK),
    ("people/profile/<id>/",                                "profile",       LOGIN,    MOVED,    MOVED,    MOVED),
    ("people/profile/<id>/change/",                         "profile",       LOGIN,    OK,       DENIED,   OK),
    ("people/profile/<id>/history/",                        "profile",       LOGIN,    OK,       DENIED,   OK),
    ("people/profile/<id>/delete/",                         "profile",       LOGIN,    DENIED,   DENIED,   OK),
    ("auth/user/",                                          None,            LOGIN,    DENIED,   DENIED,   OK),
    ("auth/user/add/",                                      None,            LOGIN,    DENIED,   DENIED,   OK),
    ("auth/user/<id>/",                                     "editor",        LOGIN,    MOVED,    MOVED,    MOVED),
    ("auth/user/<id>/change/",                              "editor",        LOGIN,    DENIED,   DENIED,   OK),
    ("auth/user/<id>/password/",                            "editor",        LOGIN,    DENIED,   DENIED,   OK),
    ("auth/user/<id>/history/",                             "editor",        LOGIN,    DENIED,   DENIED,   OK),
    ("auth/user/<id>/delete/",                              "editor",        LOGIN,    DENIED,   DENIED,   OK),
    ("auth/group/",                                         None,            LOGIN,    DENIED,   DENIED,   OK),
    ("auth/group/add/",                                     None,            LOGIN,    DENIED,   DENIED,   OK),
    ("auth/group/<id>/",                                    "Editors",       LOGIN,    MOVED,    MOVED,    MOVED),
    ("auth/group/<id>/change/",                             "Editors",       LOGIN,    DENIED,   DENIED,   OK),
    ("auth/group/<id>/history/",                            "Editors",       LOGIN,    DENIED,   DENIED,   OK),
    ("auth/group/<id>/delete/",                             "Editors",       LOGIN,    DENIED,   DENIED,   OK),
    # Sign-in lockout records (django-axes): superusers read them and lift a lockout by deleting it
    # Notifications: every staff member's own list and settings; marking read takes a POST
    ("<app_label>/",                                        "notifications", LOGIN,    OK,       OK,       OK),
    ("notifications/notification/",                         None,            LOGIN,    OK,       OK,       OK),
    ("notifications/notification/read/",                    None,            LOGIN,    NO_GET,   NO_GET,   NO_GET),
    ("notifications/notification/preferences/",             None,            LOGIN,    OK,       OK,       OK),
    ("axes/accessattempt/",                                 None,            LOGIN,    DENIED,   DENIED,   OK),
    ("axes/accessattempt/add/",                             None,            LOGIN,    DENIED,   DENIED,   DENIED),
    ("axes/accessattempt/<id>/",                            "attempt",       LOGIN,    MOVED,    MOVED,    MOVED),
    ("axes/accessattempt/<id>/change/",                     "attempt",       LOGIN,    DENIED,   DENIED,   OK),
    ("axes/accessattempt/<id>/history/",                    "attempt",       LOGIN,    DENIED,   DENIED,   OK),
    ("axes/accessattempt/<id>/delete/",                     "attempt",       LOGIN,    DENIED,   DENIED,   OK),
    ("axes/accesslog/",                                     None,            LOGIN,    DENIED,   DENIED,   OK),
    ("axes/accesslog/add/",                                 None,            LOGIN,    DENIED,   DENIED,   DENIED),
    ("axes/accesslog/<id>/",                                "access log",    LOGIN,    MOVED,    MOVED,    MOVED),
    ("axes/accesslog/<id>/change/",                         "access log",    LOGIN,    DENIED,   DENIED,   OK),
    ("axes/accesslog/<id>/history/",                        "access log",    LOGIN,    DENIED,   DENIED,   OK),
    ("axes/accesslog/<id>/delete/",                         "access log",    LOGIN,    DENIED,   DENIED,   OK),
    ("axes/accessfailurelog/",                              None,            LOGIN,    DENIED,   DENIED,   OK),
    ("axes/accessfailurelog/add/",                          None,            LOGIN,    DENIED,   DENIED,   DENIED),
    ("axes/accessfailurelog/<id>/",                         "failure log",   LOGIN,    MOVED,    MOVED,    MOVED),
    ("axes/accessfailurelog/<id>/change/",                  "failure log",   LOGIN,    DENIED,   DENIED,   OK),
    ("axes/accessfailurelog/<id>/history/",                 "failure log",   LOGIN,    DENIED,   DENIED,   OK),
    ("axes/accessfailurelog/<id>/delete/",                  "failure log",   LOGIN,    DENIED,   DENIED,   OK),
]  # fmt: skip

PUBLIC_PAGES = [
    # address                      object           anonymous editor    reviewer  superuser
    # The Markdown editor's endpoints take the editor's POSTs only (see ACTIONS)
    ("/markdownx/markdownify/",    None,            DENIED,   NO_GET,   DENIED,   NO_GET),
    ("/markdownx/upload/",         None,            DENIED,   NO_GET,   DENIED,   NO_GET),
    # The public site: drafts are previews for signed-in staff, never listed, never exported
    ("/",                          None,            OK,       OK,       OK,       OK),
    ("/articles/<slug>/",          "published",     OK,       OK,       OK,       OK),
    ("/articles/<slug>/",          "draft",         MISSING,  OK,       OK,       OK),
    ("/api/articles/<slug>.json",  "published",     OK,       OK,       OK,       OK),
    ("/api/articles/<slug>.json",  "draft",         MISSING,  MISSING,  MISSING,  MISSING),
    # An archived article is gone for readers; signed-in staff preview it as they do drafts
    ("/articles/<slug>/",          "archived",      MISSING,  OK,       OK,       OK),
    ("/api/articles/<slug>.json",  "archived",      MISSING,  MISSING,  MISSING,  MISSING),
    ("/tags/<slug>/",              "tag",           OK,       OK,       OK,       OK),
    # A person's page: found only for someone who wrote or reviewed a published article
    ("/people/<slug>/",            "profile",       OK,       OK,       OK,       OK),
    ("/people/<slug>/",            "spare profile", MISSING,  MISSING,  MISSING,  MISSING),
    ("/conditions/",               None,            OK,       OK,       OK,       OK),
    ("/conditions/<slug>/",        "condition",     OK,       OK,       OK,       OK),
    ("/evidence/",                 None,            OK,       OK,       OK,       OK),
    ("/search/?q=stem",            None,            OK,       OK,       OK,       OK),
    ("/feed/",                     None,            OK,       OK,       OK,       OK),
    ("/sitemap.xml",               None,            OK,       OK,       OK,       OK),
    ("/sitemap-<section>.xml",     "articles",      OK,       OK,       OK,       OK),
    ("/healthz",                   None,            OK,       OK,       OK,       OK),
]  # fmt: skip

# Public pages that list articles: neither the draft nor the archived article is on any of them, whoever asks.
LISTINGS = ["/", "/feed/", "/sitemap.xml", "/search/?q=stem", "/tags/<slug>/", "/conditions/<slug>/"]


# ---------------------------------------------------------------------------------------------------
# ACTIONS: every write. "app.model:action" rows are the admin actions of that model's admin page.
# ---------------------------------------------------------------------------------------------------

ARTICLE_ACTIONS = [
    # action                                                  anonymous  editor         reviewer       superuser
    ("article: create",                                        LOGIN,     DONE,          DENIED,        DONE),
    ("article: edit the draft's text",                         LOGIN,     DONE,          DENIED,        DONE),
    # The status is read-only: the form saves the text and publishes or hides nothing (the publish page does).
    ("article: post status published in a draft's form",      LOGIN,     DONE,          DENIED,        DONE),
    ("article: post status draft in a live article's form",   LOGIN,     DONE,          DENIED,        DONE),
    ("article: import plain text",                             LOGIN,     DONE,          DENIED,        DONE),
    ("article: revert the draft to its first revision",        LOGIN,     DONE,          DENIED,        DONE),
]  # fmt: skip
# Deleting an article in the admin archives it (the archive permission: editors and superusers); the
# archive permission restores it; only superusers delete for good, and only an archived article. With these
# rows, ADMIN_PAGES' delete, restore and purge pages say who may do what; ARCHIVE_PERMISSION ties it to
# the permission itself.
ARTICLE_ARCHIVE_ACTIONS = [
    ("article: archive from its delete page",                  LOGIN,     DONE,          DENIED,        DONE),
    ("articles.article:archive_selected",                      LOGIN,     DONE,          NOT_OFFERED,   DONE),
    ("article: restore from its page",                         LOGIN,     DONE,          DENIED,        DONE),
    ("articles.article:restore_selected",                      LOGIN,     DONE,          NOT_OFFERED,   DONE),
    ("article: delete an archived one for good from its page", LOGIN,     DENIED,        DENIED,        DONE),
    ("articles.article:purge_selected",                        LOGIN,     NOT_OFFERED,   NOT_OFFERED,   DONE),
    ("article: delete a current one for good from its page",   LOGIN,     DENIED,        DENIED,        NOT_ARCHIVED),
    ("articles.article:purge_selected (a current article)",    LOGIN,     NOT_OFFERED,   NOT_OFFERED,   NOT_ARCHIVED),
    # Reviewers have no action on the article list: the post shows them the list again (OK), nothing done.
    ("article: post Django's delete_selected action anyway",   LOGIN,     NO_ACTION,     OK,            NO_ACTION),
]  # fmt: skip
CLAIM_ACTIONS = [
    ("claim: create on a sentence",                            LOGIN,     DONE,          DENIED,        DONE),
    ("claim: edit a pending claim",                            LOGIN,     DONE,          DONE,          DONE),
    ("claim: change an approved claim's grade",                LOGIN,     DONE,          DONE,          DONE),
    ("claim: restore an earlier revision",                     LOGIN,     NOT_ALLOWED,   NOT_ALLOWED,   NOT_ALLOWED),
    ("claim: submit from the claim form",                      LOGIN,     DONE,          DONE,          DONE),
    ("claims.claim:submit_selected",                           LOGIN,     DONE,          DONE,          DONE),
    ("claim: approve (decide)",                                LOGIN,     NOT_REVIEWER,  DONE,          DONE),
    ("claim: request changes (decide)",                        LOGIN,     NOT_REVIEWER,  DONE,          DONE),
    ("claim: reject (decide)",                                 LOGIN,     NOT_REVIEWER,  DONE,          DONE),
    ("claims.claim:approve_selected",                          LOGIN,     NOT_OFFERED,   DONE,          DONE),
    ("claims.claim:approve_selected (all selected)",           LOGIN,     NOT_OFFERED,   DONE,          DONE),
    ("claims.claim:request_changes_selected",                  LOGIN,     NOT_OFFERED,   DONE,          DONE),
    ("claims.claim:reject_selected",                           LOGIN,     NOT_OFFERED,   DONE,          DONE),
    ("claim: approve from the review queue (decide)",          LOGIN,     HIDDEN,        DONE,          DONE),
    ("claims.reviewqueueclaim:approve_selected",               LOGIN,     DENIED,        DONE,          DONE),
    ("claims.reviewqueueclaim:approve_selected (all selected)", LOGIN,    DENIED,        DONE,          DONE),
    ("claims.reviewqueueclaim:request_changes_selected",       LOGIN,     DENIED,        DONE,          DONE),
    ("claims.reviewqueueclaim:reject_selected",                LOGIN,     DENIED,        DONE,          DONE),
    # Assignments: editors assign a claim's review, reviewers take it (editors are no reviewers: refused).
    ("claim: take its review from its page",                   LOGIN,     NO_REVIEWER_TO_ASSIGN, DONE,  DONE),
    ("claim: take its review from the review queue",           LOGIN,     HIDDEN,        DONE,          DONE),
    ("claim: assign its review to a reviewer",                 LOGIN,     DONE,          DONE,          DONE),
    ("claim: assign its review, due in the past",              LOGIN,     PAST_DUE,      PAST_DUE,      PAST_DUE),
    ("claim: delete a pending claim",                          LOGIN,     DONE,          DENIED,        DONE),
    ("claim: delete an approved claim",                        LOGIN,     DENIED,        DENIED,        DONE),
    ("claims.claim:delete_selected (an approved claim)",       LOGIN,     DENIED,        NOT_OFFERED,   DONE),
    ("claim: delete an orphaned claim",                        LOGIN,     DONE,          DENIED,        DONE),
    ("claims.orphanedclaim:delete_selected",                   LOGIN,     DONE,          NOT_OFFERED,   DONE),
]  # fmt: skip
REFERENCE_ACTIONS = [
    ("condition: create",                                      LOGIN,     DONE,          DENIED,        DONE),
    ("condition: edit",                                        LOGIN,     DONE,          DENIED,        DONE),
    ("condition: delete one in use",                           LOGIN,     DENIED,        DENIED,        IN_USE),
    ("claims.condition:delete_selected",                       LOGIN,     NOT_OFFERED,   NOT_OFFERED,   SOME_IN_USE),
    ("evidence status: create",                                LOGIN,     DONE,          DENIED,        DONE),
    ("evidence status: re-order in the list",                  LOGIN,     DONE,          DENIED,        DONE),
    ("evidence status: delete one in use",                     LOGIN,     DENIED,        DENIED,        IN_USE),
    ("claims.evidencestatus:delete_selected",                  LOGIN,     NOT_OFFERED,   NOT_OFFERED,   SOME_IN_USE),
    ("source: create",                                         LOGIN,     DONE,          DONE,          DONE),
    ("source: edit",                                           LOGIN,     DONE,          DENIED,        DONE),
    ("source: repoint one an approved claim cites",            LOGIN,     DONE,          DENIED,        DONE),
    ("source: delete one a claim cites",                       LOGIN,     DENIED,        DENIED,        IN_USE),
    ("claims.source:delete_selected",                          LOGIN,     NOT_OFFERED,   NOT_OFFERED,   SOME_IN_USE),
    ("claims.source:look_up_again",                            LOGIN,     DONE,          NOT_OFFERED,   DONE),
    ("source: take a looked-up title over a typed one",        LOGIN,     DONE,          DENIED,        DONE),
    ("evidence alert: keep the claim, with a reason",          LOGIN,     DENIED,        DONE,          DONE),
    ("evidence alert: withdraw the live claim urgently",       LOGIN,     DENIED,        DONE,          DONE),
    ("taggit.tag:render_tag_form (merge tags)",                LOGIN,     DONE,          NOT_OFFERED,   DONE),
    ("tag: post the merge page directly",                      LOGIN,     DONE,          DENIED,        DONE),
    ("taggit.tag:delete_selected",                             LOGIN,     NOT_OFFERED,   NOT_OFFERED,   DONE),
    ("user: add the editor to the Reviewers group",            LOGIN,     DENIED,        DENIED,        DONE),
    ("auth.user:delete_selected",                              LOGIN,     DENIED,        DENIED,        DONE),
    ("auth.group:delete_selected",                             LOGIN,     DENIED,        DENIED,        DONE),
    ("axes.accessattempt:delete_selected (lift a lockout)",    LOGIN,     DENIED,        DENIED,        DONE),
    ("axes.accessattempt:cleanup_expired_attempts",            LOGIN,     DENIED,        DENIED,        DONE),
    ("axes.accesslog:delete_selected",                         LOGIN,     DENIED,        DENIED,        DONE),
    ("axes.accessfailurelog:delete_selected",                  LOGIN,     DENIED,        DENIED,        DONE),
    ("profile: edit one's own",                                LOGIN,     DONE,          DONE,          DONE),
    ("profile: edit the editor's",                             LOGIN,     DONE,          DENIED,        DONE),
    ("people.profile:delete_selected",                         LOGIN,     DENIED,        DENIED,        DONE),
    ("editor: preview Markdown",                               DENIED,    DONE,          DENIED,        DONE),
    ("editor: upload an image",                                DENIED,    DONE,          DENIED,        DONE),
]  # fmt: skip
# Publishing revisions, on the "ready" article (its only claim approved, no sign-off yet). "signed off"
# rows start from a sign-off by the reviewer who approved its claim.
NO_SIGN_OFF = told("No medical sign-off for this draft")
DRAFT_CHANGED = told("The draft changed after you opened it")
NO_NOTE = told("Write the change note readers see")
NO_NOTICE = told("Write the notice readers see")
REVIEWERS_ONLY = told("Only medical reviewers can withdraw a published claim for review.")
PUBLICATION_ACTIONS = [
    ("article: sign off from the sign-off page",               LOGIN,     DENIED,        DONE,          DONE),
    ("article: sign off a draft changed since it was seen",    LOGIN,     DENIED,        DRAFT_CHANGED, DRAFT_CHANGED),
    ("article: publish a signed-off draft from the publish page", LOGIN,  DONE,          DENIED,        DONE),
    ("article: publish a draft not signed off from the publish page", LOGIN, NO_SIGN_OFF, DENIED,       NO_SIGN_OFF),
    ("article: schedule a signed-off draft",                   LOGIN,     DONE,          DENIED,        DONE),
    ("article: cancel a schedule",                             LOGIN,     DONE,          DENIED,        DONE),
    ("article: dismiss a suggested claim",                     LOGIN,     DENIED,        DONE,          DONE),
    ("article: cancel a schedule from the revisions page",     LOGIN,     DONE,          DENIED,        DONE),
    ("article: publish an earlier revision again",             LOGIN,     DONE,          DONE,          DONE),
    ("article: publish an earlier revision again, no note",    LOGIN,     NO_NOTE,       NO_NOTE,       NO_NOTE),
    ("article: withdraw a live claim urgently",                LOGIN,     REVIEWERS_ONLY, DONE,         DONE),
    ("article: withdraw a live claim urgently, no notice",     LOGIN,     NO_NOTICE,     NO_NOTICE,     NO_NOTICE),
    ("article: take its review from its page",                 LOGIN,     NO_REVIEWER_TO_ASSIGN, DONE,  DONE),
    ("article: assign its review to a reviewer",               LOGIN,     DONE,          DONE,          DONE),
]  # fmt: skip
# Comments between editors and reviewers. The world's thread is on a sentence of the draft, started by
# the reviewer who approved the claims (none of the roles): the editor is neither its starter nor, as it
# is on no claim, a claim's author, so only reviewers settle it; on the editor's claim the editor may too.
NOT_STARTER = told("Only the person who started this thread, the claim's author or a medical reviewer")
COMMENT_ACTIONS = [
    ("comment: start a thread on a claim",                     LOGIN,     DONE,          DONE,          DONE),
    ("comment: start a thread on a sentence of the draft",     LOGIN,     DONE,          DONE,          DONE),
    ("comment: reply in a thread",                             LOGIN,     DONE,          DONE,          DONE),
    ("comment: resolve someone else's thread on a sentence",   LOGIN,     NOT_STARTER,   DONE,          DONE),
    ("comment: resolve someone else's thread on one's claim",  LOGIN,     DONE,          DONE,          DONE),
    ("comment: reopen someone else's resolved thread",         LOGIN,     NOT_STARTER,   DONE,          DONE),
]  # fmt: skip
# Notifications: each staff member marks their own read (never another's) and chooses how they are told.
NOTIFICATION_ACTIONS = [
    ("notification: mark all one's own read",                  LOGIN,     DONE,          DONE,          DONE),
    ("notification: turn a kind off in one's settings",        LOGIN,     DONE,          DONE,          DONE),
]  # fmt: skip
ACTIONS = (
    ARTICLE_ACTIONS
    + ARTICLE_ARCHIVE_ACTIONS
    + CLAIM_ACTIONS
    + REFERENCE_ACTIONS
    + PUBLICATION_ACTIONS
    + COMMENT_ACTIONS
    + NOTIFICATION_ACTIONS
)


# ---------------------------------------------------------------------------------------------------
# SEPARATION_OF_DUTIES: permissions are not enough to decide on one's own work.
# ---------------------------------------------------------------------------------------------------

WROTE_IT = told("You wrote this claim: another reviewer must decide on it.")
CHANGED_IT = told("You made the last change to this claim: another reviewer must decide on it.")
NOT_IN_QUEUE = "not in their queue"  # the queue leaves out what the user wrote or last changed: nothing changes
WROTE_ARTICLE = told("another reviewer must review it.")
WROTE_IT_NOT_ASSIGNED = told("wrote this claim: assign another reviewer")
CHANGED_IT_NOT_ASSIGNED = told("made the last change to this claim: assign another reviewer")
WROTE_ARTICLE_NOT_ASSIGNED = told("wrote “A draft on stem cells, retitled”: assign another reviewer")

SEPARATION_OF_DUTIES = [
    # who                                      does                                        is refused
    ("editor who also reviews, wrote it",      "claim: approve (decide)",                  WROTE_IT),
    ("editor who also reviews, wrote it",      "claim: reject (decide)",                   WROTE_IT),
    ("editor who also reviews, wrote it",      "claims.claim:approve_selected",            WROTE_IT),
    ("editor who also reviews, wrote it",      "claims.claim:request_changes_selected",    WROTE_IT),
    ("editor who also reviews, wrote it",      "claims.reviewqueueclaim:approve_selected", NOT_IN_QUEUE),
    ("editor who also reviews, wrote it",      "article: sign off from the sign-off page", WROTE_ARTICLE),
    ("editor who also reviews, wrote it",      "article: dismiss a suggested claim",       WROTE_ARTICLE),
    # Not refused: pulling a claim only ever shows readers less, and republishing goes through its own checks.
    ("editor who also reviews, wrote it",      "article: withdraw a live claim urgently",  DONE),
    ("editor who also reviews, wrote it",      "article: publish an earlier revision again", DONE),
    ("superuser who wrote it",                 "claim: approve (decide)",                  WROTE_IT),
    ("superuser who wrote it",                 "claim: request changes (decide)",          WROTE_IT),
    ("superuser who wrote it",                 "claim: reject (decide)",                   WROTE_IT),
    ("superuser who wrote it",                 "claims.claim:approve_selected",            WROTE_IT),
    ("superuser who wrote it",                 "claims.claim:request_changes_selected",    WROTE_IT),
    ("superuser who wrote it",                 "claims.claim:reject_selected",             WROTE_IT),
    ("superuser who wrote it",                 "claims.reviewqueueclaim:approve_selected", NOT_IN_QUEUE),
    ("superuser who wrote it",                 "article: sign off from the sign-off page", WROTE_ARTICLE),
    ("superuser who last changed it",          "claim: approve (decide)",                  CHANGED_IT),
    ("superuser who last changed it",          "claims.claim:approve_selected",            CHANGED_IT),
    ("superuser who last changed it",          "claims.reviewqueueclaim:approve_selected", NOT_IN_QUEUE),
    ("reviewer who last changed it",           "claim: approve (decide)",                  CHANGED_IT),
    ("reviewer who last changed it",           "claims.claim:reject_selected",             CHANGED_IT),
    ("reviewer who last changed it",           "claims.reviewqueueclaim:approve_selected", NOT_IN_QUEUE),
    # Nobody is assigned what they could not decide on, by anyone.
    ("superuser who wrote it",                 "claim: take its review from its page",     WROTE_IT_NOT_ASSIGNED),
    ("reviewer who last changed it",           "claim: take its review from its page",     CHANGED_IT_NOT_ASSIGNED),
    ("editor who also reviews, wrote it",      "article: take its review from its page",   WROTE_ARTICLE_NOT_ASSIGNED),
    # Rewording a claim's sentence in the article changes the claim's words: its editor is its last changer.
    ("superuser who reworded it in the article",   "claim: approve (decide)",                  CHANGED_IT),
    ("superuser who reworded it in the article",   "claim: approve from the review queue (decide)", NOT_IN_QUEUE),
    ("superuser who reworded it in the article",   "claims.claim:approve_selected",            CHANGED_IT),
    ("superuser who reworded it in the article",   "claims.claim:approve_selected (all selected)", CHANGED_IT),
    ("superuser who reworded it in the article",   "claims.reviewqueueclaim:approve_selected", NOT_IN_QUEUE),
    ("editor and reviewer, reworded it in the article", "claim: approve (decide)",         CHANGED_IT),
    ("editor and reviewer, reworded it in the article", "claim: reject (decide)",          CHANGED_IT),
    ("editor and reviewer, reworded it in the article", "claims.claim:approve_selected",   CHANGED_IT),
    ("editor and reviewer, reworded it in the article", "claims.claim:approve_selected (all selected)", CHANGED_IT),
    ("editor and reviewer, reworded it in the article", "claim: approve from the review queue (decide)", NOT_IN_QUEUE),
]  # fmt: skip


# ---------------------------------------------------------------------------------------------------
# ARCHIVE_PERMISSION: archiving and restoring follow the archive permission, not the role's name.
# ---------------------------------------------------------------------------------------------------

ARCHIVE_PERMISSION = [
    # who                                       does                                       gets
    ("editor without the archive permission",   "article: archive from its delete page",   DENIED),
    ("editor without the archive permission",   "articles.article:archive_selected",       NOT_OFFERED),
    ("editor without the archive permission",   "article: restore from its page",          DENIED),
    ("editor without the archive permission",   "articles.article:restore_selected",       NOT_OFFERED),
    ("reviewer given the archive permission",   "article: restore from its page",          DONE),
    ("reviewer given the archive permission",   "articles.article:restore_selected",       DONE),
    ("reviewer given the archive permission",   "article: delete an archived one for good from its page", DENIED),
]  # fmt: skip


# ---------------------------------------------------------------------------------------------------
# The objects
# ---------------------------------------------------------------------------------------------------

COMMENT = "The trials were too small for this wording."
LOGIN_PATH = "/admin/login/"


@dataclass
class World:
    users: dict
    published: Article  # with an approved claim, tagged "stem cells" and "lungs"
    draft: Article  # two revisions; a pending, a draft and an orphaned claim
    ready: Article  # a draft whose only claim is approved
    archived: Article  # was published, tagged "stem cells", with an approved claim; archived by the author
    pending: Claim
    approved: Claim  # its first revision had another grade
    draft_claim: Claim
    orphan: Claim
    condition: Condition
    status: EvidenceStatus
    source: Source
    alert: EvidenceAlert  # the source retracted, raised on the approved claim
    thread: CommentThread  # on the draft's fourth sentence, started by the approver
    tag: Tag
    spare_user: object
    profile: Profile  # the editor's: they wrote the published article
    spare_profile: Profile  # the spare user's, who wrote and reviewed nothing
    spare_group: Group
    attempt: AccessAttempt
    access_log: AccessLog
    failure_log: AccessFailureLog

    def thing(self, name):
        """The object a PAGES row names, or the text that fills its address."""
        objects = {
            "draft": self.draft,
            "published": self.published,
            "archived": self.archived,
            "pending claim": self.pending,
            "approved claim": self.approved,
            "orphan": self.orphan,
            "condition": self.condition,
            "status": self.status,
            "source": self.source,
            "alert": self.alert,
            "thread": self.thread,
            "tag": self.tag,
            "profile": self.profile,
            "spare profile": self.spare_profile,
            "editor": self.users["editor"],
            "Editors": Group.objects.get(name="Editors"),
            "attempt": self.attempt,
            "access log": self.access_log,
            "failure log": self.failure_log,
        }
        if name == "live revision":
            return ArticleRevision.objects.get(article=self.published, is_live=True)
        if name == "live claim":
            return PublishedClaim.objects.get(revision__article=self.published, revision__is_live=True)
        return objects.get(name, name)


def build_world(*, author, users):
    """Every article and claim written by `author`; approvals by a reviewer who is none of the roles."""
    approver = EditorFactory(username="approver", group="Reviewers")
    condition = ConditionFactory(name="Idiopathic pulmonary fibrosis", slug="ipf")
    source = SourceFactory()
    published = ArticleFactory(author=author, title="A published article", slug="published-article")
    published.tags.add("stem cells", "lungs")
    draft = ArticleFactory(
        author=author, title="A draft on stem cells", slug="draft-article", status=Article.Status.DRAFT
    )
    draft.tags.add("stem cells")
    draft.title = "A draft on stem cells, retitled"
    draft.save()
    ready = ArticleFactory(author=author, title="Ready to publish", slug="ready-article", status=Article.Status.DRAFT)

    def claim(article, sentence, state=Claim.ReviewState.PENDING, **fields):
        return ClaimFactory(
            article=article, sentence=sentence, condition=condition, sources=[source], created_by=author,
            review_state=state, **fields,
        )  # fmt: skip

    def approve(claim, **changes):
        # As claim_decide leaves it, without its checks: building this for every test must stay cheap.
        approval = {"review_state": State.APPROVED, "reviewed_by": approver, "reviewed_at": timezone.now()}
        for field, value in {**changes, **approval}.items():
            setattr(claim, field, value)
        claim.save()
        return claim

    approved = approve(claim(published, 1, evidence_status=evidence("moderate")), evidence_status=evidence("limited"))
    make_live(published)  # readers see the claim approved
    approve(claim(ready, 1))
    # The other health claims of the factory's text, which name no condition here, are dismissed by a
    # reviewer, so that publishing is held only by what each test is about.
    for article in (published, ready):
        for suggestion in open_suggestions(article):
            SuggestionDismissal.objects.create(
                article=article, sentence=suggestion.text, reason="Not graded in these tests.", dismissed_by=approver
            )
    archived = ArticleFactory(author=author, title="An archived article on stem cells", slug="archived-article")
    archived.tags.add("stem cells")
    approve(claim(archived, 1))
    make_live(archived)
    archived = article_archive(article=archived, user=author)
    pending = claim(draft, 1)
    draft_claim = claim(draft, 2, Claim.ReviewState.DRAFT)
    orphan = claim(draft, 3)
    Claim.objects.filter(pk=orphan.pk).update(quote="Stem cells reverse all scarring.", is_orphaned=True)
    spare_user = UserFactory(username="spare")
    return World(
        users=users,
        published=published,
        draft=draft,
        ready=ready,
        archived=archived,
        pending=pending,
        approved=approved,
        draft_claim=draft_claim,
        orphan=Claim.objects.get(pk=orphan.pk),
        condition=condition,
        status=evidence("limited"),
        source=source,
        alert=retraction_alert(source, approved),
        thread=thread_start_on_sentence(
            article=draft, start=sentence_of(draft, 3).start, end=sentence_of(draft, 3).end, user=approver, body=COMMENT
        ),
        tag=Tag.objects.get(name="stem cells"),
        spare_user=spare_user,
        profile=profile_for(author),
        spare_profile=profile_for(spare_user),
        spare_group=Group.objects.create(name="Spare"),
        **sign_in_records(),
    )


def sentence_of(article, index):
    return article.sentences()[index]


def retraction_alert(source, claim):
    """An alert on the claim from a second source it cites: the published copies keep a source not retracted,
    so their grade still shows on the public listings."""
    retracted = SourceFactory()
    claim.sources.add(retracted)
    event = SourceEvent.objects.create(
        source=retracted, kind=SourceEvent.Kind.RETRACTION, date=datetime.date(2024, 3, 1)
    )
    return EvidenceAlert.objects.get_or_create(claim=claim, event=event)[0]


def sign_in_records():
    """One of each record the sign-in lockout keeps, as after a few wrong passwords."""
    seen = {"username": "someone", "ip_address": "203.0.113.9", "user_agent": "test", "path_info": "/admin/login/"}
    return {
        "attempt": AccessAttempt.objects.create(**seen, failures_since_start=2, get_data="", post_data=""),
        "access_log": AccessLog.objects.create(**seen),
        "failure_log": AccessFailureLog.objects.create(**seen),
    }


@pytest.fixture
def users(editor, reviewer, superuser):
    return {"anonymous": None, "editor": editor, "reviewer": reviewer, "superuser": superuser}


@pytest.fixture
def world(users, editor):
    return build_world(author=editor, users=users)


# ---------------------------------------------------------------------------------------------------
# The steps behind ACTIONS: each posts what the admin's own pages post, and says what DONE means.
# ---------------------------------------------------------------------------------------------------


@dataclass
class Step:
    run: object  # (client, world) -> list of responses
    done: object  # (world, user) -> True once the action took effect
    asks: str = ""  # words on the first page when the action asks for a comment first
    gives: str = ""  # words in the last answer when it is not a page to read (the editor's endpoints)
    prepare: object = None  # (world) -> None: what must have happened before, done before the snapshot


STEPS = {}


def step(name, *, done, asks="", gives="", prepare=None):
    def register(run):
        STEPS[name] = Step(run, done, asks, gives, prepare)
        return run

    return register


def changelist(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def bulk(model, action, pks):
    def run(client, world):
        return [client.post(changelist(model), {"action": action, "_selected_action": pks(world)})]

    return run


def bulk_confirmed(model, action, pks, confirm):
    """An action that shows a page first (a comment to give, or what deleting takes), then its confirmation."""

    def run(client, world):
        selected = {"action": action, "_selected_action": pks(world)}
        shown = client.post(changelist(model), selected)
        # A bulk decision is made on the claims as the confirmation page listed them.
        seen = seen_inputs(shown) if shown.status_code == 200 else {}
        return [shown, client.post(changelist(model), {**selected, **seen, **confirm})]

    return run


def decided(state, decision, comment=""):
    def done(world, user):
        claim = Claim.objects.get(pk=world.pending.pk)
        rows = list(ClaimDecision.objects.filter(claim=claim).values_list("decision", "actor", "comment"))
        actor = getattr(user, "pk", None)
        return (claim.review_state, claim.reviewed_by, rows) == (state, user, [(decision, actor, comment)])

    return done


def gone(model, attribute):
    return lambda world, user: not model.objects.filter(pk=getattr(world, attribute).pk).exists()


APPROVED = decided(State.APPROVED, Decision.APPROVED)
CHANGES_REQUESTED = decided(State.CHANGES_REQUESTED, Decision.CHANGES_REQUESTED, COMMENT)
REJECTED = decided(State.REJECTED, Decision.REJECTED, COMMENT)
ASKS_COMMENT = 'name="confirm" value="yes"'
WITH_COMMENT = {"confirm": "yes", "comment": COMMENT}
DELETE_CONFIRMED = {"post": "yes"}


def pending_pk(world):
    return [world.pending.pk]


def post_to(name, data, *args_of):
    def run(client, world):
        args = [getattr(world, attribute).pk for attribute in args_of]
        return [client.post(reverse(name, args=args), data(world) if callable(data) else data)]

    return run


def delete_page(name, attribute):
    def run(client, world):
        url = reverse(name, args=[getattr(world, attribute).pk])
        return [client.get(url), client.post(url, DELETE_CONFIRMED)]

    return run


# Articles


NEW_ARTICLE = {
    "title": "A new article",
    "slug": "a-new-article",
    "standfirst": "",
    "body": "Stem cells may help.",
    "tags": "",
    "status": "draft",
    "change_note": "",
    "_save": "Save",
}
step("article: create", done=lambda w, user: Article.objects.filter(slug="a-new-article", author=user).exists())(
    post_to("admin:articles_article_add", NEW_ARTICLE)
)
step("article: edit the draft's text", done=lambda w, user: Article.objects.get(pk=w.draft.pk).title == "Retitled")(
    post_to("admin:articles_article_change", lambda w: article_form_data(w.draft, title="Retitled"), "draft")
)


def saved_keeping_status(attribute, status):
    """The article was saved by the user (a new version of its text on record) and its status is unchanged."""

    def done(world, user):
        article = Article.objects.get(pk=getattr(world, attribute).pk)
        live = ArticleRevision.objects.filter(article=article, is_live=True).exists()
        saved_by = article.history.first().history_user
        return saved_by == user and article.status == status and live == (status == Article.Status.PUBLISHED)

    return done


step("article: post status published in a draft's form", done=saved_keeping_status("ready", Article.Status.DRAFT))(
    post_to("admin:articles_article_change", lambda w: article_form_data(w.ready, status="published"), "ready")
)
step(
    "article: post status draft in a live article's form",
    done=saved_keeping_status("published", Article.Status.PUBLISHED),
)(post_to("admin:articles_article_change", lambda w: article_form_data(w.published, status="draft"), "published"))
step(
    "article: import plain text",
    done=lambda w, user: Article.objects.filter(
        title="An imported article", author=user, status=Article.Status.DRAFT
    ).exists(),
)(post_to("admin:articles_article_import", {"text": "An imported article\n\nStem cells may help.\n", "slug": ""}))


@step(
    "article: revert the draft to its first revision",
    done=lambda w, user: Article.objects.get(pk=w.draft.pk).title == "A draft on stem cells",
)
def revert_article(client, world):
    first = world.draft.history.earliest()
    url = reverse("admin:articles_article_history_revert", args=[world.draft.pk, first.history_id])
    return [client.post(url)]


def archived_by_user(world, user):
    """The published article is archived by the user, out of public view, and its claim is kept."""
    article = Article.objects.get(pk=world.published.pk)
    hidden = not Article.objects.published().filter(pk=article.pk).exists()
    return article.archived_by == user and hidden and Claim.objects.filter(pk=world.approved.pk).exists()


def restored(world, user):
    return Article.objects.published().filter(pk=world.archived.pk).exists()


def purged(world, user):
    pk = world.archived.pk
    return not Article.objects.filter(pk=pk).exists() and not Claim.objects.filter(article_id=pk).exists()


ARCHIVED_LIST = "?archived=yes"  # actions apply to the articles listed: archived ones are listed on request
PURGE_CONFIRMED = {"confirm": "yes"}
ASKS_PURGE = "This cannot be undone."


def article_action(action, pks, query="", confirm=None):
    """An article list action, posted from the list as filtered by `query`; `confirm` posts its page's answer."""

    def run(client, world):
        url = changelist(Article) + query
        selected = {"action": action, "_selected_action": pks(world)}
        responses = [client.post(url, selected)]
        if confirm is not None:
            responses.append(client.post(url, {**selected, **confirm}))
        return responses

    return run


def purge_page(attribute):
    def run(client, world):
        url = reverse("admin:articles_article_purge", args=[getattr(world, attribute).pk])
        return [client.get(url), client.post(url, PURGE_CONFIRMED)]

    return run


step("article: archive from its delete page", done=archived_by_user)(
    delete_page("admin:articles_article_delete", "published")
)
step("articles.article:archive_selected", done=archived_by_user)(
    article_action("archive_selected", lambda w: [w.published.pk])
)
step("article: restore from its page", done=restored)(post_to("admin:articles_article_restore", {}, "archived"))
step("articles.article:restore_selected", done=restored)(
    article_action("restore_selected", lambda w: [w.archived.pk], ARCHIVED_LIST)
)
step("article: delete an archived one for good from its page", done=purged, asks=ASKS_PURGE)(purge_page("archived"))
step("articles.article:purge_selected", done=purged, asks=ASKS_PURGE)(
    article_action("purge_selected", lambda w: [w.archived.pk], ARCHIVED_LIST, PURGE_CONFIRMED)
)
step("article: delete a current one for good from its page", done=gone(Article, "published"))(purge_page("published"))
step("articles.article:purge_selected (a current article)", done=gone(Article, "published"))(
    article_action("purge_selected", lambda w: [w.published.pk], confirm=PURGE_CONFIRMED)
)
step("article: post Django's delete_selected action anyway", done=gone(Article, "published"))(
    article_action("delete_selected", lambda w: [w.published.pk], confirm=DELETE_CONFIRMED)
)

# Claims


def new_claim_data(world):
    sentence = world.draft.sentences()[4]
    return {
        "sentence": sentence_value(sentence),
        "part": "",
        "condition": world.condition.pk,
        "evidence_status": world.status.pk,
        "sources": [world.source.pk],
        "new_sources": "",
        "explanation": "One small trial.",
        "reviewer_note": "",
        "_save": "Save",
    }


@step(
    "claim: create on a sentence",
    done=lambda w, user: Claim.objects.filter(
        article=w.draft, quote=w.draft.sentences()[4].text, created_by=user, review_state=State.DRAFT
    ).exists(),
)
def create_claim(client, world):
    url = reverse("admin:claims_claim_add") + f"?article={world.draft.pk}"
    return [client.post(url, new_claim_data(world))]


def edited(world, user):
    claim = Claim.objects.get(pk=world.pending.pk)
    return claim.explanation == "Reworded." and claim.last_changed_by == user


step("claim: edit a pending claim", done=edited)(
    post_to("admin:claims_claim_change", lambda w: claim_form_data(w.pending, explanation="Reworded."), "pending")
)


def approval_withdrawn(world, user):
    claim = Claim.objects.get(pk=world.approved.pk)
    withdrawn = claim.decisions.filter(decision=Decision.WITHDRAWN, actor=user).exists()
    return claim.evidence_status.slug == "strong" and claim.review_state == State.PENDING and withdrawn


step("claim: change an approved claim's grade", done=approval_withdrawn)(
    post_to(
        "admin:claims_claim_change",
        lambda w: claim_form_data(w.approved, evidence_status=str(evidence("strong").pk)),
        "approved",
    )
)


@step("claim: restore an earlier revision", done=lambda w, user: False)
def restore_claim(client, world):
    first = world.approved.history.earliest()  # graded "moderate"; the reviewer approved "limited"
    data = claim_form_data(world.approved, evidence_status=str(first.evidence_status_id))
    url = reverse("admin:claims_claim_simple_history", args=[world.approved.pk, first.history_id])
    return [client.post(url, data)]


def submitted(world, user):
    claim = Claim.objects.get(pk=world.draft_claim.pk)
    rows = list(ClaimDecision.objects.filter(claim=claim).values_list("decision", "actor"))
    return claim.review_state == State.PENDING and rows == [(Decision.SUBMITTED, getattr(user, "pk", None))]


step("claim: submit from the claim form", done=submitted)(
    post_to(
        "admin:claims_claim_change",
        lambda w: claim_form_data(w.draft_claim, submit_for_review="on"),
        "draft_claim",
    )
)
step("claims.claim:submit_selected", done=submitted)(bulk(Claim, "submit_selected", lambda w: [w.draft_claim.pk]))
step("claim: approve (decide)", done=APPROVED)(
    post_to(
        "admin:claims_claim_decide", lambda w: {"decision": Decision.APPROVED, "seen": seen_now(w.pending)}, "pending"
    )
)
step("claim: request changes (decide)", done=CHANGES_REQUESTED)(
    post_to(
        "admin:claims_claim_decide",
        lambda w: {"decision": Decision.CHANGES_REQUESTED, "comment": COMMENT, "seen": seen_now(w.pending)},
        "pending",
    )
)
step("claim: reject (decide)", done=REJECTED)(
    post_to(
        "admin:claims_claim_decide",
        lambda w: {"decision": Decision.REJECTED, "comment": COMMENT, "seen": seen_now(w.pending)},
        "pending",
    )
)


@step("claim: approve from the review queue (decide)", done=APPROVED)
def decide_in_queue(client, world):
    data = {"decision": Decision.APPROVED, "seen": seen_now(world.pending)}
    return [client.post(f"{changelist(ReviewQueueClaim)}{world.pending.pk}/decide/", data)]


for _model in (Claim, ReviewQueueClaim):
    _label = _model._meta.label_lower
    step(f"{_label}:approve_selected", done=APPROVED, asks=ASKS_COMMENT)(
        bulk_confirmed(_model, "approve_selected", pending_pk, {"confirm": "yes"})
    )
    step(f"{_label}:approve_selected (all selected)", done=APPROVED, asks=ASKS_COMMENT)(
        bulk_confirmed(_model, "approve_selected", pending_pk, {"confirm": "yes", "select_across": "1"})
    )
    step(f"{_label}:request_changes_selected", done=CHANGES_REQUESTED, asks=ASKS_COMMENT)(
        bulk_confirmed(_model, "request_changes_selected", pending_pk, WITH_COMMENT)
    )
    step(f"{_label}:reject_selected", done=REJECTED, asks=ASKS_COMMENT)(
        bulk_confirmed(_model, "reject_selected", pending_pk, WITH_COMMENT)
    )

step("claim: delete a pending claim", done=gone(Claim, "pending"))(delete_page("admin:claims_claim_delete", "pending"))
step("claim: delete an approved claim", done=gone(Claim, "approved"))(
    delete_page("admin:claims_claim_delete", "approved")
)
step("claims.claim:delete_selected (an approved claim)", done=gone(Claim, "approved"))(
    bulk_confirmed(Claim, "delete_selected", lambda w: [w.approved.pk], DELETE_CONFIRMED)
)
step("claim: delete an orphaned claim", done=gone(Claim, "orphan"))(
    delete_page("admin:claims_orphanedclaim_delete", "orphan")
)
step("claims.orphanedclaim:delete_selected", done=gone(Claim, "orphan"))(
    bulk_confirmed(OrphanedClaim, "delete_selected", lambda w: [w.orphan.pk], DELETE_CONFIRMED)
)


def assigned(target, *, to=None, by=None):
    """DONE: the world's `target` ("pending" claim or "draft" article) has an open assignment to `to` (the user
    acting when None), given by `by` (the user acting when None)."""

    def done(world, user):
        reviewer = get_user_model().objects.get(username=to) if to else user
        current = Assignment.objects.open().filter(reviewer=reviewer, assigned_by=by or user)
        return (
            current.filter(claim=world.pending).exists()
            if target == "pending"
            else current.filter(article=world.draft).exists()
        )

    return done


def due_in(days):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def assign_to_approver(data_days):
    return lambda w: {
        "reviewer": str(get_user_model().objects.get(username="approver").pk),
        "due_on": due_in(data_days),
    }


step("claim: take its review from its page", done=assigned("pending"))(
    post_to("admin:claims_claim_assign", {"take": "page"}, "pending")
)


@step("claim: take its review from the review queue", done=assigned("pending"))
def take_in_queue(client, world):
    return [client.post(f"{changelist(ReviewQueueClaim)}{world.pending.pk}/assign/", {"take": "queue"})]


step("claim: assign its review to a reviewer", done=assigned("pending", to="approver"))(
    post_to("admin:claims_claim_assign", assign_to_approver(7), "pending")
)
step("claim: assign its review, due in the past", done=lambda w, user: False)(
    post_to("admin:claims_claim_assign", assign_to_approver(-1), "pending")
)
step("article: take its review from its page", done=assigned("draft"))(
    post_to("admin:articles_articlerevision_assign", {"take": "page"}, "draft")
)
step("article: assign its review to a reviewer", done=assigned("draft", to="approver"))(
    post_to("admin:articles_articlerevision_assign", assign_to_approver(7), "draft")
)

# Conditions, evidence statuses, sources, tags, accounts


def condition_data(**fields):
    data = {"name": "", "slug": "", "icd10_code": "", "mesh_id": "", "synonyms": "", "description": "", "_save": "Save"}
    return {**data, **fields}


step("condition: create", done=lambda w, user: Condition.objects.filter(slug="systemic-sclerosis").exists())(
    post_to("admin:claims_condition_add", condition_data(name="Systemic sclerosis", slug="systemic-sclerosis"))
)
step("condition: edit", done=lambda w, user: Condition.objects.get(pk=w.condition.pk).name == "Lung fibrosis")(
    post_to("admin:claims_condition_change", condition_data(name="Lung fibrosis", slug="ipf"), "condition")
)
step("condition: delete one in use", done=gone(Condition, "condition"))(
    delete_page("admin:claims_condition_delete", "condition")
)
step("claims.condition:delete_selected", done=gone(Condition, "condition"))(
    bulk_confirmed(Condition, "delete_selected", lambda w: [w.condition.pk], DELETE_CONFIRMED)
)
NEW_STATUS = {
    "name": "Conflicting evidence",
    "slug": "conflicting",
    "rank": "45",
    "symbol": "⇄",
    "badge_text": "Conflicting evidence",
    "tone": "uncertain",
    "wording_strength": "1",
    "is_rated": "on",
    "description": "Good studies disagree.",
    "wording_guidance": "",
    "_save": "Save",
}
step("evidence status: create", done=lambda w, user: EvidenceStatus.objects.filter(slug="conflicting").exists())(
    post_to("admin:claims_evidencestatus_add", NEW_STATUS)
)


@step(
    "evidence status: re-order in the list", done=lambda w, user: EvidenceStatus.objects.get(pk=w.status.pk).rank == 99
)
def reorder_statuses(client, world):
    rows = {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-0-id": world.status.pk, "form-0-rank": "99"}
    rows["form-0-wording_strength"] = world.status.wording_strength
    return [client.post(changelist(EvidenceStatus), {**rows, "_save": "Save"})]


step("evidence status: delete one in use", done=gone(EvidenceStatus, "status"))(
    delete_page("admin:claims_evidencestatus_delete", "status")
)
step("claims.evidencestatus:delete_selected", done=gone(EvidenceStatus, "status"))(
    bulk_confirmed(EvidenceStatus, "delete_selected", lambda w: [w.status.pk], DELETE_CONFIRMED)
)
step("source: create", done=lambda w, user: Source.objects.filter(kind="pmid", identifier="29298160").exists())(
    post_to("admin:claims_source_add", {"kind": "", "identifier": "PMID: 29298160", "title": "", "year": ""})
)
step("source: edit", done=lambda w, user: Source.objects.get(pk=w.source.pk).title == "Retitled trial")(
    post_to(
        "admin:claims_source_change",
        lambda w: {"kind": w.source.kind, "identifier": w.source.identifier, "title": "Retitled trial", "year": "2014"},
        "source",
    )
)


def repointed(world, user):
    """The source names another study, and the approved claim citing it went back to review, withdrawn by `user`."""
    claim = Claim.objects.get(pk=world.approved.pk)
    withdrawn = claim.decisions.filter(decision=Decision.WITHDRAWN, actor=user, comment__contains="PMID 29298160")
    return (
        Source.objects.get(pk=world.source.pk).identifier == "29298160"
        and claim.review_state == State.PENDING
        and claim.last_changed_by == user
        and withdrawn.exists()
    )


step("source: repoint one an approved claim cites", done=repointed)(
    post_to(
        "admin:claims_source_change",
        lambda w: {"kind": "pmid", "identifier": "29298160", "title": w.source.title, "year": w.source.year or ""},
        "source",
    )
)
step("source: delete one a claim cites", done=gone(Source, "source"))(
    delete_page("admin:claims_source_delete", "source")
)
step("claims.source:delete_selected", done=gone(Source, "source"))(
    bulk_confirmed(Source, "delete_selected", lambda w: [w.source.pk], DELETE_CONFIRMED)
)
# Look-ups are off in tests: asking again records that they are.
step(
    "claims.source:look_up_again",
    done=lambda w, user: SourceRecord.objects.filter(source=w.source, outcome=Outcome.OFF).exists(),
)(bulk(Source, "look_up_again", lambda w: [w.source.pk]))


def looked_up_title(world):
    """The source's title typed by hand, and a look-up that found another."""
    SourceRecord.objects.create(
        source=world.source, outcome=Outcome.LOOKED_UP, looked_up_at=timezone.now(), title="The looked-up title"
    )
    Source.objects.filter(pk=world.source.pk).update(hand_set=["title"])


step(
    "source: take a looked-up title over a typed one",
    done=lambda w, user: Source.objects.get(pk=w.source.pk).title == "The looked-up title",
    prepare=looked_up_title,
)(post_to("admin:claims_source_take", {"field": "title"}, "source"))


def alert_resolved(how):
    def done(world, user):
        alert = EvidenceAlert.objects.get(pk=world.alert.pk)
        return (alert.resolution, alert.resolved_by) == (how, user)

    return done


step("evidence alert: keep the claim, with a reason", done=alert_resolved("kept"))(
    post_to("admin:claims_evidencealert_resolve", {"how": "kept", "reason": "Other trials agree."}, "alert")
)
step(
    "evidence alert: withdraw the live claim urgently",
    done=lambda w, user: (
        alert_resolved("withdrawn")(w, user)
        and PublishedClaim.objects.filter(
            claim=w.approved, revision__is_live=True, under_review_since__isnull=False
        ).exists()
    ),
)(post_to("admin:claims_evidencealert_resolve", {"how": "withdrawn", "reason": ""}, "alert"))


def notify_everyone(world):
    for role, user in world.users.items():
        if user is not None:
            notify(Kind.COMMENT, [user], text="A comment on your claim", url="/admin/", key=f"matrix:{role}")


def own_read(world, user):
    mine = Notification.objects.filter(recipient=user)
    others_unread = Notification.objects.exclude(recipient=user).filter(read_at__isnull=True)
    return mine.exists() and not mine.filter(read_at__isnull=True).exists() and others_unread.exists()


step("notification: mark all one's own read", done=own_read, prepare=notify_everyone)(
    post_to("admin:notifications_notification_read", {})
)
step(
    "notification: turn a kind off in one's settings",
    done=lambda w, user: notification_preference(user, Kind.APPROVED) == Delivery.OFF,
)(
    post_to(
        "admin:notifications_notification_preferences",
        {kind.value: Delivery.DIGEST for kind in Kind} | {Kind.APPROVED.value: Delivery.OFF},
    )
)

MERGE_TAGS = reverse("admin:taggit_tag_merge_tags")
MERGED = {"new_tag_name": "regenerative medicine"}


def tags_merged(world, user):
    return set(world.published.tags.names()) == {"regenerative medicine"}


def tag_pks(world):
    return list(Tag.objects.filter(name__in=["stem cells", "lungs"]).values_list("pk", flat=True))


@step("taggit.tag:render_tag_form (merge tags)", done=tags_merged)
def merge_tags(client, world):
    chosen = client.post(changelist(Tag), {"action": "render_tag_form", "_selected_action": tag_pks(world)})
    return [chosen, client.post(MERGE_TAGS, MERGED)]


@step("tag: post the merge page directly", done=tags_merged)
def merge_tags_directly(client, world):
    session = client.session
    session["selected_tag_ids"] = ",".join(map(str, tag_pks(world)))
    session.save()
    return [client.post(MERGE_TAGS, MERGED)]


step("taggit.tag:delete_selected", done=gone(Tag, "tag"))(
    bulk_confirmed(Tag, "delete_selected", lambda w: [w.tag.pk], DELETE_CONFIRMED)
)


@step(
    "user: add the editor to the Reviewers group",
    done=lambda w, user: w.users["editor"].groups.filter(name="Reviewers").exists(),
)
def promote_editor(client, world):
    editor = world.users["editor"]
    data = {
        "username": editor.username,
        "first_name": editor.first_name,
        "last_name": editor.last_name,
        "email": editor.email,
        "is_active": "on",
        "is_staff": "on",
        "groups": list(Group.objects.filter(name__in=["Editors", "Reviewers"]).values_list("pk", flat=True)),
        "date_joined_0": editor.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": editor.date_joined.strftime("%H:%M:%S"),
        "_save": "Save",
    }
    return [client.post(reverse("admin:auth_user_change", args=[editor.pk]), data)]


step("auth.user:delete_selected", done=gone(get_user_model(), "spare_user"))(
    bulk_confirmed(get_user_model(), "delete_selected", lambda w: [w.spare_user.pk], DELETE_CONFIRMED)
)
PROFILE_DATA = {
    "display_name": "Dr Sam Okafor",
    "credentials": "MD, MRCP",
    "specialty": "Respiratory medicine",
    "bio": "Writes about lungs.",
    "conflicts_of_interest": "",
}


def own_profile(world, user):
    """The profile of the user acting (the editor's for someone signed out: the sign-in page answers first)."""
    return Profile.objects.get(user=user) if user is not None else world.profile


def profiles_for_everyone(world):
    for user in world.users.values():
        if user is not None:  # read again: a profile made for an earlier role was rolled back with it
            profile_for(get_user_model().objects.get(pk=user.pk))


def edit_own_profile(client, world):
    user_id = client.session.get("_auth_user_id")
    profile = Profile.objects.get(user_id=user_id) if user_id else world.profile
    return [client.post(reverse("admin:people_profile_change", args=[profile.pk]), PROFILE_DATA)]


step(
    "profile: edit one's own",
    done=lambda w, user: own_profile(w, user).credentials == "MD, MRCP",
    prepare=profiles_for_everyone,
)(edit_own_profile)
step("profile: edit the editor's", done=lambda w, user: Profile.objects.get(pk=w.profile.pk).credentials == "MD, MRCP")(
    post_to("admin:people_profile_change", PROFILE_DATA, "profile")
)
step("people.profile:delete_selected", done=gone(Profile, "spare_profile"))(
    bulk_confirmed(Profile, "delete_selected", lambda w: [w.spare_profile.pk], DELETE_CONFIRMED)
)
step("auth.group:delete_selected", done=gone(Group, "spare_group"))(
    bulk_confirmed(Group, "delete_selected", lambda w: [w.spare_group.pk], DELETE_CONFIRMED)
)
step("axes.accessattempt:delete_selected (lift a lockout)", done=gone(AccessAttempt, "attempt"))(
    bulk_confirmed(AccessAttempt, "delete_selected", lambda w: [w.attempt.pk], DELETE_CONFIRMED)
)
step("axes.accessattempt:cleanup_expired_attempts", done=lambda world, user: True)(
    bulk(AccessAttempt, "cleanup_expired_attempts", lambda w: [w.attempt.pk])
)
step("axes.accesslog:delete_selected", done=gone(AccessLog, "access_log"))(
    bulk_confirmed(AccessLog, "delete_selected", lambda w: [w.access_log.pk], DELETE_CONFIRMED)
)
step("axes.accessfailurelog:delete_selected", done=gone(AccessFailureLog, "failure_log"))(
    bulk_confirmed(AccessFailureLog, "delete_selected", lambda w: [w.failure_log.pk], DELETE_CONFIRMED)
)

# Publishing revisions


def publication(name, article):
    return reverse(f"admin:articles_articlerevision_{name}", args=[article.pk])


def signed_off(world):
    """The ready article signed off by the reviewer who approved its claim: neither its author nor last editor."""
    approver = get_user_model().objects.get(username="approver")
    article_sign_off(article=world.ready, reviewer=approver, seen_digest=draft_digest(world.ready))


def scheduled(world):
    signed_off(world)
    article_publish(article=world.ready, user=world.ready.author, at=timezone.now() + timezone.timedelta(days=1))


def signed_off_by(world, user):
    return ArticleRevision.objects.filter(article=world.ready, signed_off_by=user).exists()


def made_live(world, user):
    live = ArticleRevision.objects.filter(article=world.ready, is_live=True, published_by=user).exists()
    return live and Article.objects.get(pk=world.ready.pk).status == Article.Status.PUBLISHED


def scheduled_by(world, user):
    return ArticleRevision.objects.filter(article=world.ready, scheduled_by=user, is_live=False).exists()


def unscheduled(world, user):
    return not ArticleRevision.objects.scheduled().filter(article=world.ready).exists()


READY_SENTENCE = 2  # "Stem-cell infusions may be safe in small early trials.", which carries no claim


def dismissal(world):
    sentence = world.ready.sentences()[READY_SENTENCE]
    number = sentence.index + 1
    return {"sentence_number": number, f"sentence-{number}": sentence.text, f"reason-{number}": "Reports a trial."}


def dismissed_by(world, user):
    return SuggestionDismissal.objects.filter(article=world.ready, dismissed_by=user).exists()


step("article: sign off from the sign-off page", done=signed_off_by)(
    post_to("admin:articles_articlerevision_sign_off", lambda w: {"seen_digest": draft_digest(w.ready)}, "ready")
)
step("article: sign off a draft changed since it was seen", done=signed_off_by)(
    post_to("admin:articles_articlerevision_sign_off", {"seen_digest": "seen-before-a-change"}, "ready")
)
step("article: publish a signed-off draft from the publish page", done=made_live, prepare=signed_off)(
    post_to("admin:articles_articlerevision_publish", {"change_note": "", "publish_at": ""}, "ready")
)
step("article: publish a draft not signed off from the publish page", done=made_live)(
    post_to("admin:articles_articlerevision_publish", {"change_note": "", "publish_at": ""}, "ready")
)


@step("article: schedule a signed-off draft", done=scheduled_by, prepare=signed_off)
def schedule(client, world):
    when = timezone.localtime() + timezone.timedelta(days=1)
    return [
        client.post(publication("publish", world.ready), {"change_note": "", "publish_at": f"{when:%Y-%m-%dT%H:%M}"})
    ]


@step("article: cancel a schedule", done=unscheduled, prepare=scheduled)
def cancel_schedule(client, world):
    revision = ArticleRevision.objects.scheduled().get(article=world.ready)
    return [client.post(publication("cancel_schedule", world.ready), {"revision": revision.pk})]


step("article: dismiss a suggested claim", done=dismissed_by)(
    post_to("admin:articles_articlerevision_dismiss_suggestion", dismissal, "ready")
)


@step("article: cancel a schedule from the revisions page", done=unscheduled, prepare=scheduled)
def cancel_schedule_from_revisions(client, world):
    revision = ArticleRevision.objects.scheduled().get(article=world.ready)
    data = {"revision": revision.pk, "back": "revisions"}
    return [client.post(publication("cancel_schedule", world.ready), data)]


def published_twice(world):
    """The ready article published (revision 1), then retitled, signed off and published again (revision 2)."""
    signed_off(world)
    article_publish(article=world.ready, user=world.ready.author)
    ready = Article.objects.get(pk=world.ready.pk)
    ready.title = "Ready to publish, retitled"
    article_update(article=ready, user=ready.author)
    approver = get_user_model().objects.get(username="approver")
    article_sign_off(article=ready, reviewer=approver, seen_digest=draft_digest(Article.objects.get(pk=ready.pk)))
    article_publish(article=Article.objects.get(pk=ready.pk), user=ready.author, change_note="Retitled.")


def republished_by(world, user):
    live = ArticleRevision.objects.get(article=world.ready, is_live=True)
    return (live.number, live.title, live.published_by) == (3, "Ready to publish", user)


def republish(note):
    def run(client, world):
        first = ArticleRevision.objects.get(article=world.ready, number=1)
        url = reverse("admin:articles_articlerevision_republish", args=[first.pk])
        return [client.get(url), client.post(url, {"change_note": note})]

    return run


step("article: publish an earlier revision again", done=republished_by, prepare=published_twice)(
    republish("Back to the first title.")
)
step("article: publish an earlier revision again, no note", done=republished_by, prepare=published_twice)(republish(""))

NOTICE = "The trial behind this grade was retracted."


def live_with_its_claim_approved(world):
    published(world.published)  # readers see the approved claim's grade


def withdrawn_by(world, user):
    live = ArticleRevision.objects.get(article=world.published, is_live=True)
    copy = PublishedClaim.objects.get(revision=live)
    return live.published_by == user and copy.under_review_notice == NOTICE and copy.under_review_since is not None


def withdraw(notice):
    def run(client, world):
        copy = PublishedClaim.objects.get(revision__article=world.published, revision__is_live=True)
        url = reverse("admin:articles_articlerevision_withdraw", args=[copy.pk])
        return [client.get(url), client.post(url, {"notice": notice})]

    return run


step("article: withdraw a live claim urgently", done=withdrawn_by, prepare=live_with_its_claim_approved)(
    withdraw(NOTICE)
)
step("article: withdraw a live claim urgently, no notice", done=withdrawn_by, prepare=live_with_its_claim_approved)(
    withdraw("")
)

# The Markdown editor's endpoints, called as its script calls them
EDITOR_REQUEST = {"x-requested-with": "XMLHttpRequest"}
PREVIEWED = "Stem cells **may** help."
# The smallest valid GIF: one transparent pixel.
GIF_BYTES = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


@step("editor: preview Markdown", done=lambda w, user: True, gives=render_markdown(PREVIEWED))
def preview(client, world):
    return [client.post(reverse("markdownx_markdownify"), {"content": PREVIEWED}, headers=EDITOR_REQUEST)]


def uploaded(world, user):
    return any(path.suffix == ".gif" for path in Path(settings.MEDIA_ROOT).rglob("*"))


@step("editor: upload an image", done=uploaded, gives="image_code")
def upload(client, world):
    image = SimpleUploadedFile("pixel.gif", GIF_BYTES, content_type="image/gif")
    return [client.post(reverse("markdownx_upload"), {"image": image}, headers=EDITOR_REQUEST)]


# Comments

REPLY = "Which trial do you mean?"


def started(world, user, **where):
    return CommentThread.objects.filter(created_by=user, comments__body=REPLY, **where).exists()


def settled(resolved):
    def done(world, user):
        thread = CommentThread.objects.get(pk=world.thread.pk)
        return thread.resolved_by == (user if resolved else None) and (thread.resolved_at is not None) == resolved

    return done


def thread_on_pending_claim(world):
    """Replaces the world's thread by one the approver started on the editor's pending claim."""
    world.thread = thread_start_on_claim(claim=world.pending, user=world.approved.reviewed_by, body=COMMENT)


def resolved_by_approver(world):
    world.thread = thread_resolve(thread=world.thread, user=world.approved.reviewed_by)


step("comment: start a thread on a claim", done=lambda w, user: started(w, user, claim=w.pending))(
    post_to("admin:claims_commentthread_start_on_claim", {"body": REPLY}, "pending")
)
step(
    "comment: start a thread on a sentence of the draft",
    done=lambda w, user: started(w, user, article=w.draft, claim=None, quote=sentence_of(w.draft, 4).text),
)(
    post_to(
        "admin:claims_commentthread_start_on_sentence",
        lambda w: {"body": REPLY, "sentence": sentence_value(sentence_of(w.draft, 4))},
        "draft",
    )
)
step(
    "comment: reply in a thread",
    done=lambda w, user: Comment.objects.filter(thread=w.thread, author=user, body=REPLY).exists(),
)(post_to("admin:claims_commentthread_reply", {"body": REPLY}, "thread"))
step("comment: resolve someone else's thread on a sentence", done=settled(True))(
    post_to("admin:claims_commentthread_resolve", {}, "thread")
)
step("comment: resolve someone else's thread on one's claim", done=settled(True), prepare=thread_on_pending_claim)(
    post_to("admin:claims_commentthread_resolve", {}, "thread")
)
step("comment: reopen someone else's resolved thread", done=settled(False), prepare=resolved_by_approver)(
    post_to("admin:claims_commentthread_reopen", {}, "thread")
)


# ---------------------------------------------------------------------------------------------------
# Reading the answers
# ---------------------------------------------------------------------------------------------------


def outcome(response):
    if response.status_code == 302:
        return LOGIN if urlsplit(response["Location"]).path == LOGIN_PATH else MOVED
    return response.status_code


def page_text(response):
    if response.streaming:
        return ""
    return response.content.decode(errors="replace")


def words_shown(responses):
    """Messages the admin gave and the text of every page answered."""
    messages = [str(message) for response in responses for message in get_messages(response.wsgi_request)]
    return messages + [page_text(response) for response in responses]


WATCHED = [
    Article,
    Article.history.model,
    Claim,
    Claim.history.model,
    ClaimDecision,
    Claim.sources.through,
    Condition,
    EvidenceStatus,
    Source,
    Tag,
    TaggedItem,
    get_user_model(),
    get_user_model().groups.through,
    Group,
    LogEntry,
    AccessAttempt,
    AccessLog,
    AccessFailureLog,
    ArticleRevision,
    SuggestionDismissal,
    PublishedClaim,
    Assignment,
    Profile,
    CommentThread,
    Comment,
    Notification,
    NotificationPreference,
]


def snapshot():
    """Every row a write could touch, and the uploaded files."""
    state = {model._meta.label: list(model._base_manager.order_by("pk").values()) for model in WATCHED}
    state["uploads"] = sorted(str(path) for path in Path(settings.MEDIA_ROOT).rglob("*"))
    return state


def changed(before, after):
    return [table for table in before if before[table] != after[table]]


def fill(template, world, name):
    """The address of a row: placeholders taken from the named object."""
    thing = world.thing(name) if name else None
    if isinstance(thing, str):  # an app label or a made-up address
        return re.sub(r"<\w+>", thing, template)
    if thing is None:
        return template
    values = {
        "<id>": thing.pk,
        "<type_id>": ContentType.objects.get_for_model(thing).pk,
        "<slug>": getattr(thing, "slug", ""),
    }
    if "<history_id>" in template:
        values["<history_id>"] = thing.history.earliest().history_id
    for placeholder, value in values.items():
        template = template.replace(placeholder, str(value))
    return template


def admin_request(user):
    request = RequestFactory().get("/admin/")
    request.user = user or AnonymousUser()
    return request


def offered(name, user):
    """Whether the admin offers the action of an "app.model:action" row to the user."""
    label, action = name.split(" (")[0].split(":")
    return action in admin.site._registry[apps.get_model(label)].get_actions(admin_request(user))


def in_queue(claim, user):
    queue = admin.site._registry[ReviewQueueClaim]
    return queue.get_queryset(admin_request(user)).filter(pk=claim.pk).exists()


def signed_in(user, client=None):
    client = client or Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


# ---------------------------------------------------------------------------------------------------
# The tests
# ---------------------------------------------------------------------------------------------------


PAGES = [("/admin/" + address, *cells) for address, *cells in ADMIN_PAGES] + PUBLIC_PAGES


@pytest.mark.parametrize("role", ROLES)
def test_what_each_page_answers(world, role):
    client = signed_in(world.users[role])
    column = ROLES.index(role)
    expected, actual = {}, {}
    for address, thing, *outcomes in PAGES:
        row = f"{address} [{thing}]"
        expected[row] = outcomes[column]
        actual[row] = outcome(client.get(fill(address, world, thing)))

    assert actual == expected


def test_public_listings_never_show_the_draft_or_the_archived_article_to_anyone(world):
    left_out = ["draft-article", "A draft on stem cells", "archived-article", "An archived article"]
    expected, actual = {}, {}
    for address in LISTINGS:
        url = fill(address, world, "tag" if "/tags/" in address else "condition")
        for role in ROLES:
            text = page_text(signed_in(world.users[role]).get(url))
            expected[f"{url} as {role}"] = "the published article only"
            actual[f"{url} as {role}"] = (
                "the published article only"
                if "published-article" in text and not any(words in text for words in left_out)
                else text
            )

    assert actual == expected


@pytest.mark.parametrize(("name", "expected"), [pytest.param(name, cells, id=name) for name, *cells in ACTIONS])
def test_what_each_action_does(world, settings, tmp_path, name, expected):
    actual = {}
    for role, outcome_expected in zip(ROLES, expected, strict=True):
        settings.MEDIA_ROOT = tmp_path / role
        undo = transaction.savepoint()  # each role acts on the same untouched objects
        actual[role] = attempt(name, signed_in(world.users[role]), world, world.users[role], outcome_expected)
        transaction.savepoint_rollback(undo)

    assert actual == dict(zip(ROLES, expected, strict=True))


def cast(who, users):
    """The actor of a separation-of-duties row, who wrote the world, and how the actor edits the claim first."""
    if who.startswith(("editor who also reviews", "editor and reviewer")):
        actor = EditorFactory(username="editor-reviewer")
        actor.groups.add(Group.objects.get(name="Reviewers"))
    elif who.startswith("superuser"):
        actor = UserFactory(username="chief", is_superuser=True)
    else:
        actor = users[who.split(" ", 1)[0]]
    if who.endswith("wrote it"):
        return actor, actor, None
    return actor, users["editor"], "article" if who.endswith("in the article") else "claim form"


def reword_in_the_article(client, world):
    """Change one word of the pending claim's sentence through the article's own form."""
    claim, article = Claim.objects.get(pk=world.pending.pk), Article.objects.get(pk=world.draft.pk)
    first, rest = claim.quote.split(" ", 1)
    body = article.body.replace(claim.quote, f"{first} clearly {rest}")
    url = reverse("admin:articles_article_change", args=[article.pk])
    assert client.post(url, article_form_data(article, body=body)).status_code == 302


@pytest.mark.parametrize(
    ("who", "name", "refusal"), SEPARATION_OF_DUTIES, ids=[f"{row[0]} / {row[1]}" for row in SEPARATION_OF_DUTIES]
)
def test_nobody_decides_on_their_own_work(users, settings, tmp_path, who, name, refusal):
    settings.MEDIA_ROOT = tmp_path
    actor, author, edits_first = cast(who, users)
    world = build_world(author=author, users=users)
    client = signed_in(actor)
    if edits_first == "claim form":
        STEPS["claim: edit a pending claim"].run(client, world)
    elif edits_first == "article":
        reword_in_the_article(client, world)
    if edits_first:
        edited = Claim.objects.get(pk=world.pending.pk)
        assert edited.last_changed_by == actor and not edited.is_orphaned
        assert edited.history.first().history_user == actor

    assert attempt(name, client, world, actor, refusal) == refusal


def permission_holder(who):
    """An editor whose group lacks the archive permission, or a reviewer given it and nothing else."""
    archive = Permission.objects.get(content_type__app_label="articles", codename="archive_article")
    if who == "editor without the archive permission":
        group = Group.objects.create(name="Editors who cannot archive")
        group.permissions.set(Group.objects.get(name="Editors").permissions.exclude(pk=archive.pk))
        return UserFactory(username="no-archive", group=group.name)
    actor = ReviewerFactory(username="archivist")
    actor.user_permissions.add(archive)
    return actor


@pytest.mark.parametrize(
    ("who", "name", "expected"), ARCHIVE_PERMISSION, ids=[f"{row[0]} / {row[1]}" for row in ARCHIVE_PERMISSION]
)
def test_archiving_and_restoring_follow_the_archive_permission(users, editor, settings, tmp_path, who, name, expected):
    settings.MEDIA_ROOT = tmp_path
    world = build_world(author=editor, users=users)
    actor = permission_holder(who)

    assert attempt(name, signed_in(actor), world, actor, expected) == expected


def attempt(name, client, world, user, expected):
    """Run an action; return `expected` when that is what happened, else a description of what did."""
    action = STEPS[name]
    if action.prepare is not None:
        action.prepare(world)
    before = snapshot()
    responses = action.run(client, world)
    outcomes = [outcome(response) for response in responses]
    answered = all(result in (OK, CREATED, MOVED) for result in outcomes)
    done = (
        answered
        and action.asks in page_text(responses[0])
        and action.gives in page_text(responses[-1])
        and action.done(world, user)
    )
    tables = changed(before, snapshot())
    if expected == DONE:
        held = done
    elif tables:
        held = False
    elif expected == LOGIN:
        held = outcomes == [LOGIN] * len(outcomes)
    elif expected == NOT_OFFERED:
        held = outcomes[0] in (OK, MOVED) and not offered(name, user)
    elif expected == NOT_IN_QUEUE:
        held = outcomes[0] in (OK, MOVED) and not in_queue(world.pending, user)
    elif isinstance(expected, Told):
        held = answered and any(expected.words in text for text in words_shown(responses))
    else:
        held = expected in outcomes
    if held:
        return expected
    if done:
        return DONE
    return f"changed {tables}, answered {outcomes}" if tables else f"nothing changed, answered {outcomes}"


# ---------------------------------------------------------------------------------------------------
# Every address and every admin action has a row
# ---------------------------------------------------------------------------------------------------

REGEX_ROUTES = {
    "^([^/]+)/history/([^/]+)/$": "<id>/history/<history_id>/",  # simple-history's revision page
    "(?P<url>.*)$": "<anything>",  # the admin's catch-all
}


def routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.name


def plain(route):
    """A Django route as the PAGES table writes it: <id>, <slug>… without converters."""
    for regex, written in REGEX_ROUTES.items():
        if route.endswith(regex):
            route = route.removesuffix(regex) + written
    route = re.sub(r"^\^\(\?P<app_label>[^)]*\)/\$$", "<app_label>/", route)
    route = re.sub(r"<(?:\w+:)?(\w+)>", r"<\1>", route)
    return route.replace("<object_id>", "<id>").replace("<content_type_id>", "<type_id>")


def test_every_admin_address_has_a_row():
    declared = {"/admin/" + plain(route) for route, _ in routes(admin.site.get_urls())}
    in_table = {"/admin/" + address.split("?")[0] for address, *_ in ADMIN_PAGES}

    assert declared == in_table


def test_every_public_address_has_a_row():
    # Unnamed routes are left out: only the media files route, which exists in debug mode alone.
    declared = {
        "/" + plain(route)
        for route, name in routes(get_resolver().url_patterns)
        if name is not None and not route.startswith("admin/")
    }
    in_table = {address.split("?")[0] for address, *_ in PUBLIC_PAGES}

    assert declared == in_table


def test_every_admin_action_has_a_row(superuser):
    request = admin_request(superuser)
    declared = {
        f"{model._meta.label_lower}:{action}"
        for model, model_admin in admin.site._registry.items()
        for action in model_admin.get_actions(request)
    }
    in_table = {name.split(" (")[0] for name, *_ in ACTIONS if re.match(r"^\w+\.\w+:\w+", name)}

    assert declared == in_table
    assert {name for name, *_ in ACTIONS} == set(STEPS)
