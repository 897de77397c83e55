"""What one training step of a torch model really holds.

Saved-for-backward bytes come from torch.autograd.graph.saved_tensors_hooks:
every tensor autograd packs is recorded once per storage (views of one storage
count once), parameters excluded (they are model states, counted separately),
and attributed to the part of the model that was running when it was packed:
"embedding" before the first block, "layer i" inside block i, "head" after
the last block. A storage packed by more than one part is a model-wide tensor
(LLaMA's rotary cos/sin tables, built once and saved by every layer) and is
attributed to "embedding", where memwall counts it. Parameter, gradient and
Adam-state bytes are read from the tensors after one optimizer step.
"""
import torch


def _storage(t):
    s = t.storage()
    return s.data_ptr(), s.nbytes()


class SavedTensorMeter:
    """Records the bytes autograd saves, per part, de-duplicated by storage."""

    def __init__(self, model, blocks, exclude=()):
        self.part = "embedding"
        self.seen = {}  # storage pointer -> (part, bytes)
        self.shared = set()  # storages packed by more than one part
        self.tensors = []  # (part, shape, dtype, bytes) of each new storage
        self.params = {_storage(p)[0] for p in model.parameters()}
        self.params |= {_storage(t)[0] for t in exclude}
        self.handles = []
        for i, blk in enumerate(blocks):
            self.handles.append(blk.register_forward_pre_hook(self._enter(f"layer {i}")))
            self.handles.append(blk.register_forward_hook(self._leave))

    def _enter(self, name):
        def hook(module, inputs):
            self.part = name
        return hook

    def _leave(self, module, inputs, output):
        self.part = "head"

    def pack(self, t):
        ptr, nbytes = _storage(t)
        if ptr in self.seen and self.seen[ptr][0] != self.part:
            self.shared.add(ptr)
        if ptr not in self.params and ptr not in self.seen and nbytes > 0:
            self.seen[ptr] = (self.part, nbytes)
            self.tensors.append((self.part, tuple(t.shape), str(t.dtype), nbytes))
        return t

    def by_part(self):
        parts = {}
        for ptr, (part, nbytes) in self.seen.items():
            if ptr in self.shared:
                part = "embedding"
            parts[part] = parts.get(part, 0) + nbytes
        return parts

    def close(self):
        for h in self.handles:
            h.remove()


def train_step(model, blocks, inputs, loss_fn, autocast, heap=None,
               exclude_input=False, device_type="cpu"):
    """One Adam step; returns the meter and the state bytes (and, given a heap
    probe, the heap in use after the forward pass). exclude_input leaves the
    input batch out of the saved bytes, as memwall's layer graphs do."""
    opt = torch.optim.Adam(model.parameters(), lr=1e-4)
    meter = SavedTensorMeter(model, blocks,
                             exclude=(inputs,) if exclude_input else ())
    with torch.autograd.graph.saved_tensors_hooks(meter.pack, lambda t: t):
        with torch.autocast(device_type, dtype=torch.bfloat16,
                            enabled=autocast):
            loss = loss_fn(model(inputs))
    meter.close()
    heap_after_forward = heap() if heap else None
    loss.backward()
    opt.step()
    states = {
        "params": sum(p.numel() * p.element_size() for p in model.parameters()),
        "grads": sum(p.grad.numel() * p.grad.element_size()
                     for p in model.parameters() if p.grad is not None),
        "optimizer": sum(v.numel() * v.element_size()
                         for st in opt.state.values() for v in st.values()
                         if torch.is_tensor(v)),
        "param_count": sum(p.numel() for p in model.parameters()),
        "heap_after_forward": heap_after_forward,
    }
    return meter, states
