"""Reads the owner login page the way a browser would: the form's action and the fields it would post."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class LoginForm:
    action: str = ""
    method: str = ""
    fields: dict[str, str] = field(default_factory=dict)  # hidden inputs and their values
    password_field: str | None = None

    def filled(self, password: str) -> dict[str, str]:
        assert self.password_field is not None, "the page has no password field"
        return {**self.fields, self.password_field: password}


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.form = LoginForm()
        self.forms = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.forms += 1
            self.form.action = attributes.get("action", "")
            self.form.method = attributes.get("method", "get").lower()
        elif tag == "input" and attributes.get("type") == "hidden":
            self.form.fields[attributes["name"]] = attributes.get("value", "")
        elif tag == "input" and attributes.get("type") == "password":
            self.form.password_field = attributes["name"]


def parse_login_form(page: str) -> LoginForm:
    parser = _FormParser()
    parser.feed(page)
    assert parser.forms == 1, f"expected one form, found {parser.forms}"
    return parser.form
