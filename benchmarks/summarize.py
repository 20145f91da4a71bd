#!/usr/bin/env python3
"""Prints JMH's JSON results of the benchmarks module as Markdown tables.

Usage: python3 benchmarks/summarize.py [benchmarks/target/jmh-result.json]

The instrumentation table has one row per arm: ns/op with JMH's 99.9% error, B/op
(gc.alloc.rate.norm, all threads, present when run with -prof gc), B/op on the benchmark's
own threads (caller.alloc.norm, present with -prof ...CallerAllocationProfiler) and the ratio of its ns/op to the
plain call, to @WithSpan and to @Observed (tracing only). The exporter table has the
spans ended, exported and dropped per second through the batch span processor.
Standard library only.
"""

import json
import math
import os
import sys

INSTRUMENTATION = "InstrumentationBenchmark"
EXPORTER = "ExporterBenchmark"

# Benchmark method -> label, in the order of the table.
ARMS = [
    ("plainCall", "1. Plain call, no proxy"),
    ("aopProceedOnly", "2. Spring AOP advice that only proceeds (CGLIB)"),
    ("otelSpanSampled", "3. OpenTelemetry span by hand, sampled"),
    ("otelSpanNotSampled", "3. OpenTelemetry span by hand, not sampled"),
    ("observationSampled", "4. Micrometer Observation by hand, Boot's tracing handler"),
    ("withSpanSampled", "5. OpenTelemetry `@WithSpan` (OpenTelemetry starter's aspect)"),
    ("observedSampled", "6. Micrometer `@Observed` (Boot's `ObservedAspect`)"),
    ("observedWithMetersSampled", "6. `@Observed` + Boot's meter handler"),
    ("tracedSampled", "7. `@Traced`, sampled"),
    ("tracedNotSampled", "7. `@Traced`, not sampled"),
    ("tracedSpanApiSampled", "7. `@Traced` + two `CurrentSpan` attributes, sampled"),
    ("tracedSpanApiNotSampled", "7. `@Traced` + two `CurrentSpan` attributes, not sampled"),
    ("tracedStarterDisabled", "7. `@Traced`, starter disabled"),
    ("tracedWithMetersSampled", "7. `@Traced` + meter registry, sampled"),
    ("tracedAgentWithMetersSampled", "8. `@Traced(agent = \"bench\")`: span + agent meters"),
]
PLAIN = "plainCall"
WITH_SPAN = "withSpanSampled"
OBSERVED = "observedSampled"

TO_NANOS = {"ns/op": 1.0, "us/op": 1e3, "\u00b5s/op": 1e3, "ms/op": 1e6, "s/op": 1e9}


