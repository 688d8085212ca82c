import re,sys,subprocess
def load(f):
    out=subprocess.run(['callgrind_annotate','--auto=no','--inclusive=no','--threshold=100',f],capture_output=True,text=True).stdout
    d={}
    for l in out.splitlines():
        m=re.match(r'\s*([\d,]+) \([^)]*\)\s+(\S.*)',l)
        if m:
            k=m.group(2); k=re.sub(r'^\S*:(?=\$s|\w)','',k,count=1) if False else k
            # merge compiler-generated and source parts by symbol
            sym=k.split(':',1)[1] if ':' in k else k
            sym=sym.split(' [')[0]
            d[sym]=d.get(sym,0)+int(m.group(1).replace(',',''))
    return d
a=load(sys.argv[1]); b=load(sys.argv[2]); n=int(sys.argv[3]) if len(sys.argv)>3 else 1
rows=sorted(((b.get(k,0)-a.get(k,0),k) for k in set(a)|set(b)),reverse=True)
for v,k in rows[:int(sys.argv[4]) if len(sys.argv)>4 else 30]:
    if v: print(f"{v:>12,} {v/n:10.1f} {k[:150]}")
