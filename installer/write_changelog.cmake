# Run by `cmake --install` / cpack (install(CODE) in installer/CMakeLists.txt): writes
# ${doc_dir}/changelog.Debian.gz for ${package} with the version the binaries were built with.
# Inputs: SLIPWAY_VERSION_HEADER, SLIPWAY_DEB_RELEASE, SLIPWAY_PACKAGE_MAINTAINER, SLIPWAY_GZIP,
# package, doc_dir.
include("${CMAKE_CURRENT_LIST_DIR}/package_version.cmake")
if(NOT SLIPWAY_GZIP)
  message(STATUS "no gzip: ${package} is installed without changelog.Debian.gz")
  return()
endif()
slipway_read_version("${SLIPWAY_VERSION_HEADER}" full)
slipway_debian_upstream_version("${full}" upstream)
# The date of the change is the build's reference time, so two builds of one commit agree.
if(DEFINED ENV{SOURCE_DATE_EPOCH})
  set(epoch "$ENV{SOURCE_DATE_EPOCH}")
else()
  get_filename_component(root "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
  execute_process(COMMAND git -c "safe.directory=${root}" log -1 --format=%ct WORKING_DIRECTORY "${root}"
                  OUTPUT_VARIABLE epoch OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(epoch STREQUAL "")
    string(TIMESTAMP epoch "%s" UTC)
  endif()
endif()
execute_process(COMMAND date -u -R -d "@${epoch}" OUTPUT_VARIABLE date OUTPUT_STRIP_TRAILING_WHITESPACE)
file(MAKE_DIRECTORY "${doc_dir}")
file(WRITE "${doc_dir}/changelog.Debian"
"${package} (${upstream}-${SLIPWAY_DEB_RELEASE}) unstable; urgency=medium

  * Built from Slipway ${full}.

 -- ${SLIPWAY_PACKAGE_MAINTAINER}  ${date}
")
execute_process(COMMAND "${SLIPWAY_GZIP}" -9nf "${doc_dir}/changelog.Debian" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "gzip of ${doc_dir}/changelog.Debian failed")
endif()
file(CHMOD "${doc_dir}/changelog.Debian.gz" PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
