"""Which 시군구 code(s) hold a region's deals in a given month, across boundary changes.

MOLIT files each deal under the code in force when it was reported, and the 시군구 map keeps changing
(``data/region_lineage.json``: 화성시's 구 in 2026-02, 인천's reorganisation on 2026-07-01, 강원 42 → 51 …).
``table`` reads that file against the snapshot into one shared ``Lineage``; ``plans`` says how a code
asked for a month is read (``molit.history`` does the reading); ``description`` tells ``get_region_code``
a code's valid-from month, predecessors and successors. Nothing here calls upstream.
"""
