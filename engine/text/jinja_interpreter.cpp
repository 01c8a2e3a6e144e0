#include "jinja_interpreter.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include "jinja_builtins.h"
#include "jinja_error.h"
#include "jinja_strings.h"

namespace slipway::engine::jinja {
namespace {

// Macro recursion deeper than this stops with an error instead of exhausting the stack.
constexpr int kMaxCallDepth = 100;
// Nested evaluation (statements, expressions, macro bodies together) is bounded as well, so that
// a thread with a small stack (an HTTP worker) survives any template.
constexpr int kMaxEvalDepth = 3000;

struct EvalDepth {
    int &depth;
    explicit EvalDepth(int &d) : depth(d)
    {
        if (++depth > kMaxEvalDepth) {
            --depth;
            fail("template evaluation nests more than " + std::to_string(kMaxEvalDepth) + " levels deep");
        }
    }
    ~EvalDepth() { --depth; }
};

Value iterable_items(const Value &iterable, std::string_view what)
{
    switch (iterable.kind()) {
    case Value::Kind::undefined: return Value::array({});
    case Value::Kind::array: return iterable;
    case Value::Kind::object: {
        Array keys;
        for (const auto &entry : iterable.as_object().entries)
            keys.push_back(Value::string(entry.first));
        return Value::array(std::move(keys));
    }
    case Value::Kind::string: {
        Array units;
        for (const auto unit : code_points(iterable.as_string()))
            units.push_back(Value::string(std::string(unit)));
        return Value::array(std::move(units));
    }
    default: fail("cannot loop over " + std::string(what) + ": it is " + type_name(iterable) + ", not a list or dict");
    }
}

// Binds a loop or set target (a name or a tuple of names) to a value.
void bind_target(const Node &target, const Value &value, Scope &scope)
{
    if (target.kind == NodeKind::identifier) {
        scope.set(target.text, value);
        return;
    }
    if (target.kind != NodeKind::tuple)
        fail("cannot assign to this expression");
    if (!value.is_array())
        fail("cannot unpack " + type_name(value) + " into " + std::to_string(target.children.size()) + " names");
    const auto &items = value.as_array();
    if (items.size() != target.children.size())
        fail(std::string("too ") + (items.size() < target.children.size() ? "few" : "many") + " values to unpack: expected "
             + std::to_string(target.children.size()) + ", got " + std::to_string(items.size()));
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (target.children[i]->kind != NodeKind::identifier)
            fail("can only unpack into names");
        scope.set(target.children[i]->text, items[i]);
    }
}

// Integer + - * with overflow reported instead of wrapping.
std::int64_t checked_arithmetic(char op, std::int64_t a, std::int64_t b)
{
    std::int64_t result = 0;
    const bool overflow = op == '+' ? __builtin_add_overflow(a, b, &result)
                        : op == '-' ? __builtin_sub_overflow(a, b, &result)
                                    : __builtin_mul_overflow(a, b, &result);
    if (overflow)
        fail("integer overflow");
    return result;
}

} // namespace

const Value *Scope::lookup(std::string_view name) const
{
    for (const Scope *scope = this; scope; scope = scope->parent_.get())
        for (const auto &[key, value] : scope->variables_)
            if (key == name)
                return &value;
    return nullptr;
}

void Scope::set(std::string_view name, Value value)
{
    for (auto &[key, existing] : variables_) {
        if (key == name) {
            existing = std::move(value);
            return;
        }
    }
    variables_.emplace_back(std::string(name), std::move(value));
}

std::string describe_expression(const Node &node)
{
    switch (node.kind) {
    case NodeKind::identifier: return node.text;
    case NodeKind::member: {
        const std::string object = describe_expression(*node.children[0]);
        const Node &property = *node.children[1];
        if (!node.computed)
            return object + "." + (property.kind == NodeKind::integer ? std::to_string(property.integer) : property.text);
        if (property.kind == NodeKind::string)
            return object + "['" + property.text + "']";
        if (property.kind == NodeKind::integer)
            return object + "[" + std::to_string(property.integer) + "]";
        return object + "[...]";
    }
    case NodeKind::call: return describe_expression(*node.children[0]) + "()";
    case NodeKind::string: return "'" + (node.text.size() > 20 ? node.text.substr(0, 20) + "..." : node.text) + "'";
    case NodeKind::integer: return std::to_string(node.integer);
    case NodeKind::floating: return js_number_to_string(node.number);
    default: return "the expression";
    }
}

