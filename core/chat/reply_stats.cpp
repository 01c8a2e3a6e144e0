#include "chat/reply_stats.h"

namespace slipway::chat {

ReplyStats computeStats(const ReplyTiming &timing, const std::optional<Usage> &usage)
{
    ReplyStats stats;
    stats.totalSeconds = timing.totalSeconds;
    if (usage && usage->completionTokens > 0) {
        stats.outputTokens = usage->completionTokens;
        stats.tokensFromUsage = true;
    } else {
        stats.outputTokens = timing.textChunks;
    }
    if (!timing.streamed) {
        if (stats.outputTokens > 0 && timing.totalSeconds > 0)
            stats.tokensPerSecond = stats.outputTokens / timing.totalSeconds;
        return stats;
    }
    stats.timeToFirstTokenSeconds = timing.firstTextSeconds;
    // The first token's time is prefill; decode speed counts the tokens after it.
    if (timing.firstTextSeconds && timing.lastTextSeconds && stats.outputTokens > 1) {
        const double decodeSeconds = *timing.lastTextSeconds - *timing.firstTextSeconds;
        if (decodeSeconds > 0)
            stats.tokensPerSecond = (stats.outputTokens - 1) / decodeSeconds;
    }
    return stats;
}

} // namespace slipway::chat
