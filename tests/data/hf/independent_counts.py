# Independent parameter totals and forward FLOPs for the configurations in this
# folder, written from each architecture's checkpoint tensor shapes (the
# safetensors names of the Hugging Face modeling files), not from memwall.
# Run: python3 tests/data/hf/independent_counts.py
# Independent parameter totals from each architecture's safetensors tensor shapes.
def llama(L,h,heads,kv,hd,f,V,tied=False,qkvb=False,qkn=False,post=False,ln=False):
    n=2 if ln else 1
    attn=h*heads*hd + 2*h*kv*hd + heads*hd*h + ((heads*hd+2*kv*hd) if qkvb else 0) + (2*hd if qkn else 0)
    mlp=3*h*f
    norms=(4 if post else 2)*h*n
    return V*h*(1 if tied else 2) + L*(attn+mlp+norms) + h*n
r={}
r['llama3-8b']=llama(32,4096,32,8,128,14336,128256)
r['llama3-70b']=llama(80,8192,64,8,128,28672,128256)
r['llama3.1-405b']=llama(126,16384,128,8,128,53248,128256)
r['mistral-7b']=llama(32,4096,32,8,128,14336,32000)
r['qwen2-7b']=llama(28,3584,28,4,128,18944,152064,qkvb=True)
r['qwen3-8b']=llama(36,4096,32,8,128,12288,151936,qkn=True)
r['gemma-7b']=llama(28,3072,16,16,256,24576,256000,tied=True)
r['gemma2-27b']=llama(46,4608,32,16,128,36864,256000,tied=True,post=True)
r['phi3-mini']=llama(32,3072,32,32,96,8192,32064)
def moe(L,h,heads,kv,hd,E,fe,V,shared=0,sgate=False,qkvb=False,qkn=False,rb=False,eb=False,ab=False,sinks=False):
    attn=h*heads*hd + 2*h*kv*hd + heads*hd*h
    if qkvb: attn+=heads*hd+2*kv*hd
    if ab: attn+=heads*hd+2*kv*hd+h
    if qkn: attn+=2*hd
    if sinks: attn+=heads
    exp=E*(3*h*fe + ((2*fe+h) if eb else 0))
    router=h*E+(E if rb else 0)
    sh=3*h*shared + (h if sgate else 0)
    return 2*V*h + L*(attn+exp+router+sh+2*h) + h
r['mixtral-8x7b']=moe(32,4096,32,8,128,8,14336,32000)
r['mixtral-8x22b']=moe(56,6144,48,8,128,8,16384,32768)
r['qwen1.5-moe-a2.7b']=moe(24,2048,16,16,128,60,1408,151936,shared=5632,sgate=True,qkvb=True)
r['qwen3-30b-a3b']=moe(48,2048,32,4,128,128,768,151936,qkn=True)
r['qwen3-235b-a22b']=moe(94,4096,64,4,128,128,1536,151936,qkn=True)
r['gpt-oss-120b']=moe(36,2880,64,8,64,128,2880,201088,rb=True,eb=True,ab=True,sinks=True)
r['gpt-oss-20b']=moe(24,2880,64,8,64,32,2880,201088,rb=True,eb=True,ab=True,sinks=True)
# DeepSeek-V3 (modeling_deepseek.py tensor names)
h,V,L,heads=7168,129280,61,128
ql,kvl,dn,dr,dv=1536,512,128,64,128
attn=h*ql+ql+ql*heads*(dn+dr)+h*(kvl+dr)+kvl+kvl*heads*(dn+dv)+heads*dv*h
dense=3*h*18432
E,fe=256,2048
moel=E*3*h*fe+3*h*fe+h*E+E
main=V*h*2+3*(attn+dense+2*h)+58*(attn+moel+2*h)+h
mtp=2*h+2*h*h+(attn+moel+2*h)+h+2*V*h
r['deepseek-v3 (main)']=main
r['deepseek-v3 (checkpoint)']=main+mtp
def gpt2(L,h,V,P,f=None):
    f=f or 4*h
    return V*h+P*h+L*(4*h*h+4*h + 2*h*f+f+h + 4*h)+2*h
r['gpt2']=gpt2(12,768,50257,1024)
r['gpt2-xl']=gpt2(48,1600,50257,1024)
def neox(L,h,V,f):
    return 2*V*h+L*(4*h*h+4*h+2*h*f+f+h+4*h)+2*h
r['pythia-160m']=neox(12,768,50304,3072)
r['pythia-1b']=neox(16,2048,50304,8192)
def bert(L,h,V,P,T,f):
    return V*h+P*h+T*h+2*h+L*(4*h*h+4*h+2*h*f+f+h+4*h)+h*h+h
r['bert-base-uncased (BertModel)']=bert(12,768,30522,512,2,3072)
r['roberta-base (RobertaModel)']=bert(12,768,50265,514,1,3072)
for k,v in r.items(): print(f"{k:32s} {v:,}")

# Forward FLOPs of one sequence, counted from the active weights: every
# matmul weight a token meets costs 2 FLOPs (norms, biases, embeddings
# lookups excluded; the output layer included), plus QK^T and AV over the keys
# each query sees (no causal halving).
def attn_scores(s, a, dqk, dv, keys):
    return 2 * s * keys * a * (dqk + dv)
s = 4096
# DeepSeek-V3 (no MTP): 3 dense + 58 MoE layers, 8 routed + 1 shared expert.
attn_w = h*ql + ql*heads*(dn+dr) + h*(kvl+dr) + kvl*heads*(dn+dv) + heads*dv*h
dense_w = 3*h*18432
moe_w = 9*3*h*fe + h*E
ds = 2*s*(61*attn_w + 3*dense_w + 58*moe_w + V*h) + 61*attn_scores(s, heads, dn+dr, dv, s)
print(f"deepseek-v3 main forward flops at s=4096: {ds:.17g}")
# gpt-oss-120b: 36 layers, 18 with a 128-token window, top-4 of 128 experts.
h2, a2, kv2, d2, f2, V2 = 2880, 64, 8, 64, 2880, 201088
attn2 = 2*h2*a2*d2 + 2*h2*kv2*d2
moe2 = 4*3*h2*f2 + h2*128
go = 2*s*(36*(attn2 + moe2) + V2*h2) + 18*attn_scores(s, a2, d2, d2, s) + 18*attn_scores(s, a2, d2, d2, 128)
print(f"gpt-oss-120b forward flops at s=4096: {go:.17g}")

# The zoo's deepseek-v3: the main model plus one MTP module that shares the
# embedding and output head (arXiv 2412.19437 §2.2).
print(f"deepseek-v3 (zoo, shared MTP embeddings): {main + mtp - 2*V*h:,}")
