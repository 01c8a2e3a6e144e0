#pragma once
// Every text core/local's validateLaunchOptions() writes for people, as message templates
// (common/message.h): why the Local engine cannot start with the options given, and what to
// change. The list is an X-macro so that the constants and messageTemplates() cannot drift apart:
// the console's tests check that it translates every code listed here.
#include "common/message.h"

#include <vector>

// X(constant, code, English template)
#define SLIPWAY_LOCAL_MESSAGES(X)                                                                                    \
    X(kLaunchNoModel, "local.launch.no_model", "no model folder was chosen: pick a folder holding config.json")      \
    X(kLaunchModelMissing, "local.launch.model_missing", "model folder %1 does not exist or is not a folder")          \
    X(kLaunchNoConfig, "local.launch.no_config",                                                                     \
      "model folder %1 has no config.json; pick the folder of a Hugging Face model")                                \
    X(kLaunchDevice, "local.launch.device", "device '%1': choose cpu or cuda")                                       \
    X(kLaunchHost, "local.launch.host", "host is empty: use 127.0.0.1 to serve this machine only")                   \
    X(kLaunchPort, "local.launch.port", "port %1 is out of range: use 1-65535, or 0 for any free port")              \
    X(kLaunchMemFraction, "local.launch.mem_fraction",                                                               \
      "memory fraction %1 is out of range: use a value above 0 and at most 1 (e.g. 0.85)")                          \
    X(kLaunchMaxRunning, "local.launch.max_running", "max running requests must be 0 (engine default) or more")      \
    X(kLaunchContext, "local.launch.context", "context length must be 0 (the model's) or more")                      \
    X(kLaunchExtraArgument, "local.launch.extra_argument",                                                           \
      "extra argument %1 repeats a field of its own: set the model folder and port there instead")

namespace slipway::local::msg {

#define SLIPWAY_DECLARE_MESSAGE(name, code, text) inline constexpr MessageTemplate name{code, text};
SLIPWAY_LOCAL_MESSAGES(SLIPWAY_DECLARE_MESSAGE)
#undef SLIPWAY_DECLARE_MESSAGE

// Every template above, in order.
inline std::vector<MessageTemplate> messageTemplates()
{
#define SLIPWAY_LIST_MESSAGE(name, code, text) name,
    return {SLIPWAY_LOCAL_MESSAGES(SLIPWAY_LIST_MESSAGE)};
#undef SLIPWAY_LIST_MESSAGE
}

} // namespace slipway::local::msg