std::string Interpreter::render(const Program &program, const ScopePtr &globals)
{
    std::string out;
    exec_body(program.body, globals, out);
    return out;
}

std::string Interpreter::render_body(const NodeList &body, const ScopePtr &scope)
{
    std::string out;
    exec_body(body, scope, out);
    return out;
}

Interpreter::Flow Interpreter::exec_body(const NodeList &body, const ScopePtr &scope, std::string &out)
{
    for (const auto &node : body) {
        const Flow flow = exec(*node, scope, out);
        if (flow != Flow::normal)
            return flow;
    }
    return Flow::normal;
}

Interpreter::Flow Interpreter::exec(const Node &node, const ScopePtr &scope, std::string &out)
{
    try {
        const EvalDepth depth(eval_depth_);
        return exec_node(node, scope, out);
    } catch (JinjaError &error) {
        if (error.offset() == kNoOffset)
            error.set_offset(node.offset);
        throw;
    }
}

Interpreter::Flow Interpreter::exec_node(const Node &node, const ScopePtr &scope, std::string &out)
{
    switch (node.kind) {
    case NodeKind::text: out += node.text; return Flow::normal;
    case NodeKind::if_block:
        return exec_body(truthy(eval(*node.children[0], scope)) ? node.body : node.alternate, scope, out);
    case NodeKind::for_block: return exec_for(node, scope, out);
    case NodeKind::set: exec_set(node, scope); return Flow::normal;
    case NodeKind::macro: define_macro(node, scope); return Flow::normal;
    case NodeKind::call_block: out += to_output(exec_call_block(node, scope)); return Flow::normal;
    case NodeKind::filter_block: {
        const Node &filter = *node.children[0];
        const Value rendered = Value::string(render_body(node.body, scope));
        CallArgs args = eval_arguments(filter.children, 1, scope);
        out += to_output(apply_filter(filter.text, rendered, args, *this, scope));
        return Flow::normal;
    }
    case NodeKind::break_loop: return Flow::break_loop;
    case NodeKind::continue_loop: return Flow::continue_loop;
    default: {
        const Value value = eval(node, scope);
        out += to_output(value);
        return Flow::normal;
    }
    }
}

Interpreter::Flow Interpreter::exec_for(const Node &node, const ScopePtr &scope, std::string &out)
{
    const Node &target = *node.children[0];
    const Node &iterable_node = *node.children[1];
    const Node *condition = node.children[2].get();
    auto loop_scope = std::make_shared<Scope>(scope);
    const Value iterable = iterable_items(eval(iterable_node, loop_scope), describe_expression(iterable_node));

    // The loop filter runs first so that loop.index/length/last count only the kept items.
    Array items;
    for (const Value &item : iterable.as_array()) {
        if (condition) {
            auto test_scope = std::make_shared<Scope>(loop_scope);
            bind_target(target, item, *test_scope);
            if (!truthy(eval(*condition, test_scope)))
                continue;
        }
        items.push_back(item);
    }

    const auto count = static_cast<std::int64_t>(items.size());
    for (std::int64_t i = 0; i < count; ++i) {
        Object loop;
        loop.entries.reserve(9);
        loop.entries.emplace_back("index", Value::integer(i + 1));
        loop.entries.emplace_back("index0", Value::integer(i));
        loop.entries.emplace_back("revindex", Value::integer(count - i));
        loop.entries.emplace_back("revindex0", Value::integer(count - i - 1));
        loop.entries.emplace_back("first", Value::boolean(i == 0));
        loop.entries.emplace_back("last", Value::boolean(i == count - 1));
        loop.entries.emplace_back("length", Value::integer(count));
        loop.entries.emplace_back("previtem", i > 0 ? items[static_cast<std::size_t>(i - 1)] : Value());
        loop.entries.emplace_back("nextitem", i + 1 < count ? items[static_cast<std::size_t>(i + 1)] : Value());
        loop_scope->set("loop", Value::object(std::move(loop)));
        bind_target(target, items[static_cast<std::size_t>(i)], *loop_scope);
        if (exec_body(node.body, loop_scope, out) == Flow::break_loop)
            break;
    }
    if (items.empty())
        exec_body(node.alternate, loop_scope, out);
    return Flow::normal;
}

