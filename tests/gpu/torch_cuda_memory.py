"""memwall's eager and fused predictions against one training step on CUDA.

Runs the tests/torch transformers (larger shapes) for one Adam step on the
first CUDA device, in fp32 and under bf16 autocast, and prints per model:
the saved-for-backward bytes (saved-tensor hooks, de-duplicated by storage),
torch.cuda.max_memory_allocated and memory_reserved, beside memwall's
`--kernels=eager --kernel_device=cuda` and `--kernels=fused` activations, its
model states, and the memwall profile's other terms (CUDA context, buffers,
allocator headroom). Fails (exit 1) when the eager saved bytes differ from the
measured by more than 1% in any part or in total; the allocator figures are
printed, not asserted (they include workspaces, the logits and their
gradient, and the caching allocator's rounding).
Usage: torch_cuda_memory.py MEMWALL_BINARY
Exit 77 (skip) with the reason where torch or a CUDA device is missing.
"""
import json
import os
import subprocess
import sys
import tempfile

try:
    import torch
    import torch.nn.functional as F
except ImportError as err:
    print(f"SKIP: torch is not importable ({err})")
    sys.exit(77)
if not torch.cuda.is_available():
    print("SKIP: torch sees no CUDA device (torch.cuda.is_available() is False)")
    sys.exit(77)

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "torch"))
import measure  # noqa: E402
import models  # noqa: E402
from models import Config  # noqa: E402

TOLERANCE = 0.01
MIB = 2.0 ** 20

# (name, config, micro-batch, autocast): sizes where activations, not the
# weight copies, dominate.
CONFIGS = [
    ("gpt2-gpu", Config("gpt2", 4, 1024, 16, 4096, 32000, 512, dropout=0.1), 4,
     False),
    ("gpt2-gpu", Config("gpt2", 4, 1024, 16, 4096, 32000, 512, dropout=0.1), 4,
     True),
    ("bert-gpu", Config("bert", 4, 768, 12, 3072, 30522, 512, dropout=0.1), 4,
     True),
    ("llama-gpu", Config("llama", 4, 2048, 16, 5632, 32000, 1024, kv_heads=4),
     2, True),
]


def memwall(binary, args):
    out = subprocess.run([binary, "memory", "--format=json"] + args,
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"memwall {' '.join(args)}: {out.stderr.strip()}")
    return json.loads(out.stdout)


def run(binary, tmp, name, c, batch, autocast, failures):
    device = torch.device("cuda")
    torch.manual_seed(0)
    model = models.build(c).to(device)
    model.train()
    ids = torch.randint(0, c.vocab, (batch, c.seq), device=device)

    def loss_fn(logits):
        return F.cross_entropy(logits.float().view(-1, c.vocab), ids.view(-1))

    torch.cuda.synchronize()
    torch.cuda.reset_peak_memory_stats()
    base = torch.cuda.memory_allocated()
    meter, states = measure.train_step(model, model.blocks, ids, loss_fn,
                                       autocast, device_type="cuda")
    torch.cuda.synchronize()
    peak = torch.cuda.max_memory_allocated() - base
    reserved = torch.cuda.memory_reserved()
    parts = meter.by_part()
    measured = sum(parts.values())

    path = os.path.join(tmp, f"{name}.textproto")
    with open(path, "w") as f:
        f.write(models.to_textproto(c, name))
    common = [f"--model={path}", f"--micro_batch={batch}",
              f"--seq_len={c.seq}", "--layers"]
    common += (["--dtype=bf16", "--mixed_precision=autocast"] if autocast
               else ["--dtype=fp32"])
    eager = memwall(binary, common + ["--kernels=eager",
                                      "--kernel_device=cuda"])
    fused = memwall(binary, common + ["--kernels=fused"])
    predicted = {p["name"]: int(p["saved_bytes"])
                 for p in eager["layer_activations"]}
    label = f"{name} {'bf16-autocast' if autocast else 'fp32'} b{batch}"
    for part, bytes_ in predicted.items():
        got = parts.get(part, 0)
        if got == 0 or abs(bytes_ / got - 1) > TOLERANCE:
            failures.append(f"{label} {part}: measured {got}, eager {bytes_}")
    eager_total = sum(predicted.values())
    fused_total = sum(int(p["saved_bytes"]) for p in fused["layer_activations"])
    if abs(eager_total / measured - 1) > TOLERANCE:
        failures.append(f"{label} total: measured {measured}, eager "
                        f"{eager_total}")
    stage = eager["stages"][0]
    states_pred = sum(int(stage[k]) for k in (
        "weights_bytes", "gradients_bytes", "optimizer_bytes"))
    states_meas = states["params"] + states["grads"] + states["optimizer"]
    other = {k: int(v) for k, v in stage.get("other_items", {}).items()}
    print(f"{label:28s} saved {measured / MIB:9.2f} MiB  eager "
          f"{eager_total / MIB:9.2f} ({eager_total / measured:.4f})  fused "
          f"{fused_total / MIB:9.2f} ({fused_total / measured:.4f})")
    print(f"{'':28s} states {states_meas / MIB:9.2f} MiB  memwall "
          f"{states_pred / MIB:9.2f}; max_memory_allocated (step) "
          f"{peak / MIB:9.2f} MiB vs eager activations + states "
          f"{(eager_total + states_pred) / MIB:9.2f}; memory_reserved "
          f"{reserved / MIB:9.2f} MiB; memwall other terms (MiB) "
          + ", ".join(f"{k} {v / MIB:.1f}" for k, v in sorted(other.items())))
    del model, meter
    torch.cuda.empty_cache()


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    binary = sys.argv[1]
    print(f"# device: {torch.cuda.get_device_name(0)}, torch {torch.__version__}")
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, c, batch, autocast in CONFIGS:
            run(binary, tmp, name, c, batch, autocast, failures)
    for f in failures:
        print("FAIL:", f)
    print(f"{len(CONFIGS)} configurations, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
