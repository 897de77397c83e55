# Memory per GPU, per pipeline stage (docs/memory.md).
# Counts of one model: parameters by component, forward FLOPs, features.
run describe --model=llama3-70b
# GPT-3 175B as in Korthikanti et al. 2022 (t8 p8, SP + selective recompute), Megatron's
# accounting: stage 0 reproduces Megatron-LM's estimator (57832.19 MiB).
run memory --model=gpt3-175b --tp=8 --pp=8 --dp=1 --micro_batch=1 --global_batch=64 \
  --seq_len=2048 --sequence_parallel --recompute=selective --profile=megatron
# The same layout under the default (memwall) accounting: every stage, with overheads.
run memory --model=gpt3-175b --tp=8 --pp=8 --dp=1 --micro_batch=1 --global_batch=64 \
  --seq_len=2048 --sequence_parallel --recompute=selective --cluster=dgx-a100-80g
# Llama 3 405B on 16K H100s (Llama 3 paper §3.3: TP 8, PP 16, 8K sequence; no FlashAttention here).
run memory --model=llama3-405b --gpus=16384 --tp=8 --pp=16 --cp=1 --zero=1 \
  --micro_batch=1 --global_batch=2048 --seq_len=8192 --cluster=dgx-h100 --format=json
# The same with FlashAttention (no s x s scores) and sequence parallelism.
run memory --model=llama3-405b --gpus=16384 --tp=8 --pp=16 --zero=1 --micro_batch=1 \
  --global_batch=2048 --seq_len=8192 --flash_attention --sequence_parallel --cluster=dgx-h100
