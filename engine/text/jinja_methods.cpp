// Members of builtin types (string and dict methods, `length`) and the global functions.
#include <algorithm>
#include <ctime>

#include "jinja_builtins.h"
#include "jinja_error.h"
#include "jinja_interpreter.h"
#include "jinja_strings.h"

namespace slipway::engine::jinja {
namespace {

// Ranges longer than this are refused: a template has no business building huge lists.
constexpr std::int64_t kMaxRangeLength = 1'000'000;

constexpr std::string_view kStringMethods[] = {"upper", "lower", "strip", "lstrip", "rstrip", "title", "capitalize", "startswith",
                                               "endswith", "split", "rsplit", "replace", "find", "count", "join"};

std::int64_t int_argument(const CallArgs &args, std::size_t index, std::string_view name, std::int64_t fallback, const std::string &where)
{
    const Value *value = args.get(index, name);
    if (!value || value->is_none() || value->is_undefined())
        return fallback;
    if (value->kind() != Value::Kind::integer)
        fail(where + ": '" + std::string(name) + "' must be an integer, got " + type_name(*value));
    return value->as_int();
}

// The optional `chars` argument of strip/lstrip/rstrip: null means "whitespace".
const std::string *chars_argument(const CallArgs &args, const std::string &where)
{
    const Value *chars = args.get(0, "chars");
    if (!chars || chars->is_none() || chars->is_undefined())
        return nullptr;
    if (!chars->is_string())
        fail(where + "() argument must be a string or none, got " + type_name(*chars));
    return &chars->as_string();
}

bool affix_matches(const std::string &name, const std::string &text, const Value &pattern)
{
    const auto matches = [&](const std::string &affix) {
        if (affix.size() > text.size())
            return false;
        return name == "startswith" ? text.compare(0, affix.size(), affix) == 0
                                    : text.compare(text.size() - affix.size(), affix.size(), affix) == 0;
    };
    if (pattern.is_string())
        return matches(pattern.as_string());
    if (pattern.is_array()) {
        for (const auto &item : pattern.as_array()) {
            if (!item.is_string())
                fail(name + "() tuple elements must be strings");
            if (matches(item.as_string()))
                return true;
        }
        return false;
    }
    fail(name + "() argument must be a string or a tuple of strings, got " + type_name(pattern));
}

struct Word {
    std::size_t begin;
    std::size_t end;
};

std::vector<Word> whitespace_words(std::string_view text)
{
    std::vector<Word> words;
    std::size_t pos = 0;
    while (pos < text.size()) {
        if (const std::size_t space = js_space_length_at(text, pos)) {
            pos += space;
            continue;
        }
        const std::size_t begin = pos;
        while (pos < text.size() && !js_space_length_at(text, pos)) {
            std::size_t length = 0;
            decode_utf8(text, pos, length);
            pos += length;
        }
        words.push_back({begin, pos});
    }
    return words;
}

Value strings_value(const std::vector<std::string> &parts)
{
    Array out;
    out.reserve(parts.size());
    for (const auto &part : parts)
        out.push_back(Value::string(part));
    return Value::array(std::move(out));
}

// Python's str.split / str.rsplit.
Value split(const std::string &text, const CallArgs &args, bool from_right)
{
    const std::string where = from_right ? "rsplit" : "split";
    const Value *separator = args.get(0, "sep");
    const std::int64_t maxsplit = int_argument(args, 1, "maxsplit", -1, where);
    std::vector<std::string> parts;
    if (!separator || separator->is_none() || separator->is_undefined()) {
        const auto words = whitespace_words(text);
        const bool limited = maxsplit >= 0 && static_cast<std::size_t>(maxsplit) + 1 < words.size();
        if (!limited) {
            for (const auto &w : words)
                parts.push_back(text.substr(w.begin, w.end - w.begin));
        } else if (!from_right) {
            for (std::size_t i = 0; i < static_cast<std::size_t>(maxsplit); ++i)
                parts.push_back(text.substr(words[i].begin, words[i].end - words[i].begin));
            parts.push_back(text.substr(words[static_cast<std::size_t>(maxsplit)].begin));
        } else {
            const std::size_t keep = words.size() - static_cast<std::size_t>(maxsplit);
            parts.push_back(text.substr(0, words[keep - 1].end));
            for (std::size_t i = keep; i < words.size(); ++i)
                parts.push_back(text.substr(words[i].begin, words[i].end - words[i].begin));
        }
        return strings_value(parts);
    }
    if (!separator->is_string())
        fail(where + "(): the separator must be a string or none, got " + type_name(*separator));
    const std::string &sep = separator->as_string();
    if (sep.empty())
        fail(where + "(): empty separator");
    std::int64_t splits = 0;
    if (!from_right) {
        std::size_t start = 0;
        while (maxsplit < 0 || splits < maxsplit) {
            const std::size_t found = text.find(sep, start);
            if (found == std::string::npos)
                break;
            parts.push_back(text.substr(start, found - start));
            start = found + sep.size();
            ++splits;
        }
        parts.push_back(text.substr(start));
    } else {
        std::size_t end = text.size();
        while ((maxsplit < 0 || splits < maxsplit) && end >= sep.size()) {
            const std::size_t found = text.rfind(sep, end - sep.size());
            if (found == std::string::npos)
                break;
            parts.push_back(text.substr(found + sep.size(), end - found - sep.size()));
            end = found;
            ++splits;
        }
        parts.push_back(text.substr(0, end));
        std::reverse(parts.begin(), parts.end());
    }
    return strings_value(parts);
}

// Python's str.replace(old, new, count=-1).
Value replace(const std::string &text, const CallArgs &args)
{
    const Value *old_value = args.get(0, "old");
    const Value *new_value = args.get(1, "new");
    if (!old_value || !new_value || !old_value->is_string() || !new_value->is_string())
        fail("replace() needs two string arguments: replace(old, new[, count])");
    std::int64_t count = int_argument(args, 2, "count", -1, "replace");
    if (count < 0)
        count = INT64_MAX;
    const std::string &from = old_value->as_string();
    const std::string &to = new_value->as_string();
    std::string out;
    if (from.empty()) {
        // An empty pattern matches before every code point and at the end.
        const auto units = code_points(text);
        for (std::size_t i = 0; i <= units.size(); ++i) {
            if (static_cast<std::int64_t>(i) < count)
                out += to;
            if (i < units.size())
                out += units[i];
        }
        return Value::string(std::move(out));
    }
    std::size_t start = 0;
    for (std::int64_t done = 0; done < count; ++done) {
        const std::size_t found = text.find(from, start);
        if (found == std::string::npos)
            break;
        out.append(text, start, found - start);
        out += to;
        start = found + from.size();
    }
    out.append(text, start, std::string::npos);
    return Value::string(std::move(out));
}

Value pairs_to_object(const Value &source, const std::string &where)
{
    Object entries;
    if (source.is_object() || source.is_namespace()) {
        entries = source.as_object();
    } else if (source.is_array()) {
        for (const auto &pair : source.as_array()) {
            if (!pair.is_array() || pair.as_array().size() != 2 || !pair.as_array()[0].is_string())
                fail(where + "() expects a dict or a list of [key, value] pairs with string keys");
            entries.set(pair.as_array()[0].as_string(), pair.as_array()[1]);
        }
    } else {
        fail(where + "() expects a dict or a list of pairs, got " + type_name(source));
    }
    return Value::object(std::move(entries));
}

// Positional dict (at most one) and keyword arguments merged, for namespace() and dict().
Object merged_entries(const CallArgs &args, const std::string &where)
{
    if (args.positional.size() > 1)
        fail(where + "() takes at most 1 positional argument, got " + std::to_string(args.positional.size()));
    Object entries;
    if (!args.positional.empty())
        entries = pairs_to_object(args.positional[0], where).as_object();
    for (const auto &[key, value] : args.keyword)
        entries.set(key, value);
    return entries;
}

Value range(const CallArgs &args)
{
    if (args.positional.empty() || args.positional.size() > 3)
        fail("range() takes 1 to 3 integer arguments");
    std::int64_t numbers[3] = {0, 0, 1};
    for (std::size_t i = 0; i < args.positional.size(); ++i) {
        if (args.positional[i].kind() != Value::Kind::integer)
            fail("range() arguments must be integers, got " + type_name(args.positional[i]));
        numbers[i] = args.positional[i].as_int();
    }
    std::int64_t start = numbers[0], stop = numbers[1], step = numbers[2];
    if (args.positional.size() == 1) {
        start = 0;
        stop = numbers[0];
    }
    if (step == 0)
        fail("range() step must not be zero");
    Array out;
    for (std::int64_t i = start; step > 0 ? i < stop : i > stop; i += step) {
        if (static_cast<std::int64_t>(out.size()) >= kMaxRangeLength)
            fail("range() would produce more than " + std::to_string(kMaxRangeLength) + " numbers");
        out.push_back(Value::integer(i));
    }
    return Value::array(std::move(out));
}

Value strftime_now(const CallArgs &args)
{
    if (args.positional.size() != 1 || !args.positional[0].is_string())
        fail("strftime_now() takes one format string");
    const std::string &format = args.positional[0].as_string();
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    for (std::size_t size = 256; size <= 65536; size *= 4) {
        std::string buffer(size, '\0');
        const std::size_t written = std::strftime(buffer.data(), buffer.size(), format.c_str(), &local);
        if (written > 0 || format.empty()) {
            buffer.resize(written);
            return Value::string(std::move(buffer));
        }
    }
    return Value::string("");
}

Value method(const Value &self, std::string name)
{
    return Value::function([self, name = std::move(name)](CallArgs &args, const CallContext &) { return call_string_method(name, self, args); });
}

} // namespace

Value call_string_method(const std::string &name, const Value &self, const CallArgs &args)
{
    const std::string &text = self.as_string();
    if (name == "upper") return Value::string(to_upper(text));
    if (name == "lower") return Value::string(to_lower(text));
    if (name == "title") return Value::string(title_case(text));
    if (name == "capitalize") return Value::string(capitalize(text));
    if (name == "strip" || name == "lstrip" || name == "rstrip") {
        const bool start = name != "rstrip";
        const bool end = name != "lstrip";
        if (const std::string *chars = chars_argument(args, name))
            return Value::string(std::string(strip_chars(text, *chars, start, end)));
        std::string_view out = text;
        if (start) out = js_trim_start(out);
        if (end) out = js_trim_end(out);
        return Value::string(std::string(out));
    }
    if (name == "startswith" || name == "endswith") {
        if (args.positional.size() != 1)
            fail(name + "() takes exactly one argument (a string or a tuple of strings)");
        return Value::boolean(affix_matches(name, text, args.positional[0]));
    }
    if (name == "split") return split(text, args, false);
    if (name == "rsplit") return split(text, args, true);
    if (name == "replace") return replace(text, args);
    if (name == "find" || name == "count") {
        if (args.positional.size() != 1 || !args.positional[0].is_string())
            fail(name + "() takes one string argument");
        const std::string &needle = args.positional[0].as_string();
        if (name == "find") {
            const std::size_t found = text.find(needle);
            if (found == std::string::npos)
                return Value::integer(-1);
            return Value::integer(static_cast<std::int64_t>(code_point_count(std::string_view(text).substr(0, found))));
        }
        if (needle.empty())
            return Value::integer(static_cast<std::int64_t>(code_point_count(text) + 1));
        std::int64_t count = 0;
        for (std::size_t pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + needle.size()))
            ++count;
        return Value::integer(count);
    }
    if (name == "join") {
        if (args.positional.size() != 1 || !args.positional[0].is_array())
            fail("join() takes one list argument");
        std::string out;
        bool first = true;
        for (const auto &item : args.positional[0].as_array()) {
            if (!item.is_string())
                fail("join(): list items must be strings, found " + type_name(item));
            if (!first)
                out += text;
            first = false;
            out += item.as_string();
        }
        return Value::string(std::move(out));
    }
    fail("unknown method '" + name + "' for string");
}

