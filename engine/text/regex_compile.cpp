// Regex::compile: parses a pattern into a small syntax tree and emits the backtracking program.
#include <memory>
#include <string>

#include "text/regex.h"
#include "text/regex_program.h"
#include "text/unicode_utf8.h"

namespace slipway::engine {

using namespace regex_detail;

namespace {

struct Node {
    enum class Kind { Empty, Set, Concat, Alt, Repeat, Look, Assert };
    Kind kind = Kind::Empty;
    std::vector<std::unique_ptr<Node>> children;
    std::uint32_t set = 0;
    std::uint32_t min = 0;
    std::uint32_t max = 0;
    bool lazy = false;
    bool negative = false;
    Op assertion = Op::Match;
};
using NodePtr = std::unique_ptr<Node>;

NodePtr make(Node::Kind kind)
{
    auto n = std::make_unique<Node>();
    n->kind = kind;
    return n;
}

// Thrown inside the parser only; compile() turns it into a Status.
struct SyntaxError {
    std::size_t offset;
    std::string what;
};

class Parser {
public:
    Parser(std::u32string pattern, Program &program) : p_(std::move(pattern)), program_(program) {}

    NodePtr parse()
    {
        NodePtr n = parse_alternation();
        if (pos_ < p_.size())
            fail("unmatched ')'");
        return n;
    }

private:
    [[noreturn]] void fail(std::string what) const { throw SyntaxError{pos_, std::move(what)}; }
    bool at_end() const { return pos_ >= p_.size(); }
    char32_t peek(std::size_t ahead = 0) const { return pos_ + ahead < p_.size() ? p_[pos_ + ahead] : 0; }
    char32_t next()
    {
        if (at_end())
            fail("pattern ends too early");
        return p_[pos_++];
    }

    std::uint32_t add_set(CodePointSet set)
    {
        if (case_insensitive_)
            set = set.case_closure();
        set.finish();
        program_.sets.push_back(std::move(set));
        return static_cast<std::uint32_t>(program_.sets.size() - 1);
    }
    NodePtr set_node(CodePointSet set)
    {
        NodePtr n = make(Node::Kind::Set);
        n->set = add_set(std::move(set));
        return n;
    }

    NodePtr parse_alternation()
    {
        NodePtr first = parse_concatenation();
        if (peek() != U'|')
            return first;
        NodePtr alt = make(Node::Kind::Alt);
        alt->children.push_back(std::move(first));
        while (peek() == U'|') {
            ++pos_;
            alt->children.push_back(parse_concatenation());
        }
        return alt;
    }

    NodePtr parse_concatenation()
    {
        NodePtr seq = make(Node::Kind::Concat);
        while (!at_end() && peek() != U'|' && peek() != U')')
            seq->children.push_back(parse_quantified());
        return seq;
    }

    NodePtr parse_quantified()
    {
        NodePtr atom = parse_atom();
        std::uint32_t min = 0, max = 0;
        const char32_t c = peek();
        if (c == U'?') {
            min = 0, max = 1;
        } else if (c == U'*') {
            min = 0, max = kUnbounded;
        } else if (c == U'+') {
            min = 1, max = kUnbounded;
        } else if (c == U'{' && parse_braces(min, max)) {
            // parse_braces consumed everything but the closing brace
        } else {
            return atom;
        }
        ++pos_;
        if (atom->kind == Node::Kind::Look || atom->kind == Node::Kind::Assert || atom->kind == Node::Kind::Empty)
            fail("nothing to repeat");
        NodePtr rep = make(Node::Kind::Repeat);
        rep->min = min;
        rep->max = max;
        if (peek() == U'?') {
            rep->lazy = true;
            ++pos_;
        } else if (peek() == U'+') {
            fail("possessive quantifiers are not supported");
        }
        if (max != kUnbounded && max < min)
            fail("quantifier {m,n} has n < m");
        if (peek() == U'?' || peek() == U'*' || peek() == U'+' || peek() == U'{')
            fail("a quantifier follows a quantifier");
        rep->children.push_back(std::move(atom));
        return rep;
    }

