import time

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from audit.services import record_standalone


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session["login_at"] = time.time()
    record_standalone("auth.password_accepted", by=user, obj=user, request=request)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        record_standalone("auth.logout", by=user, obj=user, request=request)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    # The username only: never the password or anything else that was typed.
    username = str(credentials.get("username", ""))[:150]
    record_standalone("auth.login_failed", details={"username": username}, request=request)
