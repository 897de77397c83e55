# Predictions for Open MPI on the emulated cluster (network namespaces, 1 Gbit/s links, TCP
# goodput 1e9/8 x 1448/1514): what memwall-run holds its measurements against.
run comm --cluster=netns-tcp-1g --op=all_reduce --bytes=32M --mpi_algorithm=ring
run comm --cluster=netns-tcp-1g --op=reduce_scatter --bytes=32M --mpi_algorithm=tuned_default
run comm --cluster=netns-tcp-1g --op=broadcast --bytes=8M --mpi_algorithm=pipeline
# Two nodes of two ranks: the hierarchical (HAN) all-reduce beats the NIC rate by 1.5x.
run comm --cluster=netns-tcp-1g-2x2 --op=all_reduce --bytes=32M --mpi_algorithm=hierarchical
run comm --cluster=netns-tcp-1g-2x2 --op=all_reduce --bytes=32M --mpi_algorithm=ring
