class DomainError(Exception):
    """A domain rule was broken; the message is shown to the user as it is (in Chinese).

    `field` names the form field or column it concerns, when there is one.
    """

    def __init__(self, message: str, *, field: str | None = None, status: int = 400):
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status


class PermissionDeniedError(DomainError):
    def __init__(self, message: str = "您没有执行此操作的权限。"):
        super().__init__(message, status=403)
