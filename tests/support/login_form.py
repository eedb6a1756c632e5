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
    name_field: str | None = None  # asked once someone besides the owner has an account

    def filled(self, password: str, name: str | None = None) -> dict[str, str]:
        assert self.password_field is not None, "the page has no password field"
        filled = {**self.fields, self.password_field: password}
        if name is not None:
            assert self.name_field is not None, "the page asks for no name"
            filled[self.name_field] = name
        return filled


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
        elif tag == "input" and attributes.get("type") == "text":
            self.form.name_field = attributes["name"]


def parse_login_form(page: str) -> LoginForm:
    parser = _FormParser()
    parser.feed(page)
    assert parser.forms == 1, f"expected one form, found {parser.forms}"
    return parser.form
