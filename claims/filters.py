"""Admin list filters for claims."""

from django.db.models import Q

from articles.filters import ReviewDueFilter

from .models import Claim


# A short name: ClaimAdmin.list_filter is one line close to the 120-character limit.
class DueFilter(ReviewDueFilter):
    """Review due, for claims: only an approved claim's date stands; other claims count as having none."""

    def standing_review_date(self):
        return super().standing_review_date() & Q(review_state=Claim.ReviewState.APPROVED)
