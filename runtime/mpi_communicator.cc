#include "runtime/mpi_communicator.h"

#include <cstdlib>
#include <cstring>
#include <vector>

#include "absl/strings/str_cat.h"

namespace memwall::runtime {
namespace {

template <float (*ToFloat)(uint16_t), uint16_t (*FromFloat)(float)>
void SumHalves(void* in, void* inout, int* len, MPI_Datatype*) {
  const auto* a = static_cast<const uint16_t*>(in);
  auto* b = static_cast<uint16_t*>(inout);
  for (int i = 0; i < *len; ++i)
    b[i] = FromFloat(ToFloat(a[i]) + ToFloat(b[i]));
}

struct HalfTypes {
  MPI_Datatype two_bytes;
  MPI_Op half_sum;
  MPI_Op bf16_sum;
  HalfTypes() {
    MPI_Type_contiguous(2, MPI_BYTE, &two_bytes);
    MPI_Type_commit(&two_bytes);
    MPI_Op_create(&SumHalves<HalfToFloat, FloatToHalf>, 1, &half_sum);
    MPI_Op_create(&SumHalves<BFloat16ToFloat, FloatToBFloat16>, 1, &bf16_sum);
  }
};

const HalfTypes& Halves() {
  static const HalfTypes* types = new HalfTypes();
  return *types;
}

absl::Status Check(int rc, const char* what) {
  if (rc == MPI_SUCCESS) return absl::OkStatus();
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  MPI_Error_string(rc, text, &length);
  return absl::InternalError(
      absl::StrCat(what, " failed: ", std::string(text, length)));
}

// MPI counts are int; larger messages are refused rather than truncated.
absl::StatusOr<int> ToInt(int64_t count) {
  if (count < 0 || count > 2147483647) {
    return absl::InvalidArgumentError(absl::StrCat(
        "count=", count, " elements exceeds the MPI limit of 2^31-1"));
  }
  return static_cast<int>(count);
}

class MpiCommunicator : public Communicator {
 public:
  MpiCommunicator(MPI_Comm comm, bool grouped_sends)
      : grouped_sends_(grouped_sends), comm_(comm) {
    MPI_Comm_rank(comm_, &rank_);
    MPI_Comm_size(comm_, &size_);
  }

  std::string backend() const override { return "mpi"; }
  int rank() const override { return rank_; }
  int size() const override { return size_; }

  absl::StatusOr<void*> Allocate(int64_t bytes) override {
    // malloc, not a page-aligned allocation: with send, receive and Open MPI's
    // own buffers all page-aligned, a large all-reduce ran at 0.79 of a bare
    // MPI_Allreduce loop on vectors (4 KiB aliasing in the reduction is the
    // likely cause); with malloc, 1.03 (docs/runtime.md, "Harness overhead").
    void* p = std::malloc(static_cast<size_t>(bytes));
    if (p == nullptr) {
      return absl::ResourceExhaustedError(
          absl::StrCat("cannot allocate ", bytes, " bytes"));
    }
    return p;
  }
  void Free(void* buffer) override { std::free(buffer); }
  absl::Status CopyIn(void* device, const void* host, int64_t bytes) override {
    if (bytes > 0) std::memcpy(device, host, static_cast<size_t>(bytes));
    return absl::OkStatus();
  }
  absl::Status CopyOut(void* host, const void* device, int64_t bytes) override {
    if (bytes > 0) std::memcpy(host, device, static_cast<size_t>(bytes));
    return absl::OkStatus();
  }

  absl::Status AllReduce(const void* send, void* recv, int64_t count,
                         DataType type) override {
    auto n = ToInt(count);
    if (!n.ok()) return n.status();
    const void* in = send == recv ? MPI_IN_PLACE : send;
    if (async_) {
      return Started(MPI_Iallreduce(in, recv, *n, MpiType(type), MpiSum(type),
                                    comm_, &request_),
                     "MPI_Iallreduce");
    }
    return Check(
        MPI_Allreduce(in, recv, *n, MpiType(type), MpiSum(type), comm_),
        "MPI_Allreduce");
  }

