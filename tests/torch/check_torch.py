"""memwall's eager convention against real PyTorch training steps.

For each configuration: build the model (random weights), run one Adam step on
CPU (fp32, or bf16 under torch.autocast), measure saved-for-backward bytes per
layer (measure.py) and the parameter, gradient and optimizer bytes, cross-check
the saved bytes with the process heap, write the model as a memwall text proto,
run `memwall memory --kernels=eager --kernel_device=cpu --layers`, and hold
memwall's figures against the measured ones: within 1% per layer and in total
for the transformers, 2% in total for the torchvision CNNs (the graph
accounting). Usage: check_torch.py MEMWALL_BINARY [--table]
Exit 0 when every check passes, 1 otherwise; 77 (skip) without torch.
"""
import ctypes
import json
import os
import subprocess
import sys
import tempfile

try:
    import torch
    import torch.nn.functional as F
except ImportError as err:  # the ctest driver picks an interpreter with torch
    print(f"SKIP: torch is not importable ({err})")
    sys.exit(77)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import measure  # noqa: E402
import models  # noqa: E402
from models import Config  # noqa: E402

TOLERANCE = 0.01
CNN_TOLERANCE = 0.02

# (name, config, micro-batch, autocast). h, heads, KV heads, FFN, sequence,
# batch and dropout vary; every family runs in fp32 and under bf16 autocast.
TRANSFORMERS = [
    ("gpt2-a", Config("gpt2", 2, 64, 4, 256, 1000, 32, dropout=0.1), 2, False),
    ("gpt2-a", Config("gpt2", 2, 64, 4, 256, 1000, 32, dropout=0.1), 2, True),
    ("gpt2-b", Config("gpt2", 3, 96, 6, 320, 512, 48), 1, False),
    ("gpt2-b", Config("gpt2", 3, 96, 6, 320, 512, 48), 1, True),
    ("bert-a", Config("bert", 2, 64, 4, 256, 800, 40, dropout=0.1), 2, False),
    ("bert-a", Config("bert", 2, 64, 4, 256, 800, 40, dropout=0.1), 2, True),
    ("bert-b", Config("bert", 2, 128, 8, 512, 600, 24), 3, False),
    ("bert-b", Config("bert", 2, 128, 8, 512, 600, 24), 3, True),
    ("llama-gqa", Config("llama", 2, 64, 8, 176, 700, 32, kv_heads=2), 2, False),
    ("llama-gqa", Config("llama", 2, 64, 8, 176, 700, 32, kv_heads=2), 2, True),
    ("llama-mha", Config("llama", 2, 96, 4, 256, 500, 40), 1, False),
    ("llama-mqa", Config("llama", 3, 128, 8, 344, 900, 24, kv_heads=1), 2, True),
]

# torchvision models in memwall's zoo: (zoo name, constructor, image size).
CNNS = [("alexnet", "alexnet", 224), ("resnet152", "resnet152", 224),
        ("densenet201", "densenet201", 224)]


class MallInfo2(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks",
        "uordblks", "fordblks", "keepcost")]


