"""Resolve free-text Korean place names to the 5-digit 시군구 codes (LAWD_CD) MOLIT's services use.

People type 서울 마포구, 마포, 공덕동, 분당 or 서울마포구, and the data tools need one code. ``vocabulary``
turns the bundled snapshot (``regions.snapshot``) once per process into dictionaries keyed by every
name a person might type; ``terms`` splits a query into those names; ``matching`` intersects what they
mean and notes abolished or renamed regions; ``lookup`` holds the shared ``RegionIndex`` and assembles
the ``resolution`` that get_region_code returns. Each lookup is a handful of dictionary hits and set
intersections, never a scan, and never a fuzzy guess.
"""
