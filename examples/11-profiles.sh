# One model, five accountings (--profile): what each source would say.
# DeepSpeed's estimator for t5-3b on one node of 8 GPUs, ZeRO-3 (DeepSpeed memory.rst).
run memory --model=t5-3b --gpus=8 --zero=3 --profile=deepspeed
run memory --model=t5-3b --gpus=8 --zero=3 --offload=optimizer --profile=deepspeed
# The ZeRO paper's 16-byte family (GB = 1e9): 7.5B-class model states fall with ZeRO stages.
run memory --model=llama2-7b --gpus=64 --zero=1 --profile=zero --seq_len=1024
run memory --model=llama2-7b --gpus=64 --zero=3 --profile=zero --seq_len=1024
# The founding tables' convention (fp32, no gradients, Adam = 2x weights): GPT-2 XL, batch 1.
run memory --model=gpt2-xl --profile=seed
# Megatron's distributed optimizer (6 + 12/d bytes per parameter) on 22B at d = 8.
run memory --model=megatron-22b --gpus=64 --tp=8 --distributed_optimizer --micro_batch=4 \
  --sequence_parallel --recompute=selective --profile=megatron
