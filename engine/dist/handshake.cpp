#include "dist/handshake.h"

#include <map>

#include "dist/wire_format.h"

namespace slipway::engine::dist {
namespace {

constexpr std::string_view kMagic = "SLWYDIST";

} // namespace

std::string encode_hello(const Hello &hello) {
    ByteWriter w;
    w.raw(kMagic);
    w.u32(hello.protocol_version);
    w.str(hello.slipway_version);
    w.i32(hello.node_rank);
    w.varint(hello.flags.entries.size());
    for (const auto &[name, value] : hello.flags.entries) {
        w.str(name);
        w.str(value);
    }
    w.u64(hello.model.hash);
    w.varint(hello.model.config.size());
    for (const auto &[key, value] : hello.model.config) {
        w.str(key);
        w.str(value);
    }
    w.varint(hello.model.tensors.size());
    for (const TensorSignature &t : hello.model.tensors) {
        w.str(t.name);
        w.str(t.dtype);
        w.varint(t.shape.size());
        for (int64_t d : t.shape) w.svarint(d);
    }
    return w.take();
}

StatusOr<Hello> decode_hello(std::string_view payload) {
    ByteReader r(payload);
    if (r.raw(kMagic.size(), "the protocol magic") != kMagic) {
        return Status::error("not a slipway-engine Hello (wrong magic): the peer is not a slipway-engine node");
    }
    Hello h;
    h.protocol_version = r.u32("the protocol version");
    h.slipway_version = r.str("the slipway version");
    if (!r.ok()) return Status::error("Hello: " + r.error());
    if (h.protocol_version != kDistProtocolVersion) return h;  // the caller names both versions
    h.node_rank = r.i32("the node rank");
    const size_t nflags = r.count("flags", 2);
    for (size_t i = 0; i < nflags && r.ok(); ++i) {
        std::string name = r.str("a flag name");
        std::string value = r.str("a flag value");
        h.flags.entries.emplace_back(std::move(name), std::move(value));
    }
    h.model.hash = r.u64("the model fingerprint");
    const size_t nconfig = r.count("config fields", 2);
    for (size_t i = 0; i < nconfig && r.ok(); ++i) {
        std::string key = r.str("a config field");
        std::string value = r.str("a config value");
        h.model.config.emplace_back(std::move(key), std::move(value));
    }
    const size_t ntensors = r.count("tensors", 3);
    h.model.tensors.reserve(ntensors);
    for (size_t i = 0; i < ntensors && r.ok(); ++i) {
        TensorSignature t;
        t.name = r.str("a tensor name");
        t.dtype = r.str("a tensor dtype");
        const size_t rank = r.count("tensor dimensions", 1);
        for (size_t d = 0; d < rank && r.ok(); ++d) t.shape.push_back(r.svarint("a tensor dimension"));
        h.model.tensors.push_back(std::move(t));
    }
    if (!r.ok()) return Status::error("Hello from node " + std::to_string(h.node_rank) + ": " + r.error());
    if (!r.at_end()) {
        return Status::error("Hello from node " + std::to_string(h.node_rank) + ": " + std::to_string(r.remaining()) +
                             " bytes left over");
    }
    return h;
}

std::string describe_flag_difference(const FlagSet &theirs, int their_node, const FlagSet &ours, int our_node) {
    std::map<std::string, std::string> mine(ours.entries.begin(), ours.entries.end());
    std::map<std::string, std::string> other(theirs.entries.begin(), theirs.entries.end());
    const std::string them = "node " + std::to_string(their_node);
    const std::string us = "node " + std::to_string(our_node);
    for (const auto &[name, value] : theirs.entries) {
        auto it = mine.find(name);
        const std::string v = it == mine.end() ? "(not checked by its build)" : it->second;
        if (v != value) return name + ": " + them + " has " + value + ", " + us + " has " + v;
    }
    for (const auto &[name, value] : ours.entries) {
        if (!other.count(name)) return name + ": " + them + " has (not checked by its build), " + us + " has " + value;
    }
    return "";
}

std::string describe_hello_mismatch(const Hello &theirs, const Hello &ours) {
    const int t = theirs.node_rank;
    const int o = ours.node_rank;
    const std::string them = "node " + std::to_string(t);
    const std::string us = "node " + std::to_string(o);
    if (theirs.protocol_version != ours.protocol_version) {
        return "tensor-parallel protocol differs: " + them + " runs slipway " + theirs.slipway_version + " (protocol " +
               std::to_string(theirs.protocol_version) + "), " + us + " runs " + ours.slipway_version + " (protocol " +
               std::to_string(ours.protocol_version) + "); every node must run the same slipway-engine build";
    }
    if (theirs.slipway_version != ours.slipway_version) {
        return "slipway version differs: " + them + " runs slipway " + theirs.slipway_version + ", " + us + " runs " +
               ours.slipway_version + "; every node must run the same slipway-engine build (the same image)";
    }
    if (std::string d = describe_flag_difference(theirs.flags, t, ours.flags, o); !d.empty()) {
        return "flags differ: " + d + "; every node of a group must run with the same " +
               d.substr(0, d.find(':')) + " (the same command line apart from --node-rank, --host and --port)";
    }
    if (std::string d = describe_model_difference(theirs.model, t, ours.model, o); !d.empty()) return d;
    return "";
}

} // namespace slipway::engine::dist
