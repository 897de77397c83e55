#include "common/names.h"

#include <algorithm>
#include <cctype>

#include "absl/strings/str_cat.h"

namespace memwall {

int EditDistance(const std::string& a, const std::string& b) {
  std::vector<int> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    int diagonal = row[0];
    row[0] = static_cast<int>(i);
    for (size_t j = 1; j <= b.size(); ++j) {
      const int above = row[j];
      const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                        std::tolower(static_cast<unsigned char>(b[j - 1]));
      row[j] =
          std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

static size_t CommonPrefix(const std::string& a, const std::string& b) {
  size_t n = 0;
  while (n < a.size() && n < b.size() && a[n] == b[n]) ++n;
  return n;
}

std::string NearestName(const std::string& name,
                        const std::vector<std::string>& candidates) {
  std::string best;
  int best_distance = 0;
  size_t best_prefix = 0;
  for (const std::string& c : candidates) {
    const int d = EditDistance(name, c);
    const size_t prefix = CommonPrefix(name, c);
    // Ties go to the longer common prefix: "tpp" is nearer "tp" than "pp".
    if (best.empty() || d < best_distance ||
        (d == best_distance && prefix > best_prefix)) {
      best = c;
      best_distance = d;
      best_prefix = prefix;
    }
  }
  return best;
}

std::string UnknownNameMessage(const std::string& kind, const std::string& name,
                               const std::vector<std::string>& candidates) {
  std::string message = absl::StrCat("unknown ", kind, " '", name, "'");
  const std::string nearest = NearestName(name, candidates);
  if (!nearest.empty())
    absl::StrAppend(&message, " (did you mean '", nearest, "'?)");
  return message;
}

}  // namespace memwall
