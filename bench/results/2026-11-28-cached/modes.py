import json,statistics,sys
def pct(v,p): v=sorted(v); return v[min(len(v)-1,int(len(v)*p))] if v else 0
recs=[json.loads(l) for l in open(sys.argv[1])][:-1]
by={}; cached_all=[]; allv=[]
for r in recs:
    allv+=r.get('mask_ns') or []
    for t,f in zip(r.get('mask_ns') or [], r.get('forms') or []):
        eng=f>>32; mode=(f>>24)&0xff; form=f&3
        if form==0: continue
        cached_all.append(t)
        k=('keymode' if mode&3==1 else 'maycomplete' if mode&3==2 else 'nokeys' if mode&3==3 else 'notracker')+(' objkeys' if mode&4 else '')+(' uniq' if mode&8 else '')
        by.setdefault(k,[]).append((t,eng))
print('all p50',pct(allv,.5),'cached',len(cached_all),'p50',pct(cached_all,.5),'p80',pct(cached_all,.8),'p90',pct(cached_all,.9))
for k,v in sorted(by.items(), key=lambda x:-len(x[1]))[:5]:
    tot=[a for a,b in v]; rest=[a-b for a,b in v]; eng=[b for a,b in v]
    print(f"{k:28} {len(v):7} total p50 {pct(tot,.5):6} p90 {pct(tot,.9):6} | eng p50 {pct(eng,.5):5} p90 {pct(eng,.9):5} | rest p50 {pct(rest,.5):6} p80 {pct(rest,.8):6} p90 {pct(rest,.9):6} sum_ms {sum(rest)/1e6:.1f}")
