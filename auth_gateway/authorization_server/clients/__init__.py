"""Clients nobody configured: signed registrations, client metadata documents, the owner's approvals."""
