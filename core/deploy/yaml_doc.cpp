#include "deploy/yaml_doc.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace slipway::deploy {

YamlValue::YamlValue(bool value) : m_type(Type::Bool), m_bool(value) {}
YamlValue::YamlValue(int value) : m_type(Type::Int), m_int(value) {}
YamlValue::YamlValue(int64_t value) : m_type(Type::Int), m_int(value) {}
YamlValue::YamlValue(const char *value) : m_type(Type::String), m_text(value) {}
YamlValue::YamlValue(std::string value) : m_type(Type::String), m_text(std::move(value)) {}
YamlValue::YamlValue(std::string_view value) : m_type(Type::String), m_text(value) {}

YamlValue YamlValue::map()
{
    YamlValue value;
    value.m_type = Type::Map;
    return value;
}

YamlValue YamlValue::sequence()
{
    YamlValue value;
    value.m_type = Type::Sequence;
    return value;
}

YamlValue YamlValue::sequence(const std::vector<std::string> &items)
{
    YamlValue value = sequence();
    for (const std::string &item : items)
        value.push(item);
    return value;
}

YamlValue YamlValue::literal(std::string text)
{
    YamlValue value(std::move(text));
    value.m_literal = true;
    return value;
}

YamlValue &YamlValue::set(const std::string &key, YamlValue value)
{
    if (m_type == Type::Null)
        m_type = Type::Map;
    for (std::size_t i = 0; i < m_keys.size(); ++i) {
        if (m_keys[i] == key) {
            m_items[i] = std::move(value);
            return *this;
        }
    }
    m_keys.push_back(key);
    m_items.push_back(std::move(value));
    return *this;
}

YamlValue &YamlValue::push(YamlValue value)
{
    if (m_type == Type::Null)
        m_type = Type::Sequence;
    m_items.push_back(std::move(value));
    return *this;
}

YamlValue *YamlValue::find(const std::string &key)
{
    for (std::size_t i = 0; i < m_keys.size(); ++i) {
        if (m_keys[i] == key)
            return &m_items[i];
    }
    return nullptr;
}

const YamlValue *YamlValue::find(const std::string &key) const
{
    return const_cast<YamlValue *>(this)->find(key);
}

YamlValue &YamlValue::child(const std::string &key)
{
    if (YamlValue *existing = find(key))
        return *existing;
    set(key, map());
    return m_items.back();
}

bool yamlStringNeedsQuotes(std::string_view text)
{
    if (text.empty())
        return true;
    // YAML 1.1 booleans and nulls (go-yaml v2 rules, which kubectl applies), plus 1.2's.
    static constexpr std::array<std::string_view, 14> kWords{"y", "yes", "n", "no", "true", "false", "on",
                                                             "off", "null", "~", "nan", ".nan", ".inf", "<<"};
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (std::find(kWords.begin(), kWords.end(), lower) != kWords.end())
        return true;
    if (lower == "=" || lower == "-.inf" || lower == "+.inf")
        return true;
    // Anything that might read as a number, a timestamp or a sexagesimal: quote when it starts
    // with a digit, a sign followed by a digit or dot, or a dot. Conservative on purpose.
    const char first = text.front();
    if (std::isdigit(static_cast<unsigned char>(first)) || first == '.')
        return true;
    if ((first == '-' || first == '+') && text.size() > 1 &&
        (std::isdigit(static_cast<unsigned char>(text[1])) || text[1] == '.'))
        return true;
    if (first == '+')
        return true;
    // Leading or trailing blanks would be lost in a plain scalar.
    if (text.front() == ' ' || text.back() == ' ')
        return true;
    return false;
}

namespace {

void emitValue(YAML::Emitter &out, const YamlValue &value)
{
    switch (value.type()) {
    case YamlValue::Type::Null:
        out << YAML::Null;
        break;
    case YamlValue::Type::Bool:
        out << YAML::TrueFalseBool << value.boolValue();
        break;
    case YamlValue::Type::Int:
        out << static_cast<long long>(value.intValue());
        break;
    case YamlValue::Type::String:
        if (value.isLiteral())
            out << YAML::Literal << value.text();
        else if (yamlStringNeedsQuotes(value.text()))
            out << YAML::DoubleQuoted << value.text();
        else
            out << value.text(); // yaml-cpp itself quotes what is not a valid plain scalar
        break;
    case YamlValue::Type::Sequence:
        if (value.items().empty()) {
            out << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
            break;
        }
        out << YAML::BeginSeq;
        for (const YamlValue &item : value.items())
            emitValue(out, item);
        out << YAML::EndSeq;
        break;
    case YamlValue::Type::Map:
        if (value.items().empty()) {
            out << YAML::Flow << YAML::BeginMap << YAML::EndMap;
            break;
        }
        out << YAML::BeginMap;
        for (std::size_t i = 0; i < value.keys().size(); ++i) {
            out << YAML::Key;
            if (yamlStringNeedsQuotes(value.keys()[i]))
                out << YAML::DoubleQuoted;
            out << value.keys()[i] << YAML::Value;
            emitValue(out, value.items()[i]);
        }
        out << YAML::EndMap;
        break;
    }
}

} // namespace

std::string emitYaml(const YamlValue &document)
{
    YAML::Emitter out;
    out.SetIndent(2);
    out.SetSeqFormat(YAML::Block);
    out.SetMapFormat(YAML::Block);
    emitValue(out, document);
    std::string text = out.c_str();
    if (text.empty() || text.back() != '\n')
        text += '\n';
    return text;
}

} // namespace slipway::deploy
