// Open MPI 4.1 coll/tuned fixed decision rules (ompi/mca/coll/tuned/
// coll_tuned_decision_fixed.c, the rules generated from ompi-collectives-tuning
// results), for commutative operations on communicators of 2 to 7 ranks.
// Algorithms the model lacks are mapped to the nearest one in cost: segmented
// ring -> ring, butterfly -> recursive halving, two_proc -> pairwise,
// linear_sync -> linear, binary / split binary / k-nomial tree -> binomial,
// chain (fan-out 4, so at most two hops here) -> linear.
#include "planner/comm/mpi_model.h"

namespace memwall {
namespace {

struct Rule {
  double below_bytes;  // applies while the decision size is below this
  MpiAlgorithm algorithm;
};

template <size_t N>
MpiAlgorithm Pick(const Rule (&rules)[N], double size) {
  for (const Rule& r : rules) {
    if (size < r.below_bytes) return r.algorithm;
  }
  return rules[N - 1].algorithm;
}

constexpr double kMax = 1e300;
using A = MpiAlgorithm;

}  // namespace

MpiAlgorithm OpenMpiTunedChoice(Collective op, double bytes, int64_t n) {
  if (n < 2 || n >= 8) return A::kTunedDefault;
  const bool small = n < 4;
  const double per_rank = bytes / static_cast<double>(n);
  switch (op) {
    case Collective::kAllReduce: {  // decision size: the buffer (S)
      static constexpr Rule k2[] = {{8, A::kRing},
                                    {4096, A::kRecursiveDoubling},
                                    {8192, A::kRing},
                                    {16384, A::kRecursiveDoubling},
                                    {65536, A::kRing},
                                    {262144, A::kRing},
                                    {kMax, A::kRecursiveHalving}};
      static constexpr Rule k4[] = {{16, A::kRing},
                                    {8192, A::kRecursiveDoubling},
                                    {kMax, A::kRecursiveHalving}};
      return small ? Pick(k2, bytes) : Pick(k4, bytes);
    }
    case Collective::kAllGather:  // decision size: one rank's block
      return n == 2 ? A::kPairwise : A::kRecursiveDoubling;
    case Collective::kReduceScatter: {  // reduce_scatter_block; decision size:
                                        // one block
      static constexpr Rule k2[] = {{4, A::kRecursiveDoubling},
                                    {8, A::kRecursiveHalving},
                                    {16, A::kRecursiveHalving},
                                    {128, A::kRecursiveHalving},
                                    {256, A::kRecursiveHalving},
                                    {4096, A::kRecursiveHalving},
                                    {8192, A::kRecursiveHalving},
                                    {131072, A::kRecursiveHalving},
                                    {kMax, A::kLinear}};
      static constexpr Rule k4[] = {{8, A::kRecursiveHalving},
                                    {32, A::kRecursiveDoubling},
                                    {256, A::kRecursiveHalving},
                                    {8192, A::kRecursiveHalving},
                                    {16384, A::kRecursiveHalving},
                                    {1048576, A::kRecursiveHalving},
                                    {kMax, A::kLinear}};
      return small ? Pick(k2, per_rank) : Pick(k4, per_rank);
    }
    case Collective::kAllToAll: {  // decision size: the block for one peer
      static constexpr Rule k2[] = {{2, A::kPairwise}, {kMax, A::kPairwise}};
      static constexpr Rule k4[] = {
          {8192, A::kLinear},   {16384, A::kLinear},     {65536, A::kLinear},
          {524288, A::kLinear}, {1048576, A::kPairwise}, {kMax, A::kLinear}};
      return n == 2 ? Pick(k2, per_rank) : Pick(k4, per_rank);
    }
    case Collective::kBroadcast: {  // decision size: the buffer
      static constexpr Rule k2[] = {
          {32, A::kPipeline},   {256, A::kBinomial},  {512, A::kPipeline},
          {1024, A::kBinomial}, {32768, A::kLinear},  {131072, A::kBinomial},
          {262144, A::kLinear}, {524288, A::kLinear}, {1048576, A::kBinomial},
          {kMax, A::kBinomial}};
      static constexpr Rule k4[] = {{64, A::kBinomial},    {128, A::kBinomial},
                                    {2048, A::kBinomial},  {8192, A::kBinomial},
                                    {1048576, A::kLinear}, {kMax, A::kLinear}};
      return small ? Pick(k2, bytes) : Pick(k4, bytes);
    }
    case Collective::kReduce: {
      static constexpr Rule k2[] = {
          {8, A::kBinomial}, {16, A::kBinomial},
          {32, A::kPipeline},        {262144, A::kLinear},
          {524288, A::kPipeline},    {1048576, A::kLinear},
          {kMax, A::kPipeline}};
      static constexpr Rule k4[] = {
          {4096, A::kBinomial}, {65536, A::kLinear},     {262144, A::kBinomial},
          {524288, A::kLinear}, {1048576, A::kBinomial}, {kMax, A::kLinear}};
      return small ? Pick(k2, bytes) : Pick(k4, bytes);
    }
    case Collective::kSendRecv:
      return A::kPairwise;
  }
  return A::kTunedDefault;
}

}  // namespace memwall
