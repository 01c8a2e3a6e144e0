# Helpers shared by cpack's project config and the install-time changelog writer.

# slipway_read_version(HEADER OUT): SLIPWAY_VERSION_FULL from the generated slipway_version.h,
# e.g. "0.1.0+gcba2ba2-dirty" (or "0.1.0" outside a git checkout).
function(slipway_read_version header out)
  file(STRINGS "${header}" line REGEX "^#define SLIPWAY_VERSION_FULL ")
  if(NOT line MATCHES "\"([^\"]+)\"")
    message(FATAL_ERROR "no SLIPWAY_VERSION_FULL in ${header}")
  endif()
  set(${out} "${CMAKE_MATCH_1}" PARENT_SCOPE)
endfunction()

# slipway_debian_upstream_version(FULL OUT): the same version as Debian's upstream_version allows
# it: only [A-Za-z0-9.+~], so "0.1.0+gcba2ba2-dirty" becomes "0.1.0+gcba2ba2.dirty" (a '-' would
# start the Debian revision). It sorts after "0.1.0" and before "0.1.1", as a snapshot should.
function(slipway_debian_upstream_version full out)
  string(REGEX REPLACE "[^A-Za-z0-9.+~]" "." v "${full}")
  if(NOT v MATCHES "^[0-9]")
    message(FATAL_ERROR "version '${full}' does not start with a digit")
  endif()
  set(${out} "${v}" PARENT_SCOPE)
endfunction()
