"""People: the public profile of each author and medical reviewer, and their page on the site.

A Profile belongs to one user: the name readers see, credentials ("MD, FRCP"), specialty, a short
plain-text bio, an optional photo (checked and re-encoded by articles.images, as editor uploads are)
and declared conflicts of interest. `profiles.profile_for` creates it the first time it is needed,
its slug taken from the display name once and never changed. `bylines.person_for` gives pages what
they show of a person; the public page /people/<slug>/ (views.py) lists the published articles they
wrote and medically reviewed.
"""
