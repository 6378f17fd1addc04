"""Checks an article must pass before it is published.

Other apps register checks here (the claims app refuses articles whose claims are not settled),
so that articles need not know about them.
"""

_checks = []


def register_publication_check(check):
    """`check(article)` returns a list of reasons the article may not be published yet."""
    if check not in _checks:
        _checks.append(check)
    return check


def publication_problems(article) -> list[str]:
    return [problem for check in _checks for problem in check(article)]
