#include "deploy/deploy_messages.h"

namespace slipway::deploy::msg {

std::vector<MessageTemplate> messageTemplates()
{
#define SLIPWAY_LIST_MESSAGE(name, code, text) name,
    return {SLIPWAY_DEPLOY_MESSAGES(SLIPWAY_LIST_MESSAGE)};
#undef SLIPWAY_LIST_MESSAGE
}

} // namespace slipway::deploy::msg
