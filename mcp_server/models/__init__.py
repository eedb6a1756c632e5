"""Pydantic result models of the data tools: what a client sees as structured output and output schema.

Field names are part of the public contract (the reference server's prompts use ``total_count``,
``items``, ``summary.median_price_10k`` …); amounts are in 만원 (10,000 KRW) as published by MOLIT,
hence the ``_10k`` suffix.

Each tool family's results are in their own module (``months``, ``ranges``, ``subscription``) over what
every result shares (``base``); callers import from those modules, so each name is listed once.
"""
