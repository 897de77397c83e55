// What a fuzz target asserts beyond "no crash": a violated invariant aborts, so
// libFuzzer records the input as a crash.
#ifndef MEMWALL_TESTS_FUZZ_FUZZ_CHECK_H_
#define MEMWALL_TESTS_FUZZ_FUZZ_CHECK_H_

#include <cstdio>
#include <cstdlib>

#define MEMWALL_FUZZ_CHECK(condition)                                 \
  do {                                                                \
    if (!(condition)) {                                               \
      std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, \
                   __LINE__, #condition);                             \
      std::abort();                                                   \
    }                                                                 \
  } while (0)

#endif  // MEMWALL_TESTS_FUZZ_FUZZ_CHECK_H_
