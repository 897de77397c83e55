#include "runtime/op_buffers.h"

#include <algorithm>
#include <optional>

#include "common/status.h"

namespace memwall::runtime {
namespace {

// Never an input or result value (those are >= 0).
constexpr double kSentinel = -7;

}  // namespace

Buffers::~Buffers() {
  for (void* p : owned_) comm_.Free(p);
}

absl::StatusOr<char*> Buffers::Make(int64_t bytes) {
  MEMWALL_ASSIGN_OR_RETURN(void* p,
                           comm_.Allocate(std::max<int64_t>(bytes, 16)));
  owned_.push_back(p);
  return static_cast<char*>(p);
}

absl::Status FillInputs(Communicator& comm, const Collective& collective,
                        DataType type, const Pointers& p,
                        const CollectiveCounts& counts) {
  const int64_t size = ElementSize(type);
  std::vector<char> host(static_cast<size_t>(p.buffer_count * size));
  for (int64_t i = 0; i < p.buffer_count; ++i)
    StoreElement(type, i, kSentinel, host.data());
  for (int64_t i = 0; i < counts.send_count; ++i) {
    StoreElement(
        type, p.send_offset + i,
        InputValue(type, collective.reduces, comm.size(), comm.rank(), i),
        host.data());
  }
  return comm.CopyIn(p.buffer, host.data(), p.buffer_count * size);
}

absl::StatusOr<int64_t> CountWrong(Communicator& comm,
                                   const Collective& collective, DataType type,
                                   const Pointers& p,
                                   const CollectiveCounts& counts, int root) {
  const int64_t size = ElementSize(type);
  std::vector<char> host(
      static_cast<size_t>(std::max<int64_t>(counts.recv_count, 1) * size));
  MEMWALL_RETURN_IF_ERROR(
      comm.CopyOut(host.data(), p.recv_base, counts.recv_count * size));
  const ElementContext context{comm.rank(), comm.size(), root, type, counts};
  int64_t wrong = 0;
  for (int64_t i = 0; i < counts.recv_count; ++i) {
    const std::optional<double> want = collective.expected(context, i);
    if (want.has_value() && LoadElement(type, i, host.data()) != *want) ++wrong;
  }
  return wrong;
}

}  // namespace memwall::runtime