    // {m}, {m,}, {m,n}: on success leaves pos_ at the closing brace.
    bool parse_braces(std::uint32_t &min, std::uint32_t &max)
    {
        std::size_t i = pos_ + 1;
        auto number = [&](std::uint32_t &out) {
            const std::size_t start = i;
            std::uint64_t v = 0;
            while (i < p_.size() && p_[i] >= U'0' && p_[i] <= U'9' && v < 100000)
                v = v * 10 + (p_[i++] - U'0');
            out = static_cast<std::uint32_t>(v);
            return i > start;
        };
        if (!number(min))
            return false;
        if (i < p_.size() && p_[i] == U'}') {
            max = min;
        } else if (i < p_.size() && p_[i] == U',') {
            ++i;
            if (!number(max))
                max = kUnbounded;
            if (i >= p_.size() || p_[i] != U'}')
                return false;
        } else {
            return false;
        }
        pos_ = i;
        return true;
    }

    NodePtr parse_group()
    {
        // After '('. A bare (?i) stays on until the enclosing group ends.
        const bool saved_ci = case_insensitive_;
        NodePtr inner;
        NodePtr look;
        if (peek() == U'?') {
            ++pos_;
            const char32_t kind = next();
            if (kind == U':') {
            } else if (kind == U'=' || kind == U'!') {
                look = make(Node::Kind::Look);
                look->negative = kind == U'!';
            } else if (kind == U'i' && (peek() == U':' || peek() == U')')) {
                case_insensitive_ = true;
                if (next() == U')')
                    return make(Node::Kind::Empty); // (?i): on until the enclosing group ends
            } else if (kind == U'<' && (peek() == U'=' || peek() == U'!')) {
                fail("lookbehind is not supported");
            } else {
                fail("unsupported group syntax '(?" + code_points_to_utf8(std::u32string(1, kind)) + "'");
            }
        }
        inner = parse_alternation();
        if (peek() != U')')
            fail("missing ')'");
        ++pos_;
        case_insensitive_ = saved_ci;
        if (look) {
            look->children.push_back(std::move(inner));
            return look;
        }
        return inner;
    }

    NodePtr parse_atom()
    {
        const char32_t c = next();
        switch (c) {
        case U'(':
            return parse_group();
        case U'[':
            return set_node(parse_class());
        case U'.': {
            CodePointSet s;
            s.add(0, U'\n' - 1);
            s.add(U'\n' + 1, 0x10FFFF);
            return set_node(std::move(s));
        }
        case U'^':
        case U'$': {
            NodePtr a = make(Node::Kind::Assert);
            a->assertion = c == U'^' ? Op::LineStart : Op::LineEnd;
            return a;
        }
        case U'*':
        case U'+':
        case U'?':
            --pos_;
            fail("nothing to repeat");
        case U'\\': {
            const char32_t e = peek();
            if (e == U'A' || e == U'z' || e == U'Z') {
                ++pos_;
                NodePtr a = make(Node::Kind::Assert);
                a->assertion = e == U'A' ? Op::TextStart : e == U'z' ? Op::TextEnd : Op::TextEndNewline;
                return a;
            }
            return set_node(parse_escape(false));
        }
        default: {
            CodePointSet s;
            s.add(c, c);
            return set_node(std::move(s));
        }
        }
    }

    // After '\\'. Returns the set the escape stands for (one code point for a literal).
    CodePointSet parse_escape(bool in_class)
    {
        const char32_t e = next();
        CodePointSet s;
        auto single = [&](char32_t cp) {
            s.add(cp, cp);
            return s;
        };
        switch (e) {
        case U'n': return single(U'\n');
        case U'r': return single(U'\r');
        case U't': return single(U'\t');
        case U'f': return single(U'\f');
        case U'v': return single(U'\v');
        case U'e': return single(0x1B);
        case U'a': return single(0x07);
        case U'0': return single(0);
        case U'x': return single(parse_hex(true));
        case U'u': return single(parse_hex(false));
        case U's':
        case U'S':
            s.add_ranges(white_space_ranges());
            return e == U'S' ? finished_complement(s) : s;
        case U'd':
        case U'D':
            s.add_ranges(ranges_for_categories(category_mask("Nd")));
            return e == U'D' ? finished_complement(s) : s;
        case U'w':
        case U'W':
            s.add_ranges(ranges_for_categories(category_mask("L") | category_mask("M") | category_mask("Nd") | category_mask("Pc")));
            return e == U'W' ? finished_complement(s) : s;
        case U'p':
        case U'P': {
            std::string name;
            if (peek() == U'{') {
                ++pos_;
                bool negate = false;
                if (peek() == U'^') {
                    negate = true;
                    ++pos_;
                }
                while (!at_end() && peek() != U'}')
                    name += static_cast<char>(next() & 0x7F);
                if (next() != U'}')
                    fail("missing '}' after \\p{");
                if (negate)
                    return property(name, e == U'p');
            } else {
                name = static_cast<char>(next() & 0x7F);
            }
            return property(name, e == U'P');
        }
        default:
            break;
        }
        if ((e >= U'a' && e <= U'z') || (e >= U'A' && e <= U'Z') || (e >= U'1' && e <= U'9')) {
            --pos_;
            fail(std::string("unsupported escape '\\") + static_cast<char>(e) + "'" + (in_class ? " in a class" : ""));
        }
        return single(e); // an escaped punctuation or other literal character
    }

