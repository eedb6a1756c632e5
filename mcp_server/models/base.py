"""What every result model shares: strictness, null-free rows, the amount unit, the thin-sample rule and
the source block."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer

__all__ = [
    "AMOUNT_UNIT",
    "AMOUNT_UNIT_FIELD",
    "FILTERS_NOTE",
    "SOURCE_CODES_NOTE",
    "THIN_NOTE",
    "THIN_SAMPLE",
    "Number",
    "ResultModel",
    "SourceInfo",
    "SparseModel",
]

Number = int | float

AMOUNT_UNIT = "만원 (10,000 KRW): 149800 means 14억 9,800만원 = 1,498,000,000 KRW"
AMOUNT_UNIT_FIELD = Field(default=AMOUNT_UNIT, description="Unit of every *_10k amount in this result.")
THIN_SAMPLE = 5
THIN_NOTE = f"Fewer than {THIN_SAMPLE} deals: indicative only."
FILTERS_NOTE = "Filters applied before the statistics (none: the whole month)."
SOURCE_CODES_NOTE = (
    "시군구 codes the rows were read from: the code asked, or its predecessor/successors across a "
    "boundary change (notes say how)."
)


class ResultModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _never_null(schema: dict[str, Any]) -> None:
    """A sparse model never sends null, so its optional fields are published as their bare type."""
    required = set(schema.get("required", ()))
    for name, prop in schema.get("properties", {}).items():
        options = prop.get("anyOf")
        if name in required or not options:
            continue
        kept = [option for option in options if option != {"type": "null"}]
        if len(kept) == 1:
            del prop["anyOf"]
            prop.update(kept[0])
        else:
            prop["anyOf"] = kept


class SparseModel(ResultModel):
    """Rows omit null fields when serialised: a 100-row answer should not spend the model's context
    on twenty nulls per row. The output schema lists those fields as optional, never null."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_never_null)

    @model_serializer(mode="wrap")
    def _drop_nulls(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        return {key: value for key, value in data.items() if value is not None}


class SourceInfo(ResultModel):
    """Where the numbers come from and how fresh they are."""

    provider: str = Field(description="Publisher of the data.")
    dataset: str = Field(description="Upstream service / dataset name.")
    endpoint: str = Field(description="Upstream operation path (without host or key).")
    data_as_of: str = Field(description="When the data was fetched from upstream (ISO 8601, KST).")
    from_cache: bool = Field(description="True when served from the local cache of an earlier fetch.")
