// Shared pieces of the C++ CNN zoo: the ModelSpec shell and ImageNet training
// setups.
#ifndef MEMWALL_PLANNER_MODEL_ZOO_CV_CV_COMMON_H_
#define MEMWALL_PLANNER_MODEL_ZOO_CV_CV_COMMON_H_

#include <cstdint>
#include <string>

#include "proto/model.pb.h"

namespace memwall {

// An RGB image model at `image_size` (square).
ModelSpec CvModel(const std::string& name, const std::string& source,
                  int64_t image_size);

// ImageNet-1k training: `samples_per_epoch` images, `epochs` passes, `batch`
// per step.
void SetImageNetTraining(ModelSpec* model, double samples_per_epoch,
                         double epochs, int64_t batch,
                         const std::string& source);

// Builders exposed for variants the zoo does not list by name.
ModelSpec BuildInceptionV3(bool aux_logits);
ModelSpec BuildResNet(const std::string& name, bool stride_in_1x1,
                      int64_t groups, int64_t width_per_group,
                      const int (&blocks)[4]);

}  // namespace memwall

#endif  // MEMWALL_PLANNER_MODEL_ZOO_CV_CV_COMMON_H_
