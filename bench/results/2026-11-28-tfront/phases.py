"""Per-trace compile + first mask, front end, CompiledGrammar.init and first mask (inclusive
instructions) of the last N dumps of callgrind-dumps.sh TAG (run in a folder holding dumps.jsonl
and d.TAG; the last schema's dump is the file without a number). Usage: phases.py TAG [N=19]."""
import glob,json,re,subprocess,sys
T=sys.argv[1]; n=int(sys.argv[2]) if len(sys.argv)>2 else 19
fs=sorted(glob.glob(f'd.{T}/cg.*'),key=lambda f:int(f.rsplit('.',1)[1]))+[f'd.{T}/cg']
fs=fs[-n:]
names=[json.loads(l)['id'] for l in open('dumps.jsonl')][-n:]
keys={'front':'JSONSchemaCompilerV7compile','init':'15CompiledGrammarV_10vocabulary','mask':'replayTimed'}
print('%-45s %12s %12s %12s %12s'%('trace','total','front','init','mask'))
S=[0,0,0,0]
for f,nm in zip(fs,names):
    out=subprocess.run(f"callgrind_annotate --inclusive=yes --threshold=100 {f}",shell=True,capture_output=True,text=True).stdout
    tot=None;vals={}
    for l in out.splitlines():
        m=re.match(r'\s*([\d,]+) \([^)]*\)\s+PROGRAM TOTALS',l)
        if m: tot=int(m.group(1).replace(',',''))
        m=re.match(r'\s*([\d,]+) \([^)]*\)\s+\*?\s*(\S.*)$',l)
        if m:
            for k,s in keys.items():
                if s in m.group(2) and k not in vals: vals[k]=int(m.group(1).replace(',',''))
    r=[tot,vals.get('front',0),vals.get('init',0),vals.get('mask',0)]
    S=[a+b for a,b in zip(S,r)]
    print('%-45s %12s %12s %12s %12s'%(nm,*[f'{x:,}' for x in r]))
print('%-45s %12s %12s %12s %12s'%('SUM',*[f'{x:,}' for x in S]))
