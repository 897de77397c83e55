#include "runtime/nccl_communicator.h"

#include <cuda_runtime.h>
#include <nccl.h>

#include <cstring>
#include <vector>

#include "absl/strings/str_cat.h"

namespace memwall::runtime {
namespace {

absl::Status CudaCheck(cudaError_t rc, const char* what) {
  if (rc == cudaSuccess) return absl::OkStatus();
  return absl::InternalError(absl::StrCat(what, ": ", cudaGetErrorString(rc)));
}

absl::Status NcclCheck(ncclResult_t rc, const char* what) {
  if (rc == ncclSuccess) return absl::OkStatus();
  return absl::InternalError(absl::StrCat(what, ": ", ncclGetErrorString(rc),
                                          " (", ncclGetLastError(nullptr),
                                          ")"));
}

ncclDataType_t NcclType(DataType type) {
  switch (type) {
    case DataType::kFloat32:
      return ncclFloat32;
    case DataType::kFloat16:
      return ncclFloat16;
    case DataType::kBFloat16:
      return ncclBfloat16;
    case DataType::kInt32:
      return ncclInt32;
  }
  return ncclFloat32;
}

class NcclCommunicator : public Communicator {
 public:
  NcclCommunicator(ncclComm_t comm, cudaStream_t stream, int rank, int size)
      : comm_(comm), stream_(stream), rank_(rank), size_(size) {}
  ~NcclCommunicator() override {
    if (scratch_ != nullptr) cudaFree(scratch_);
    ncclCommDestroy(comm_);
    cudaStreamDestroy(stream_);
  }

  std::string backend() const override { return "nccl"; }
  int rank() const override { return rank_; }
  int size() const override { return size_; }

  absl::StatusOr<void*> Allocate(int64_t bytes) override {
    void* p = nullptr;
    absl::Status s =
        CudaCheck(cudaMalloc(&p, static_cast<size_t>(bytes)), "cudaMalloc");
    if (!s.ok()) return s;
    return p;
  }
  void Free(void* buffer) override { cudaFree(buffer); }
  absl::Status CopyIn(void* device, const void* host, int64_t bytes) override {
    return CudaCheck(cudaMemcpy(device, host, static_cast<size_t>(bytes),
                                cudaMemcpyHostToDevice),
                     "cudaMemcpy");
  }
  absl::Status CopyOut(void* host, const void* device, int64_t bytes) override {
    return CudaCheck(cudaMemcpy(host, device, static_cast<size_t>(bytes),
                                cudaMemcpyDeviceToHost),
                     "cudaMemcpy");
  }

  absl::Status AllReduce(const void* send, void* recv, int64_t count,
                         DataType type) override {
    return NcclCheck(ncclAllReduce(send, recv, static_cast<size_t>(count),
                                   NcclType(type), ncclSum, comm_, stream_),
                     "ncclAllReduce");
  }
  absl::Status AllGather(const void* send, void* recv, int64_t count,
                         DataType type) override {
    return NcclCheck(ncclAllGather(send, recv, static_cast<size_t>(count),
                                   NcclType(type), comm_, stream_),
                     "ncclAllGather");
  }
  absl::Status ReduceScatter(const void* send, void* recv, int64_t recv_count,
                             DataType type) override {
    return NcclCheck(
        ncclReduceScatter(send, recv, static_cast<size_t>(recv_count),
                          NcclType(type), ncclSum, comm_, stream_),
        "ncclReduceScatter");
  }
  // NCCL's AlltoAll is a group of point-to-point calls, as in nccl-tests
  // src/alltoall.cu.
  absl::Status AllToAll(const void* send, void* recv, int64_t count,
                        DataType type) override {
    const size_t bytes = static_cast<size_t>(count * ElementSize(type));
    if (send == recv) {
      auto staged = Stage(send, bytes * size_);
      if (!staged.ok()) return staged.status();
      send = *staged;
    }
    ncclGroupStart();
    for (int peer = 0; peer < size_; ++peer) {
      ncclSend(static_cast<const char*>(send) + peer * bytes,
               static_cast<size_t>(count), NcclType(type), peer, comm_,
               stream_);
      ncclRecv(static_cast<char*>(recv) + peer * bytes,
               static_cast<size_t>(count), NcclType(type), peer, comm_,
               stream_);
    }
    return NcclCheck(ncclGroupEnd(), "ncclAlltoAll");
  }
  absl::Status Broadcast(const void* send, void* recv, int64_t count,
                         DataType type, int root) override {
    return NcclCheck(ncclBroadcast(send, recv, static_cast<size_t>(count),
                                   NcclType(type), root, comm_, stream_),
                     "ncclBroadcast");
  }
  absl::Status Reduce(const void* send, void* recv, int64_t count,
                      DataType type, int root) override {
    return NcclCheck(ncclReduce(send, recv, static_cast<size_t>(count),
                                NcclType(type), ncclSum, root, comm_, stream_),
                     "ncclReduce");
  }
  absl::Status SendRecvRing(const void* send, void* recv, int64_t count,
                            DataType type) override {
    if (send == recv) {
      auto staged = Stage(send, static_cast<size_t>(count * ElementSize(type)));
      if (!staged.ok()) return staged.status();
      send = *staged;
    }
    ncclGroupStart();
    ncclSend(send, static_cast<size_t>(count), NcclType(type),
             (rank_ + 1) % size_, comm_, stream_);
    ncclRecv(recv, static_cast<size_t>(count), NcclType(type),
             (rank_ + size_ - 1) % size_, comm_, stream_);
    return NcclCheck(ncclGroupEnd(), "ncclSend/ncclRecv");
  }

