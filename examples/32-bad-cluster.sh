# Asking for more GPUs than the cluster has is an error naming both (exit status 2).
run comm --cluster=dgx-a100-80g --set='num_nodes: 2' --gpus=32 || true
