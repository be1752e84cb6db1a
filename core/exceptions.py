class DomainError(Exception):
    """A business rule said no. The message is shown to the person as it is (already translated)."""

    def __init__(self, message, *, code: str = "invalid", field: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field

    def __str__(self) -> str:
        return str(self.message)
