"""GOV.UK Pay's settings: PAY_API_URL and PAY_API_KEY, read and checked at start-up."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ..config import ConfigError

# The example journey's fee, in pence (£25.00), in this one place.
APPLICATION_FEE_PENCE = 2500
PAY_API_URL = "https://publicapi.payments.service.gov.uk"
PAY_API_HOST = "publicapi.payments.service.gov.uk"
# Where GOV.UK Pay's own payment pages are: the service's forms redirect there.
PAY_PAYMENT_PAGES = ("https://www.payments.service.gov.uk", "https://card.payments.service.gov.uk")
# The local stand-in (`nox -s serve` starts it); never in production.
LOCAL_PAY_API_URL = "http://127.0.0.1:8002"
LOCAL_PAY_API_KEY = "api_test_local-stand-in"  # nosec B105  # the stand-in's, not a secret
PAY_API_KEY_FORMAT = re.compile(r"api_(test|live)_\S+")


@dataclass(frozen=True)
class PaySettings:
    """How the service takes fees through GOV.UK Pay."""

    api_url: str = LOCAL_PAY_API_URL
    api_key: str = field(default=LOCAL_PAY_API_KEY, repr=False)
    application_fee_pence: int = APPLICATION_FEE_PENCE

    @property
    def payment_pages(self) -> tuple[str, ...]:
        """Origins the service redirects users to for paying (its CSP's form-action)."""
        host = (urlsplit(self.api_url).hostname or "").lower()
        if host == PAY_API_HOST or host.endswith(f".{PAY_API_HOST}"):
            return PAY_PAYMENT_PAGES
        return (self.api_url,)  # the stand-in serves its payment page itself

    @classmethod
    def from_env(cls, env: Mapping[str, str], environment: str) -> PaySettings:
        production = environment == "production"
        api_url = env.get("PAY_API_URL", "").rstrip("/") or (
            PAY_API_URL if production else LOCAL_PAY_API_URL
        )
        secure = api_url.startswith("https://") or not production
        if not secure or not re.fullmatch(r"https?://[^/\s]+", api_url):
            scheme = "https://" if production else "http(s)://"
            raise ConfigError(
                f"PAY_API_URL must be {scheme} and a host only, like {PAY_API_URL}; "
                f"it is {api_url!r}"
            )
        api_key = env.get("PAY_API_KEY", "")
        if not api_key:
            if production:
                raise ConfigError(
                    "PAY_API_KEY is not set. Create an API key in GOV.UK Pay's admin tool "
                    "(a live key to take real payments) and set PAY_API_KEY to it"
                )
            api_key = LOCAL_PAY_API_KEY
        if api_key != api_key.strip():
            raise ConfigError(
                "PAY_API_KEY starts or ends with a space or line break (a key read from a "
                "file, say): set it to the key alone"
            )
        if not PAY_API_KEY_FORMAT.fullmatch(api_key):
            raise ConfigError(
                "PAY_API_KEY is not a GOV.UK Pay API key (api_test_... or api_live_...)"
            )
        return cls(api_url=api_url, api_key=api_key)
