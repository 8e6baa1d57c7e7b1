"""The one tree of domain errors; each knows its HTTP status and contract code.

    AppError
    ├── InvalidRequest (400 invalid_request)
    │   ├── InvalidToken (400 invalid_token)
    │   ├── InvalidCode (400 invalid_code)
    │   ├── InvalidMove (400 invalid_move)
    │   └── SizeMismatch (400 size_mismatch)
    ├── Unauthenticated (401 unauthenticated)
    │   └── InvalidCredentials (401 invalid_credentials)
    ├── Forbidden (403 forbidden)
    │   ├── EmailNotVerified (403 email_not_verified)
    │   ├── CsrfFailed (403 csrf_failed)
    │   ├── AccountDisabled (403 account_disabled)
    │   ├── WrongPassword (403 wrong_password)
    │   └── ProviderEmailUnverified (403 provider_email_unverified)
    │       └── GoogleEmailUnverified (403 google_email_unverified)
    ├── NotFound (404 not_found)
    ├── MethodNotAllowed (405 method_not_allowed)
    ├── Conflict (409 conflict)
    │   ├── UsernameTaken (409 username_taken)
    │   ├── EmailTaken (409 email_taken)
    │   ├── PhoneTaken (409 phone_taken)
    │   ├── NameTaken (409 name_taken)
    │   ├── ProviderLinkUnverified (409 account_unverified_link)
    │   │   └── GoogleLinkUnverified (409 google_account_unverified_link)
    │   └── SelfLockout (409 self_lockout: an admin disabling or demoting themselves)
    ├── Gone (410 gone)
    ├── QuotaExceeded (413 quota_exceeded)
    ├── RateLimited (429 rate_limited, carries retry_after seconds)
    ├── Internal (500 internal)
    └── Unavailable (503 unavailable: a service we depend on did not answer)
    ConfigError (not an HTTP error: the deployment is wrong)
    DeliveryFailed (not an HTTP error: SES or SNS refused a message; the mail job is retried)

Imports nothing from Chalice: the api package translates these into responses.
"""

from __future__ import annotations

from typing import Any, ClassVar


class ConfigError(RuntimeError):
    """A setting is missing or unfit for this stage."""


class DeliveryFailed(RuntimeError):
    """SES or SNS did not take a message. The mail function lets it propagate, so SQS hands
    the job over again and, after the queue's last try, keeps it in the dead-letter queue."""


class AppError(Exception):
    status: ClassVar[int] = 500
    code: ClassVar[str] = "internal"
    default_message: ClassVar[str] = "Something went wrong on our side."

    def __init__(self, message: str | None = None, *, details: dict[str, Any] | None = None):
        self.message = message or self.default_message
        self.details = details or {}
        super().__init__(self.message)

    def headers(self) -> dict[str, str]:
        return {}


class InvalidRequest(AppError):
    status = 400
    code = "invalid_request"
    default_message = "The request is not valid."

    @classmethod
    def fields(cls, fields: dict[str, str], message: str | None = None) -> InvalidRequest:
        return cls(message or "Some fields are not valid.", details={"fields": fields})


class InvalidToken(InvalidRequest):
    code = "invalid_token"
    default_message = "This link is invalid, expired or already used."


class InvalidCode(InvalidRequest):
    code = "invalid_code"
    default_message = "The code is wrong or has expired."


class InvalidMove(InvalidRequest):
    code = "invalid_move"
    default_message = "A folder cannot go inside itself."


class SizeMismatch(InvalidRequest):
    code = "size_mismatch"
    default_message = "The uploaded file is not the size that was declared."


class Unauthenticated(AppError):
    status = 401
    code = "unauthenticated"
    default_message = "Sign in to continue."


class InvalidCredentials(Unauthenticated):
    code = "invalid_credentials"
    default_message = "The username or password is wrong."


class Forbidden(AppError):
    status = 403
    code = "forbidden"
    default_message = "You may not do that."


class EmailNotVerified(Forbidden):
    code = "email_not_verified"
    default_message = "Verify your email address before signing in."


class CsrfFailed(Forbidden):
    code = "csrf_failed"
    default_message = "The request failed its cross-site request forgery check."


class AccountDisabled(Forbidden):
    code = "account_disabled"
    default_message = "This account is disabled."


class WrongPassword(Forbidden):
    code = "wrong_password"
    default_message = "The password is wrong."


class ProviderEmailUnverified(Forbidden):
    code = "provider_email_unverified"
    default_message = "The sign-in provider has not verified this email address."


class GoogleEmailUnverified(ProviderEmailUnverified):
    code = "google_email_unverified"
    default_message = "Google has not verified this email address."


class NotFound(AppError):
    status = 404
    code = "not_found"
    default_message = "Not found."


class MethodNotAllowed(AppError):
    status = 405
    code = "method_not_allowed"
    default_message = "This method is not allowed here."


class Conflict(AppError):
    status = 409
    code = "conflict"
    default_message = "That conflicts with something that exists."


class UsernameTaken(Conflict):
    code = "username_taken"
    default_message = "That username is taken."


class EmailTaken(Conflict):
    code = "email_taken"
    default_message = "An account with that email address exists."


class PhoneTaken(Conflict):
    code = "phone_taken"
    default_message = "That phone number belongs to another account."


class NameTaken(Conflict):
    code = "name_taken"
    default_message = "Something with that name is in this folder already."


class ProviderLinkUnverified(Conflict):
    code = "account_unverified_link"
    default_message = (
        "An account with this email exists but its address is not verified. "
        "Sign in with its password and verify the address first."
    )


class GoogleLinkUnverified(ProviderLinkUnverified):
    code = "google_account_unverified_link"
    default_message = (
        "An account with this email exists but its address is not verified. "
        "Sign in with its password and verify the address first."
    )


class SelfLockout(Conflict):
    code = "self_lockout"
    default_message = (
        "You cannot disable your own account or take away your own admin rights; ask another admin."
    )


class Gone(AppError):
    status = 410
    code = "gone"
    default_message = "This link has expired."


class QuotaExceeded(AppError):
    status = 413
    code = "quota_exceeded"
    default_message = "There is not enough free space for this file."


class RateLimited(AppError):
    status = 429
    code = "rate_limited"
    default_message = "Too many attempts. Try again later."

    def __init__(self, retry_after: int, message: str | None = None):
        self.retry_after = max(1, int(retry_after))
        super().__init__(message, details={"retry_after": self.retry_after})

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


class Internal(AppError):
    pass


class Unavailable(AppError):
    status = 503
    code = "unavailable"
    default_message = "A service we depend on did not answer. Try again in a moment."
