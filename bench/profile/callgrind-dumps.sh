#!/bin/bash
# usage: callgrind-dumps.sh BINARY TAG [VOCAB] -> per-schema instruction counts (compile + first mask), one callgrind
# dump per schema (dump after each replay), run in a folder holding dumps.jsonl = 20 warm-up schemas, then the 100
# median schemas (tokens emptied); e.g. bench/results/2026-11-27-tp50/dumps.jsonl. VOCAB defaults to ../shared's llama3.
# BACK_ONLY=1 leaves the front end (JSONSchemaCompiler.compile) out: CompiledGrammar.init + first mask only.
B=$1; T=$2; export SWIFT_DETERMINISTIC_HASHING=1
FRONT='--toggle-collect=$s7Grammar18JSONSchemaCompilerV7compileyAA0B11CompilationVAA9JSONValueOAA0A5ErrorVYKF'
[ -n "$BACK_ONLY" ] && FRONT='--toggle-collect=gramc-no-front-end'
VOCAB=${3:-$(cd "$(dirname "$0")/../.." && pwd)/../shared/vocab/llama3}
mkdir -p d.$T; rm -f d.$T/*
nice valgrind --tool=callgrind --callgrind-out-file=d.$T/cg \
  "$FRONT" \
  '--toggle-collect=$s9TokenMask15CompiledGrammarV_10vocabulary6limitsAC0D0AFV_AA18PreparedVocabularyC8Automata13CompileLimitsVtAF0D5ErrorVYKcfC' \
  '--toggle-collect=*BenchCommandO11replayTimed*' '--dump-before=$s3CLI8readJSONy7Grammar9JSONValueOSSAA8CLIErrorVYKF' \
  $B bench --vocab "$VOCAB" --traces dumps.jsonl --json > d.$T/out.json 2> d.$T/log
python3 - $T <<'PY'
import glob,re,sys,statistics
T=sys.argv[1]
fs=sorted(glob.glob(f'd.{T}/cg.*'),key=lambda f:int(f.rsplit('.',1)[1]))
v=[]
for f in fs:
    for l in open(f):
        if l.startswith('totals:') or l.startswith('summary:'): v.append(int(l.split()[1])); break
m=v[-99:]
open(f'd.{T}/per-schema.txt','w').write('\n'.join(map(str,v)))
s=sorted(m)
print(T,'dumps',len(v),'median',statistics.median(m),'p25',s[25],'p75',s[75],'mean',int(statistics.mean(m)))
PY
