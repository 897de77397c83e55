# Bad input is exit status 2 with the field and value named; "does not fit" is a result.
run plan --model=gpt3-175b --cluster=dgx-a100-80g --gpus=80 --tp=5 || true
run plan --model=gpt3-175b --cluster=dgx-a100-80g --gpus=64 --cluster_set='num_nodes: 4' || true
run plan --model=gpt3-175b --cluster=dgx-a100-80g --gpus=8 --global_batch=64 --offload=none
# Layer-graph models (CNNs, LSTMs) have no transformer layout search: memwall memory plans them.
run plan --model=resnet152 --cluster=dgx-a100-80g --gpus=8 || true
