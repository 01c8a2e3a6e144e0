#pragma once
// The rendezvous messages. A worker node opens with a Hello; the leader answers Welcome (the
// group is complete: here is the opaque blob, i.e. the NCCL unique id) or Refuse (a message
// saying what differs). Hello payload:
//
//     "SLWYDIST" | u32 protocol version | str slipway version | i32 node rank |
//     flags: varint n, (str name, str value)* | model: u64 hash, varint n, (str key, str value)*,
//     varint n, (str name, str dtype, varint rank, varint dim*)*
//
// The magic, protocol version and slipway version come first so that nodes of different builds
// still read each other's version and can say so.
//
// Thread-safety: plain values and pure functions.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dist/model_fingerprint.h"
#include "slipway/engine/status.h"

namespace slipway::engine::dist {

inline constexpr uint32_t kDistProtocolVersion = 1;

// The serve flags that must be equal on every node, as ("--page-size", "16") pairs in a fixed
// order (server/dist_node.cpp lists them).
struct FlagSet {
    std::vector<std::pair<std::string, std::string>> entries;
    bool operator==(const FlagSet &) const = default;
};

struct Hello {
    uint32_t protocol_version = kDistProtocolVersion;
    std::string slipway_version;  // SLIPWAY_VERSION_FULL
    int32_t node_rank = 0;
    FlagSet flags;
    ModelFingerprint model;
};

std::string encode_hello(const Hello &hello);
// Errors: not a slipway Hello (wrong magic), or corrupt. A different protocol version decodes
// the version fields only (protocol_version, slipway_version) and returns them without error,
// so the caller can name both versions.
StatusOr<Hello> decode_hello(std::string_view payload);

// Empty when `theirs` (from node their.node_rank) may join a group whose leader is `ours`;
// else the one message every node prints, naming what differs and both values. Checks, in
// order: protocol, slipway version, flags, model.
std::string describe_hello_mismatch(const Hello &theirs, const Hello &ours);

// "--page-size: node 1 has 16, node 0 has 1" for the first differing flag; empty when equal.
std::string describe_flag_difference(const FlagSet &theirs, int their_node, const FlagSet &ours, int our_node);

} // namespace slipway::engine::dist
