# Test helpers. One executable per unit, named after it; labels: unit, ui, e2e, engine, gpu.
# CI runs everything but `gpu`.
find_package(Qt6 QUIET COMPONENTS Core Test)
find_package(GTest QUIET)

set(SLIPWAY_SHARED_DIR "${PROJECT_SOURCE_DIR}/../shared" CACHE PATH "The shared/ folder beside the checkout (schemas, guide)")
# Node packages the tests use as oracles (installed by installer/setup.sh; see tests/node/package.json).
set(SLIPWAY_NODE_DIR "${PROJECT_SOURCE_DIR}/tests/node" CACHE PATH "Folder whose node_modules hold the test oracles")
# A writable copy of shared/k8s-schemas with its node_modules (installer/setup.sh makes it).
set(SLIPWAY_VALIDATOR_DIR "${PROJECT_SOURCE_DIR}/.cache/k8s-schemas" CACHE PATH "Installed copy of shared/k8s-schemas")

set(SLIPWAY_TEST_ENV
  "QT_QPA_PLATFORM=offscreen"
  "SLIPWAY_SOURCE_DIR=${PROJECT_SOURCE_DIR}"
  "SLIPWAY_BINARY_DIR=${PROJECT_BINARY_DIR}"
  "SLIPWAY_SHARED_DIR=${SLIPWAY_SHARED_DIR}"
  "SLIPWAY_NODE_DIR=${SLIPWAY_NODE_DIR}"
  "SLIPWAY_VALIDATOR_DIR=${SLIPWAY_VALIDATOR_DIR}")


# While several people add tests at once, a test whose sources are not all there yet is skipped
# with a warning instead of breaking everyone's configure; under CI (CI=true) it is an error.
function(_slipway_sources_present name out)
  set(${out} TRUE PARENT_SCOPE)
  foreach(src ${ARGN})
    if(NOT IS_ABSOLUTE "${src}")
      set(src "${CMAKE_CURRENT_SOURCE_DIR}/${src}")
    endif()
    if(NOT EXISTS "${src}")
      if(DEFINED ENV{CI})
        message(FATAL_ERROR "${name}: source ${src} is missing")
      endif()
      message(WARNING "Skipping ${name}: source ${src} is missing")
      set(${out} FALSE PARENT_SCOPE)
      return()
    endif()
  endforeach()
endfunction()

function(_slipway_test_common name labels)
  target_compile_definitions(${name} PRIVATE
    SLIPWAY_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    SLIPWAY_BINARY_DIR="${PROJECT_BINARY_DIR}"
    SLIPWAY_SHARED_DIR="${SLIPWAY_SHARED_DIR}"
    SLIPWAY_NODE_DIR="${SLIPWAY_NODE_DIR}"
    SLIPWAY_VALIDATOR_DIR="${SLIPWAY_VALIDATOR_DIR}")
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES LABELS "${labels}" ENVIRONMENT "${SLIPWAY_TEST_ENV}")
endfunction()

# slipway_add_qtest(name SOURCES a.cpp ... LIBS lib ... LABELS unit ...)
# A QtTest executable (core and ui tests). Skipped with a message where Qt is absent (GPU machines).
function(slipway_add_qtest name)
  cmake_parse_arguments(T "" "TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
  if(NOT TARGET Qt6::Test)
    message(STATUS "Skipping ${name}: Qt6 Test not found")
    return()
  endif()
  _slipway_sources_present(${name} present ${T_SOURCES})
  if(NOT present OR NOT T_SOURCES)
    return()
  endif()
  add_executable(${name} ${T_SOURCES})
  set_target_properties(${name} PROPERTIES AUTOMOC ON)
  target_link_libraries(${name} PRIVATE Qt6::Test ${T_LIBS})
  slipway_warnings(${name})
  if(NOT T_LABELS)
    set(T_LABELS unit)
  endif()
  _slipway_test_common(${name} "${T_LABELS}")
  if(T_TIMEOUT)
    set_tests_properties(${name} PROPERTIES TIMEOUT ${T_TIMEOUT})
  endif()
endfunction()

# slipway_add_gtest(name SOURCES ... LIBS ... LABELS engine ...)
# A GoogleTest executable (engine tests: no Qt anywhere).
function(slipway_add_gtest name)
  cmake_parse_arguments(T "" "TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
  if(NOT TARGET GTest::gtest_main)
    message(STATUS "Skipping ${name}: GoogleTest not found")
    return()
  endif()
  _slipway_sources_present(${name} present ${T_SOURCES})
  if(NOT present OR NOT T_SOURCES)
    return()
  endif()
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE GTest::gtest_main ${T_LIBS})
  slipway_warnings(${name})
  if(NOT T_LABELS)
    set(T_LABELS engine)
  endif()
  _slipway_test_common(${name} "${T_LABELS}")
  if(T_TIMEOUT)
    set_tests_properties(${name} PROPERTIES TIMEOUT ${T_TIMEOUT})
  endif()
endfunction()
