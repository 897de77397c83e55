# Your own model: a Hugging Face config.json (DeepSeek-V3's published config) and a
# Megatron-LM launch line (GPT-3 175B), planned like zoo models (docs/import.md).
run describe --model=tests/data/hf/deepseek-v3.json --seq_len=4096
run memory --model=tests/data/hf/deepseek-v3.json --gpus=256 --tp=2 --pp=16 --ep=16 --etp=1 \
  --global_batch=1024 --seq_len=4096 --sequence_parallel --flash_attention --recompute=full \
  --zero=1 --cluster=dgx-h100
run plan --model=deepseek-v3 --cluster=dgx-h100 --gpus=256 --global_batch=1024 --seq_len=4096 --top=3
run memory --megatron_args="--num-layers 96 --hidden-size 12288 --num-attention-heads 96 \
  --seq-length 2048 --tokenizer-type GPT2BPETokenizer --tensor-model-parallel-size 8 \
  --pipeline-model-parallel-size 16 --micro-batch-size 1 --global-batch-size 1536 \
  --sequence-parallel --recompute-granularity selective --lr 6e-5" --gpus=1024 --cluster=dgx-a100-80g
