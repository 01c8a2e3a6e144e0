#pragma once
// Parser from tokens to a Program, following @huggingface/jinja's grammar and precedence
// (lowest first): ternary `a if c else b`, or, and, not, comparison and membership (`in`,
// `not in`, < > <= >= == !=), + - ~, * / // %, **, `is` tests, `|` filters, unary + -,
// calls/member access/subscripts, primaries.
#include <string_view>

#include "jinja_ast.h"

namespace slipway::engine::jinja {

// Throws JinjaError(ErrorKind::syntax) with the offset of the offending token.
Program parse_template(std::string_view source);

} // namespace slipway::engine::jinja
