#pragma once
// Time to first token and tokens/s of one reply, from its timing and (when the server sent it)
// its usage. Pure arithmetic, so the figures shown under each reply can be checked by hand.
#include "chat/chat_types.h"

#include <optional>

namespace slipway::chat {

struct ReplyTiming {
    bool streamed = true;
    std::optional<double> firstTextSeconds; // since the request was sent
    std::optional<double> lastTextSeconds;
    double totalSeconds = 0;
    int textChunks = 0;                     // stream events that carried text (~ one token each)
};

ReplyStats computeStats(const ReplyTiming &timing, const std::optional<Usage> &usage);

} // namespace slipway::chat
