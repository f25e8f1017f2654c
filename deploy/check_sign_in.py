"""Sign in through a running Concordat as a person would (password, then the one-time code) and open "My work":
`make prod-check` runs it against each gunicorn instance (ADR 39). It speaks to gunicorn directly as the TLS proxy
would (X-Forwarded-Proto: https), and keeps the __Host- cookies itself, since they are Secure.

    check_sign_in.py --base http://127.0.0.1:8101 --username u --password p --totp-key HEX [--also http://...]

--also: after signing in, the same session must be accepted by that other instance (sessions live in PostgreSQL).
Exit 0 when every step answered as expected; otherwise 1 and the step that did not."""

from __future__ import annotations

import argparse
import http.client
import sys
import urllib.parse
from http.cookies import SimpleCookie

from django_otp.oath import totp


class Browser:
    def __init__(self):
        self.cookies: dict[str, str] = {}

    def request(self, base: str, method: str, path: str, form: dict | None = None) -> http.client.HTTPResponse:
        url = urllib.parse.urlsplit(base)
        public_origin = f"https://{url.netloc}"
        headers = {"Host": url.netloc, "X-Forwarded-Proto": "https", "Origin": public_origin,
                   "Referer": public_origin + path, "User-Agent": "concordat-prod-check"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        connection.close()
        return response

    def csrf(self) -> str:
        return next(value for name, value in self.cookies.items() if name.endswith("csrftoken"))


def expect(step: str, response, status: int, location_contains: str = "") -> None:
    location = response.headers.get("Location", "")
    if response.status != status or location_contains not in location:
        print(f"FAIL {step}: {response.status} {location!r}", file=sys.stderr)
        sys.exit(1)
    print(f"ok   {step}: {response.status}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--username", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--totp-key", required=True)
    parser.add_argument("--also", action="append", default=[])
    args = parser.parse_args()
    browser = Browser()
    expect("sign-in page", browser.request(args.base, "GET", "/accounts/login/"), 200)
    expect("password", browser.request(args.base, "POST", "/accounts/login/", {
        "username": args.username, "password": args.password, "csrfmiddlewaretoken": browser.csrf()}), 302, "/mfa/")
    expect("code page", browser.request(args.base, "GET", "/accounts/mfa/"), 200)
    code = f"{totp(bytes.fromhex(args.totp_key)):06d}"
    expect("one-time code", browser.request(args.base, "POST", "/accounts/mfa/", {
        "otp_token": code, "csrfmiddlewaretoken": browser.csrf()}), 302)
    expect("My work", browser.request(args.base, "GET", "/my-work/"), 200)
    for other in args.also:
        expect(f"My work through {other}", browser.request(other, "GET", "/my-work/"), 200)


if __name__ == "__main__":
    main()