void Interpreter::exec_set(const Node &node, const ScopePtr &scope)
{
    const Node &target = *node.children[0];
    const Value value = node.children.size() > 1 ? eval(*node.children[1], scope) : Value::string(render_body(node.body, scope));
    if (target.kind == NodeKind::member) {
        const Value object = eval(*target.children[0], scope);
        if (!object.is_namespace())
            fail("cannot assign to " + describe_expression(target) + ": attributes can only be set on a namespace(), and "
                 + describe_expression(*target.children[0]) + " is " + type_name(object));
        if (target.computed || target.children[1]->kind != NodeKind::identifier)
            fail("cannot assign to " + describe_expression(target) + ": use namespace.attribute = value");
        object.namespace_entries().set(target.children[1]->text, value);
        return;
    }
    bind_target(target, value, *scope);
}

void Interpreter::define_macro(const Node &node, const ScopePtr &scope)
{
    const Node *macro = &node;
    scope->set(node.text, Value::function([macro](CallArgs &args, const CallContext &context) {
        // Like @huggingface/jinja, the body runs below the caller's scope.
        return context.interpreter.call_macro(macro->params, macro->body, args, context.scope);
    }));
}

Value Interpreter::call_macro(const NodeList &params, const NodeList &body, CallArgs &args, const ScopePtr &parent)
{
    if (call_depth_ >= kMaxCallDepth)
        fail("macro calls nest deeper than " + std::to_string(kMaxCallDepth) + " levels (endless recursion?)");
    struct DepthGuard {
        int &depth;
        explicit DepthGuard(int &d) : depth(d) { ++depth; }
        ~DepthGuard() { --depth; }
    } guard(call_depth_);

    auto macro_scope = std::make_shared<Scope>(parent);
    std::vector<std::pair<std::string, Value>> keywords = std::move(args.keyword);
    std::vector<const Node *> pending_defaults;
    for (std::size_t i = 0; i < params.size(); ++i) {
        const Node &param = *params[i];
        const std::string &name = param.text;
        Value value;
        bool given = false;
        if (i < args.positional.size()) {
            value = args.positional[i];
            given = true;
        } else {
            for (auto it = keywords.begin(); it != keywords.end(); ++it) {
                if (it->first == name) {
                    value = std::move(it->second);
                    keywords.erase(it);
                    given = true;
                    break;
                }
            }
        }
        if (!given && param.kind == NodeKind::keyword_arg)
            pending_defaults.push_back(&param);
        macro_scope->set(name, std::move(value));
    }
    // Extra arguments are available as varargs and kwargs, as in Jinja.
    Array extra;
    for (std::size_t i = params.size(); i < args.positional.size(); ++i)
        extra.push_back(args.positional[i]);
    macro_scope->set("varargs", Value::array(std::move(extra)));
    Object extra_keywords;
    for (auto &[key, value] : keywords)
        extra_keywords.set(key, std::move(value));
    macro_scope->set("kwargs", Value::object(std::move(extra_keywords)));
    for (const Node *param : pending_defaults)
        macro_scope->set(param->text, eval(*param->children[0], macro_scope));
    return Value::string(render_body(body, macro_scope));
}

