// Filters (`value | name(args)`) and tests (`value is name`).
#include <algorithm>
#include <cerrno>
#include <iterator>
#include <optional>
#include <cmath>
#include <cstdlib>

#include "jinja_builtins.h"
#include "jinja_error.h"
#include "jinja_interpreter.h"
#include "jinja_strings.h"

namespace slipway::engine::jinja {
namespace {

constexpr std::string_view kFilters[] = {
    "abs", "bool", "capitalize", "count", "d", "default", "dictsort", "first", "float", "indent", "int", "items",
    "join", "last", "length", "list", "lower", "map", "reject", "rejectattr", "replace", "reverse", "safe", "select",
    "selectattr", "sort", "string", "title", "tojson", "trim", "unique", "upper", "keys", "values", "wordcount"};

constexpr std::string_view kTests[] = {
    "boolean", "callable", "defined", "divisibleby", "eq", "equalto", "==", "even", "false", "float", "ge", "gt",
    "in", "integer", "iterable", "le", "lower", "lt", "mapping", "ne", "none", "number", "odd", "sequence",
    "string", "true", "undefined", "upper", "!=", "sameas"};

// Index for flag_argument when an option can only be given by keyword.
constexpr std::size_t kKeywordOnly = static_cast<std::size_t>(-1);

[[noreturn]] void wrong_type(const std::string &filter, const Value &operand)
{
    fail("filter '" + filter + "' cannot be applied to " + type_name(operand));
}

bool flag_argument(const CallArgs &args, std::size_t index, std::string_view name, bool fallback, const std::string &where)
{
    const Value *value = args.get(index, name);
    if (!value || value->is_undefined() || value->is_none())
        return fallback;
    if (value->kind() != Value::Kind::boolean)
        fail(where + ": '" + std::string(name) + "' must be true or false, got " + type_name(*value));
    return value->as_bool();
}

std::string string_argument(const CallArgs &args, std::size_t index, std::string_view name, const std::string &where)
{
    const Value *value = args.get(index, name);
    if (!value || !value->is_string())
        fail(where + ": '" + std::string(name) + "' must be a string" + (value ? ", got " + type_name(*value) : std::string(" and is missing")));
    return value->as_string();
}

// How JavaScript's Array.join prints a raw element: none/undefined become "".
std::string join_piece(const Value &value)
{
    if (value.is_none() || value.is_undefined())
        return {};
    return to_concat(value);
}

Array code_point_values(const std::string &text)
{
    Array items;
    for (const auto unit : code_points(text))
        items.push_back(Value::string(std::string(unit)));
    return items;
}

// JavaScript's parseInt(text, 10) / parseFloat(text): the longest numeric prefix after spaces.
std::optional<Value> parse_number_prefix(const std::string &text, bool as_float)
{
    const std::string_view rest = js_trim_start(text);
    std::size_t i = 0;
    if (i < rest.size() && (rest[i] == '+' || rest[i] == '-'))
        ++i;
    const std::size_t digits_start = i;
    while (i < rest.size() && std::isdigit(static_cast<unsigned char>(rest[i])))
        ++i;
    std::size_t mantissa_digits = i - digits_start;
    if (as_float) {
        if (rest.substr(digits_start, 8) == "Infinity")
            return Value::floating(rest[0] == '-' ? -INFINITY : INFINITY);
        if (i < rest.size() && rest[i] == '.') {
            ++i;
            const std::size_t frac_start = i;
            while (i < rest.size() && std::isdigit(static_cast<unsigned char>(rest[i])))
                ++i;
            mantissa_digits += i - frac_start;
        }
        if (mantissa_digits > 0 && i < rest.size() && (rest[i] == 'e' || rest[i] == 'E')) {
            std::size_t j = i + 1;
            if (j < rest.size() && (rest[j] == '+' || rest[j] == '-'))
                ++j;
            const std::size_t exp_start = j;
            while (j < rest.size() && std::isdigit(static_cast<unsigned char>(rest[j])))
                ++j;
            if (j > exp_start)
                i = j;
        }
    }
    if (mantissa_digits == 0)
        return std::nullopt;
    const std::string number(rest.substr(0, i));
    if (as_float)
        return Value::floating(std::strtod(number.c_str(), nullptr));
    errno = 0;
    const long long parsed = std::strtoll(number.c_str(), nullptr, 10);
    if (errno == ERANGE)
        return Value::floating(std::strtod(number.c_str(), nullptr));
    return Value::integer(parsed);
}

Value sort_filter(const Value &operand, const CallArgs &args)
{
    const bool reverse = flag_argument(args, 0, "reverse", false, "sort");
    const bool case_sensitive = flag_argument(args, 1, "case_sensitive", false, "sort");
    const Value *attribute = args.get(2, "attribute");
    std::string path;
    if (attribute && attribute->is_string())
        path = attribute->as_string();
    else if (attribute && attribute->kind() == Value::Kind::integer)
        path = std::to_string(attribute->as_int());
    else if (attribute && !attribute->is_none() && !attribute->is_undefined())
        fail("sort: 'attribute' must be a string or an integer");
    Array items = operand.as_array();
    const auto key = [&](const Value &item) { return path.empty() ? item : attribute_path(item, path); };
    std::stable_sort(items.begin(), items.end(), [&](const Value &a, const Value &b) {
        const int order = compare_values(key(a), key(b), case_sensitive);
        return reverse ? order > 0 : order < 0;
    });
    return Value::array(std::move(items));
}

Value dictsort_filter(const Value &operand, const CallArgs &args)
{
    const bool case_sensitive = flag_argument(args, 0, "case_sensitive", false, "dictsort");
    const Value *by_value = args.get(1, "by");
    const std::string by = by_value && by_value->is_string() ? by_value->as_string() : "key";
    if (by != "key" && by != "value")
        fail("dictsort: 'by' must be 'key' or 'value'");
    const bool reverse = flag_argument(args, 2, "reverse", false, "dictsort");
    Array pairs;
    for (const auto &[key, value] : operand.as_object().entries)
        pairs.push_back(Value::array({Value::string(key), value}));
    const std::size_t index = by == "key" ? 0 : 1;
    std::stable_sort(pairs.begin(), pairs.end(), [&](const Value &a, const Value &b) {
        const int order = compare_values(a.as_array()[index], b.as_array()[index], case_sensitive);
        return reverse ? order > 0 : order < 0;
    });
    return Value::array(std::move(pairs));
}

// select/reject/selectattr/rejectattr: keeps the items whose (attribute) value passes the test.
Value select_filter(const std::string &name, const Value &operand, const CallArgs &args)
{
    const bool by_attribute = name == "selectattr" || name == "rejectattr";
    const bool keep_passing = name == "select" || name == "selectattr";
    std::size_t next = 0;
    std::string attribute;
    if (by_attribute)
        attribute = string_argument(args, next++, "attribute", name);
    std::string test;
    if (next < args.positional.size()) {
        if (!args.positional[next].is_string())
            fail(name + ": the test name must be a string");
        test = args.positional[next++].as_string();
        if (!is_known_test(test))
            fail(name + ": unknown test '" + test + "'");
    }
    CallArgs test_args;
    test_args.positional.assign(args.positional.begin() + static_cast<std::ptrdiff_t>(std::min(next, args.positional.size())), args.positional.end());
    Array kept;
    for (const auto &item : operand.as_array()) {
        if (by_attribute && !item.is_object() && !item.is_namespace())
            fail("'" + name + "' can only be applied to a list of dicts, found " + type_name(item));
        const Value subject = by_attribute ? attribute_path(item, attribute) : item;
        const bool passes = test.empty() ? truthy(subject) : apply_test(test, subject, test_args);
        if (passes == keep_passing)
            kept.push_back(item);
    }
    return Value::array(std::move(kept));
}

Value map_filter(const Value &operand, CallArgs &args, Interpreter &interpreter, const ScopePtr &scope)
{
    Array mapped;
    if (const Value *attribute = args.keyword_value("attribute")) {
        if (!attribute->is_string())
            fail("map: 'attribute' must be a string");
        const Value *fallback = args.keyword_value("default");
        for (const auto &item : operand.as_array()) {
            Value value = attribute_path(item, attribute->as_string());
            mapped.push_back(value.is_undefined() && fallback ? *fallback : value);
        }
        return Value::array(std::move(mapped));
    }
    if (args.positional.empty() || !args.positional[0].is_string())
        fail("map needs a filter name or attribute='name'");
    const std::string filter = args.positional[0].as_string();
    for (const auto &item : operand.as_array()) {
        CallArgs rest;
        rest.positional.assign(args.positional.begin() + 1, args.positional.end());
        rest.keyword = args.keyword;
        mapped.push_back(apply_filter(filter, item, rest, interpreter, scope));
    }
    return Value::array(std::move(mapped));
}

Value tojson_filter(const Value &operand, const CallArgs &args)
{
    JsonOptions options;
    if (const Value *indent = args.get(0, "indent"); indent && !indent->is_none() && !indent->is_undefined()) {
        if (indent->kind() != Value::Kind::integer)
            fail("tojson: 'indent' must be an integer, got " + type_name(*indent));
        options.indent = indent->as_int();
    }
    options.ensure_ascii = flag_argument(args, kKeywordOnly, "ensure_ascii", false, "tojson");
    options.sort_keys = flag_argument(args, kKeywordOnly, "sort_keys", false, "tojson");
    if (const Value *separators = args.keyword_value("separators"); separators && !separators->is_none()) {
        if (!separators->is_array() || separators->as_array().size() != 2 || !separators->as_array()[0].is_string()
            || !separators->as_array()[1].is_string())
            fail("tojson: 'separators' must be a pair of strings (item_separator, key_separator)");
        options.separators = std::make_pair(separators->as_array()[0].as_string(), separators->as_array()[1].as_string());
    }
    return Value::string(to_json(operand, options));
}

Value indent_filter(const std::string &text, const CallArgs &args)
{
    std::string unit = "    ";
    if (const Value *width = args.get(0, "width")) {
        if (width->kind() == Value::Kind::integer)
            unit = std::string(static_cast<std::size_t>(std::max<std::int64_t>(0, width->as_int())), ' ');
        else if (width->is_string())
            unit = width->as_string();
        else
            fail("indent: 'width' must be an integer or a string");
    }
    const bool first = args.get(1, "first") && truthy(*args.get(1, "first"));
    const bool blank = args.get(2, "blank") && truthy(*args.get(2, "blank"));
    std::string out;
    std::size_t start = 0;
    for (std::size_t line = 0;; ++line) {
        const std::size_t end = text.find('\n', start);
        const std::string_view piece = std::string_view(text).substr(start, end == std::string::npos ? std::string::npos : end - start);
        if ((line > 0 || first) && (blank || !piece.empty()))
            out += unit;
        out += piece;
        if (end == std::string::npos)
            break;
        out += '\n';
        start = end + 1;
    }
    return Value::string(std::move(out));
}

Value string_filter(const std::string &name, const Value &operand, const CallArgs &args)
{
    const std::string &text = operand.as_string();
    if (name == "upper") return Value::string(to_upper(text));
    if (name == "lower") return Value::string(to_lower(text));
    if (name == "title") return Value::string(title_case(text));
    if (name == "capitalize") return Value::string(capitalize(text));
    if (name == "trim") {
        const Value *chars = args.get(0, "chars");
        if (chars && chars->is_string())
            return Value::string(std::string(strip_chars(text, chars->as_string(), true, true)));
        return Value::string(std::string(js_trim(text)));
    }
    if (name == "indent") return indent_filter(text, args);
    if (name == "replace") return call_string_method("replace", operand, args);
    if (name == "wordcount") {
        std::int64_t words = 0;
        bool in_word = false;
        for (const auto unit : code_points(text)) {
            std::size_t length = 0;
            const bool space = is_js_space(decode_utf8(unit, 0, length));
            words += (!space && !in_word) ? 1 : 0;
            in_word = !space;
        }
        return Value::integer(words);
    }
    wrong_type(name, operand);
}

} // namespace

bool is_known_test(const std::string &name)
{
    return std::find(std::begin(kTests), std::end(kTests), name) != std::end(kTests);
}

Value apply_filter(const std::string &name, const Value &operand, CallArgs &args, Interpreter &interpreter, const ScopePtr &scope)
{
    using K = Value::Kind;
    if (std::find(std::begin(kFilters), std::end(kFilters), name) == std::end(kFilters))
        fail("unknown filter '" + name + "'");
    if (name == "safe")
        return operand;
    if (name == "tojson")
        return tojson_filter(operand, args);
    if (name == "default" || name == "d") {
        const Value *fallback = args.get(0, "default_value");
        const bool boolean = flag_argument(args, 1, "boolean", false, name);
        if (operand.is_undefined() || (boolean && !truthy(operand)))
            return fallback ? *fallback : Value::string("");
        return operand;
    }
    if (name == "string") {
        if (operand.is_none())
            return Value::string("None");
        return operand.is_string() ? operand : Value::string(to_output(operand));
    }
    if (name == "length" || name == "count") {
        switch (operand.kind()) {
        case K::string: return Value::integer(static_cast<std::int64_t>(code_point_count(operand.as_string())));
        case K::array: return Value::integer(static_cast<std::int64_t>(operand.as_array().size()));
        case K::object: return Value::integer(static_cast<std::int64_t>(operand.as_object().entries.size()));
        default: wrong_type(name, operand);
        }
    }
    if (name == "items") {
        if (operand.is_undefined())
            return Value::array({});
        if (!operand.is_object())
            wrong_type(name, operand);
        Array pairs;
        for (const auto &[key, value] : operand.as_object().entries)
            pairs.push_back(Value::array({Value::string(key), value}));
        return Value::array(std::move(pairs));
    }
    if (name == "keys" || name == "values" || name == "dictsort") {
        if (!operand.is_object())
            wrong_type(name, operand);
        if (name == "dictsort")
            return dictsort_filter(operand, args);
        Array out;
        for (const auto &[key, value] : operand.as_object().entries)
            out.push_back(name == "keys" ? Value::string(key) : value);
        return Value::array(std::move(out));
    }
    if (name == "bool")
        return Value::boolean(truthy(operand));
    if (name == "int" || name == "float") {
        const bool as_float = name == "float";
        const Value *fallback = args.get(0, "default");
        const Value zero = as_float ? Value::floating(0) : Value::integer(0);
        switch (operand.kind()) {
        case K::string: {
            const auto parsed = parse_number_prefix(operand.as_string(), as_float);
            return parsed ? *parsed : (fallback ? *fallback : zero);
        }
        case K::integer: return as_float ? Value::floating(operand.as_number()) : operand;
        case K::floating: return as_float ? operand : Value::integer(static_cast<std::int64_t>(std::trunc(operand.as_number())));
        case K::boolean: return as_float ? Value::floating(operand.as_bool() ? 1 : 0) : Value::integer(operand.as_bool() ? 1 : 0);
        default: if (fallback) return *fallback; wrong_type(name, operand);
        }
    }
    if (name == "abs") {
        if (operand.kind() == K::integer)
            return Value::integer(operand.as_int() < 0 ? -operand.as_int() : operand.as_int());
        if (operand.kind() == K::floating)
            return Value::floating(std::fabs(operand.as_number()));
        wrong_type(name, operand);
    }
    if (name == "join") {
        Array pieces;
        if (operand.is_string())
            pieces = code_point_values(operand.as_string());
        else if (operand.is_array())
            pieces = operand.as_array();
        else
            wrong_type(name, operand);
        const Value *separator = args.get(0, "d");
        if (!separator)
            separator = args.keyword_value("separator");
        if (separator && !separator->is_string())
            fail("join: the separator must be a string");
        const Value *attribute = args.get(1, "attribute");
        std::string out;
        for (std::size_t i = 0; i < pieces.size(); ++i) {
            if (i > 0 && separator)
                out += separator->as_string();
            out += join_piece(attribute && attribute->is_string() ? attribute_path(pieces[i], attribute->as_string()) : pieces[i]);
        }
        return Value::string(std::move(out));
    }
    if (name == "list") {
        if (operand.is_array()) return operand;
        if (operand.is_string()) return Value::array(code_point_values(operand.as_string()));
        if (operand.is_object()) return apply_filter("keys", operand, args, interpreter, scope);
        wrong_type(name, operand);
    }
    if (name == "first" || name == "last") {
        Array items;
        if (operand.is_array()) items = operand.as_array();
        else if (operand.is_string()) items = code_point_values(operand.as_string());
        else wrong_type(name, operand);
        if (items.empty())
            return Value();
        return name == "first" ? items.front() : items.back();
    }
    if (name == "reverse") {
        Array items;
        if (operand.is_array()) items = operand.as_array();
        else if (operand.is_string()) items = code_point_values(operand.as_string());
        else wrong_type(name, operand);
        std::reverse(items.begin(), items.end());
        if (operand.is_string()) {
            std::string out;
            for (const auto &unit : items)
                out += unit.as_string();
            return Value::string(std::move(out));
        }
        return Value::array(std::move(items));
    }
    if (name == "unique") {
        if (!operand.is_array())
            wrong_type(name, operand);
        Array out;
        for (const auto &item : operand.as_array()) {
            const bool seen = std::any_of(out.begin(), out.end(), [&](const Value &kept) { return values_equal(kept, item); });
            if (!seen)
                out.push_back(item);
        }
        return Value::array(std::move(out));
    }
    if (name == "sort") {
        if (!operand.is_array())
            wrong_type(name, operand);
        return sort_filter(operand, args);
    }
    if (name == "select" || name == "reject" || name == "selectattr" || name == "rejectattr") {
        if (!operand.is_array())
            wrong_type(name, operand);
        return select_filter(name, operand, args);
    }
    if (name == "map") {
        if (!operand.is_array())
            wrong_type(name, operand);
        return map_filter(operand, args, interpreter, scope);
    }
    if (operand.is_string())
        return string_filter(name, operand, args);
    wrong_type(name, operand);
}

bool apply_test(const std::string &name, const Value &operand, const CallArgs &args)
{
    using K = Value::Kind;
    if (!is_known_test(name))
        fail("unknown test '" + name + "'");
    const auto argument = [&]() -> const Value & {
        if (args.positional.empty())
            fail("test '" + name + "' needs an argument");
        return args.positional[0];
    };
    if (name == "defined") return !operand.is_undefined();
    if (name == "undefined") return operand.is_undefined();
    if (name == "none") return operand.is_none();
    if (name == "boolean") return operand.kind() == K::boolean;
    if (name == "true") return operand.kind() == K::boolean && operand.as_bool();
    if (name == "false") return operand.kind() == K::boolean && !operand.as_bool();
    if (name == "string") return operand.is_string();
    if (name == "number") return operand.is_number();
    if (name == "integer") return operand.kind() == K::integer;
    if (name == "float") return operand.kind() == K::floating;
    if (name == "callable") return operand.is_function();
    if (name == "iterable") return operand.is_array() || operand.is_string();
    if (name == "mapping") return operand.is_object();
    if (name == "sequence") return operand.is_array() || operand.is_object() || operand.is_string();
    if (name == "lower") return operand.is_string() && to_lower(operand.as_string()) == operand.as_string();
    if (name == "upper") return operand.is_string() && to_upper(operand.as_string()) == operand.as_string();
    if (name == "odd" || name == "even" || name == "divisibleby") {
        if (operand.kind() != K::integer)
            fail("test '" + name + "' needs an integer, got " + type_name(operand));
        std::int64_t divisor = 2;
        if (name == "divisibleby") {
            const Value &d = argument();
            if (d.kind() != K::integer || d.as_int() == 0)
                fail("divisibleby needs a non-zero integer");
            divisor = d.as_int();
        }
        const bool divisible = operand.as_int() % divisor == 0;
        return name == "odd" ? !divisible : divisible;
    }
    if (name == "eq" || name == "equalto" || name == "==") return values_equal(operand, argument());
    if (name == "ne" || name == "!=") return !values_equal(operand, argument());
    if (name == "sameas") {
        const Value &other = argument();
        if (operand.is_none() || other.is_none()) return operand.is_none() && other.is_none();
        if (operand.kind() == K::boolean && other.kind() == K::boolean) return operand.as_bool() == other.as_bool();
        return operand.same_container(other);
    }
    if (name == "lt") return compare_values(operand, argument(), true) < 0;
    if (name == "le") return compare_values(operand, argument(), true) <= 0;
    if (name == "gt") return compare_values(operand, argument(), true) > 0;
    if (name == "ge") return compare_values(operand, argument(), true) >= 0;
    if (name == "in") {
        const Value &container = argument();
        if (container.is_array())
            return std::any_of(container.as_array().begin(), container.as_array().end(), [&](const Value &v) { return values_equal(v, operand); });
        if (container.is_string() && operand.is_string())
            return container.as_string().find(operand.as_string()) != std::string::npos;
        if (container.is_object() && operand.is_string())
            return container.as_object().find(operand.as_string()) != nullptr;
        fail("test 'in' needs a list, string or dict");
    }
    fail("unknown test '" + name + "'");
}

} // namespace slipway::engine::jinja