def heap_bytes():
    """glibc's bytes in use (arena + mmapped chunks), or None if unavailable."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallinfo2.restype = MallInfo2
        info = libc.mallinfo2()
        return info.uordblks + info.hblkhd
    except (OSError, AttributeError):
        return None


def run_memwall(binary, args):
    out = subprocess.run([binary, "memory", "--format=json"] + args,
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"memwall {' '.join(args)}: {out.stderr.strip()}")
    return json.loads(out.stdout)


def ratio(pred, meas):
    return pred / meas if meas else float("inf")


class Checker:
    def __init__(self):
        self.failures = []
        self.rows = []  # (config, part, measured, predicted)

    def check(self, config, part, measured, predicted, tolerance):
        self.rows.append((config, part, measured, predicted))
        if abs(ratio(predicted, measured) - 1) > tolerance:
            self.failures.append(
                f"{config} {part}: measured {measured}, memwall {predicted}")


def measure_transformer(c, batch, autocast):
    torch.manual_seed(0)
    model = models.build(c)
    model.train()
    ids = torch.randint(0, c.vocab, (batch, c.seq))

    def loss_fn(logits):
        return F.cross_entropy(logits.float().view(-1, c.vocab), ids.view(-1))

    before = heap_bytes()
    meter, states = measure.train_step(model, model.blocks, ids, loss_fn,
                                       autocast, heap=heap_bytes)
    states["heap_before"] = before
    return meter, states


def check_transformer(binary, checker, tmp, name, c, batch, autocast):
    label = f"{name} {'bf16-autocast' if autocast else 'fp32'} b{batch}"
    meter, states = measure_transformer(c, batch, autocast)
    parts = meter.by_part()
    path = os.path.join(tmp, f"{name}.textproto")
    with open(path, "w") as f:
        f.write(models.to_textproto(c, name))
    args = [f"--model={path}", "--kernels=eager", "--kernel_device=cpu",
            f"--micro_batch={batch}", f"--seq_len={c.seq}", "--layers"]
    args += ["--dtype=bf16", "--mixed_precision=autocast"] if autocast else [
        "--dtype=fp32"]
    report = run_memwall(binary, args)
    predicted = {p["name"]: int(p["saved_bytes"])
                 for p in report["layer_activations"]}
    for part in predicted:
        checker.check(label, part, parts.get(part, 0), predicted[part],
                      TOLERANCE)
    measured_total = sum(parts.values())
    checker.check(label, "total", measured_total, sum(predicted.values()),
                  TOLERANCE)
    stage = report["stages"][0]
    checker.check(label, "activations (stage)", measured_total,
                  int(stage["activations_bytes"]), TOLERANCE)
    if int(report["params"]) != states["param_count"]:
        checker.failures.append(f"{label} params: torch {states['param_count']}"
                                f", memwall {report['params']}")
    for key, field in (("params", "weights_bytes"), ("grads", "gradients_bytes"),
                       ("optimizer", "optimizer_bytes")):
        checker.check(label, field, states[key], int(stage[field]), TOLERANCE)
    heap = states.get("heap_after_forward")
    if heap is not None and states["heap_before"] is not None:
        # Every saved tensor is resident after the forward pass.
        delta = heap - states["heap_before"]
        if delta < 0.9 * measured_total:
            checker.failures.append(f"{label}: heap grew {delta} bytes in the "
                                    f"forward, less than the {measured_total} "
                                    "saved")
        checker.rows.append((label, "heap growth (forward)", measured_total,
                             delta))


def check_two_micro_batches(binary, checker, tmp):
    """Two micro-batches in flight, each forward in its own autocast region (as
    a pipeline schedule or a training loop runs them): each graph keeps its own
    16-bit weight copies, so every layer holds twice one micro-batch's bytes,
    which is how memwall counts them (per micro-batch in flight)."""
    c = Config("gpt2", 2, 64, 4, 256, 1000, 32)
    torch.manual_seed(0)
    model = models.build(c)
    model.train()
    meter = measure.SavedTensorMeter(model, model.blocks)
    losses = []
    with torch.autograd.graph.saved_tensors_hooks(meter.pack, lambda t: t):
        for _ in range(2):
            ids = torch.randint(0, c.vocab, (1, c.seq))
            with torch.autocast("cpu", dtype=torch.bfloat16):
                logits = model(ids)
            losses.append(F.cross_entropy(logits.float().view(-1, c.vocab),
                                          ids.view(-1)))
    meter.close()
    path = os.path.join(tmp, "two-micro-batches.textproto")
    with open(path, "w") as f:
        f.write(models.to_textproto(c, "two-micro-batches"))
    report = run_memwall(binary, [
        f"--model={path}", "--kernels=eager", "--kernel_device=cpu",
        "--micro_batch=1", f"--seq_len={c.seq}", "--layers", "--dtype=bf16",
        "--mixed_precision=autocast"])
    predicted = {p["name"]: int(p["saved_bytes"])
                 for p in report["layer_activations"]}
    parts = meter.by_part()
    for i in range(c.layers):
        part = f"layer {i}"
        checker.check("gpt2 bf16-autocast 2 x b1 in flight", part,
                      parts.get(part, 0), 2 * predicted[part], TOLERANCE)


def check_cnn(binary, checker, zoo_name, ctor, image):
    import torchvision
    torch.manual_seed(0)
    model = getattr(torchvision.models, ctor)()
    model.train()
    batch = 1
    x = torch.randn(batch, 3, image, image)
    target = torch.zeros(batch, dtype=torch.long)

    def loss_fn(out):
        return F.cross_entropy(out, target)

    # The graph accounting leaves the input batch out (docs/layer-graphs.md).
    meter, states = measure.train_step(model, [], x, loss_fn, False,
                                       exclude_input=True)
    measured = sum(meter.by_part().values())
    report = run_memwall(binary, [f"--model={zoo_name}", "--dtype=fp32",
                                  f"--micro_batch={batch}",
                                  f"--image_size={image}"])
    stage = report["stages"][0]
    label = f"{zoo_name} fp32 b{batch}"
    checker.check(label, "activations (stage)", measured,
                  int(stage["activations_bytes"]), CNN_TOLERANCE)
    for key, field in (("params", "weights_bytes"), ("grads", "gradients_bytes"),
                       ("optimizer", "optimizer_bytes")):
        checker.check(label, field, states[key], int(stage[field]), TOLERANCE)


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    binary = sys.argv[1]
    torch.set_num_threads(2)
    checker = Checker()
    with tempfile.TemporaryDirectory() as tmp:
        for name, c, batch, autocast in TRANSFORMERS:
            check_transformer(binary, checker, tmp, name, c, batch, autocast)
        check_two_micro_batches(binary, checker, tmp)
    for zoo_name, ctor, image in CNNS:
        check_cnn(binary, checker, zoo_name, ctor, image)
    print(f"# {'configuration':28s} {'part':22s} {'measured B':>12s} "
          f"{'memwall B':>12s} {'ratio':>7s}")
    for config, part, measured, predicted in checker.rows:
        if "--table" in sys.argv or not part.startswith("layer "):
            print(f"  {config:28s} {part:22s} {measured:12d} {predicted:12d} "
                  f"{ratio(predicted, measured):7.4f}")
    for f in checker.failures:
        print("FAIL:", f)
    print(f"{len(TRANSFORMERS)} transformer and {len(CNNS)} CNN configurations,"
          f" {len(checker.failures)} failures")
    return 1 if checker.failures else 0


if __name__ == "__main__":
    sys.exit(main())
