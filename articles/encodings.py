"""Which content coding a response may use, from the request's Accept-Encoding header (RFC 9110, 12.5.3).

Plain Python: the article view and the compression middleware of public pages ask it. It also carries the
digest of a stored body from the view that read it to the HTTP caching middleware (`give_digest`), so that
the entity tag of bytes stored with their digest is never computed by hashing them again.
"""

# Old names some clients still send for the same codings.
ALIASES = {"x-gzip": "gzip"}


def _quality(value: str) -> float | None:
    """A q value ("0", "0.5", "1.000"), or None when it is not one."""
    try:
        quality = float(value)
    except ValueError:
        return None
    return quality if 0 <= quality <= 1 else None


def accepted(header: str) -> dict[str, float]:
    """{coding: quality} as the header states them, lower-cased; "*" stands for any coding not named.

    A part that cannot be read (a q value that is not a number from 0 to 1) is left out, as if not sent.
    """
    codings = {}
    for part in (header or "").split(","):
        name, *parameters = (piece.strip() for piece in part.split(";"))
        name = ALIASES.get(name.lower(), name.lower())
        if not name:
            continue
        quality = 1.0
        for parameter in parameters:
            key, _, value = parameter.partition("=")
            if key.strip().lower() == "q":
                quality = _quality(value.strip())
        if quality is not None:
            codings[name] = max(quality, codings.get(name, 0.0))
    return codings


def preferred_encoding(header: str, offered) -> str | None:
    """The coding of `offered` (in the server's order of preference) the client accepts best, or None.

    None means the response goes uncompressed: no header, nothing offered accepted, or only with q=0.
    """
    codings = accepted(header)
    best, best_quality = None, 0.0
    for coding in offered:
        quality = codings.get(coding, codings.get("*", 0.0))
        if quality > best_quality:
            best, best_quality = coding, quality
    return best


def give_digest(response, digest: str) -> None:
    """Hand the caching middleware (claims.pages.http) the digest of the response's body as it stands, made when
    it was stored.

    Set once the response's Content-Encoding is: the digest is used only while that is unchanged (a
    middleware that compressed the body after the view set it would change it), otherwise the body is hashed.
    """
    response.body_digest = (response.get("Content-Encoding", ""), digest)


def digest_given(response) -> str | None:
    """The digest `give_digest` set on the response for its body as sent, or None."""
    given = getattr(response, "body_digest", None)
    if given is not None and given[0] == response.get("Content-Encoding", ""):
        return given[1]
    return None
