#pragma once
// YamlValue: an ordered YAML tree that keeps each scalar's type, emitted with yaml-cpp.
// yaml-cpp's own Node stores every scalar as text, so a string "8" and the integer 8 would both
// come out as `8` and read back as an integer (a container arg must be a string). Here strings
// that a YAML 1.1 reader (kubectl, go-yaml) would take for a number, boolean or null are quoted;
// maps keep insertion order so manifests read apiVersion, kind, metadata, spec.
// Internal to core/deploy: the public API hands out emitted text only.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace slipway::deploy {

class YamlValue final {
public:
    enum class Type { Null, Bool, Int, String, Sequence, Map };

    YamlValue() = default;
    YamlValue(bool value);               // NOLINT: implicit by design, like a literal
    YamlValue(int value);                // NOLINT
    YamlValue(int64_t value);            // NOLINT
    YamlValue(const char *value);        // NOLINT
    YamlValue(std::string value);        // NOLINT
    YamlValue(std::string_view value);   // NOLINT

    static YamlValue map();
    static YamlValue sequence();
    static YamlValue sequence(const std::vector<std::string> &items);
    // A multi-line string emitted as a literal block (|).
    static YamlValue literal(std::string text);

    Type type() const { return m_type; }
    bool isNull() const { return m_type == Type::Null; }

    // Map: sets key (replacing an existing one, else appending); returns *this for chaining.
    YamlValue &set(const std::string &key, YamlValue value);
    // Sequence: appends; returns *this.
    YamlValue &push(YamlValue value);
    // Map: the value at key, or nullptr.
    YamlValue *find(const std::string &key);
    const YamlValue *find(const std::string &key) const;
    // Map: the value at key, inserting an empty map first when it is missing.
    YamlValue &child(const std::string &key);

    bool empty() const { return m_items.empty(); }
    bool boolValue() const { return m_bool; }
    int64_t intValue() const { return m_int; }
    const std::string &text() const { return m_text; }
    bool isLiteral() const { return m_literal; }
    const std::vector<std::string> &keys() const { return m_keys; }   // Map
    const std::vector<YamlValue> &items() const { return m_items; }   // Map values or Sequence items

private:
    Type m_type = Type::Null;
    bool m_literal = false;
    bool m_bool = false;
    int64_t m_int = 0;
    std::string m_text;
    std::vector<std::string> m_keys;  // Map
    std::vector<YamlValue> m_items;   // Map values or Sequence items
};

// Block-style YAML for one document (no leading ---), ending in a newline. Never emits tabs.
std::string emitYaml(const YamlValue &document);

// Whether a string must be quoted to stay a string under YAML 1.1 and 1.2 rules.
bool yamlStringNeedsQuotes(std::string_view text);

} // namespace slipway::deploy
