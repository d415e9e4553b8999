"""What a visitor sees when django-axes refuses a sign-in: the admin login page, with why.

The page is the same whatever username was tried, existing or not (no account enumeration),
and answers 429 so that scripts and monitoring can tell a lockout from a wrong password.
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

LOCKOUT_STATUS = 429


def lockout_message() -> str:
    """The sentence shown on the login page while sign-in is paused."""
    minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    return ngettext(
        "Too many failed sign-in attempts. For your security, signing in is paused for "
        "%(minutes)d minute; please try again later.",
        "Too many failed sign-in attempts. For your security, signing in is paused for "
        "%(minutes)d minutes; please try again later.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the admin login form again, with the lockout as its error."""
    # The password typed is never sent back; the username is, as on any failed sign-in.
    data = {"username": request.POST.get("username", "")}
    form = AdminAuthenticationForm(request, data=data)
    form.errors.clear()
    form.add_error(None, lockout_message())
    context = {
        **admin.site.each_context(request),
        "title": _("Log in"),
        "subtitle": None,
        "app_path": request.get_full_path(),
        "form": form,
        REDIRECT_FIELD_NAME: request.POST.get(REDIRECT_FIELD_NAME, ""),
        "username": request.user.get_username() if request.user.is_authenticated else "",
    }
    response = TemplateResponse(request, "admin/login.html", context, status=LOCKOUT_STATUS)
    return response.render()