Value Interpreter::exec_call_block(const Node &node, const ScopePtr &scope)
{
    const Node *block = &node;
    ScopePtr block_scope = scope;
    const Value caller = Value::function([block, block_scope](CallArgs &args, const CallContext &context) {
        // caller() renders the block body in the scope of the {% call %} statement.
        return context.interpreter.call_macro(block->params, block->body, args, block_scope);
    });
    const Node &call = *node.children[0];
    CallArgs args = eval_arguments(call.children, 1, scope);
    const Value function = eval(*call.children[0], scope);
    auto call_scope = std::make_shared<Scope>(scope);
    call_scope->set("caller", caller);
    if (!function.is_function())
        fail("{% call %} needs a macro, but " + describe_expression(*call.children[0]) + " is " + type_name(function));
    return this->call(function, args, call_scope);
}

Value Interpreter::call(const Value &function, CallArgs &args, const ScopePtr &scope)
{
    const CallContext context{*this, scope};
    return function.as_function()(args, context);
}

Value Interpreter::eval(const Node &node, const ScopePtr &scope)
{
    try {
        const EvalDepth depth(eval_depth_);
        return eval_node(node, scope);
    } catch (JinjaError &error) {
        if (error.offset() == kNoOffset)
            error.set_offset(node.offset);
        throw;
    }
}

Value Interpreter::eval_node(const Node &node, const ScopePtr &scope)
{
    switch (node.kind) {
    case NodeKind::integer: return Value::integer(node.integer);
    case NodeKind::floating: return Value::floating(node.number);
    case NodeKind::string: return Value::string(node.text);
    case NodeKind::identifier: {
        const Value *value = scope->lookup(node.text);
        return value ? *value : Value();
    }
    case NodeKind::array:
    case NodeKind::tuple: {
        Array items;
        items.reserve(node.children.size());
        for (const auto &child : node.children)
            items.push_back(eval(*child, scope));
        return Value::array(std::move(items));
    }
    case NodeKind::object: {
        Object object;
        for (std::size_t i = 0; i + 1 < node.children.size(); i += 2) {
            const Value key = eval(*node.children[i], scope);
            if (!key.is_string())
                fail("dict keys must be strings, got " + type_name(key));
            object.set(key.as_string(), eval(*node.children[i + 1], scope));
        }
        return Value::object(std::move(object));
    }
    case NodeKind::member: return eval_member(node, scope);
    case NodeKind::call: return eval_call(node, scope);
    case NodeKind::unary: return eval_unary(node, scope);
    case NodeKind::binary: return eval_binary(node, scope);
    case NodeKind::filter: {
        const Value operand = eval(*node.children[0], scope);
        CallArgs args = eval_arguments(node.children, 1, scope);
        return apply_filter(node.text, operand, args, *this, scope);
    }
    case NodeKind::test: {
        const Value operand = eval(*node.children[0], scope);
        const CallArgs args = eval_arguments(node.children, 1, scope);
        return Value::boolean(apply_test(node.text, operand, args) != node.negated);
    }
    case NodeKind::select:
        return truthy(eval(*node.children[1], scope)) ? eval(*node.children[0], scope) : Value();
    case NodeKind::ternary:
        return truthy(eval(*node.children[0], scope)) ? eval(*node.children[1], scope) : eval(*node.children[2], scope);
    case NodeKind::slice: fail("a slice can only be used inside [ ]");
    case NodeKind::keyword_arg:
    case NodeKind::spread:
    case NodeKind::keyword_spread: fail("argument syntax used outside a call");
    default: fail("statement used where an expression was expected");
    }
}

Value Interpreter::eval_unary(const Node &node, const ScopePtr &scope)
{
    const Value operand = eval(*node.children[0], scope);
    if (node.text == "not")
        return Value::boolean(!truthy(operand));
    const bool negate = node.text == "-";
    switch (operand.kind()) {
    case Value::Kind::boolean: return Value::integer(negate ? -static_cast<std::int64_t>(operand.as_bool()) : operand.as_bool());
    case Value::Kind::integer:
        if (negate && operand.as_int() == std::numeric_limits<std::int64_t>::min())
            fail("integer overflow");
        return Value::integer(negate ? -operand.as_int() : operand.as_int());
    case Value::Kind::floating: return Value::floating(negate ? -operand.as_number() : operand.as_number());
    default: fail("unary '" + node.text + "' needs a number, but " + describe_expression(*node.children[0]) + " is " + type_name(operand));
    }
}

