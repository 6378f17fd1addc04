"""Admin list pages that stay fast when the table is large, and bulk actions that tell each refusal."""

from django.contrib import messages
from django.contrib.admin.views.main import ChangeList
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import BooleanField, F, Func, Q, QuerySet
from django.utils.text import smart_split, unescape_string_literal


def by_keys(rows, bottom, top):
    """Rows `bottom` to `top` of a list, found by their keys first: `pk IN (those rows' keys, in the list's order)`,
    so that the database sorts and skips the keys alone and reads whole only the rows kept. A list not in a set
    order, or distinct, is sliced as it is."""
    if isinstance(rows, QuerySet) and rows.ordered and not rows.query.distinct:
        return rows.filter(pk__in=rows.values("pk")[bottom:top])
    return rows[bottom:top]


class KeysFirstChangeList(ChangeList):
    """A list whose rows all fit one page (or "Show all") reads them as a page does, by their keys: the count
    just made tells the database how few they are. Read whole with no limit, a search that finds nothing among a
    million claims is planned for the hundreds of thousands of rows the database guesses, and PostgreSQL spent
    seconds compiling that plan (JIT) to read none."""

    def get_results(self, request):
        super().get_results(request)
        rows = self.result_list
        whole = not self.multi_page or (self.show_all and self.can_show_all)
        if whole and isinstance(rows, QuerySet) and not rows.query.is_sliced:
            self.result_list = by_keys(rows, 0, self.result_count)


class NarrowRowsChangeList(KeysFirstChangeList):
    """Reads the page's rows without the long text columns its columns never show.

    The database sorts whole rows before it keeps one page of them: an article's body, its HTML and
    its plain text carried along multiply that work for every row in the table. Only the rows shown
    leave them out; actions are given the admin's full queryset.
    """

    def get_results(self, request):
        deferred = self.model_admin.list_deferred_fields
        if deferred:
            self.queryset = self.queryset.defer(*deferred)
        super().get_results(request)


class KeysFirstPaginator(Paginator):
    """Pages whose rows are found by their keys first: `pk IN (the page's keys, in the list's order)`.

    A list's rows carry columns read by subqueries (the claim lists' integrity findings, a dozen per row): with
    OFFSET, the database computes them for every row it skips too, a hundred thousand rows for page 1,000 of a
    million claims. The keys are sorted and skipped alone, in the list's order (on PostgreSQL by walking the
    articles' index and each article's claims), and only the page's rows are read whole.
    """

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(by_keys(self.object_list, bottom, top), number, self)


class NarrowRowsMixin:
    """`list_deferred_fields`: fields (or `relation__field` of list_select_related rows) the list leaves out; each
    page's rows found by their keys first (`KeysFirstPaginator`)."""

    list_deferred_fields = ()
    paginator = KeysFirstPaginator

    def get_changelist(self, request, **kwargs):
        return NarrowRowsChangeList


def act_on_each(model_admin, request, objects, act, *, not_done, done) -> int:
    """Run act(obj) for each object of a bulk action; return how many went through.

    A refusal (PermissionDenied or ValidationError, as services raise them) stops only its own object,
    and is told in the words not_done(obj, reason) gives; done(count) words the success, if any.
    """
    count = 0
    for obj in objects:
        try:
            act(obj)
            count += 1
        except (PermissionDenied, ValidationError) as refusal:
            reason = " ".join(refusal.messages) if isinstance(refusal, ValidationError) else str(refusal)
            model_admin.message_user(request, not_done(obj, reason), messages.ERROR)
    if count:
        model_admin.message_user(request, done(count), messages.SUCCESS)
    return count


class AnyOf(Func):
    """`column = ANY(ARRAY(subquery))` on PostgreSQL: the subquery is read once, before the list's rows, and its
    values are looked up through the column's index, which PostgreSQL can do inside an OR of other indexed
    conditions (a BitmapOr). The same words as `column IN (subquery)`, which PostgreSQL answers row by row."""

    template = "%(expressions)s)"
    arg_joiner = " = ANY("
    output_field = BooleanField()


class RelatedSearchMixin:
    """The admin's search, with each related field (`article__title`) asked of its own table.

    Django's search joins the related tables and puts an OR of `icontains` over the join: no index answers
    such an OR, so PostgreSQL reads every row of a table of a million claims. Here a related field becomes
    "its key is one of the rows whose field holds the word", so every condition of the OR is on the list's own
    table and PostgreSQL combines their indexes (the trigram indexes of the searched columns, the foreign keys'
    indexes: `claims/migrations/0030_admin_search_trigrams.py`). The rows found are the same: each word (a quoted
    phrase counts as one) must be found in one of `search_fields`, matched as `icontains`.
    """

    def get_search_results(self, request, queryset, search_term):
        search_fields = self.get_search_fields(request)
        if not search_fields or not search_term:
            return super().get_search_results(request, queryset, search_term)
        if any(not isinstance(name, str) or name[0] in "^=@" or name.count("__") > 1 for name in search_fields):
            return super().get_search_results(request, queryset, search_term)
        vendor = connections[queryset.db].vendor
        words = []
        for bit in smart_split(search_term):
            if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
                bit = unescape_string_literal(bit)
            words.append(
                Q.create([self._matching(queryset.model, name, bit, vendor) for name in search_fields], connector=Q.OR)
            )
        return queryset.filter(Q.create(words)), False

    @staticmethod
    def _matching(model, name, word, vendor):
        if "__" not in name:
            return Q(**{f"{name}__icontains": word})
        relation, field = name.split("__")
        foreign_key = model._meta.get_field(relation)
        found = foreign_key.related_model._base_manager.filter(**{f"{field}__icontains": word}).order_by().values("pk")
        if vendor == "postgresql":
            return Q(AnyOf(F(foreign_key.attname), ArraySubquery(found)))
        return Q(**{f"{foreign_key.attname}__in": found})
