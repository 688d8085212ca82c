"""Mean inclusive instruction counts by function over the central 80 of the last 99 dumps of
`callgrind-dumps.sh` (those between the 10th and 90th by total). Usage: aggprof.py TAG yes|no N
(TAG: the dump folder d.TAG; yes|no: callgrind_annotate --inclusive; N: rows printed)."""
import glob,re,subprocess,sys,statistics
T=sys.argv[1]; incl=sys.argv[2]; n=int(sys.argv[3])
fs=sorted(glob.glob(f'd.{T}/cg.*'),key=lambda f:int(f.rsplit('.',1)[1]))[-99:]
tot={}
for f in fs:
    for l in open(f):
        if l.startswith('totals:') or l.startswith('summary:'): tot[f]=int(l.split()[1]); break
s=sorted(tot.values()); lo,hi=s[10],s[89]
sel=[f for f in fs if lo<=tot[f]<=hi]
agg={}
for f in sel:
    out=subprocess.run(f"callgrind_annotate --inclusive={incl} --threshold=100 {f}",shell=True,capture_output=True,text=True).stdout
    seen=set()
    for l in out.splitlines():
        m=re.match(r'\s*([\d,]+) \([^)]*\)\s+\*?\s*(\S.*)$',l)
        if m and '[' in l:
            name=re.sub(r'\s*\[.*$','',m.group(2)).split(':')[-1].strip()
            agg[name]=agg.get(name,0)+int(m.group(1).replace(',',''))
rows=sorted(((v//len(sel),k) for k,v in agg.items()),reverse=True)
print('schemas',len(sel),'mean total',sum(tot[f] for f in sel)//len(sel))
for v,k in rows[:n]:
    dem=subprocess.run(['swift','demangle','--simplified','--compact',k],capture_output=True,text=True).stdout.strip()
    print(f"{v:>10,}  {dem[:170]}")
