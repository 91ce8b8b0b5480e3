"""Benchmark of the matching engine on synthetic data (not collected by pytest).

    python -m notinschool.linkage.engine.tests.bench generate --register 50000 \
        --agency 500000 --out /tmp/nin-bench
    /usr/bin/time -v python -m notinschool.linkage.engine.tests.bench link --data /tmp/nin-bench

Generation is a separate step so that ``/usr/bin/time -v`` measures linking alone.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from notinschool.linkage.engine import (
    AUTO_THRESHOLD,
    REVIEW_THRESHOLD,
    link_people_table,
    matches_from_table,
    train_model,
)
from notinschool.linkage.engine.tests.synthetic import generate


def _generate(args: argparse.Namespace) -> None:
    start = time.perf_counter()
    data = generate(args.register, args.agency, seed=args.seed)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    pq.write_table(data.register, out / "register.parquet")
    pq.write_table(data.agency, out / "agency.parquet")
    left, right = zip(*sorted(data.truth), strict=True) if data.truth else ((), ())
    pq.write_table(pa.table({"left_id": list(left), "right_id": list(right)}),
                   out / "truth.parquet")  # fmt: skip
    print(f"generated {args.register} x {args.agency}, {len(data.truth)} true pairs "
          f"in {time.perf_counter() - start:.1f}s")  # fmt: skip


def _scores(found: set[tuple[str, str]], truth: set[tuple[str, str]]) -> str:
    tp = len(found & truth)
    precision = tp / len(found) if found else 1.0
    recall = tp / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return (f"pairs={len(found)} tp={tp} fp={len(found) - tp} fn={len(truth) - tp} "
            f"precision={precision:.4f} recall={recall:.4f} f1={f1:.4f}")  # fmt: skip


def _link(args: argparse.Namespace) -> None:
    data = Path(args.data)
    register = pq.read_table(data / "register.parquet")
    agency = pq.read_table(data / "agency.parquet")
    truth_t = pq.read_table(data / "truth.parquet")
    truth = set(zip(truth_t["left_id"].to_pylist(), truth_t["right_id"].to_pylist(),
                    strict=True))  # fmt: skip
    workdir = Path(args.workdir) if args.workdir else None
    model = None
    if args.train:
        start = time.perf_counter()
        model = train_model(register, agency, workdir=workdir)
        print(f"train_model: {time.perf_counter() - start:.1f}s ({model.note})")
    start = time.perf_counter()
    table = link_people_table(register, agency, model=model, threshold=REVIEW_THRESHOLD,
                              workdir=workdir)  # fmt: skip
    linked = time.perf_counter() - start
    start = time.perf_counter()
    matches = matches_from_table(table, model)
    built = time.perf_counter() - start
    print(f"link_people_table: {linked:.1f}s for {register.num_rows} x {agency.num_rows}; "
          f"{len(matches)} Match objects built in {built:.1f}s")  # fmt: skip
    review = {(m.left_id, m.right_id) for m in matches}
    auto = {(m.left_id, m.right_id) for m in matches if m.probability >= AUTO_THRESHOLD}
    print(f"auto (>= {AUTO_THRESHOLD}):   {_scores(auto, truth)}")
    print(f"review (>= {REVIEW_THRESHOLD}): {_scores(review, truth)}")
    if args.show:
        wrong = [m for m in matches if (m.left_id, m.right_id) not in truth]
        for m in sorted(wrong, key=lambda m: -m.probability)[: args.show]:
            print(f"  FP {m.left_id} {m.right_id} p={m.probability:.4f}",
                  [(e.field, e.label) for e in m.evidence])  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate")
    gen.add_argument("--register", type=int, default=50_000)
    gen.add_argument("--agency", type=int, default=500_000)
    gen.add_argument("--seed", type=int, default=7)
    gen.add_argument("--out", default="/tmp/nin-bench")
    gen.set_defaults(func=_generate)
    link = sub.add_parser("link")
    link.add_argument("--data", default="/tmp/nin-bench")
    link.add_argument("--workdir")
    link.add_argument("--train", action="store_true")
    link.add_argument("--show", type=int, default=0, help="print this many false positives")
    link.set_defaults(func=_link)
    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
