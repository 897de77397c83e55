# Collective time on a cluster, with nccl-tests' size and bandwidth conventions.
# One DGX A100: all-reduce busbw approaches the measured ~230 GB/s for large buffers.
run comm --cluster=dgx-a100-80g --op=all_reduce --group_size=8 --min_bytes=1M --max_bytes=1G
# One DGX H100: NVLink SHARP (NVLS) all-reduce against the plain ring.
run comm --cluster=dgx-h100 --op=all_reduce --group_size=8 --bytes=1G
run comm --cluster=dgx-h100 --op=all_reduce --group_size=8 --bytes=1G --algorithm=ring
# A data-parallel group of 64 (one GPU per node, stride 8): bound by one NDR NIC per GPU.
run comm --cluster=dgx-h100 --op=all_reduce --group_size=64 --group_stride=8 --bytes=1G
# All-to-all across 16 nodes: about one NIC per rank.
run comm --cluster=dgx-h100 --op=all_to_all --nodes=16 --bytes=1G
