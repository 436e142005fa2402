"""Throttling of sign-in failures and password-reset requests, counted in the cache.

Both count in the ``sessions`` cache (never the database: a sign-in must not need SQLite's write
lock) and both count per address as well as per account, because guessing comes in two shapes:
many passwords against one account, and one password against many accounts (spraying).
"""

import logging

from axes.conf import settings as axes_settings
from axes.handlers.cache import AxesCacheHandler
from axes.helpers import (
    get_cache_timeout,
    get_client_cache_keys,
    get_client_ip_address,
    get_client_username,
    get_credentials,
    get_failure_limit,
    get_lockout_parameters,
)
from axes.signals import user_locked_out
from django.conf import settings
from django.core.cache import caches
from django.shortcuts import render

logger = logging.getLogger(__name__)

ADDRESS_ONLY = ("ip_address", ["ip_address"])


class LoginFailureHandler(AxesCacheHandler):
    """axes' cache handler with a limit of its own for each counter.

    axes keeps one counter per entry of ``AXES_LOCKOUT_PARAMETERS`` but compares them all with
    one limit, so an address counter would lock a whole office after 5 failures. Here the
    address-only counter locks at ``LOGIN_ADDRESS_FAILURE_LIMIT`` and every other counter at
    ``AXES_FAILURE_LIMIT``; a sign-in is refused while any counter is at its limit. A successful
    sign-in clears only the counters that name its username, so signing in to one's own
    account does not wipe the address's failures on other accounts.
    """

    def counters(self, request, credentials=None):
        """(cache key, limit, is the address-only counter) for each lockout parameter."""
        parameters = get_lockout_parameters(request, credentials)
        keys = get_client_cache_keys(request, credentials)
        account_limit = get_failure_limit(request, credentials)
        return [
            (key, settings.LOGIN_ADDRESS_FAILURE_LIMIT, True)
            if parameter in ADDRESS_ONLY
            else (key, account_limit, False)
            for key, parameter in zip(keys, parameters, strict=True)
        ]

    def full_counters(self, request, credentials=None):
        """The counters at or over their limit: whether, and why, the sign-in is locked."""
        return [
            (key, limit, by_address)
            for key, limit, by_address in self.counters(request, credentials)
            if self.cache.get(key, default=0) >= limit
        ]

    def is_locked(self, request, credentials=None) -> bool:
        return axes_settings.AXES_LOCK_OUT_AT_FAILURE and bool(
            self.full_counters(request, credentials)
        )

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        """Count the failure on every counter; lock when one reaches its own limit."""
        if request is None:
            return super().user_login_failed(sender, credentials, request, **kwargs)
        username = get_client_username(request, credentials)
        refused_while_locked = request.axes_locked_out
        if self.is_whitelisted(request, credentials):
            return None
        if not (
            refused_while_locked and not axes_settings.AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT
        ):
            self._count_failure(request, credentials)
        if refused_while_locked or self.is_locked(request, credentials):
            logger.warning("Sign-in locked after repeated failures (username %r).", username)
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes", request=request, username=username, ip_address=request.axes_ip_address
            )
        return None

    def _count_failure(self, request, credentials):
        timeout = get_cache_timeout(request)
        for key, _limit, _by_address in self.counters(request, credentials):
            if self.cache.add(key, 1, timeout):
                continue
            try:
                self.cache.incr(key)
            except ValueError:  # expired between add() and incr()
                self.cache.add(key, 1, timeout)
            self.cache.touch(key, timeout)

    def user_logged_in(self, sender, request, user, **kwargs):
        if not axes_settings.AXES_RESET_ON_SUCCESS:
            return
        credentials = get_credentials(user.get_username())
        for key, _limit, by_address in self.counters(request, credentials):
            if not by_address:
                self.cache.delete(key)


def lockout_response(request, original_response=None, credentials=None):
    """The 429 page of a locked sign-in, saying which lock applies (AXES_LOCKOUT_CALLABLE)."""
    from axes.handlers.proxy import AxesProxyHandler

    handler = AxesProxyHandler.get_implementation()
    full = handler.full_counters(request, credentials) if hasattr(handler, "full_counters") else []
    by_address = bool(full) and all(by_address for _key, _limit, by_address in full)
    context = {
        "by_address": by_address,
        "address_limit": settings.LOGIN_ADDRESS_FAILURE_LIMIT,
    }
    return render(request, "registration/locked_out.html", context, status=429)


class RequestQuota:
    """At most ``limit`` requests per ``window`` seconds for one key (an address, an e-mail).

    Counted in the ``sessions`` cache; the window starts with the first request.
    """

    def __init__(self, name: str, limit: int, window: int):
        self.name, self.limit, self.window = name, limit, window

    def _key(self, value: str) -> str:
        return f"quota:{self.name}:{value}"

    def take(self, value: str) -> bool:
        """Count one request for ``value``; False if that exceeds the quota."""
        cache, key = caches["sessions"], self._key(value)
        if cache.add(key, 1, self.window):
            return self.limit >= 1
        try:
            return cache.incr(key) <= self.limit
        except ValueError:  # expired between add() and incr()
            cache.add(key, 1, self.window)
            return True


def password_reset_allowed(request, email: str) -> bool:
    """Whether a reset mail may be sent: within the quota of the requesting address and of the
    e-mail address asked for (counted whether or not an account has it, so the answer says
    nothing about which addresses are registered)."""
    window = settings.PASSWORD_RESET_RATE_WINDOW
    by_address = RequestQuota("reset-address", settings.PASSWORD_RESET_LIMIT_PER_ADDRESS, window)
    by_email = RequestQuota("reset-email", settings.PASSWORD_RESET_LIMIT_PER_EMAIL, window)
    address_ok = by_address.take(get_client_ip_address(request) or "unknown")
    email_ok = by_email.take(email.strip().lower())
    return address_ok and email_ok
