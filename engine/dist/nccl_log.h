#pragma once
// What NCCL chose for a group, read from its own INFO log (NCCL has no API for it): the transport
// of every channel ("Channel 03/0 : 0[0] -> 1[1] via P2P/direct pointer", "via NET/IB/0(GDRDMA)",
// "via SHM/direct/direct", "via NET/Socket/0") and, when a channel goes over the network, the
// interface NCCL uses ("NET/Socket : Using [0]eth0:10.0.0.5<0>"). The CUDA backend points NCCL's
// INFO log at a file while the communicators start (engine/cuda/nccl_group.cpp) and puts this
// summary in the start-up log.
#include <string>

namespace slipway::engine::dist {

// "P2P/direct pointer", "P2P/direct pointer, NET/Socket/0 (NET/Socket using [0]eth0:10.0.0.5<0>)",
// ...: each distinct transport once, in the order the log first names it; "" when the log names
// no channel (NCCL logged nothing, or not at INFO level).
std::string summarize_nccl_transports(const std::string &log);

} // namespace slipway::engine::dist
