#pragma once
// Builtin filters, tests, methods and global functions of the Jinja interpreter: the set that
// chat templates use (see the list in chat_template.h). They throw JinjaError for wrong types or
// unknown names; the interpreter adds the position.
#include <string>

#include "jinja_value.h"

namespace slipway::engine::jinja {

// `operand | name` or `operand | name(args)`.
Value apply_filter(const std::string &name, const Value &operand, CallArgs &args, Interpreter &interpreter, const ScopePtr &scope);
// `operand is name` or `operand is name(args)`.
bool apply_test(const std::string &name, const Value &operand, const CallArgs &args);
bool is_known_test(const std::string &name);
// `object.name` for names that are not keys: string and dict methods, `length`. Undefined when
// the type has no such member.
Value builtin_member(const Value &object, const std::string &name);
// Calls the string method `name` ("split", "replace", ...) on `self`, a string.
Value call_string_method(const std::string &name, const Value &self, const CallArgs &args);
// Resolves "a.b.0" against dicts and lists (undefined when a step is missing).
Value attribute_path(const Value &item, const std::string &path);
// Defines namespace, range, dict, raise_exception, strftime_now, true/false/none (both cases).
void install_globals(Scope &scope);

} // namespace slipway::engine::jinja
