"""The second factor: TOTP devices from django-otp (one use per code, even under a race; throttled on failure)."""

from __future__ import annotations

import base64
import io

import qrcode
import qrcode.image.svg
from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user) -> TOTPDevice:
    """The unconfirmed device a person is enrolling, created on first visit."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def qr_data_uri(device: TOTPDevice) -> str:
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def base32_secret(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def token_at(device: TOTPDevice, moment: float | None = None) -> str:
    """The code the device's authenticator shows at `moment` (now by default): for the demo and the tests."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if moment is not None:
        totp.time = moment
    return f"{totp.token():0{device.digits}d}"


def verify(device: TOTPDevice, token: str) -> bool:
    """Check a code, at most once: the device row is locked while its last used step is read, checked and saved.

    django-otp's verify_token reads `last_t`, compares and saves without a lock, so two sessions submitting the
    same code at the same instant could both be let in. Here the second waits for the first to commit, then reads
    the new `last_t` and is refused. `device` is refreshed from the locked row, so the caller sees what was saved.
    """
    with transaction.atomic():
        device.refresh_from_db(from_queryset=TOTPDevice.objects.select_for_update())
        allowed, _ = device.verify_is_allowed()
        return bool(allowed) and device.verify_token(token)
