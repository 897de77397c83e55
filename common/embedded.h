// Files compiled into the binary (the model and cluster zoos), see
// cmake/Embed.cmake.
#ifndef MEMWALL_COMMON_EMBEDDED_H_
#define MEMWALL_COMMON_EMBEDDED_H_

namespace memwall {

struct EmbeddedFile {
  const char* name;  // file stem, e.g. "gpt3-175b"
  const char* text;
};

}  // namespace memwall

#endif  // MEMWALL_COMMON_EMBEDDED_H_
