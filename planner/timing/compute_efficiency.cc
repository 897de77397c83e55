#include "planner/timing/compute_efficiency.h"

#include <cmath>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/enum_names.h"
#include "planner/comm/efficiency.h"

namespace memwall {
namespace {

absl::Status Fraction(const std::string& field, double value) {
  if (std::isfinite(value) && value >= 0 && value <= 1) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "cluster.", field, "=", value, " must be a fraction in (0, 1]"));
}

absl::Status KernelSeconds(const std::string& field, double value) {
  if (std::isfinite(value) && value >= 0 && value <= 1e-3) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "cluster.", field, "=", value, " must be in [0, 0.001] seconds"));
}

}  // namespace

std::string StackName(Stack stack) {
  return EnumName(stack == STACK_UNSPECIFIED ? STACK_MEGATRON : stack);
}

absl::StatusOr<Stack> ParseStack(const std::string& name) {
  return ParseEnum<Stack>("stack", name);
}

absl::StatusOr<ComputeEfficiency> ComputeEfficiencyOf(
    const ClusterSpec& cluster, Stack stack) {
  const Efficiency& e = cluster.efficiency();
  for (const auto& [name, v] :
       {std::pair<const char*, double>{"gemm", e.gemm()},
        {"hbm", e.hbm()},
        {"attention", e.attention()},
        {"fp8_gemm", e.fp8_gemm()}}) {
    if (absl::Status s = Fraction(absl::StrCat("efficiency.", name), v);
        !s.ok()) {
      return s;
    }
  }
  if (absl::Status s = KernelSeconds("efficiency.kernel_s", e.kernel_s());
      !s.ok()) {
    return s;
  }
  const EfficiencyFactors base = EfficiencyOf(cluster);
  ComputeEfficiency c;
  c.gemm = base.gemm;
  c.hbm = base.hbm;
  c.attention = e.attention() > 0 ? e.attention() : c.gemm;
  c.fp8_gemm = e.fp8_gemm() > 0 ? e.fp8_gemm() : c.gemm;
  c.kernel_s = e.kernel_s();
  bool seen = false;
  for (int i = 0; i < e.stacks_size(); ++i) {
    const StackEfficiency& st = e.stacks(i);
    const std::string at = absl::StrCat("efficiency.stacks[", i, "].");
    for (const auto& [name, v] :
         {std::pair<const char*, double>{"gemm", st.gemm()},
          {"hbm", st.hbm()},
          {"attention", st.attention()},
          {"fp8_gemm", st.fp8_gemm()},
          {"overlap", st.overlap()}}) {
      if (absl::Status s = Fraction(absl::StrCat(at, name), v); !s.ok()) {
        return s;
      }
    }
    if (absl::Status s =
            KernelSeconds(absl::StrCat(at, "kernel_s"), st.kernel_s());
        !s.ok()) {
      return s;
    }
    if (st.stack() == STACK_UNSPECIFIED) {
      return absl::InvalidArgumentError(
          absl::StrCat("cluster.", at, "stack must be set"));
    }
    if (st.stack() != stack) continue;
    if (seen) {
      return absl::InvalidArgumentError(absl::StrCat(
          "cluster.", at, "stack=", Stack_Name(stack), " appears twice"));
    }
    seen = true;
    // A stack's GEMM factor also moves the defaults derived from it.
    if (st.gemm() > 0) {
      if (e.attention() <= 0) c.attention = st.gemm();
      if (e.fp8_gemm() <= 0) c.fp8_gemm = st.gemm();
      c.gemm = st.gemm();
    }
    if (st.hbm() > 0) c.hbm = st.hbm();
    if (st.attention() > 0) c.attention = st.attention();
    if (st.fp8_gemm() > 0) c.fp8_gemm = st.fp8_gemm();
    if (st.has_kernel_s()) c.kernel_s = st.kernel_s();
    c.overlap = st.overlap();
  }
  return c;
}

}  // namespace memwall