  absl::Status AllGather(const void* send, void* recv, int64_t count,
                         DataType type) override {
    auto n = ToInt(count);
    if (!n.ok()) return n.status();
    const char* own =
        static_cast<const char*>(recv) + rank_ * count * ElementSize(type);
    const void* in = send == own ? MPI_IN_PLACE : send;
    if (async_) {
      return Started(MPI_Iallgather(in, *n, MpiType(type), recv, *n,
                                    MpiType(type), comm_, &request_),
                     "MPI_Iallgather");
    }
    return Check(
        MPI_Allgather(in, *n, MpiType(type), recv, *n, MpiType(type), comm_),
        "MPI_Allgather");
  }

  absl::Status ReduceScatter(const void* send, void* recv, int64_t recv_count,
                             DataType type) override {
    auto n = ToInt(recv_count);
    if (!n.ok()) return n.status();
    const int64_t block_bytes = recv_count * ElementSize(type);
    char* own =
        const_cast<char*>(static_cast<const char*>(send)) + rank_ * block_bytes;
    if (async_) {
      // In place, the result would need moving once complete.
      if (recv == own) {
        return absl::UnimplementedError(
            "an in-place reduce-scatter is not started non-blocking");
      }
      return Started(MPI_Ireduce_scatter_block(send, recv, *n, MpiType(type),
                                               MpiSum(type), comm_, &request_),
                     "MPI_Ireduce_scatter_block");
    }
    if (recv != own) {
      return Check(MPI_Reduce_scatter_block(send, recv, *n, MpiType(type),
                                            MpiSum(type), comm_),
                   "MPI_Reduce_scatter_block");
    }
    // MPI leaves an in-place result at the start of the buffer; NCCL at the
    // rank's block.
    void* buffer = const_cast<void*>(send);
    absl::Status status =
        Check(MPI_Reduce_scatter_block(MPI_IN_PLACE, buffer, *n, MpiType(type),
                                       MpiSum(type), comm_),
              "MPI_Reduce_scatter_block");
    if (status.ok() && rank_ != 0)
      std::memmove(own, buffer, static_cast<size_t>(block_bytes));
    return status;
  }

  absl::Status AllToAll(const void* send, void* recv, int64_t count,
                        DataType type) override {
    auto n = ToInt(count);
    if (!n.ok()) return n.status();
    const void* in = send == recv ? MPI_IN_PLACE : send;
    return Check(
        MPI_Alltoall(in, *n, MpiType(type), recv, *n, MpiType(type), comm_),
        "MPI_Alltoall");
  }

  absl::Status Broadcast(const void* send, void* recv, int64_t count,
                         DataType type, int root) override {
    auto n = ToInt(count);
    if (!n.ok()) return n.status();
    void* buffer = rank_ == root ? const_cast<void*>(send) : recv;
    absl::Status status =
        Check(MPI_Bcast(buffer, *n, MpiType(type), root, comm_), "MPI_Bcast");
    // The root's receive buffer gets the data too, as with ncclBroadcast.
    if (status.ok() && rank_ == root && send != recv) {
      std::memcpy(recv, send, static_cast<size_t>(count * ElementSize(type)));
    }
    return status;
  }

  absl::Status Reduce(const void* send, void* recv, int64_t count,
                      DataType type, int root) override {
    auto n = ToInt(count);
    if (!n.ok()) return n.status();
    const void* in = (send == recv && rank_ == root) ? MPI_IN_PLACE : send;
    return Check(
        MPI_Reduce(in, recv, *n, MpiType(type), MpiSum(type), root, comm_),
        "MPI_Reduce");
  }

  absl::Status SendRecvRing(const void* send, void* recv, int64_t count,
                            DataType type) override {
    auto n = ToInt(count);
    if (!n.ok()) return n.status();
    const int next = (rank_ + 1) % size_;
    const int prev = (rank_ + size_ - 1) % size_;
    if (send == recv) {
      return Check(MPI_Sendrecv_replace(recv, *n, MpiType(type), next, 0, prev,
                                        0, comm_, MPI_STATUS_IGNORE),
                   "MPI_Sendrecv_replace");
    }
    return Check(MPI_Sendrecv(send, *n, MpiType(type), next, 0, recv, *n,
                              MpiType(type), prev, 0, comm_, MPI_STATUS_IGNORE),
                 "MPI_Sendrecv");
  }

  absl::Status Synchronize() override { return absl::OkStatus(); }

