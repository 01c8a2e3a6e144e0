// summarize_nccl_transports (engine/dist/nccl_log.h) on NCCL INFO logs: one node over NVLink
// (lines as NCCL 2.28 wrote them on a 2 x H200 machine), two nodes over sockets and over
// InfiniBand with GPUDirect RDMA, and logs that name no channel.
#include <gtest/gtest.h>

#include <string>

#include "dist/nccl_log.h"

using slipway::engine::dist::summarize_nccl_transports;

namespace {

// One node, two GPUs: every channel over NVLink; the network plugins still introduce themselves.
const char *kOneNode =
    "vm:585:595 [1] NCCL INFO NET/Plugin: Could not find: libnccl-net.so\n"
    "vm:585:595 [1] NCCL INFO NET/IB : No device found.\n"
    "vm:585:595 [1] NCCL INFO NET/IB : Using [RO]; OOB eth0:192.0.2.2<0>\n"
    "vm:585:595 [1] NCCL INFO NET/Socket : Using [0]eth0:192.0.2.2<0>\n"
    "vm:585:595 [1] NCCL INFO Using network Socket\n"
    "vm:585:585 [0] NCCL INFO Channel 00/0 : 0[0] -> 1[1] via P2P/direct pointer\n"
    "vm:585:595 [1] NCCL INFO Channel 00/0 : 1[1] -> 0[0] via P2P/direct pointer\n"
    "vm:585:585 [0] NCCL INFO Channel 01/0 : 0[0] -> 1[1] via P2P/direct pointer\n"
    "vm:585:585 [0] NCCL INFO Connected all rings, use ring PXN 0 GDR 1\n";

} // namespace

TEST(NcclLog, OneNodeOverNvlinkNamesOnlyThePeerTransport) {
    EXPECT_EQ(summarize_nccl_transports(kOneNode), "P2P/direct pointer");
}

TEST(NcclLog, TwoNodesOverSocketsNameTheInterface) {
    const std::string log =
        "pod-0:1:1 [0] NCCL INFO NET/Socket : Using [0]eth0:10.128.0.5<0>\n"
        "pod-0:1:9 [0] NCCL INFO Channel 00/0 : 1[0] -> 0[0] [receive] via NET/Socket/0\n"
        "pod-0:1:9 [0] NCCL INFO Channel 00/0 : 0[0] -> 1[0] [send] via NET/Socket/0\n"
        "pod-0:1:9 [0] NCCL WARN something unrelated via nothing\n";
    EXPECT_EQ(summarize_nccl_transports(log), "NET/Socket/0 (NET/Socket using [0]eth0:10.128.0.5<0>)");
}

TEST(NcclLog, InfinibandWithGpuDirectAndNvlinkInsideTheNode) {
    const std::string log =
        "n0:7:7 [0] NCCL INFO NET/IB : Using [0]mlx5_0:1/IB [1]mlx5_1:1/IB ; OOB eth0:10.0.0.5<0>\n"
        "n0:7:20 [0] NCCL INFO Channel 00/0 : 0[0] -> 1[1] via P2P/CUMEM/read\n"
        "n0:7:20 [0] NCCL INFO Channel 00/0 : 8[0] -> 0[0] [receive] via NET/IB/0(GDRDMA)\n"
        "n0:7:20 [0] NCCL INFO Channel 01/0 : 0[0] -> 8[0] [send] via NET/IB/1(GDRDMA)\n"
        "n0:7:20 [0] NCCL INFO Channel 02/0 : 0[0] -> 1[1] via P2P/CUMEM/read\n";
    EXPECT_EQ(summarize_nccl_transports(log),
              "P2P/CUMEM/read, NET/IB/0(GDRDMA), NET/IB/1(GDRDMA) "
              "(NET/IB using [0]mlx5_0:1/IB [1]mlx5_1:1/IB ; OOB eth0:10.0.0.5<0>)");
}

TEST(NcclLog, NothingToSayWithoutChannelLines) {
    EXPECT_EQ(summarize_nccl_transports(""), "");
    EXPECT_EQ(summarize_nccl_transports("vm:1:1 [0] NCCL INFO NET/Socket : Using [0]eth0:192.0.2.2<0>\n"
                                        "some other program's line via P2P\n"),
              "");
    // A log cut in the middle of a line (the file is read while NCCL may still write).
    EXPECT_EQ(summarize_nccl_transports("x [0] NCCL INFO Channel 00/0 : 0[0] -> 1[1] via SHM/direct/direct\n"
                                        "x [0] NCCL INFO Chan"),
              "SHM/direct/direct");
}
