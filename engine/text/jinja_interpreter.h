#pragma once
// Tree-walking evaluator for parsed templates. Scoping follows @huggingface/jinja: a for loop
// opens a scope for its whole run (so `set` inside a loop does not leak out; use a namespace),
// `if` does not open one, a macro body runs in a scope below its caller's. An Interpreter holds
// per-render state only; create one per render (it is not shared between threads).
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "jinja_ast.h"
#include "jinja_value.h"

namespace slipway::engine::jinja {

class Scope {
public:
    explicit Scope(ScopePtr parent = nullptr) : parent_(std::move(parent)) {}

    // The variable in this scope or the nearest enclosing one, or null.
    const Value *lookup(std::string_view name) const;
    // Sets the variable in this scope.
    void set(std::string_view name, Value value);

private:
    ScopePtr parent_;
    std::vector<std::pair<std::string, Value>> variables_;
};

class Interpreter {
public:
    // Renders `program` with `globals` as the outermost scope. Throws JinjaError.
    std::string render(const Program &program, const ScopePtr &globals);

    Value eval(const Node &node, const ScopePtr &scope);
    // Renders statements into a string in `scope`.
    std::string render_body(const NodeList &body, const ScopePtr &scope);
    // Calls a function value (builtin, macro or caller) from `scope`.
    Value call(const Value &function, CallArgs &args, const ScopePtr &scope);

private:
    enum class Flow { normal, break_loop, continue_loop };

    Flow exec_body(const NodeList &body, const ScopePtr &scope, std::string &out);
    Flow exec(const Node &node, const ScopePtr &scope, std::string &out);
    Flow exec_node(const Node &node, const ScopePtr &scope, std::string &out);
    Flow exec_for(const Node &node, const ScopePtr &scope, std::string &out);
    void exec_set(const Node &node, const ScopePtr &scope);
    void define_macro(const Node &node, const ScopePtr &scope);
    Value exec_call_block(const Node &node, const ScopePtr &scope);
    // Binds `args` to `params` in a new scope below `parent` and renders `body`.
    Value call_macro(const NodeList &params, const NodeList &body, CallArgs &args, const ScopePtr &parent);

    Value eval_node(const Node &node, const ScopePtr &scope);
    Value eval_binary(const Node &node, const ScopePtr &scope);
    Value eval_unary(const Node &node, const ScopePtr &scope);
    Value eval_member(const Node &node, const ScopePtr &scope);
    Value eval_call(const Node &node, const ScopePtr &scope);
    Value eval_slice(const Value &object, const Node &slice, const ScopePtr &scope);
    CallArgs eval_arguments(const NodeList &nodes, std::size_t first, const ScopePtr &scope);

    int call_depth_ = 0;
    int eval_depth_ = 0;
};

// A readable name for an expression in error messages: "message.content", "messages[0]".
std::string describe_expression(const Node &node);

} // namespace slipway::engine::jinja
