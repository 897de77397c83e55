# Mixture of experts with expert parallelism, and ZeRO-3 with offload.
run memory --model=mixtral-8x7b --gpus=64 --tp=2 --pp=4 --ep=8 --zero=1 --seq_len=4096 \
  --flash_attention --sequence_parallel --recompute=selective --cluster=dgx-a100-80g
run memory --model=llama3-8b --gpus=8 --zero=3 --offload=params --seq_len=8192 \
  --flash_attention --recompute=full --cluster=dgx-a100-80g
