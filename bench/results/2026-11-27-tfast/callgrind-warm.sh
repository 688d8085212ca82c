#!/bin/bash
# usage: callgrind-warm.sh BINARY TAG -> per-schema warm instruction counts (front end, init, first mask)
# Run in a folder holding first1.jsonl (traces-p50.jsonl with "tokens": [], so each replay is the first
# mask only) and first2.jsonl (first1 followed by the same traces with schema paths spelled
# /work/shared/./..., so every schema is compiled a second time in a warm process).
# Per schema = (instructions of first2 - instructions of first1) / 100, collected only inside
# JSONSchemaCompiler.compile (front), CompiledGrammar.init (init) and the bench's replay (first mask).
B=$1; T=$2; export SWIFT_DETERMINISTIC_HASHING=1
for f in first1 first2; do
nice valgrind --tool=callgrind --callgrind-out-file=cg.$T.$f \
  '--toggle-collect=$s7Grammar18JSONSchemaCompilerV7compileyAA0B11CompilationVAA9JSONValueOAA0A5ErrorVYKF' \
  '--toggle-collect=$s9TokenMask15CompiledGrammarV_10vocabulary6limitsAC0D0AFV_AA18PreparedVocabularyC8Automata13CompileLimitsVtAF0D5ErrorVYKcfC' \
  '--toggle-collect=*BenchCommandO11replayTimed*' \
  $B bench --vocab /work/shared/vocab/llama3 --traces $f.jsonl --json > out.$T.$f.json 2> cg.$T.$f.log
done
python3 - $T <<'PY'
import subprocess,re,sys
T=sys.argv[1]
def get(f):
    out=subprocess.run(f"callgrind_annotate --inclusive=yes --threshold=100 {f}",shell=True,capture_output=True,text=True).stdout
    tot=int(re.search(r'([\d,]+) \(100.0%\)\s+PROGRAM TOTALS',out).group(1).replace(',',''))
    r={'total':tot}
    for key,pat in [('front','JSONSchemaCompilerV7compile'),('init','CompiledGrammarV_10vocabulary6limits'),('mask','replayTimed')]:
        v=0
        for l in out.splitlines():
            if pat in l and '[' in l:
                m=re.match(r'\s*([\d,]+)',l); v=max(v,int(m.group(1).replace(',','')))
        r[key]=v
    return r
a=get(f"cg.{T}.first1"); b=get(f"cg.{T}.first2")
print(T, "warm per schema:", {k:(b[k]-a[k])//100 for k in a}, " cold run (first1):", {k:a[k] for k in a})
PY
