#include "planner/model/zoo.h"

namespace memwall {

const std::vector<BuiltinModel>& BuiltinModels() {
  static const auto* models = new std::vector<BuiltinModel>{};
  return *models;
}

}  // namespace memwall
