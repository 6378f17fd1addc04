"""What a page shows of a person: their name, credentials and specialty, and the address of their page."""

from dataclasses import dataclass

from django.urls import reverse

from .profiles import profile_for


@dataclass(frozen=True)
class Person:
    name: str
    slug: str
    credentials: str = ""
    specialty: str = ""

    @property
    def url(self) -> str:
        return reverse("people:person-detail", kwargs={"slug": self.slug})

    @property
    def job_title(self) -> str:
        """What schema.org's jobTitle says of them: their specialty, else their credentials."""
        return self.specialty or self.credentials


def person_of(profile) -> Person:
    return Person(
        name=profile.name,
        slug=profile.slug,
        credentials=profile.credentials.strip(),
        specialty=profile.specialty.strip(),
    )


def person_for(user) -> Person | None:
    """The person `user` is on the site's pages (their profile made if they have none yet); None for no one."""
    if user is None:
        return None
    return person_of(profile_for(user))
