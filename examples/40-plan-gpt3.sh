# The fastest layouts of GPT-3 175B on 1024 A100s (global batch 1536, sequence 2048): the
# search covers dp, tp, pp, vpp, cp, micro-batch, ZeRO, recompute, SP, flash attention,
# overlaps, rank order and offload, and counts what it rejected and why.
run plan --model=gpt3-175b --cluster=dgx-a100-80g --gpus=1024 --global_batch=1536 --seq_len=2048
# The same search with the Megatron-LM choices of Korthikanti 2022 fixed (TP 8, SP,
# selective recompute, no flash attention, no ZeRO): the remaining choices are searched.
run plan --model=gpt3-175b --cluster=dgx-a100-80g --gpus=1024 --global_batch=1536 --tp=8 \
  --sequence_parallel --recompute=selective --flash_attention=false --zero=0 --top=3
