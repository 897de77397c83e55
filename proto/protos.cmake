# Included from the top-level CMakeLists.txt: protobuf_generate names outputs relative to the
# current source directory, so generating here at the root makes "proto/x.pb.h" includes work.
file(GLOB MEMWALL_PROTOS CONFIGURE_DEPENDS RELATIVE ${PROJECT_SOURCE_DIR}
     ${PROJECT_SOURCE_DIR}/proto/*.proto)
add_library(memwall_proto STATIC ${MEMWALL_PROTOS})
target_link_libraries(memwall_proto PUBLIC protobuf::libprotobuf)
target_include_directories(memwall_proto PUBLIC ${PROJECT_BINARY_DIR})
protobuf_generate(TARGET memwall_proto LANGUAGE cpp IMPORT_DIRS ${PROJECT_SOURCE_DIR}
                  PROTOC_OUT_DIR ${PROJECT_BINARY_DIR})
