#include "common/textproto.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"

namespace memwall {
namespace {

class CollectFirstError : public google::protobuf::io::ErrorCollector {
 public:
  explicit CollectFirstError(std::string source) : source_(std::move(source)) {}
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    if (!first_.empty()) return;
    // The parser counts from zero; editors count from one.
    first_ =
        absl::StrCat(source_, ":", line + 1, ":", column + 1, ": ", message);
  }
  const std::string& first() const { return first_; }

 private:
  std::string source_;
  std::string first_;
};

}  // namespace

absl::Status MergeTextProto(const std::string& text, const std::string& source,
                            google::protobuf::Message* message) {
  CollectFirstError errors(source);
  google::protobuf::TextFormat::Parser parser;
  parser.RecordErrorsTo(&errors);
  if (!parser.MergeFromString(text, message)) {
    return absl::InvalidArgumentError(
        errors.first().empty() ? absl::StrCat(source, ": malformed text proto")
                               : errors.first());
  }
  return absl::OkStatus();
}

absl::Status ReadFile(const std::string& path, std::string* contents,
                      int64_t max_bytes) {
  // O_NONBLOCK: opening a FIFO without a writer must not hang; only regular
  // files are read, so devices (/dev/zero, /dev/urandom), FIFOs and
  // directories are refused before a byte is read.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    const std::string why = std::strerror(error);
    if (error == ENOENT || error == ENOTDIR) {
      return absl::NotFoundError(
          absl::StrCat("cannot read file '", path, "': ", why));
    }
    return absl::InvalidArgumentError(
        absl::StrCat("cannot read file '", path, "': ", why));
  }
  struct stat info;
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(fd);
    return absl::InvalidArgumentError(
        absl::StrCat("'", path, "' is not a regular file (",
                     S_ISDIR(info.st_mode)    ? "a directory"
                     : S_ISFIFO(info.st_mode) ? "a FIFO"
                     : S_ISCHR(info.st_mode)  ? "a character device"
                     : S_ISBLK(info.st_mode)  ? "a block device"
                     : S_ISSOCK(info.st_mode) ? "a socket"
                                              : "not a plain file",
                     ")"));
  }
  if (info.st_size > max_bytes) {
    ::close(fd);
    return absl::InvalidArgumentError(
        absl::StrCat("file '", path, "' is ", info.st_size,
                     " bytes, over the limit of ", max_bytes));
  }
  // Read at most max_bytes + 1, in case the file grows while it is read.
  std::string text;
  char buffer[65536];
  while (static_cast<int64_t>(text.size()) <= max_bytes) {
    const ssize_t n = ::read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const std::string why = std::strerror(errno);
      ::close(fd);
      return absl::InvalidArgumentError(
          absl::StrCat("cannot read file '", path, "': ", why));
    }
    if (n == 0) break;
    text.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  if (static_cast<int64_t>(text.size()) > max_bytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "file '", path, "' is over the limit of ", max_bytes, " bytes"));
  }
  if (text.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("file '", path, "' is empty"));
  }
  *contents = std::move(text);
  return absl::OkStatus();
}

std::string ToTextProto(const google::protobuf::Message& message) {
  std::string out;
  google::protobuf::TextFormat::PrintToString(message, &out);
  return out;
}

std::string ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.add_whitespace = true;
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(message, &out, options);
  return out;
}

absl::Status WriteJsonFile(const std::string& path,
                           const google::protobuf::Message& message,
                           const std::string& flag) {
  std::ofstream out(path);
  out << ToJson(message);
  if (!out) {
    return absl::PermissionDeniedError(
        absl::StrCat("--", flag, "=", path, ": cannot write"));
  }
  return absl::OkStatus();
}

}  // namespace memwall
