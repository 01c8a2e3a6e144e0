# Script mode: turn INPUT into a C++ source defining `std::string_view NAME()` in namespace NS.
# Used to compile catalogs from resources/ into core without Qt's resource system.
file(READ "${INPUT}" content)
set(delim "slipway_embed")
string(LENGTH "${content}" len)
file(WRITE "${OUTPUT}.tmp"
  "// Generated from ${INPUT}; do not edit.\n#include <string_view>\nnamespace ${NS} {\n"
  "std::string_view ${NAME}()\n{\n    static constexpr std::string_view kText = R\"${delim}(${content})${delim}\";\n    return kText;\n}\n}\n")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different "${OUTPUT}.tmp" "${OUTPUT}")
file(REMOVE "${OUTPUT}.tmp")