    CodePointSet property(const std::string &raw, bool negate)
    {
        std::string name = raw;
        if (name.rfind("gc=", 0) == 0 || name.rfind("General_Category=", 0) == 0)
            name = name.substr(name.find('=') + 1);
        CodePointSet s;
        if (name == "White_Space" || name == "Space") {
            s.add_ranges(white_space_ranges());
        } else if (name == "Any") {
            s.add(0, 0x10FFFF);
        } else {
            const std::uint32_t mask = category_mask(name);
            if (mask == 0)
                fail("unknown Unicode property '" + raw + "'");
            s.add_ranges(ranges_for_categories(mask));
        }
        return negate ? finished_complement(s) : s;
    }

    static CodePointSet finished_complement(CodePointSet s)
    {
        s.finish();
        return s.complement();
    }

    char32_t parse_hex(bool x_form)
    {
        std::uint32_t v = 0;
        int digits = 0;
        const bool braced = x_form && peek() == U'{';
        if (braced)
            ++pos_;
        const int max_digits = braced ? 8 : x_form ? 2 : 4;
        while (digits < max_digits) {
            const char32_t h = peek();
            int d = -1;
            if (h >= U'0' && h <= U'9')
                d = static_cast<int>(h - U'0');
            else if (h >= U'a' && h <= U'f')
                d = static_cast<int>(h - U'a' + 10);
            else if (h >= U'A' && h <= U'F')
                d = static_cast<int>(h - U'A' + 10);
            if (d < 0)
                break;
            v = v * 16 + static_cast<std::uint32_t>(d);
            ++digits;
            ++pos_;
        }
        if (braced && next() != U'}')
            fail("missing '}' after \\x{");
        if (digits == 0 || (!braced && !x_form && digits != 4) || v > 0x10FFFF)
            fail("bad hexadecimal escape");
        return v;
    }

    // After '['. Returns the (possibly negated) class; case closure is applied by add_set for
    // positive classes and before negation for negated ones.
    CodePointSet parse_class()
    {
        bool negate = false;
        if (peek() == U'^') {
            negate = true;
            ++pos_;
        }
        CodePointSet s;
        bool first = true;
        for (;;) {
            if (at_end())
                fail("missing ']'");
            char32_t c = next();
            if (c == U']' && !first)
                break;
            first = false;
            if (c == U'[')
                fail("nested character classes are not supported");
            if (c == U'&' && peek() == U'&')
                fail("class intersection '&&' is not supported");
            char32_t low = c;
            if (c == U'\\') {
                CodePointSet e = parse_escape(true);
                e.finish();
                const auto &r = e.ranges();
                if (r.size() != 1 || r[0].first != r[0].last) {
                    s.add(e);
                    continue;
                }
                low = r[0].first;
            }
            if (peek() == U'-' && peek(1) != U']' && peek(1) != 0) {
                ++pos_;
                char32_t high = next();
                if (high == U'\\') {
                    CodePointSet e = parse_escape(true);
                    e.finish();
                    const auto &r = e.ranges();
                    if (r.size() != 1 || r[0].first != r[0].last)
                        fail("a class range ends in a class escape");
                    high = r[0].first;
                }
                if (high < low)
                    fail("class range out of order");
                s.add(low, high);
            } else {
                s.add(low, low);
            }
        }
        if (!negate)
            return s;
        // Close over case before negating ([^a] under (?i) rejects 'A' too). The complement of a
        // case-closed set is case-closed, so add_set closing it again changes nothing.
        if (case_insensitive_)
            s = s.case_closure();
        s.finish();
        return s.complement();
    }

