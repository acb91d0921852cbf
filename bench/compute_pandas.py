"""Baseline for bench/compute.ts: the RFM + cohort computation done the way the seeds' Python
analytics do it (pandas groupby / rank / pivot), over a CSV export of transaction_data, with the
same definitions as the compute step (src/analytics/compute/definitions.ts).

    /usr/bin/python3 bench/compute_pandas.py lines.csv map.json

Prints one JSON line: seconds to read the CSV, seconds to compute, peak RSS, customers scored.
"""
import json
import resource
import sys
import time

import pandas as pd

csv_path, map_path = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
df = pd.read_csv(
    csv_path,
    dtype={"source": str, "customer": str, "order_number": str},
    parse_dates=["posting_date"],
)
t1 = time.perf_counter()

analysis = df.posting_date.max() + pd.Timedelta(days=1)
df = df[df.customer.notna()]
df["is_order"] = ~df.is_cancellation.astype(bool) & (df.net_sales > 0)
key = ["source", "customer"]
orders = df[df.is_order]
rfm = orders.groupby(key).agg(last=("posting_date", "max"), first=("posting_date", "min"),
                              frequency=("order_number", "nunique"))
rfm["monetary"] = df.groupby(key).net_sales.sum()
rfm["recency"] = (analysis - rfm["last"]).dt.days
n = len(rfm)


def score(rank):
    return 1 + (5 * (rank.astype(int) - 1)) // n


rfm["r"] = score(rfm.recency.rank(method="min", ascending=False))
rfm["f"] = score(rfm.frequency.rank(method="min"))
rfm["m"] = score(rfm.monetary.rank(method="min"))
cells = {(c["r"], c["f"], c["m"]): c["segment"] for c in json.load(open(map_path))}
rfm["segment"] = [cells[(r, f, m)] for r, f, m in zip(rfm.r, rfm.f, rfm.m)]

rfm["cohort"] = rfm["first"].dt.year * 12 + rfm["first"].dt.month - 1
lines = df.join(rfm["cohort"], on=key, how="inner")
lines["k"] = lines.posting_date.dt.year * 12 + lines.posting_date.dt.month - 1 - lines.cohort
lines = lines[lines.k >= 0]
sizes = rfm.groupby("cohort").size()
active = lines[lines.is_order].drop_duplicates(key + ["k"]).groupby(["cohort", "k"]).size()
retention = active.unstack(fill_value=0).div(sizes, axis=0).mul(100).round(2)
revenue = lines.groupby(["cohort", "k"]).net_sales.sum().unstack(fill_value=0).div(sizes, axis=0).round(2)
t2 = time.perf_counter()

print(json.dumps({
    "read_s": t1 - t0,
    "compute_s": t2 - t1,
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "customers": n,
    "cohorts": len(sizes),
    "segments": int(rfm.segment.nunique()),
    "retention_cells": int(retention.size),
    "revenue_cells": int(revenue.size),
}))
