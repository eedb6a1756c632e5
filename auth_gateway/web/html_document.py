"""The HTML shell of every page the gateway shows a person: the login and error pages and /status.

One shell so the pages agree on what matters beyond their content: Korean first (`lang="ko"`, the
users' language, English beside it in the body), readable on a phone (viewport), and no Referer sent
onward from a page whose address may carry an authorization request (`no-referrer`). Styles are
inline because the pages' Content-Security-Policy allows no other source.
"""

from __future__ import annotations

from html import escape

__all__ = ["html_document"]


def html_document(title: str, body: str, *, style: str, head: str = "", after_main: str = "") -> str:
    """A whole page: `title` (escaped here) names it in the tab; `head` holds extra `<head>` lines
    (each starting with a newline), `after_main` what follows `<main>` (a script)."""
    return f"""<!doctype html>
<html lang="ko">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="referrer" content="no-referrer">{head}
  <title>{escape(title)} · real-estate-mcp</title>
  <style>{style}</style>
</head>
<body>
<main>
{body}
</main>{after_main}
</body>
</html>
"""
