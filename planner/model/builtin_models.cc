// The models built in C++: layer graphs of the founding tables' CNNs, LSTMs and
// embedding recommenders (planner/model/zoo_cv/*.cc, one file per family).
#include "planner/model/zoo.h"
#include "proto/model.pb.h"

namespace memwall {

ModelSpec BuildAlexNet();
ModelSpec BuildAlexNet2012();
ModelSpec BuildVgg19();
ModelSpec BuildResNet152();
ModelSpec BuildResNet152V1();
ModelSpec BuildResNeXt101();
ModelSpec BuildDenseNet201();
ModelSpec BuildInceptionV3WithAux();
ModelSpec BuildInceptionV4();
ModelSpec BuildXception();
ModelSpec BuildInceptionV3NoAux();
ModelSpec BuildSeq2Seq();
ModelSpec BuildElmo();
ModelSpec BuildBaiduRecsysC();
ModelSpec BuildBaiduRecsysE();

const std::vector<BuiltinModel>& BuiltinModels() {
  static const auto* models = new std::vector<BuiltinModel>{
      {"alexnet", BuildAlexNet},
      {"alexnet-2012", BuildAlexNet2012},
      {"vgg19", BuildVgg19},
      {"resnet152", BuildResNet152},
      {"resnet152-v1", BuildResNet152V1},
      {"resnext101-64x4d", BuildResNeXt101},
      {"densenet201", BuildDenseNet201},
      {"inception-v3", BuildInceptionV3WithAux},
      {"inception-v4", BuildInceptionV4},
      {"xception", BuildXception},
      {"inception-v3-noaux", BuildInceptionV3NoAux},
      {"seq2seq", BuildSeq2Seq},
      {"elmo", BuildElmo},
      {"baidu-recsys-c", BuildBaiduRecsysC},
      {"baidu-recsys-e", BuildBaiduRecsysE},
  };
  return *models;
}

}  // namespace memwall
