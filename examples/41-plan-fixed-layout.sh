# One layout evaluated (--tp and --pp given): Korthikanti 2022 Table 5's GPT-3 175B run on
# 64 A100s, measured at 13.75 s per iteration.
run plan --model=gpt3-175b --cluster=dgx-a100-80g --gpus=64 --tp=8 --pp=8 --micro_batch=1 \
  --global_batch=64 --recompute=selective --sequence_parallel
# The same with the interleaved schedule (4 chunks per stage): a quarter of the bubble.
run plan --model=gpt3-175b --cluster=dgx-a100-80g --gpus=64 --tp=8 --pp=8 --vpp=4 \
  --micro_batch=1 --global_batch=64 --recompute=selective --sequence_parallel
