# The fewest whole nodes of DGX A100 on which GPT-3 175B trains (offload allowed), and
# without offload.
run fit --model=gpt3-175b --cluster=dgx-a100-80g
run fit --model=gpt3-175b --cluster=dgx-a100-80g --offload=none
# A layout that does not fit: by how much, and the fewest changes that fit.
run fit --model=gpt3-175b --cluster=dgx-a100-80g --gpus=64 --tp=4 --pp=4
# One that misses by a little: every single change that makes it fit.
run fit --model=gpt3-175b --cluster=dgx-a100-80g --gpus=256 --tp=8 --pp=8
