#!/usr/bin/env python3
"""Independent oracle for `gramc generate`: validates generated documents with Python's
`jsonschema` (format assertion on), the way JSONSchemaBench labels its instances.

usage: validate_outputs.py SCHEMA.json OUTPUTS.jsonl
OUTPUTS.jsonl holds `gramc generate --json` lines ({"seed", "tokens", "output"}).
Prints one line per invalid output and a final 'N passed, N failed' line; exit 1 on any failure.
"""
import json
import sys

import jsonschema


def main() -> int:
    schema_path, outputs_path = sys.argv[1], sys.argv[2]
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
    passed = failed = 0
    with open(outputs_path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            record = json.loads(line)
            try:
                document = json.loads(record["output"])
                errors = [e.message for e in validator.iter_errors(document)]
            except json.JSONDecodeError as e:
                errors = [f"not JSON: {e}"]
            if errors:
                failed += 1
                print(f"INVALID {schema_path} seed {record['seed']}: {errors[0][:200]}\n  output: {record['output'][:300]}")
            else:
                passed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