def number(value):
    """JMH writes NaN (one iteration: no error) as a string."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def method(entry):
    return entry["benchmark"].rsplit(".", 1)[-1]


def owner(entry):
    return entry["benchmark"].rsplit(".", 2)[-2]


def nanos(metric):
    factor = TO_NANOS.get(metric["scoreUnit"])
    if factor is None:
        raise SystemExit("Unexpected unit %r: run the benchmarks in average time mode" % metric["scoreUnit"])
    return number(metric["score"]) * factor, number(metric["scoreError"]) * factor


def fmt(value, digits=1):
    if math.isnan(value):
        return "n/a"
    if abs(value) >= 1000:
        return "{:,.0f}".format(value)
    return "{:.{}f}".format(value, digits)


def with_error(score, error, digits=1):
    if math.isnan(error):
        return fmt(score, digits)
    return "%s \u00b1 %s" % (fmt(score, digits), fmt(error, digits))


def ratio(value, reference):
    if reference is None or math.isnan(reference) or reference <= 0 or math.isnan(value):
        return "n/a"
    r = value / reference
    if r < 0.01:
        return "<0.01\u00d7"
    if r >= 100:
        return "{:,.0f}\u00d7".format(r)
    return "{:.2f}\u00d7".format(r)


def allocation(entry):
    metric = entry.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
    if metric is None:
        return math.nan
    return number(metric["score"])


def secondary(entry, name):
    metric = entry.get("secondaryMetrics", {}).get(name)
    if metric is None:
        return math.nan, math.nan
    return number(metric["score"]), number(metric["scoreError"])


def run_line(entries):
    first = entries[0]
    return ("JMH %s, %s %s, %s fork(s), %s \u00d7 %s warmup, %s \u00d7 %s measurement, %s thread(s)" % (
        first.get("jmhVersion", "?"), first.get("vmName", "?"), first.get("vmVersion", "?"),
        first.get("forks", "?"), first.get("warmupIterations", "?"), first.get("warmupTime", "?"),
        first.get("measurementIterations", "?"), first.get("measurementTime", "?"), first.get("threads", "?")))


def instrumentation_table(entries):
    by_method = {method(e): e for e in entries}
    scores = {m: nanos(e["primaryMetric"]) for m, e in by_method.items()}
    plain = scores.get(PLAIN, (None,))[0]
    with_span = scores.get(WITH_SPAN, (None,))[0]
    observed = scores.get(OBSERVED, (None,))[0]
    lines = [
        "| Arm | Benchmark | ns/op | B/op | B/op on the caller | vs plain call | vs `@WithSpan` | vs `@Observed` |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    known = [m for m, _ in ARMS]
    order = [(m, label) for m, label in ARMS if m in by_method]
    order += [(m, m) for m in sorted(by_method) if m not in known]
    for m, label in order:
        score, error = scores[m]
        lines.append("| %s | `%s` | %s | %s | %s | %s | %s | %s |" % (
            label, m, with_error(score, error), fmt(allocation(by_method[m]), 0),
            fmt(secondary(by_method[m], "caller.alloc.norm")[0], 0),
            ratio(score, plain), ratio(score, with_span), ratio(score, observed)))
    return lines


def exporter_table(entries):
    lines = [
        "| Exporter | traces/s | spans ended/s | spans exported/s | spans dropped/s | dropped | B/trace |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    order = {"noop": 0, "console": 1, "jsonl": 2}
    for entry in sorted(entries, key=lambda e: (order.get(e.get("params", {}).get("exporter"), 9),
                                                sorted(e.get("params", {}).items()))):
        params = entry.get("params", {})
        name = params.get("exporter", method(entry))
        traces = number(entry["primaryMetric"]["score"]), number(entry["primaryMetric"]["scoreError"])
        ended = secondary(entry, "spansEnded")
        exported = secondary(entry, "spansExported")
        dropped = secondary(entry, "spansDropped")
        share = dropped[0] / ended[0] * 100 if ended[0] and not math.isnan(ended[0]) else math.nan
        lines.append("| %s | %s | %s | %s | %s | %s | %s |" % (
            name, with_error(*traces, digits=0), with_error(*ended, digits=0), with_error(*exported, digits=0),
            with_error(*dropped, digits=0), "n/a" if math.isnan(share) else "%.1f%%" % share,
            fmt(allocation(entry), 0)))
    return lines


def main(argv):
    default = os.path.join(os.path.dirname(os.path.abspath(__file__)), "target", "jmh-result.json")
    path = argv[1] if len(argv) > 1 else default
    with open(path, encoding="utf-8") as f:
        entries = json.load(f)
    if not entries:
        raise SystemExit("No result in " + path)
    out = ["_" + run_line(entries) + "_", ""]
    instrumentation = [e for e in entries if owner(e) == INSTRUMENTATION]
    exporters = [e for e in entries if owner(e) == EXPORTER]
    if instrumentation:
        out += ["### Cost of one call to a trivial method", ""] + instrumentation_table(instrumentation) + [""]
    if exporters:
        out += ["### Exporters behind the batch span processor (one trace = 3 spans)", ""]
        out += exporter_table(exporters) + [""]
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv)
