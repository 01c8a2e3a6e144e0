#pragma once
// The bytes the nodes of a tensor-parallel group exchange over TCP (rendezvous, step plans,
// acks, heartbeats). Every message is one frame:
//
//     u32 payload length | u8 type | u8 format version (1) | u16 zero | u32 CRC-32 of payload | payload
//
// all little-endian. A frame whose header or checksum does not hold is rejected with an error
// naming what is wrong, never half-parsed. Payloads are written with ByteWriter and read with
// ByteReader: fixed-width little-endian integers and floats, LEB128 varints, length-prefixed
// strings.
//
// Thread-safety: plain values and pure functions.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "slipway/engine/status.h"

namespace slipway::engine::dist {

enum class FrameType : uint8_t {
    Hello = 1,      // worker -> leader at rendezvous: version, model and flag fingerprints, node rank
    Welcome = 2,    // leader -> worker: the group is complete; carries the opaque blob (NCCL id)
    Refuse = 3,     // leader -> worker: the group cannot form; carries the message saying why
    Plan = 4,       // leader -> worker: one StepPlan (step_plan_codec.h)
    Ack = 5,        // worker -> leader: step number and the executor's status
    Heartbeat = 6,  // both ways, every ~1 s: "this process is alive"
    Abort = 7,      // both ways: the sender is exiting because of the failure it names
};

inline constexpr size_t kFrameHeaderBytes = 12;
inline constexpr uint8_t kFrameFormatVersion = 1;
// Largest payload accepted: a Hello carries every tensor's name and shape (DeepSeek-V3: ~100k
// tensors, a few MB); a step plan with page size 1 carries every sequence's page table.
inline constexpr uint32_t kMaxFramePayload = 256u << 20;

const char *frame_type_name(FrameType type);

uint32_t crc32(std::string_view bytes);

struct Frame {
    FrameType type = FrameType::Heartbeat;
    std::string payload;
};

// Header + payload, ready to send.
std::string encode_frame(FrameType type, std::string_view payload);

// Checks a 12-byte header; on success returns the payload length and sets `type` and `crc`.
StatusOr<uint32_t> parse_frame_header(std::string_view header, FrameType &type, uint32_t &crc);

// Checks the payload against the header's checksum.
Status check_frame_payload(FrameType type, std::string_view payload, uint32_t crc);

// Parses exactly one whole frame (tests and in-memory use); trailing or missing bytes are errors.
StatusOr<Frame> parse_frame(std::string_view bytes);

class ByteWriter {
public:
    void u8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
    void u32(uint32_t v);
    void i32(int32_t v) { u32(static_cast<uint32_t>(v)); }
    void u64(uint64_t v);
    void f32(float v);
    void f64(double v);
    void varint(uint64_t v);                 // LEB128
    void svarint(int64_t v);                 // zigzag + LEB128
    void str(std::string_view s);            // varint length + bytes
    void raw(std::string_view s) { out_.append(s); }
    const std::string &bytes() const { return out_; }
    std::string take() { return std::move(out_); }

private:
    std::string out_;
};

// Reads from a buffer; the first read past the end (or a malformed varint) makes the reader
// fail, later reads return zeros, and error() names what was being read.
class ByteReader {
public:
    explicit ByteReader(std::string_view bytes) : in_(bytes) {}
    uint8_t u8(const char *what);
    uint32_t u32(const char *what);
    int32_t i32(const char *what) { return static_cast<int32_t>(u32(what)); }
    uint64_t u64(const char *what);
    float f32(const char *what);
    double f64(const char *what);
    uint64_t varint(const char *what);
    int64_t svarint(const char *what);
    std::string str(const char *what);
    std::string raw(size_t n, const char *what);
    // A count of items of at least `min_item_bytes` each that must fit in what is left (guards
    // allocations against corrupt counts).
    size_t count(const char *what, size_t min_item_bytes);

    bool ok() const { return error_.empty(); }
    const std::string &error() const { return error_; }
    size_t remaining() const { return in_.size() - pos_; }
    bool at_end() const { return pos_ == in_.size(); }
    void fail(const std::string &message);

private:
    bool take(size_t n, const char *what);
    std::string_view in_;
    size_t pos_ = 0;
    std::string error_;
};

} // namespace slipway::engine::dist
