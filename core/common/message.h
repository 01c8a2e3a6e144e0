#pragma once
// Text that core writes for people, kept translatable without core knowing any language but
// English: a Message is a stable code, the arguments substituted into it (numbers, names, flags,
// already formatted) and the English sentence. The CLI prints `english`; the console looks the code
// up in its translations, substitutes the same arguments into the translated template and falls
// back to `english` for a code it does not know.
//
// Templates hold %1 … %9 where the arguments go, the convention of Qt's tr(). Each area of core
// lists its templates once (sizing/sizing_messages.h, deploy/deploy_messages.h) so the console can
// check that it maps every code, with the same English source.
#include <string>
#include <string_view>
#include <vector>

namespace slipway {

struct MessageTemplate {
    std::string_view code;    // "sizing.warning.reserve_low": stable, never reused for other text
    std::string_view english; // "the reserve outside --mem-fraction-static, %1, is below …"
};

struct Message {
    std::string code;              // empty: literal text that reads the same in every language
    std::vector<std::string> args; // what %1, %2, … stand for
    std::string english;           // the template with the arguments substituted
    // Arguments that are messages themselves (a TP problem inside a --tp error): empty, or one per
    // argument, where a translation translates those with a code and keeps the others' text.
    std::vector<Message> argMessages;
};

// `text` with %1 … %9 replaced by args[0] … args[8] in one pass (an argument that itself holds
// "%2" stays as it is); a placeholder without an argument, and any other '%', stay as written.
inline std::string substituteArgs(std::string_view text, const std::vector<std::string> &args)
{
    std::string out;
    out.reserve(text.size() + 16 * args.size());
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 1 < text.size() && text[i + 1] >= '1' && text[i + 1] <= '9') {
            const size_t n = static_cast<size_t>(text[i + 1] - '1');
            if (n < args.size()) {
                out += args[n];
                ++i;
                continue;
            }
        }
        out += text[i];
    }
    return out;
}

inline Message makeMessage(const MessageTemplate &t, std::vector<std::string> args = {})
{
    Message m{std::string(t.code), std::move(args), {}, {}};
    m.english = substituteArgs(t.english, m.args);
    return m;
}

// Arguments given as messages: each is substituted by its English and kept for translation
// (literalMessage() for an argument that is plain text).
inline Message makeNestedMessage(const MessageTemplate &t, std::vector<Message> args)
{
    Message m{std::string(t.code), {}, {}, {}};
    for (const Message &a : args)
        m.args.push_back(a.english);
    m.english = substituteArgs(t.english, m.args);
    m.argMessages = std::move(args);
    return m;
}

// Text without words (numbers, symbols, separators such as " + "): shown as it is.
inline Message literalMessage(std::string text)
{
    return Message{{}, {}, std::move(text), {}};
}

// The English of messages that read as one text when put side by side (a formula's clauses).
inline std::string joinEnglish(const std::vector<Message> &parts)
{
    std::string text;
    for (const Message &m : parts)
        text += m.english;
    return text;
}

} // namespace slipway
