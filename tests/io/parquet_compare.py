#!/usr/bin/python3
"""Compares DuckDB's reading of a Parquet file with winnow's, row by row and value by value.

    parquet_compare.py DUCK.jsonl OURS.jsonl DUCK.types

The representations differ where the README says winnow writes JSON its own way; equal means:
  - numbers equal as numbers (floats to float32 precision; DECIMAL exact text vs DuckDB's double);
  - NaN (DuckDB) is null (winnow: NaN is not JSON);
  - BLOB: DuckDB's "\\xNN" escapes decoded to bytes equal winnow's string as UTF-8, or its base64;
  - timestamps: equal after dropping a "+00" zone and trailing fractional zeros; DuckDB's
    "(BC)" dates (years before 1) are not compared;
  - INTERVAL columns are not compared (winnow passes their 12 bytes through).
Exits 1 with the first difference.
"""
import base64
import json
import math
import re
import sys


def blob_bytes(s):
    out = bytearray()
    i = 0
    while i < len(s):
        if s.startswith("\\x", i) and i + 4 <= len(s):
            out.append(int(s[i + 2:i + 4], 16))
            i += 4
        else:
            out += s[i].encode("utf-8")
            i += 1
    return bytes(out)


def norm_time(s):
    s = re.sub(r"(\+00(:00)?|Z)$", "", s)
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def same(duck, ours, dtype, path):
    if dtype.startswith("INTERVAL"):
        return None
    if isinstance(duck, float) and math.isnan(duck):
        return None if ours is None else f"{path}: NaN vs {ours!r}"
    if duck is None or ours is None:
        return None if duck is ours else f"{path}: {duck!r} vs {ours!r}"
    if isinstance(duck, bool) or isinstance(ours, bool):
        return None if duck == ours else f"{path}: {duck!r} vs {ours!r}"
    if isinstance(duck, (int, float)) and isinstance(ours, (int, float)):
        if duck == ours:
            return None
        if isinstance(duck, int) and isinstance(ours, int):
            return f"{path}: {duck} vs {ours}"
        tol = 1e-6 * max(1.0, abs(duck))
        return None if abs(duck - ours) <= tol else f"{path}: {duck!r} vs {ours!r}"
    if isinstance(duck, str) and isinstance(ours, str):
        if duck == ours:
            return None
        if dtype.startswith("BLOB") or "\\x" in duck:
            raw = blob_bytes(duck)
            if ours.encode("utf-8", "surrogatepass") == raw:
                return None
            try:
                if base64.b64decode(ours, validate=True) == raw:
                    return None
            except Exception:
                pass
            return f"{path}: blob {duck!r} vs {ours!r}"
        if "(BC)" in duck:
            return None
        if "TIME" in dtype or "DATE" in dtype or re.match(r"^\d{4}-\d\d-\d\d", duck):
            return None if norm_time(duck) == norm_time(ours) else f"{path}: {duck!r} vs {ours!r}"
        return f"{path}: {duck!r} vs {ours!r}"
    if isinstance(duck, list) and isinstance(ours, list):
        if len(duck) != len(ours):
            return f"{path}: {len(duck)} elements vs {len(ours)}"
        inner = dtype[:-2] if dtype.endswith("[]") else dtype
        for i, (d, o) in enumerate(zip(duck, ours)):
            why = same(d, o, inner, f"{path}[{i}]")
            if why:
                return why
        return None
    if isinstance(duck, dict) and isinstance(ours, dict):
        if set(duck) != set(ours):
            return f"{path}: keys {sorted(duck)} vs {sorted(ours)}"
        for k in duck:
            why = same(duck[k], ours[k], "", f"{path}.{k}")
            if why:
                return why
        return None
    return f"{path}: {type(duck).__name__} {duck!r} vs {type(ours).__name__} {ours!r}"


def main():
    duck_path, ours_path, types_path = sys.argv[1:4]
    duck = [json.loads(l) for l in open(duck_path) if l.strip()]
    ours = [json.loads(l) for l in open(ours_path) if l.strip()]
    types = json.load(open(types_path))
    if len(duck) != len(ours):
        print(f"{len(duck)} rows (DuckDB) vs {len(ours)} rows (winnow)")
        return 1
    for r, (d, o) in enumerate(zip(duck, ours)):
        if list(d) != list(o):
            print(f"row {r}: columns {list(d)} vs {list(o)}")
            return 1
        for k in d:
            why = same(d[k], o[k], types.get(k, ""), f"row {r}.{k}")
            if why:
                print(why)
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
