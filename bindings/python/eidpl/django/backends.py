from __future__ import annotations

from typing import Any, Optional

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

import eidpl

from . import conf


class EidplBackend(ModelBackend):
    """Maps a verified WK identity (`authenticate(request, login_result=...)`) to a user, creating it
    on first login (unusable password) and keeping first/last name up to date. Never authenticates
    username/password: add ModelBackend beside it for staff logins."""

    def authenticate(
        self,
        request: Optional[HttpRequest],
        login_result: Optional[eidpl.LoginResult] = None,
        **kwargs: Any,
    ) -> Any:
        if login_result is None:
            return None
        username = conf.user_mapping()(login_result)
        if not username:
            return None
        User = get_user_model()
        user, created = User._default_manager.get_or_create(**{User.USERNAME_FIELD: username})
        changed = created
        if created:
            user.set_unusable_password()
        p = login_result.person
        for field, value in (("first_name", p.given_name), ("last_name", p.family_name)):
            if value and hasattr(user, field) and getattr(user, field) != value:
                max_length = User._meta.get_field(field).max_length or len(value)
                setattr(user, field, value[:max_length])
                changed = True
        if changed:
            user.save()
        return user if self.user_can_authenticate(user) else None