Value Interpreter::eval_binary(const Node &node, const ScopePtr &scope)
{
    const std::string &op = node.text;
    const Value left = eval(*node.children[0], scope);
    if (op == "and")
        return truthy(left) ? eval(*node.children[1], scope) : left;
    if (op == "or")
        return truthy(left) ? left : eval(*node.children[1], scope);
    const Value right = eval(*node.children[1], scope);
    if (op == "==")
        return Value::boolean(values_equal(left, right));
    if (op == "!=")
        return Value::boolean(!values_equal(left, right));

    const bool membership = op == "in" || op == "not in";
    if (left.is_undefined() || right.is_undefined()) {
        if (right.is_undefined() && membership)
            return Value::boolean(op == "not in");
        const Node &culprit = left.is_undefined() ? *node.children[0] : *node.children[1];
        fail("cannot apply '" + op + "': " + describe_expression(culprit) + " is undefined");
    }
    if (left.is_none() || right.is_none()) {
        const Node &culprit = left.is_none() ? *node.children[0] : *node.children[1];
        fail("cannot apply '" + op + "': " + describe_expression(culprit) + " is none");
    }
    if (op == "~")
        return Value::string(to_concat(left) + to_concat(right));

    const auto numeric_like = [](const Value &v) { return v.is_number() || v.kind() == Value::Kind::boolean; };
    const auto number_of = [](const Value &v) { return v.kind() == Value::Kind::boolean ? (v.as_bool() ? 1.0 : 0.0) : v.as_number(); };
    if (op == "**" && numeric_like(left) && numeric_like(right)) {
        const double a = number_of(left);
        const double b = number_of(right);
        if (a == 0 && b < 0)
            fail("0 cannot be raised to a negative power");
        const double result = std::pow(a, b);
        if (!std::isfinite(result))
            fail("exponentiation result is not a finite real number");
        const bool is_float = left.kind() == Value::Kind::floating || right.kind() == Value::Kind::floating || b < 0;
        if (is_float || std::fabs(result) >= 9.2e18)
            return Value::floating(result);
        return Value::integer(static_cast<std::int64_t>(result));
    }
    if (left.is_number() && right.is_number()) {
        const bool both_int = left.kind() == Value::Kind::integer && right.kind() == Value::Kind::integer;
        const double a = left.as_number();
        const double b = right.as_number();
        if (op == "+" || op == "-" || op == "*") {
            if (both_int)
                return Value::integer(checked_arithmetic(op[0], left.as_int(), right.as_int()));
            return Value::floating(op == "+" ? a + b : (op == "-" ? a - b : a * b));
        }
        if (op == "/" || op == "//" || op == "%") {
            if (b == 0)
                fail("division by zero");
            if (op == "/")
                return Value::floating(a / b);
            if (op == "//")
                return both_int ? Value::integer(static_cast<std::int64_t>(std::floor(a / b))) : Value::floating(std::floor(a / b));
            // JavaScript's remainder (sign of the dividend), as the oracle computes it.
            if (both_int)
                return right.as_int() == -1 ? Value::integer(0) : Value::integer(left.as_int() % right.as_int());
            return Value::floating(std::fmod(a, b));
        }
        if (op == "<") return Value::boolean(a < b);
        if (op == ">") return Value::boolean(a > b);
        if (op == "<=") return Value::boolean(a <= b);
        if (op == ">=") return Value::boolean(a >= b);
    }
    if (left.is_array() && right.is_array() && op == "+") {
        Array joined = left.as_array();
        joined.insert(joined.end(), right.as_array().begin(), right.as_array().end());
        return Value::array(std::move(joined));
    }
    if (right.is_array() && membership) {
        bool found = false;
        for (const auto &item : right.as_array())
            if ((found = values_equal(item, left)))
                break;
        return Value::boolean(found == (op == "in"));
    }
    if ((left.is_string() || right.is_string()) && op == "+")
        return Value::string(to_concat(left) + to_concat(right));
    if (left.is_string() && right.is_string()) {
        const std::string &a = left.as_string();
        const std::string &b = right.as_string();
        if (membership)
            return Value::boolean((b.find(a) != std::string::npos) == (op == "in"));
        if (op == "<") return Value::boolean(a < b);
        if (op == ">") return Value::boolean(a > b);
        if (op == "<=") return Value::boolean(a <= b);
        if (op == ">=") return Value::boolean(a >= b);
    }
    if (left.is_string() && right.is_object() && membership)
        return Value::boolean((right.as_object().find(left.as_string()) != nullptr) == (op == "in"));
    fail("unsupported operator '" + op + "' between " + type_name(left) + " and " + type_name(right));
}

