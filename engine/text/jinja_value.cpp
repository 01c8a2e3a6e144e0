#include "jinja_value.h"

#include <algorithm>
#include <cmath>

#include "jinja_error.h"
#include "jinja_strings.h"

namespace slipway::engine::jinja {

const Value *Object::find(std::string_view key) const
{
    for (const auto &[name, value] : entries)
        if (name == key)
            return &value;
    return nullptr;
}

void Object::set(std::string key, Value value)
{
    for (auto &[name, existing] : entries) {
        if (name == key) {
            existing = std::move(value);
            return;
        }
    }
    entries.emplace_back(std::move(key), std::move(value));
}

const Value *CallArgs::keyword_value(std::string_view name) const
{
    for (const auto &[key, value] : keyword)
        if (key == name)
            return &value;
    return nullptr;
}

const Value *CallArgs::get(std::size_t index, std::string_view name) const
{
    if (index < positional.size())
        return &positional[index];
    return keyword_value(name);
}

Value Value::none() { Value v; v.data_ = None{}; return v; }
Value Value::boolean(bool value) { Value v; v.data_ = value; return v; }
Value Value::integer(std::int64_t value) { Value v; v.data_ = value; return v; }
Value Value::floating(double value) { Value v; v.data_ = value; return v; }
Value Value::string(std::string value) { Value v; v.data_ = std::make_shared<const std::string>(std::move(value)); return v; }
Value Value::array(Array values) { Value v; v.data_ = std::make_shared<const Array>(std::move(values)); return v; }
Value Value::object(Object entries) { Value v; v.data_ = std::make_shared<const Object>(std::move(entries)); return v; }
Value Value::name_space(Object entries) { Value v; v.data_ = std::make_shared<Object>(std::move(entries)); return v; }
Value Value::function(Function function) { Value v; v.data_ = std::make_shared<const Function>(std::move(function)); return v; }

double Value::as_number() const
{
    if (kind() == Kind::integer)
        return static_cast<double>(as_int());
    return std::get<double>(data_);
}

const Object &Value::as_object() const
{
    if (kind() == Kind::name_space)
        return *std::get<NamespacePtr>(data_);
    return *std::get<ObjectPtr>(data_);
}

bool Value::same_container(const Value &other) const
{
    if (kind() != other.kind())
        return false;
    switch (kind()) {
    case Kind::name_space: return std::get<NamespacePtr>(data_) == std::get<NamespacePtr>(other.data_);
    case Kind::function: return std::get<FunctionPtr>(data_) == std::get<FunctionPtr>(other.data_);
    default: return false;
    }
}

std::string type_name(const Value &value)
{
    switch (value.kind()) {
    case Value::Kind::undefined: return "undefined";
    case Value::Kind::none: return "none";
    case Value::Kind::boolean: return "boolean";
    case Value::Kind::integer: return "integer";
    case Value::Kind::floating: return "float";
    case Value::Kind::string: return "string";
    case Value::Kind::array: return "list";
    case Value::Kind::object: return "dict";
    case Value::Kind::name_space: return "namespace";
    case Value::Kind::function: return "function";
    }
    return "value";
}

bool truthy(const Value &value)
{
    switch (value.kind()) {
    case Value::Kind::undefined:
    case Value::Kind::none: return false;
    case Value::Kind::boolean: return value.as_bool();
    case Value::Kind::integer: return value.as_int() != 0;
    case Value::Kind::floating: { const double d = value.as_number(); return d != 0 && !std::isnan(d); }
    case Value::Kind::string: return !value.as_string().empty();
    case Value::Kind::array: return !value.as_array().empty();
    case Value::Kind::object: return !value.as_object().entries.empty();
    case Value::Kind::name_space:
    case Value::Kind::function: return true;
    }
    return false;
}

std::string to_output(const Value &value)
{
    switch (value.kind()) {
    case Value::Kind::undefined:
    case Value::Kind::none: return {};
    case Value::Kind::boolean: return value.as_bool() ? "true" : "false";
    case Value::Kind::integer: return std::to_string(value.as_int());
    case Value::Kind::floating: return float_to_output(value.as_number());
    case Value::Kind::string: return value.as_string();
    case Value::Kind::array:
    case Value::Kind::object:
    case Value::Kind::name_space: return to_json(value, {}, false);
    case Value::Kind::function: fail("cannot print a function or macro; call it with ()");
    }
    return {};
}

std::string to_concat(const Value &value)
{
    switch (value.kind()) {
    case Value::Kind::floating: return js_number_to_string(value.as_number());
    case Value::Kind::array: {
        // JavaScript's Array.prototype.toString: elements joined by ",".
        std::string out;
        bool first = true;
        for (const auto &item : value.as_array()) {
            if (!first)
                out += ',';
            first = false;
            if (item.is_none())
                out += "null";
            else if (item.is_undefined())
                out += "undefined";
            else
                out += to_output(item);
        }
        return out;
    }
    default: return to_output(value);
    }
}

bool values_equal(const Value &a, const Value &b)
{
    using K = Value::Kind;
    const auto absent = [](const Value &v) { return v.is_undefined() || v.is_none(); };
    if (absent(a) || absent(b))
        return absent(a) && absent(b);
    const auto numeric = [](const Value &v) { return v.is_number() || v.kind() == K::boolean; };
    const auto number_of = [](const Value &v) { return v.kind() == K::boolean ? (v.as_bool() ? 1.0 : 0.0) : v.as_number(); };
    if (numeric(a) && numeric(b)) {
        if (a.kind() == K::integer && b.kind() == K::integer)
            return a.as_int() == b.as_int();
        return number_of(a) == number_of(b);
    }
    if (a.kind() != b.kind())
        return false;
    switch (a.kind()) {
    case K::string: return a.as_string() == b.as_string();
    case K::array: {
        const auto &x = a.as_array();
        const auto &y = b.as_array();
        if (x.size() != y.size())
            return false;
        for (std::size_t i = 0; i < x.size(); ++i)
            if (!values_equal(x[i], y[i]))
                return false;
        return true;
    }
    case K::object: {
        const auto &x = a.as_object().entries;
        const auto &y = b.as_object();
        if (x.size() != y.entries.size())
            return false;
        for (const auto &[key, value] : x) {
            const Value *other = y.find(key);
            if (!other || !values_equal(value, *other))
                return false;
        }
        return true;
    }
    default: return a.same_container(b);
    }
}

int compare_values(const Value &a, const Value &b, bool case_sensitive)
{
    using K = Value::Kind;
    if (a.is_none() && b.is_none())
        return 0;
    if (a.is_undefined() && b.is_undefined())
        return 0;
    const auto numeric = [](const Value &v) { return v.is_number() || v.kind() == K::boolean; };
    if (numeric(a) && numeric(b)) {
        const auto number_of = [](const Value &v) { return v.kind() == K::boolean ? (v.as_bool() ? 1.0 : 0.0) : v.as_number(); };
        const double x = number_of(a);
        const double y = number_of(b);
        return x < y ? -1 : (x > y ? 1 : 0);
    }
    if (a.is_string() && b.is_string()) {
        const std::string x = case_sensitive ? a.as_string() : to_lower(a.as_string());
        const std::string y = case_sensitive ? b.as_string() : to_lower(b.as_string());
        return x < y ? -1 : (x > y ? 1 : 0);
    }
    fail("cannot compare " + type_name(a) + " with " + type_name(b));
}

namespace {

void write_json(std::string &out, const Value &value, const JsonOptions &options, std::size_t depth, bool undefined_as_null)
{
    const bool pretty = options.indent && *options.indent > 0;
    std::string item_separator = pretty ? "," : ", ";
    std::string key_separator = ": ";
    if (options.separators) {
        item_separator = options.separators->first;
        key_separator = options.separators->second;
    }
    const std::string indent_unit = pretty ? std::string(static_cast<std::size_t>(*options.indent), ' ') : std::string();
    std::string base_padding = "\n";
    for (std::size_t i = 0; i < depth; ++i)
        base_padding += indent_unit;
    const std::string child_padding = base_padding + indent_unit;

    if (depth > 1000)
        fail("value nested too deeply to convert to JSON");
    switch (value.kind()) {
    case Value::Kind::undefined: out += undefined_as_null ? "null" : "undefined"; return;
    case Value::Kind::none: out += "null"; return;
    case Value::Kind::boolean: out += value.as_bool() ? "true" : "false"; return;
    case Value::Kind::integer: out += std::to_string(value.as_int()); return;
    case Value::Kind::floating: {
        const double d = value.as_number();
        out += std::isfinite(d) ? js_number_to_string(d) : "null";
        return;
    }
    case Value::Kind::string: out += json_quote(value.as_string(), options.ensure_ascii); return;
    case Value::Kind::array: {
        const auto &items = value.as_array();
        out += '[';
        for (std::size_t i = 0; i < items.size(); ++i) {
            if (i > 0)
                out += item_separator;
            if (pretty)
                out += child_padding;
            write_json(out, items[i], options, depth + 1, undefined_as_null);
        }
        if (pretty && !items.empty())
            out += base_padding;
        out += ']';
        return;
    }
    case Value::Kind::object:
    case Value::Kind::name_space: {
        std::vector<const std::pair<std::string, Value> *> entries;
        for (const auto &entry : value.as_object().entries)
            entries.push_back(&entry);
        if (options.sort_keys)
            std::stable_sort(entries.begin(), entries.end(), [](auto *x, auto *y) { return x->first < y->first; });
        out += '{';
        for (std::size_t i = 0; i < entries.size(); ++i) {
            if (i > 0)
                out += item_separator;
            if (pretty)
                out += child_padding;
            out += json_quote(entries[i]->first, options.ensure_ascii);
            out += key_separator;
            write_json(out, entries[i]->second, options, depth + 1, undefined_as_null);
        }
        if (pretty && !entries.empty())
            out += base_padding;
        out += '}';
        return;
    }
    case Value::Kind::function: fail("cannot convert a function or macro to JSON");
    }
}

} // namespace

std::string to_json(const Value &value, const JsonOptions &options, bool undefined_as_null)
{
    if (options.indent && *options.indent < 0)
        fail("tojson indent must not be negative");
    std::string out;
    write_json(out, value, options, 0, undefined_as_null);
    return out;
}

} // namespace slipway::engine::jinja
