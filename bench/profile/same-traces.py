#!/usr/bin/env python3
"""Compares two `gramc bench --json` outputs trace by trace: whether each trace compiled, was
accepted, where it was rejected and with which error. Prints the counts and the first ten
traces that differ; exits 1 when any does. Usage: same-traces.py A.jsonl B.jsonl"""
import json
import sys


def outcomes(path):
    table = {}
    for line in open(path):
        row = json.loads(line)
        if row.get('summary'):
            continue
        table[row['id']] = (row.get('compiled'), row.get('accepted'), row.get('rejected_at'), row.get('error'))
    return table


a, b = outcomes(sys.argv[1]), outcomes(sys.argv[2])
differ = [trace for trace in a if a[trace] != b.get(trace)] + [trace for trace in b if trace not in a]
print(len(a), len(b), 'differ:', len(differ))
for trace in differ[:10]:
    print(trace, a.get(trace), b.get(trace))
sys.exit(1 if differ else 0)