Value builtin_member(const Value &object, const std::string &name)
{
    if (object.is_string()) {
        if (name == "length")
            return Value::integer(static_cast<std::int64_t>(code_point_count(object.as_string())));
        if (std::find(std::begin(kStringMethods), std::end(kStringMethods), name) != std::end(kStringMethods))
            return method(object, name);
        return Value();
    }
    if (object.is_array()) {
        if (name == "length")
            return Value::integer(static_cast<std::int64_t>(object.as_array().size()));
        return Value();
    }
    if (object.is_object()) {
        if (name == "get") {
            return Value::function([object](CallArgs &args, const CallContext &) {
                const Value *key = args.get(0, "key");
                if (!key || !key->is_string())
                    fail("get() needs a string key");
                if (const Value *found = object.as_object().find(key->as_string()))
                    return *found;
                const Value *fallback = args.get(1, "default");
                return fallback ? *fallback : Value::none();
            });
        }
        if (name == "items" || name == "keys" || name == "values" || name == "dictsort") {
            return Value::function([object, name](CallArgs &args, const CallContext &context) {
                return apply_filter(name, object, args, context.interpreter, context.scope);
            });
        }
    }
    return Value();
}

Value attribute_path(const Value &item, const std::string &path)
{
    Value current = item;
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = path.find('.', start);
        const std::string part = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        if (current.is_object() || current.is_namespace()) {
            const Value *found = current.as_object().find(part);
            if (!found)
                return Value();
            current = *found;
        } else if (current.is_array()) {
            const auto &items = current.as_array();
            if (part.empty() || !std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; }))
                return Value();
            const std::size_t index = std::stoul(part);
            if (index >= items.size())
                return Value();
            current = items[index];
        } else {
            return Value();
        }
        if (dot == std::string::npos)
            return current;
        start = dot + 1;
    }
}

void install_globals(Scope &scope)
{
    scope.set("true", Value::boolean(true));
    scope.set("false", Value::boolean(false));
    scope.set("none", Value::none());
    scope.set("True", Value::boolean(true));
    scope.set("False", Value::boolean(false));
    scope.set("None", Value::none());
    scope.set("namespace", Value::function([](CallArgs &args, const CallContext &) { return Value::name_space(merged_entries(args, "namespace")); }));
    scope.set("dict", Value::function([](CallArgs &args, const CallContext &) { return Value::object(merged_entries(args, "dict")); }));
    scope.set("range", Value::function([](CallArgs &args, const CallContext &) { return range(args); }));
    scope.set("strftime_now", Value::function([](CallArgs &args, const CallContext &) { return strftime_now(args); }));
    scope.set("raise_exception", Value::function([](CallArgs &args, const CallContext &) -> Value {
        std::string message = args.positional.empty() ? std::string("raise_exception() was called") : to_concat(args.positional[0]);
        throw JinjaError(ErrorKind::raised, std::move(message));
    }));
}

} // namespace slipway::engine::jinja
