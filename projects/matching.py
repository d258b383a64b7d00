"""How two mentions of one company are recognised (DOMAIN.md: the shared pool)."""

from __future__ import annotations

import re
import unicodedata

# Company-form variants that name the same legal form.
SUFFIX_VARIANTS = [
    ("有限责任公司", "有限公司"),
    ("股份有限公司", "有限公司"),
    ("有限公司", "公司"),
    ("co.,ltd.", ""),
    ("co.,ltd", ""),
    ("co.ltd", ""),
    ("limited", "ltd"),
]
NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


def company_key(name: str) -> str:
    """A company name reduced for matching: full-width folded, lower case, brackets,
    punctuation and spaces removed, 有限责任公司 / 股份有限公司 / 有限公司 read alike."""
    text = unicodedata.normalize("NFKC", name or "").lower()
    text = NOISE.sub("", text)
    for variant, canonical in SUFFIX_VARIANTS:
        compact_variant = NOISE.sub("", variant)
        if text.endswith(compact_variant):
            text = text[: -len(compact_variant)] + NOISE.sub("", canonical)
    return text