Value Interpreter::eval_slice(const Value &object, const Node &slice, const ScopePtr &scope)
{
    if (!object.is_array() && !object.is_string())
        fail("cannot slice " + type_name(object) + ": only lists and strings can be sliced");
    std::optional<std::int64_t> parts[3];
    for (int i = 0; i < 3; ++i) {
        if (!slice.children[static_cast<std::size_t>(i)])
            continue;
        const Value v = eval(*slice.children[static_cast<std::size_t>(i)], scope);
        if (v.kind() == Value::Kind::integer)
            parts[i] = v.as_int();
        else if (!v.is_undefined() && !v.is_none())
            fail("slice indices must be integers, got " + type_name(v));
    }
    const std::int64_t step = parts[2].value_or(1);
    if (step == 0)
        fail("slice step cannot be zero");

    std::vector<std::string_view> units;
    if (object.is_string())
        units = code_points(object.as_string());
    const auto length = static_cast<std::int64_t>(object.is_string() ? units.size() : object.as_array().size());
    // Python's slice semantics (the oracle's utils.slice).
    std::int64_t start = 0;
    std::int64_t stop = 0;
    if (step > 0) {
        start = parts[0].value_or(0);
        start = start < 0 ? std::max<std::int64_t>(length + start, 0) : std::min(start, length);
        stop = parts[1].value_or(length);
        stop = stop < 0 ? std::max<std::int64_t>(length + stop, 0) : std::min(stop, length);
    } else {
        start = parts[0].value_or(length - 1);
        start = start < 0 ? std::max<std::int64_t>(length + start, -1) : std::min(start, length - 1);
        stop = -1; // an omitted stop runs past the front
        if (parts[1])
            stop = *parts[1] < 0 ? std::max<std::int64_t>(length + *parts[1], -1) : std::min(*parts[1], length - 1);
    }
    if (object.is_string()) {
        std::string out;
        for (std::int64_t i = start; step > 0 ? i < stop : i > stop; i += step)
            out.append(units[static_cast<std::size_t>(i)]);
        return Value::string(std::move(out));
    }
    Array out;
    for (std::int64_t i = start; step > 0 ? i < stop : i > stop; i += step)
        out.push_back(object.as_array()[static_cast<std::size_t>(i)]);
    return Value::array(std::move(out));
}

