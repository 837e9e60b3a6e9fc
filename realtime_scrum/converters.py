"""Path converters for ids in API URLs."""

# BigAutoField's range, the ids every table here uses (DEFAULT_AUTO_FIELD). SQLite raises
# OverflowError for an integer parameter past 64 bits; MariaDB answers, but no row has one.
MAX_ID = 2**63 - 1


class IdConverter:
    """A row id: 1 to 19 digits, at most MAX_ID. Anything else does not match the route, so
    it is a 404 before any query runs (Django's `int` takes any number of digits)."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 0 < number <= MAX_ID:
            raise ValueError("not a row id")  # the URL does not match: 404
        return number

    def to_url(self, value) -> str:
        return str(int(value))
