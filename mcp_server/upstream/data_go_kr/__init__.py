"""data.go.kr answers → a page of items or the ``UpstreamError`` a caller acts on.

The body decides before the status (docs/upstream-apis.md, section 2), because data.go.kr sends key and
quota errors with HTTP 200 or 403. Two modules, so the table can be read without the XML plumbing:
``bodies`` reads what came back (the ``<response>`` envelope, ``OpenAPI_ServiceResponse`` gateway
bodies in XML or JSON) and ``error_table`` is the one table of reason codes, provider result codes and
HTTP statuses → error type and message.
"""