  absl::Status Synchronize() override {
    return CudaCheck(cudaStreamSynchronize(stream_), "cudaStreamSynchronize");
  }

  // Pipeline messages (communicator.h): a send holds the stream until the
  // peer receives, so sends are held back and issued in one group with the
  // next receive (ncclGroupStart/End, as Megatron-LM batches
  // send_forward_recv_backward), or alone at FlushSends / WaitSends; each
  // group is waited for.
  bool HasPointToPoint() const override { return true; }
  bool HoldsSends() const override { return true; }
  absl::Status PostSend(const void* send, int64_t count, DataType type,
                        int peer) override {
    held_.push_back(Held{send, count, type, peer});
    return absl::OkStatus();
  }
  absl::Status Recv(void* recv, int64_t count, DataType type,
                    int peer) override {
    return Group(recv, count, type, peer);
  }
  absl::Status FlushSends() override {
    if (held_.empty()) return absl::OkStatus();
    return Group(nullptr, 0, DataType::kFloat32, -1);
  }
  absl::Status WaitSends() override { return FlushSends(); }

 private:
  struct Held {
    const void* send;
    int64_t count;
    DataType type;
    int peer;
  };

  // The held sends and, when `peer` >= 0, a receive, as one group; returns
  // once all of them completed.
  absl::Status Group(void* recv, int64_t count, DataType type, int peer) {
    absl::Status s = NcclCheck(ncclGroupStart(), "ncclGroupStart");
    for (const Held& h : held_) {
      if (!s.ok()) break;
      s = NcclCheck(ncclSend(h.send, static_cast<size_t>(h.count),
                             NcclType(h.type), h.peer, comm_, stream_),
                    "ncclSend");
    }
    held_.clear();
    if (s.ok() && peer >= 0) {
      s = NcclCheck(ncclRecv(recv, static_cast<size_t>(count), NcclType(type),
                             peer, comm_, stream_),
                    "ncclRecv");
    }
    // The group is closed even after an error, so NCCL is not left inside it.
    const absl::Status end = NcclCheck(ncclGroupEnd(), "ncclGroupEnd");
    if (!s.ok()) return s;
    if (!end.ok()) return end;
    return Synchronize();
  }

  std::vector<Held> held_;
  // In place, point-to-point exchanges send from a copy of the buffer
  // (stream-ordered).
  absl::StatusOr<const void*> Stage(const void* data, size_t bytes) {
    if (bytes > scratch_bytes_) {
      if (scratch_ != nullptr) cudaFree(scratch_);
      scratch_ = nullptr;
      scratch_bytes_ = 0;
      absl::Status s = CudaCheck(cudaMalloc(&scratch_, bytes), "cudaMalloc");
      if (!s.ok()) return s;
      scratch_bytes_ = bytes;
    }
    absl::Status s =
        CudaCheck(cudaMemcpyAsync(scratch_, data, bytes,
                                  cudaMemcpyDeviceToDevice, stream_),
                  "cudaMemcpyAsync");
    if (!s.ok()) return s;
    return scratch_;
  }

  void* scratch_ = nullptr;
  size_t scratch_bytes_ = 0;
  ncclComm_t comm_;
  cudaStream_t stream_;
  int rank_;
  int size_;
};

}  // namespace

bool NcclAvailable() { return true; }

absl::StatusOr<std::unique_ptr<Communicator>> MakeNcclCommunicator(
    MPI_Comm group, MPI_Comm world) {
  // Every rank probes; all fail together when any has no GPU, so none waits in
  // NCCL init.
  MPI_Comm local;
  MPI_Comm_split_type(world, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &local);
  int local_rank = 0;
  MPI_Comm_rank(local, &local_rank);
  MPI_Comm_free(&local);
  int devices = 0;
  const cudaError_t probe = cudaGetDeviceCount(&devices);
  std::string reason;
  if (probe != cudaSuccess) {
    reason = cudaGetErrorString(probe);
  } else if (devices < 1) {
    reason = "cudaGetDeviceCount found no device";
  } else if (cudaError_t rc = cudaSetDevice(local_rank % devices);
             rc != cudaSuccess) {
    reason = absl::StrCat("cudaSetDevice(", local_rank % devices,
                          "): ", cudaGetErrorString(rc));
  }
  int ok = reason.empty() ? 1 : 0, all_ok = 0;
  MPI_Allreduce(&ok, &all_ok, 1, MPI_INT, MPI_MIN, world);
  if (!ok)
    return absl::UnavailableError(absl::StrCat("no usable GPU: ", reason));
  if (!all_ok) {
    return absl::UnavailableError(
        "no usable GPU: another rank of the job has none");
  }

  int rank = 0, size = 1;
  MPI_Comm_rank(group, &rank);
  MPI_Comm_size(group, &size);
  ncclUniqueId id;
  if (rank == 0) {
    absl::Status s = NcclCheck(ncclGetUniqueId(&id), "ncclGetUniqueId");
    if (!s.ok()) std::memset(&id, 0, sizeof(id));
  }
  MPI_Bcast(&id, sizeof(id), MPI_BYTE, 0, group);
  ncclComm_t comm;
  absl::Status s =
      NcclCheck(ncclCommInitRank(&comm, size, id, rank), "ncclCommInitRank");
  if (!s.ok()) return s;
  cudaStream_t stream;
  s = CudaCheck(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking),
                "cudaStreamCreate");
  if (!s.ok()) {
    ncclCommDestroy(comm);
    return s;
  }
  return std::unique_ptr<Communicator>(
      new NcclCommunicator(comm, stream, rank, size));
}

}  // namespace memwall::runtime
