#include "kube/json_util.h"

#include <yaml-cpp/yaml.h>

#include <regex>

namespace slipway::kube::detail {

namespace {

using json = nlohmann::json;

json plainScalar(const std::string &text)
{
    static const std::regex kInt(R"([-+]?(0|[1-9][0-9_]*))");
    static const std::regex kHex(R"(0x[0-9a-fA-F_]+)");
    static const std::regex kFloat(R"([-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?)");
    if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL")
        return nullptr;
    for (const char *t : {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y"}) {
        if (text == t)
            return true;
    }
    for (const char *f : {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N"}) {
        if (text == f)
            return false;
    }
    try {
        if (std::regex_match(text, kInt)) {
            std::string digits;
            for (char c : text) {
                if (c != '_')
                    digits += c;
            }
            return std::stoll(digits);
        }
        if (std::regex_match(text, kHex))
            return std::stoll(text.substr(2), nullptr, 16);
        if (std::regex_match(text, kFloat))
            return std::stod(text);
    } catch (const std::exception &) {
        return text; // out of range: keep the text
    }
    return text;
}

json toJson(const YAML::Node &node)
{
    switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
        return nullptr;
    case YAML::NodeType::Scalar: {
        const std::string &tag = node.Tag();
        if (tag == "!" || tag.ends_with(":str"))
            return node.Scalar();
        if (tag.ends_with(":int") || tag.ends_with(":float") || tag.ends_with(":bool") || tag.ends_with(":null") ||
            tag == "?" || tag.empty())
            return plainScalar(node.Scalar());
        return node.Scalar();
    }
    case YAML::NodeType::Sequence: {
        json array = json::array();
        for (const auto &item : node)
            array.push_back(toJson(item));
        return array;
    }
    case YAML::NodeType::Map: {
        json object = json::object();
        for (const auto &item : node)
            object[item.first.as<std::string>()] = toJson(item.second);
        return object;
    }
    }
    return nullptr;
}

std::string stringAt(const json &object, const char *key)
{
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

} // namespace

Result<json> yamlToJson(std::string_view yamlText)
{
    try {
        const YAML::Node root = YAML::Load(std::string(yamlText));
        return toJson(root);
    } catch (const YAML::Exception &e) {
        return fail("not valid YAML (line " + std::to_string(e.mark.line + 1) + "): " + e.msg);
    }
}

Object objectFromJson(const json &object)
{
    Object out;
    if (!object.is_object())
        return out;
    out.apiVersion = stringAt(object, "apiVersion");
    out.kind = stringAt(object, "kind");
    if (const auto meta = object.find("metadata"); meta != object.end() && meta->is_object()) {
        out.name = stringAt(*meta, "name");
        out.namespaceName = stringAt(*meta, "namespace");
        out.uid = stringAt(*meta, "uid");
        out.resourceVersion = stringAt(*meta, "resourceVersion");
        if (const auto labels = meta->find("labels"); labels != meta->end() && labels->is_object()) {
            for (const auto &[key, value] : labels->items()) {
                if (value.is_string())
                    out.labels[key] = value.get<std::string>();
            }
        }
    }
    out.json = object.dump();
    return out;
}

Result<json> parseJsonObject(std::string_view text, std::string_view what)
{
    json parsed = json::parse(text.begin(), text.end(), nullptr, false);
    if (!parsed.is_object())
        return fail(std::string(what) + ": the API server sent something that is not a JSON object");
    return parsed;
}

} // namespace slipway::kube::detail