  bool HasPointToPoint() const override { return true; }
  absl::Status PostSend(const void* send, int64_t count, DataType type,
                        int peer) override {
    auto n = ToInt(count);
    if (!n.ok()) return n.status();
    if (grouped_sends_) {
      held_.push_back(Held{send, *n, type, peer});
      return absl::OkStatus();
    }
    MPI_Request request;
    absl::Status status =
        Check(MPI_Isend(send, *n, MpiType(type), peer, 1, comm_, &request),
              "MPI_Isend");
    if (status.ok()) sends_.push_back(request);
    return status;
  }
  absl::Status Recv(void* recv, int64_t count, DataType type,
                    int peer) override {
    auto n = ToInt(count);
    if (!n.ok()) return n.status();
    // Grouped: the held sends and this receive progress together, and the
    // call returns once all of them completed (one NCCL group).
    absl::Status status = IssueHeld();
    if (!status.ok()) return status;
    status = Check(
        MPI_Recv(recv, *n, MpiType(type), peer, 1, comm_, MPI_STATUS_IGNORE),
        "MPI_Recv");
    if (!status.ok() || !grouped_sends_) return status;
    return WaitSends();
  }
  bool HoldsSends() const override { return grouped_sends_; }
  absl::Status FlushSends() override {
    if (!grouped_sends_) return absl::OkStatus();
    absl::Status status = IssueHeld();
    if (!status.ok()) return status;
    return WaitSends();
  }
  absl::Status WaitSends() override {
    if (absl::Status status = IssueHeld(); !status.ok()) return status;
    if (sends_.empty()) return absl::OkStatus();
    absl::Status status = Check(MPI_Waitall(static_cast<int>(sends_.size()),
                                            sends_.data(), MPI_STATUSES_IGNORE),
                                "MPI_Waitall");
    sends_.clear();
    return status;
  }

  bool HasAsync() const override { return true; }
  void SetAsync(bool on) override { async_ = on; }
  absl::Status Progress() override {
    if (started_.empty()) return absl::OkStatus();
    int done = 0;
    return Check(MPI_Testall(static_cast<int>(started_.size()), started_.data(),
                             &done, MPI_STATUSES_IGNORE),
                 "MPI_Testall");
  }
  absl::Status WaitAsync() override {
    if (started_.empty()) return absl::OkStatus();
    absl::Status status =
        Check(MPI_Waitall(static_cast<int>(started_.size()), started_.data(),
                          MPI_STATUSES_IGNORE),
              "MPI_Waitall");
    started_.clear();
    return status;
  }

 private:
  // Keeps the request a non-blocking collective just wrote to request_.
  absl::Status Started(int rc, const char* what) {
    absl::Status status = Check(rc, what);
    if (status.ok()) started_.push_back(request_);
    return status;
  }

  // Held sends issued as synchronous sends (grouped mode).
  absl::Status IssueHeld() {
    for (const Held& h : held_) {
      MPI_Request request;
      absl::Status status = Check(MPI_Issend(h.send, h.count, MpiType(h.type),
                                             h.peer, 1, comm_, &request),
                                  "MPI_Issend");
      if (!status.ok()) return status;
      sends_.push_back(request);
    }
    held_.clear();
    return absl::OkStatus();
  }

  struct Held {
    const void* send;
    int count;
    DataType type;
    int peer;
  };
  bool grouped_sends_ = false;
  std::vector<Held> held_;
  std::vector<MPI_Request> sends_;
  bool async_ = false;
  MPI_Request request_ = MPI_REQUEST_NULL;
  std::vector<MPI_Request> started_;  // non-blocking collectives
  MPI_Comm comm_;
  int rank_ = 0;
  int size_ = 1;
};

}  // namespace

MPI_Datatype MpiType(DataType type) {
  switch (type) {
    case DataType::kFloat32:
      return MPI_FLOAT;
    case DataType::kInt32:
      return MPI_INT32_T;
    case DataType::kFloat16:
    case DataType::kBFloat16:
      return Halves().two_bytes;
  }
  return MPI_BYTE;
}

MPI_Op MpiSum(DataType type) {
  switch (type) {
    case DataType::kFloat16:
      return Halves().half_sum;
    case DataType::kBFloat16:
      return Halves().bf16_sum;
    default:
      return MPI_SUM;
  }
}

std::unique_ptr<Communicator> MakeMpiCommunicator(MPI_Comm comm,
                                                  bool grouped_sends) {
  return std::make_unique<MpiCommunicator>(comm, grouped_sends);
}

}  // namespace memwall::runtime
