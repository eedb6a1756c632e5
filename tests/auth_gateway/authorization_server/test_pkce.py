"""PKCE S256 (RFC 7636), checked against the RFC's own example."""

from __future__ import annotations

from auth_gateway.authorization_server.pkce import s256_challenge, verifier_matches, well_formed_verifier

# RFC 7636 Appendix B.
VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


def test_the_rfc_example() -> None:
    assert s256_challenge(VERIFIER) == CHALLENGE
    assert verifier_matches(VERIFIER, CHALLENGE)


def test_a_different_or_malformed_verifier_does_not_match() -> None:
    assert not verifier_matches(VERIFIER[:-1] + "Y", CHALLENGE)
    assert not verifier_matches(CHALLENGE, CHALLENGE)  # `plain` would pass this; S256 does not
    assert not verifier_matches("short", s256_challenge("short"))
    assert not verifier_matches("é" * 43, CHALLENGE)


def test_verifier_length_and_alphabet() -> None:
    assert well_formed_verifier("a" * 43)
    assert well_formed_verifier("a-._~" * 25 + "abc")
    assert not well_formed_verifier("a" * 42)
    assert not well_formed_verifier("a" * 129)
    assert not well_formed_verifier("a" * 42 + "+")