    std::u32string p_;
    Program &program_;
    std::size_t pos_ = 0;
    bool case_insensitive_ = false;
};

bool nullable(const Node &n)
{
    switch (n.kind) {
    case Node::Kind::Empty:
    case Node::Kind::Look:
    case Node::Kind::Assert:
        return true;
    case Node::Kind::Set:
        return false;
    case Node::Kind::Concat:
        for (const auto &c : n.children)
            if (!nullable(*c))
                return false;
        return true;
    case Node::Kind::Alt:
        for (const auto &c : n.children)
            if (nullable(*c))
                return true;
        return false;
    case Node::Kind::Repeat:
        return n.min == 0 || nullable(*n.children[0]);
    }
    return true;
}

class Emitter {
public:
    explicit Emitter(Program &program) : code_(program.code) {}

    void emit(const Node &n)
    {
        switch (n.kind) {
        case Node::Kind::Empty:
            return;
        case Node::Kind::Set: {
            Instruction i;
            i.op = Op::Set;
            i.arg = n.set;
            code_.push_back(i);
            return;
        }
        case Node::Kind::Concat:
            for (const auto &c : n.children)
                emit(*c);
            return;
        case Node::Kind::Alt: {
            std::vector<std::size_t> jumps;
            for (std::size_t k = 0; k < n.children.size(); ++k) {
                std::size_t split = 0;
                const bool last = k + 1 == n.children.size();
                if (!last)
                    split = push(Op::Split, here() + 1, 0);
                emit(*n.children[k]);
                if (!last) {
                    jumps.push_back(push(Op::Jump, 0, 0));
                    code_[split].y = here();
                }
            }
            for (std::size_t j : jumps)
                code_[j].x = here();
            return;
        }
        case Node::Kind::Repeat:
            emit_repeat(n);
            return;
        case Node::Kind::Look: {
            const std::size_t look = push(Op::Look, here() + 1, 0);
            code_[look].negative = n.negative;
            emit(*n.children[0]);
            push(Op::Match, 0, 0);
            code_[look].y = here();
            return;
        }
        case Node::Kind::Assert:
            push(n.assertion, 0, 0);
            return;
        }
    }

private:
    std::uint32_t here() const { return static_cast<std::uint32_t>(code_.size()); }
    std::size_t push(Op op, std::uint32_t x, std::uint32_t y)
    {
        Instruction i;
        i.op = op;
        i.x = x;
        i.y = y;
        code_.push_back(i);
        return code_.size() - 1;
    }
    // A split whose preferred branch is the body at here()+1, or the exit when lazy.
    void prefer(std::size_t split, std::uint32_t body, std::uint32_t exit, bool lazy)
    {
        code_[split].x = lazy ? exit : body;
        code_[split].y = lazy ? body : exit;
    }

    void emit_repeat(const Node &n)
    {
        const Node &body = *n.children[0];
        if (body.kind == Node::Kind::Set) {
            Instruction i;
            i.op = Op::SetRepeat;
            i.arg = body.set;
            i.min = n.min;
            i.max = n.max;
            i.lazy = n.lazy;
            code_.push_back(i);
            return;
        }
        if (n.max == kUnbounded && nullable(body))
            throw SyntaxError{0, "a repeated group that can match the empty string is not supported"};
        if (n.min > 1000 || (n.max != kUnbounded && n.max > 1000))
            throw SyntaxError{0, "repeat counts above 1000 are not supported"};
        for (std::uint32_t k = 0; k < n.min; ++k)
            emit(body);
        if (n.max == kUnbounded) {
            const std::uint32_t loop = here();
            const std::size_t split = push(Op::Split, 0, 0);
            emit(body);
            push(Op::Jump, loop, 0);
            prefer(split, loop + 1, here(), n.lazy);
            return;
        }
        std::vector<std::size_t> splits;
        for (std::uint32_t k = n.min; k < n.max; ++k) {
            splits.push_back(push(Op::Split, 0, 0));
            emit(body);
        }
        for (std::size_t s : splits)
            prefer(s, static_cast<std::uint32_t>(s + 1), here(), n.lazy);
    }

    std::vector<Instruction> &code_;
};

} // namespace

StatusOr<Regex> Regex::compile(std::string_view pattern)
{
    auto program = std::make_shared<Program>();
    try {
        Parser parser(utf8_to_code_points(pattern), *program);
        NodePtr root = parser.parse();
        Emitter emitter(*program);
        emitter.emit(*root);
        Instruction match;
        match.op = Op::Match;
        program->code.push_back(match);
    } catch (const SyntaxError &e) {
        return Status::error("regular expression " + std::string(pattern) + ": " + e.what +
                             " (at code point " + std::to_string(e.offset) + ")");
    }
    Regex r;
    r.pattern_ = std::string(pattern);
    r.program_ = std::move(program);
    return r;
}

} // namespace slipway::engine
