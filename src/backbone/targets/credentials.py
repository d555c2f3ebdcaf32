"""Which API key goes to which server.

The rule, for a key taken from the environment (``OPENAI_API_KEY``, ``ANTHROPIC_API_KEY``):

1. It goes to its provider's own API (``https://api.openai.com``, ``https://api.anthropic.com``)
   and to the server named beside it in the environment (``OPENAI_BASE_URL``,
   ``ANTHROPIC_BASE_URL``): the user paired those two.
2. It goes to a base URL given for this run (``--base-url``, ``--judge-base-url``,
   ``base_url=``) when that URL is HTTPS, or plain HTTP to this machine (``localhost``,
   127.0.0.0/8, ``::1``): the user named that server.
3. It is **withheld** from a plain-HTTP server on another machine (it would cross the network
   readable by anyone on the path) unless that server is the one paired in rule 1; a 401/403
   from such a server says so, and how to pair them.
4. A key never goes to another provider's kind of target (the OpenAI key only to ``openai:``
   targets and judges), and never onward: redirects are not followed (see ``http_client``),
   so no server can forward the key to a host the user did not name.

A key passed in code (``api_key=``) is the caller's explicit choice and is always sent.
With no key at all, a request for the provider's own API is refused before any call
(:class:`~backbone.targets.errors.TargetSpecError`): nothing answers there without one, while a
server of the user's own (Ollama, llama.cpp) needs none.

Example:
    >>> choose_key("http://10.0.0.5:8000/v1", explicit=None, env_key="sk-x",
    ...            env_base=None, default_url="https://api.openai.com/v1",
    ...            key_var="OPENAI_API_KEY", base_var="OPENAI_BASE_URL").key is None
    True
    >>> choose_key("http://127.0.0.1:11434/v1", explicit=None, env_key="sk-x",
    ...            env_base=None, default_url="https://api.openai.com/v1",
    ...            key_var="OPENAI_API_KEY", base_var="OPENAI_BASE_URL").key
    'sk-x'
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from backbone.targets.errors import MissingKeyError

_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class KeyChoice:
    """The key to send (None: none), and why an environment key was withheld ("" if not)."""

    key: str | None
    withheld: str = ""


def origin(url: str) -> tuple[str, str, int | None]:
    """``(scheme, host, port)`` of ``url``, lower-cased, with the scheme's default port."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port or _DEFAULT_PORTS.get(scheme)


def is_loopback(host: str) -> bool:
    """``localhost`` or a loopback address."""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def choose_key(
    url: str,
    *,
    explicit: str | None,
    env_key: str | None,
    env_base: str | None,
    default_url: str,
    key_var: str,
    base_var: str,
    hint: str = "",
) -> KeyChoice:
    """Apply the module's rule to a request for ``url``; raise ``MissingKeyError`` ("openai
    target needs OPENAI_API_KEY in the environment" and ``hint``, where ``{option}`` stands for
    the base URL option) when no key would go to the provider's own API (``default_url``)."""
    choice = _route(url, explicit, env_key, env_base, default_url, key_var, base_var)
    if choice.key is None and origin(url) == origin(default_url):
        provider = key_var.removesuffix("_API_KEY").lower()  # OPENAI_API_KEY: openai
        raise MissingKeyError(provider, key_var, hint)
    return choice


def _route(
    url: str,
    explicit: str | None,
    env_key: str | None,
    env_base: str | None,
    default_url: str,
    key_var: str,
    base_var: str,
) -> KeyChoice:
    if explicit is not None:
        return KeyChoice(explicit or None)
    if not env_key:
        return KeyChoice(None)
    target = origin(url)
    paired = [origin(default_url)] + ([origin(env_base)] if env_base else [])
    scheme, host, _ = target
    if target in paired or scheme == "https" or (scheme == "http" and is_loopback(host)):
        return KeyChoice(env_key)
    return KeyChoice(
        None,
        withheld=f"{key_var} was not sent to {scheme}://{host} (plain HTTP to another machine "
        f"would expose it); to use it there, set {base_var}={url}",
    )
