#pragma once
// Syntax tree of a parsed template. One node type for statements and expressions; the layout of
// `children` per kind is listed below. A tree is immutable after parsing, so one parsed template
// can be rendered from many threads at once.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace slipway::engine::jinja {

enum class NodeKind {
    // Statements (appear in bodies).
    text,         // text: the literal
    if_block,     // children: [test]; body; alternate (an elif is an if_block inside alternate)
    for_block,    // children: [target (identifier|tuple), iterable, filter test or null]; body; alternate = else
    set,          // children: [target, value] or [target] with body (block set)
    macro,        // text: name; params; body
    call_block,   // children: [call expression]; params: caller's parameters; body
    filter_block, // children: [filter node applied to the rendered body]; body
    break_loop,
    continue_loop,
    // Expressions (an expression in a body is printed).
    integer,      // integer
    floating,     // number
    string,       // text
    identifier,   // text: name
    array,        // children: items
    tuple,        // children: items
    object,       // children: key0, value0, key1, value1, ...
    member,       // children: [object, property]; computed: obj[expr] (else obj.name / obj.0)
    slice,        // children: [start, stop, step] (each may be null)
    call,         // children: [callee, arguments...]
    unary,        // text: "not" | "-" | "+"; children: [operand]
    binary,       // text: operator; children: [left, right]
    filter,       // text: name; children: [operand, arguments...]; has_arguments: written with ()
    test,         // text: name; children: [operand, arguments...]; negated: `is not`
    select,       // children: [value, condition]  (`value if condition` without else)
    ternary,      // children: [condition, if_true, if_false]
    keyword_arg,  // text: name; children: [value]
    spread,       // children: [value]   (*args)
    keyword_spread, // children: [value] (**kwargs)
};

struct Node;
using NodePtr = std::unique_ptr<Node>;
using NodeList = std::vector<NodePtr>;

struct Node {
    NodeKind kind;
    std::size_t offset = 0; // byte offset of the construct in the original source
    std::string text;
    std::int64_t integer = 0;
    double number = 0;
    bool computed = false;      // member
    bool has_arguments = false; // filter
    bool negated = false;       // test
    int height = 1;             // expressions: 1 + the height of the highest child
    NodeList children;
    NodeList body;
    NodeList alternate;
    NodeList params; // macro and call_block parameters: identifier or keyword_arg (default)

    Node(NodeKind k, std::size_t o) : kind(k), offset(o) {}
};

// The parsed template: its top-level statements.
struct Program {
    NodeList body;
};

} // namespace slipway::engine::jinja
