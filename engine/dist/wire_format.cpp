#include "dist/wire_format.h"

#include <array>
#include <cstring>

namespace slipway::engine::dist {
namespace {

std::array<uint32_t, 256> make_crc_table() {
    std::array<uint32_t, 256> table{};
    for (uint32_t i = 0; i < 256; ++i) {
        uint32_t c = i;
        for (int k = 0; k < 8; ++k) c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
    return table;
}

uint32_t load_u32(const char *p) {
    uint32_t v = 0;
    for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(p[i]);
    return v;
}

bool known_type(uint8_t t) { return t >= 1 && t <= 7; }

} // namespace

const char *frame_type_name(FrameType type) {
    switch (type) {
    case FrameType::Hello: return "Hello";
    case FrameType::Welcome: return "Welcome";
    case FrameType::Refuse: return "Refuse";
    case FrameType::Plan: return "Plan";
    case FrameType::Ack: return "Ack";
    case FrameType::Heartbeat: return "Heartbeat";
    case FrameType::Abort: return "Abort";
    }
    return "unknown";
}

uint32_t crc32(std::string_view bytes) {
    static const std::array<uint32_t, 256> table = make_crc_table();
    uint32_t c = 0xFFFFFFFFu;
    for (char ch : bytes) c = table[(c ^ static_cast<uint8_t>(ch)) & 0xFFu] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

std::string encode_frame(FrameType type, std::string_view payload) {
    ByteWriter w;
    w.u32(static_cast<uint32_t>(payload.size()));
    w.u8(static_cast<uint8_t>(type));
    w.u8(kFrameFormatVersion);
    w.u8(0);
    w.u8(0);
    w.u32(crc32(payload));
    w.raw(payload);
    return w.take();
}

StatusOr<uint32_t> parse_frame_header(std::string_view header, FrameType &type, uint32_t &crc) {
    if (header.size() != kFrameHeaderBytes) {
        return Status::error("frame header of " + std::to_string(header.size()) + " bytes, expected " +
                             std::to_string(kFrameHeaderBytes));
    }
    const uint32_t length = load_u32(header.data());
    const auto t = static_cast<uint8_t>(header[4]);
    const auto version = static_cast<uint8_t>(header[5]);
    if (!known_type(t) || header[6] != 0 || header[7] != 0) {
        return Status::error("not a slipway-engine frame (type byte " + std::to_string(t) +
                             "): the peer does not speak the slipway tensor-parallel protocol");
    }
    if (version != kFrameFormatVersion) {
        return Status::error("frame format version " + std::to_string(version) + ", this build speaks " +
                             std::to_string(kFrameFormatVersion) + ": the nodes run different slipway-engine builds");
    }
    if (length > kMaxFramePayload) {
        return Status::error(std::string(frame_type_name(static_cast<FrameType>(t))) + " frame of " +
                             std::to_string(length) + " bytes exceeds the limit of " + std::to_string(kMaxFramePayload));
    }
    type = static_cast<FrameType>(t);
    crc = load_u32(header.data() + 8);
    return length;
}

Status check_frame_payload(FrameType type, std::string_view payload, uint32_t crc) {
    if (crc32(payload) != crc) {
        return Status::error(std::string(frame_type_name(type)) + " frame of " + std::to_string(payload.size()) +
                             " bytes fails its CRC-32 check: the bytes were corrupted in transit");
    }
    return {};
}

StatusOr<Frame> parse_frame(std::string_view bytes) {
    if (bytes.size() < kFrameHeaderBytes) {
        return Status::error("truncated frame: " + std::to_string(bytes.size()) + " bytes, the header alone is " +
                             std::to_string(kFrameHeaderBytes));
    }
    Frame frame;
    uint32_t crc = 0;
    auto length = parse_frame_header(bytes.substr(0, kFrameHeaderBytes), frame.type, crc);
    if (!length.ok()) return length.status();
    const size_t have = bytes.size() - kFrameHeaderBytes;
    if (have != length.value()) {
        return Status::error(std::string(have < length.value() ? "truncated" : "oversized") + " " +
                             frame_type_name(frame.type) + " frame: header says " + std::to_string(length.value()) +
                             " payload bytes, got " + std::to_string(have));
    }
    const std::string_view payload = bytes.substr(kFrameHeaderBytes);
    if (Status s = check_frame_payload(frame.type, payload, crc); !s.ok()) return s;
    frame.payload.assign(payload);
    return frame;
}

void ByteWriter::u32(uint32_t v) {
    for (int i = 0; i < 4; ++i) out_.push_back(static_cast<char>((v >> (8 * i)) & 0xFFu));
}

void ByteWriter::u64(uint64_t v) {
    for (int i = 0; i < 8; ++i) out_.push_back(static_cast<char>((v >> (8 * i)) & 0xFFu));
}

void ByteWriter::f32(float v) {
    uint32_t bits = 0;
    std::memcpy(&bits, &v, sizeof bits);
    u32(bits);
}

void ByteWriter::f64(double v) {
    uint64_t bits = 0;
    std::memcpy(&bits, &v, sizeof bits);
    u64(bits);
}

void ByteWriter::varint(uint64_t v) {
    while (v >= 0x80) {
        out_.push_back(static_cast<char>((v & 0x7Fu) | 0x80u));
        v >>= 7;
    }
    out_.push_back(static_cast<char>(v));
}

void ByteWriter::svarint(int64_t v) {
    varint((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63));
}

void ByteWriter::str(std::string_view s) {
    varint(s.size());
    out_.append(s);
}

void ByteReader::fail(const std::string &message) {
    if (error_.empty()) error_ = message;
}

bool ByteReader::take(size_t n, const char *what) {
    if (!ok()) return false;
    if (remaining() < n) {
        fail(std::string("truncated while reading ") + what + " (needs " + std::to_string(n) + " bytes, " +
             std::to_string(remaining()) + " left)");
        return false;
    }
    return true;
}

uint8_t ByteReader::u8(const char *what) {
    if (!take(1, what)) return 0;
    return static_cast<uint8_t>(in_[pos_++]);
}

uint32_t ByteReader::u32(const char *what) {
    if (!take(4, what)) return 0;
    const uint32_t v = load_u32(in_.data() + pos_);
    pos_ += 4;
    return v;
}

uint64_t ByteReader::u64(const char *what) {
    if (!take(8, what)) return 0;
    uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(in_[pos_ + static_cast<size_t>(i)]);
    pos_ += 8;
    return v;
}

float ByteReader::f32(const char *what) {
    const uint32_t bits = u32(what);
    float v = 0;
    std::memcpy(&v, &bits, sizeof v);
    return v;
}

double ByteReader::f64(const char *what) {
    const uint64_t bits = u64(what);
    double v = 0;
    std::memcpy(&v, &bits, sizeof v);
    return v;
}

uint64_t ByteReader::varint(const char *what) {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (!take(1, what)) return 0;
        const auto byte = static_cast<uint8_t>(in_[pos_++]);
        if (shift == 63 && byte > 1) break;
        v |= static_cast<uint64_t>(byte & 0x7Fu) << shift;
        if ((byte & 0x80u) == 0) return v;
    }
    fail(std::string("malformed varint while reading ") + what);
    return 0;
}

int64_t ByteReader::svarint(const char *what) {
    const uint64_t z = varint(what);
    return static_cast<int64_t>((z >> 1) ^ (~(z & 1) + 1));
}

std::string ByteReader::str(const char *what) {
    const uint64_t n = varint(what);
    if (!ok()) return {};
    if (n > remaining()) {
        fail(std::string("truncated while reading ") + what + " (a string of " + std::to_string(n) + " bytes, " +
             std::to_string(remaining()) + " left)");
        return {};
    }
    return raw(static_cast<size_t>(n), what);
}

std::string ByteReader::raw(size_t n, const char *what) {
    if (!take(n, what)) return {};
    std::string s(in_.substr(pos_, n));
    pos_ += n;
    return s;
}

size_t ByteReader::count(const char *what, size_t min_item_bytes) {
    const uint64_t n = varint(what);
    if (!ok()) return 0;
    if (min_item_bytes > 0 && n > remaining() / min_item_bytes) {
        fail(std::string("corrupt count of ") + what + ": " + std::to_string(n) + " items cannot fit in the " +
             std::to_string(remaining()) + " bytes left");
        return 0;
    }
    return static_cast<size_t>(n);
}

} // namespace slipway::engine::dist
