#pragma once
// Runtime values of the Jinja interpreter. Strings, lists and dicts are immutable and shared
// (copying a Value is cheap); a namespace() is the one mutable container, shared by reference
// as in Jinja. Dicts keep insertion order, so `tools | tojson` prints keys in the client's order.
// Printing follows @huggingface/jinja, the renderer the tests compare against: booleans print as
// "true"/"false", none and undefined print nothing, floats keep a ".0".
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

namespace slipway::engine::jinja {

class Value;
class Interpreter;
class Scope;
using ScopePtr = std::shared_ptr<Scope>;

using Array = std::vector<Value>;

// An insertion-ordered dict (also the storage of a namespace).
struct Object {
    std::vector<std::pair<std::string, Value>> entries;

    const Value *find(std::string_view key) const;
    // Replaces the value of an existing key, or appends the key.
    void set(std::string key, Value value);
};

// Arguments of a call: positional values and keyword arguments in call order.
struct CallArgs {
    std::vector<Value> positional;
    std::vector<std::pair<std::string, Value>> keyword;

    // The argument at `index` if given positionally, else the keyword argument `name`, else null.
    const Value *get(std::size_t index, std::string_view name) const;
    const Value *keyword_value(std::string_view name) const;
};

// Where a function is called from: macros and caller() evaluate their bodies through these.
struct CallContext {
    Interpreter &interpreter;
    const ScopePtr &scope;
};
using Function = std::function<Value(CallArgs &, const CallContext &)>;

class Value {
public:
    enum class Kind { undefined, none, boolean, integer, floating, string, array, object, name_space, function };

    Value() = default; // undefined
    static Value none();
    static Value boolean(bool value);
    static Value integer(std::int64_t value);
    static Value floating(double value);
    static Value string(std::string value);
    static Value array(Array values);
    static Value object(Object entries);
    static Value name_space(Object entries);
    static Value function(Function function);

    Kind kind() const { return static_cast<Kind>(data_.index()); }
    bool is_undefined() const { return kind() == Kind::undefined; }
    bool is_none() const { return kind() == Kind::none; }
    bool is_string() const { return kind() == Kind::string; }
    bool is_number() const { return kind() == Kind::integer || kind() == Kind::floating; }
    bool is_array() const { return kind() == Kind::array; }
    bool is_object() const { return kind() == Kind::object; }
    bool is_namespace() const { return kind() == Kind::name_space; }
    bool is_function() const { return kind() == Kind::function; }

    bool as_bool() const { return std::get<bool>(data_); }
    std::int64_t as_int() const { return std::get<std::int64_t>(data_); }
    // The numeric value of an integer or float.
    double as_number() const;
    const std::string &as_string() const { return *std::get<StringPtr>(data_); }
    const Array &as_array() const { return *std::get<ArrayPtr>(data_); }
    // The entries of a dict or of a namespace.
    const Object &as_object() const;
    Object &namespace_entries() const { return *std::get<NamespacePtr>(data_); }
    const Function &as_function() const { return *std::get<FunctionPtr>(data_); }
    // True when both refer to the same shared container (namespace identity).
    bool same_container(const Value &other) const;

private:
    struct Undefined {};
    struct None {};
    using StringPtr = std::shared_ptr<const std::string>;
    using ArrayPtr = std::shared_ptr<const Array>;
    using ObjectPtr = std::shared_ptr<const Object>;
    using NamespacePtr = std::shared_ptr<Object>;
    using FunctionPtr = std::shared_ptr<const Function>;
    // Alternative order matches Kind.
    std::variant<Undefined, None, bool, std::int64_t, double, StringPtr, ArrayPtr, ObjectPtr, NamespacePtr, FunctionPtr> data_;
};

// "undefined", "none", "boolean", "integer", "float", "string", "list", "dict", "namespace",
// "function": for error messages.
std::string type_name(const Value &value);
// Python truthiness (empty strings, lists and dicts are false; a namespace is always true).
bool truthy(const Value &value);
// What {{ value }} prints.
std::string to_output(const Value &value);
// How `~` and `+` turn a value into text (JavaScript's String(value): 2.0 becomes "2").
std::string to_concat(const Value &value);
// Equality of `==`, `in` and `unique`: numbers by value, containers deeply; none equals
// undefined (as in @huggingface/jinja).
bool values_equal(const Value &a, const Value &b);
// Ordering of `sort` and `dictsort`; throws for values that cannot be ordered.
int compare_values(const Value &a, const Value &b, bool case_sensitive);

struct JsonOptions {
    std::optional<std::int64_t> indent; // pretty-print with this many spaces (0 means none)
    bool ensure_ascii = false;
    bool sort_keys = false;
    std::optional<std::pair<std::string, std::string>> separators; // item, key
};
// JSON text of a value as the `tojson` filter writes it; `undefined_as_null` false writes
// undefined members as `undefined` (how lists print with {{ }}).
std::string to_json(const Value &value, const JsonOptions &options, bool undefined_as_null = true);

// Nesting deeper than this in request JSON is refused rather than recursed into.
inline constexpr std::size_t kMaxJsonDepth = 512;

// Converts request JSON (nlohmann::json or nlohmann::ordered_json) into a Value; throws a
// std::length_error for nesting deeper than kMaxJsonDepth.
template <typename Json>
Value value_from_json(const Json &json, std::size_t depth = 0)
{
    if (depth > kMaxJsonDepth)
        throw std::length_error("the messages JSON is nested more than 512 levels deep");
    switch (json.type()) {
    case nlohmann::json::value_t::null:
    case nlohmann::json::value_t::discarded:
        return Value::none();
    case nlohmann::json::value_t::boolean:
        return Value::boolean(json.template get<bool>());
    case nlohmann::json::value_t::number_integer:
        return Value::integer(json.template get<std::int64_t>());
    case nlohmann::json::value_t::number_unsigned: {
        const auto u = json.template get<std::uint64_t>();
        if (u <= static_cast<std::uint64_t>(INT64_MAX))
            return Value::integer(static_cast<std::int64_t>(u));
        return Value::floating(static_cast<double>(u));
    }
    case nlohmann::json::value_t::number_float:
        return Value::floating(json.template get<double>());
    case nlohmann::json::value_t::string:
        return Value::string(json.template get<std::string>());
    case nlohmann::json::value_t::array: {
        Array values;
        values.reserve(json.size());
        for (const auto &item : json)
            values.push_back(value_from_json(item, depth + 1));
        return Value::array(std::move(values));
    }
    case nlohmann::json::value_t::object: {
        Object object;
        object.entries.reserve(json.size());
        for (auto it = json.begin(); it != json.end(); ++it)
            object.entries.emplace_back(it.key(), value_from_json(it.value(), depth + 1));
        return Value::object(std::move(object));
    }
    case nlohmann::json::value_t::binary:
        break;
    }
    return Value::none();
}

} // namespace slipway::engine::jinja
