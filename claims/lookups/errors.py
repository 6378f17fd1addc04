"""What a look-up raises when it finds nothing or fails."""


class NotFound(Exception):
    """The service does not know the identifier."""

    def __init__(self, detail):
        super().__init__(detail)
        self.detail = detail


class LookupFailed(Exception):
    """The look-up did not work: `retry` when trying later may help, `retry_after` the wait a service asked for."""

    def __init__(self, detail, *, retry=False, retry_after=None):
        super().__init__(detail)
        self.detail = detail
        self.retry = retry
        self.retry_after = retry_after


class LookupRefused(LookupFailed):
    """A request the look-ups never make: a web source, or a host that is not one of the three services'."""
