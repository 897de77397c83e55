#include "planner/model/zoo_cv/cv_common.h"

namespace memwall {

ModelSpec CvModel(const std::string& name, const std::string& source,
                  int64_t image_size) {
  ModelSpec m;
  m.set_name(name);
  m.set_source(source);
  m.set_domain("cv");
  m.mutable_graph()->set_input_channels(3);
  m.mutable_graph()->set_image_size(image_size);
  return m;
}

void SetImageNetTraining(ModelSpec* model, double samples_per_epoch,
                         double epochs, int64_t batch,
                         const std::string& source) {
  TrainingSetup* t = model->mutable_training_setup();
  t->set_samples_per_epoch(samples_per_epoch);
  t->set_epochs(epochs);
  t->set_batch_size(batch);
  t->set_source(source);
}

}  // namespace memwall