Value Interpreter::eval_member(const Node &node, const ScopePtr &scope)
{
    const Value object = eval(*node.children[0], scope);
    const Node &property_node = *node.children[1];
    if (node.computed && property_node.kind == NodeKind::slice)
        return eval_slice(object, property_node, scope);
    Value property;
    if (node.computed)
        property = eval(property_node, scope);
    else if (property_node.kind == NodeKind::integer)
        property = Value::integer(property_node.integer);
    else
        property = Value::string(property_node.text);

    if (object.is_object() || object.is_namespace()) {
        if (!property.is_string())
            fail("cannot look up " + type_name(property) + " " + to_output(property) + " in a dict: keys are strings");
        if (const Value *value = object.as_object().find(property.as_string()))
            return *value;
        return object.is_object() ? builtin_member(object, property.as_string()) : Value();
    }
    if (object.is_array() || object.is_string()) {
        if (property.kind() == Value::Kind::integer) {
            std::int64_t index = property.as_int();
            if (object.is_array()) {
                const auto &items = object.as_array();
                const auto size = static_cast<std::int64_t>(items.size());
                if (index < 0)
                    index += size;
                return index >= 0 && index < size ? items[static_cast<std::size_t>(index)] : Value();
            }
            const auto units = code_points(object.as_string());
            const auto size = static_cast<std::int64_t>(units.size());
            if (index < 0)
                index += size;
            return index >= 0 && index < size ? Value::string(std::string(units[static_cast<std::size_t>(index)])) : Value();
        }
        if (property.is_string())
            return builtin_member(object, property.as_string());
        fail("list and string indices must be integers, got " + type_name(property));
    }
    if (!property.is_string())
        fail("cannot index " + type_name(object) + " with " + type_name(property));
    return builtin_member(object, property.as_string());
}

CallArgs Interpreter::eval_arguments(const NodeList &nodes, std::size_t first, const ScopePtr &scope)
{
    CallArgs args;
    for (std::size_t i = first; i < nodes.size(); ++i) {
        const Node &node = *nodes[i];
        if (node.kind == NodeKind::spread) {
            const Value items = eval(*node.children[0], scope);
            if (!items.is_array())
                fail("cannot unpack " + type_name(items) + " with '*': it is not a list");
            for (const auto &item : items.as_array())
                args.positional.push_back(item);
        } else if (node.kind != NodeKind::keyword_arg && node.kind != NodeKind::keyword_spread) {
            args.positional.push_back(eval(node, scope));
        }
    }
    const auto add_keyword = [&args](const std::string &key, Value value) {
        if (args.keyword_value(key))
            fail("keyword argument '" + key + "' is given more than once");
        args.keyword.emplace_back(key, std::move(value));
    };
    for (std::size_t i = first; i < nodes.size(); ++i) {
        const Node &node = *nodes[i];
        if (node.kind == NodeKind::keyword_arg) {
            add_keyword(node.text, eval(*node.children[0], scope));
        } else if (node.kind == NodeKind::keyword_spread) {
            const Value mapping = eval(*node.children[0], scope);
            if (!mapping.is_object())
                fail("the argument after ** must be a dict, not " + type_name(mapping));
            for (const auto &[key, value] : mapping.as_object().entries)
                add_keyword(key, value);
        }
    }
    return args;
}

Value Interpreter::eval_call(const Node &node, const ScopePtr &scope)
{
    const Node &callee = *node.children[0];
    Value function;
    if (callee.kind == NodeKind::member && !callee.computed) {
        // Evaluate the object once so that an unknown method can be named with its type.
        const Value object = eval(*callee.children[0], scope);
        const Node &property = *callee.children[1];
        const std::string name = property.kind == NodeKind::integer ? std::to_string(property.integer) : property.text;
        if ((object.is_object() || object.is_namespace()) && object.as_object().find(name))
            function = *object.as_object().find(name);
        else if (!object.is_namespace())
            function = builtin_member(object, name);
        if (function.is_undefined())
            fail(object.is_undefined() ? "cannot call " + describe_expression(callee) + ": " + describe_expression(*callee.children[0]) + " is undefined"
                                       : "unknown method '" + name + "' for " + type_name(object) + " (in " + describe_expression(callee) + ")");
    } else {
        function = eval(callee, scope);
    }
    if (!function.is_function()) {
        if (function.is_undefined() && callee.kind == NodeKind::identifier)
            fail("unknown function '" + callee.text + "'");
        fail("cannot call " + describe_expression(callee) + ": it is " + type_name(function) + ", not a function");
    }
    CallArgs args = eval_arguments(node.children, 1, scope);
    return call(function, args, scope);
}

} // namespace slipway::engine::jinja
