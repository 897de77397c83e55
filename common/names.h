// Suggesting the nearest known name for a misspelt one.
#ifndef MEMWALL_COMMON_NAMES_H_
#define MEMWALL_COMMON_NAMES_H_

#include <string>
#include <vector>

namespace memwall {

// Levenshtein distance between two strings.
int EditDistance(const std::string& a, const std::string& b);

// The candidate closest to `name` (ties: the longest common prefix, then the
// first), or "" when `candidates` is empty.
std::string NearestName(const std::string& name,
                        const std::vector<std::string>& candidates);

// "unknown model 'gpt-3' (did you mean 'gpt3-175b'?)".
std::string UnknownNameMessage(const std::string& kind, const std::string& name,
                               const std::vector<std::string>& candidates);

}  // namespace memwall

#endif  // MEMWALL_COMMON_NAMES_H_
