#include "sizing/sizing_messages.h"

namespace slipway::sizing::msg {

std::vector<MessageTemplate> messageTemplates()
{
#define SLIPWAY_LIST_MESSAGE(name, code, text) name,
    return {SLIPWAY_SIZING_MESSAGES(SLIPWAY_LIST_MESSAGE)};
#undef SLIPWAY_LIST_MESSAGE
}

} // namespace slipway::sizing::msg
