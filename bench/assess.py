"""Assessment at scale: `notinschool assess` (risk_assessment_run over every open record) over
the 200,000-child register of bench.register_data, in PostgreSQL.

    python -m bench assess [-- --children N --runs N]

Runs the real command path twice by default: the first run assesses a register never assessed
(every required action is new), the second re-assesses it (the nightly case: latest flags
replaced, actions mostly unchanged). Per-stage timings come from timing wrappers put around the
service's own functions for the run: reading the children (chunks), loading the facts
(facts_loader.child_facts_for_rows), the engine (engine.assess), and storing (the rest of each
chunk: assessments and required actions), each as wall and process CPU time. Prints times,
the database server's CPU and peak RSS; asserts nothing.
Target: under 30 s."""

import argparse
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from bench.pgtemp import (
    Timer,
    bench_database,
    cpu_seconds,
    db_cpu_seconds,
    django_setup,
    peak_rss_mb,
)
from bench.register_data import CHILDREN, ensure_template


@contextmanager
def stage_timers() -> Iterator[tuple[dict[str, float], dict[str, float]]]:
    """Wrap the assessment run's stages with timers (wall, and this process's CPU); restore
    them afterwards."""
    from notinschool.workflow import assessment as services

    spent: dict[str, float] = defaultdict(float)
    cpu: dict[str, float] = defaultdict(float)
    originals = {name: getattr(services, name) for name in ("child_facts_for_rows",
                                                            "_assess_chunk", "_chunks")}
    engine_assess = services.engine.assess

    def timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started, cpu_started = time.perf_counter(), time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - started
                cpu[name] += time.process_time() - cpu_started
        return wrapper

    def timed_chunks(*args: Any, **kwargs: Any) -> Iterator[Any]:
        iterator = originals["_chunks"](*args, **kwargs)
        while True:
            started, cpu_started = time.perf_counter(), time.process_time()
            try:
                chunk = next(iterator)
            except StopIteration:
                return
            finally:
                spent["reading children"] += time.perf_counter() - started
                cpu["reading children"] += time.process_time() - cpu_started
            yield chunk

    services.child_facts_for_rows = timed("loading facts", originals["child_facts_for_rows"])
    services._assess_chunk = timed("chunk", originals["_assess_chunk"])
    services._chunks = timed_chunks
    services.engine.assess = timed("engine", engine_assess)
    try:
        yield spent, cpu
    finally:
        for name, fn in originals.items():
            setattr(services, name, fn)
        services.engine.assess = engine_assess


def run_once(label: str) -> float:
    from django.core.management import call_command

    from notinschool.risk.models import Assessment, RequiredAction

    class Out:
        text = ""

        def write(self, text: str) -> None:
            self.text += text

        def flush(self) -> None:
            pass

    out = Out()
    cpu, db_cpu = cpu_seconds(), db_cpu_seconds()
    with stage_timers() as (spent, stage_cpu):
        timer = Timer()
        call_command("assess", stdout=out)
        seconds = timer.seconds
    for times in (spent, stage_cpu):
        times["storing"] = times["chunk"] - times["loading facts"] - times["engine"]
    print(f"  {label}: {out.text.strip()} in {seconds:.1f} s (target < 30 s: "
          f"{'met' if seconds < 30 else 'MISSED'}); process CPU {cpu_seconds() - cpu:.1f} s, "
          f"database server CPU {db_cpu_seconds() - db_cpu:.1f} s; "
          f"peak RSS {peak_rss_mb():,.0f} MB")
    stages = ", ".join(f"{name} {spent[name]:.1f} / {stage_cpu[name]:.1f} s" for name in (
        "reading children", "loading facts", "engine", "storing"))
    print(f"    stages (wall / process CPU): {stages}, other "
          f"{seconds - spent['chunk'] - spent['reading children']:.1f} s")
    print(f"    {Assessment.objects.filter(is_latest=True).count():,} latest assessments, "
          f"{RequiredAction.objects.filter(state='open').count():,} open required actions")
    return seconds


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench assess")
    parser.add_argument("--children", type=int, default=CHILDREN)
    parser.add_argument("--runs", type=int, default=2)
    args, _ = parser.parse_known_args(argv)
    django_setup()
    template = ensure_template(args.children)
    with bench_database("notinschool_bench_assess", template=template):
        from notinschool.people.models import Child

        print(f"notinschool assess over {Child.objects.count():,} children:")
        for run in range(args.runs):
            run_once("first run (never assessed)" if run == 0 else f"run {run + 1} (re-assess)")
    return 0
