#!/usr/bin/env python3
"""Generate-and-validate check: `gramc generate` on real-world schemas, every output judged by an
independent validator (Python `jsonschema`, format assertion on).

usage: check_generate.py --gramc BIN --vocab DIR --bench DIR [--schemas N] [--seeds K] [--subsets a,b]
       check_generate.py --bench DIR --outputs FILE

The second form validates documents that `gramc corpus --generate K --outputs FILE` already wrote (one
{"subset", "schema", "seed", "output" | "error"} object a line) and prints the same per-subset report.

Schemas are taken round-robin over the subsets of the JSONSchemaBench folder (manifest order), skipping
the ones gramc refuses to compile (exit status 2), until N schemas have generated. Prints a line per
subset and a final 'N passed, N failed' line (outputs); exit 1 if any output is invalid, any generation
fails (empty mask, no end), or fewer than N schemas could be used.
"""
import argparse
import collections
import decimal
import json
import os
import subprocess
import sys

import jsonschema


def exact_number(text):
    """A JSON number with a fraction or exponent: an int when its value is integral (exact at any
    size, where a float keeps 17 digits and judges `multipleOf` on 24-digit outputs wrongly), else a
    float as `json` reads it."""
    try:
        value = decimal.Decimal(text)
        if value.is_finite() and value.adjusted() < 400 and value == value.to_integral_value():
            return int(value)
    except (decimal.InvalidOperation, ArithmeticError):
        pass  # an exponent beyond what Decimal holds: judged as json reads it
    return float(text)


def read_output(text):
    return json.loads(text, parse_float=exact_number)


def validator_for(schema):
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def check_outputs(bench, outputs_path) -> int:
    """Validates a `gramc corpus --outputs` file; prints per-subset counts and 'N passed, N failed'."""
    validators = {}
    per_subset = collections.OrderedDict()  # subset -> [schemas, outputs valid, outputs invalid, failed generations]
    schemas_seen = set()
    passed = failed = 0
    with open(outputs_path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            record = json.loads(line)
            rel, subset = record["schema"], record["subset"]
            tally = per_subset.setdefault(subset, [0, 0, 0, 0])
            if rel not in schemas_seen:
                schemas_seen.add(rel)
                tally[0] += 1
            if "error" in record:
                failed += 1
                tally[3] += 1
                print(f"GENERATION FAILED {rel} seed {record['seed']}: {record['error'][:200]}")
                continue
            if rel not in validators:
                with open(os.path.join(bench, rel), encoding="utf-8") as sf:
                    validators[rel] = validator_for(json.load(sf))
            try:
                errors = [e.message for e in validators[rel].iter_errors(read_output(record["output"]))]
            except json.JSONDecodeError as e:
                errors = [f"not JSON: {e}"]
            if errors:
                failed += 1
                tally[2] += 1
                print(f"INVALID {rel} seed {record['seed']}: {errors[0][:200]}\n  output: {record['output'][:300]}")
            else:
                passed += 1
                tally[1] += 1
    print("| subset | schemas | outputs valid | invalid | generation failed |")
    print("|---|--:|--:|--:|--:|")
    for subset, (n, ok, bad, gen) in per_subset.items():
        print(f"| {subset} | {n} | {ok} | {bad} | {gen} |")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or not passed else 0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gramc")
    ap.add_argument("--vocab")
    ap.add_argument("--outputs", help="validate this `gramc corpus --outputs` file instead of generating")
    ap.add_argument("--bench", required=True, help="the jsonschemabench folder")
    ap.add_argument("--schemas", type=int, default=20)
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--subsets", default="")
    ap.add_argument("--timeout", type=float, default=120)
    args = ap.parse_args()
    if args.outputs:
        return check_outputs(args.bench, args.outputs)
    if not args.gramc or not args.vocab:
        ap.error("--gramc and --vocab are required (unless --outputs)")

    by_subset = collections.OrderedDict()
    with open(os.path.join(args.bench, "manifest.jsonl"), encoding="utf-8") as f:
        for line in f:
            m = json.loads(line)
            by_subset.setdefault(m["subset"], []).append(m["schema"])
    if args.subsets:
        wanted = args.subsets.split(",")
        by_subset = collections.OrderedDict((k, v) for k, v in by_subset.items() if k in wanted)
    order = []
    queues = [list(v) for v in by_subset.values()]
    while any(queues):
        for q in queues:
            if q:
                order.append(q.pop(0))

    used = 0
    passed = failed = 0
    refused = collections.Counter()
    per_subset = collections.defaultdict(lambda: [0, 0, 0])  # schemas, outputs valid, outputs invalid
    for rel in order:
        if used >= args.schemas:
            break
        path = os.path.join(args.bench, rel)
        subset = rel.split("/")[0]
        try:
            # --portable: no leap seconds or year 0000, which RFC 3339 allows and the oracle rejects, and
            # patterns read so that ECMA-262 and the oracle's Python `re` agree on every output.
            run = subprocess.run([args.gramc, "generate", "--schema", path, "--vocab", args.vocab,
                                  "--count", str(args.seeds), "--json", "--portable"],
                                 capture_output=True, text=True, timeout=args.timeout)
        except subprocess.TimeoutExpired:
            print(f"TIMEOUT {rel}")
            failed += 1
            used += 1
            continue
        if run.returncode == 2:
            refused[run.stderr.strip().split(":")[-2].strip() if ":" in run.stderr else "error"] += 1
            continue
        used += 1
        per_subset[subset][0] += 1
        if run.returncode != 0:
            print(f"GENERATION FAILED {rel}: {run.stderr.strip()[:300]}")
            failed += 1
        with open(path, encoding="utf-8") as f:
            validator = validator_for(json.load(f))
        for line in run.stdout.split("\n"):
            if not line.strip():
                continue
            record = json.loads(line)
            try:
                errors = [e.message for e in validator.iter_errors(read_output(record["output"]))]
            except json.JSONDecodeError as e:
                errors = [f"not JSON: {e}"]
            if errors:
                failed += 1
                per_subset[subset][2] += 1
                print(f"INVALID {rel} seed {record['seed']}: {errors[0][:200]}\n  output: {record['output'][:300]}")
            else:
                passed += 1
                per_subset[subset][1] += 1
    for subset, (n, ok, bad) in per_subset.items():
        print(f"{subset}: {n} schemas, {ok} outputs valid, {bad} invalid")
    print(f"schemas used {used}; refused by gramc and skipped: {sum(refused.values())}")
    if used < args.schemas:
        print(f"only {used} schemas could be used (wanted {args.schemas})")
        failed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
