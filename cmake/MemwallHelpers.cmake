# memwall_library(NAME SOURCES ... DEPS ...): a static library rooted at the repo root.
function(memwall_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR})
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
endfunction()

# memwall_test(NAME SOURCES ... DEPS ... [LABELS ...]): a GoogleTest program registered with
# ctest under its labels (default: unit).
function(memwall_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  if(NOT ARG_LABELS)
    set(ARG_LABELS unit)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main)
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABELS}"
                       ENVIRONMENT "MEMWALL_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endfunction()

# memwall_embed(OUT VAR FILES ...): writes a .cc defining a table of {name, text} for each
# file, so that zoo names work without paths.
function(memwall_embed out symbol)
  set(files ${ARGN})
  string(REPLACE ";" "|" packed "${files}")
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DSYMBOL=${symbol} "-DFILES=${packed}"
            -P ${PROJECT_SOURCE_DIR}/cmake/Embed.cmake
    DEPENDS ${files} ${PROJECT_SOURCE_DIR}/cmake/Embed.cmake
    COMMENT "Embedding ${symbol}" VERBATIM)
endfunction()
