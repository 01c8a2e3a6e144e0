#pragma once
// `slipway-engine tokenize`: text on stdin to token ids on stdout, as a JSON array.
//
//   slipway-engine tokenize --model-path DIR [--chat] [--no-special-tokens]
//
// DIR needs only tokenizer.json (and tokenizer_config.json for special tokens and the chat
// template). Without --chat the whole of stdin is the text, encoded with the model's special
// tokens (BOS for DeepSeek) unless --no-special-tokens. With --chat stdin is a JSON array of
// messages, or an object {"messages": [...], "add_generation_prompt": true|false, other template
// variables such as "tools" or "enable_thinking"}; the chat template is rendered
// (add_generation_prompt defaults to true: the prompt the engine would run) and the result is
// encoded without adding special tokens again, as apply_chat_template(tokenize=True) does.
#include <iosfwd>

namespace slipway::engine {

// argv[0] is the subcommand name ("tokenize"). Returns the exit status: 0 on success, 2 for a
// usage error, 1 when the tokenizer, the input or the template is bad (the message goes to err).
int run_tokenize_command(int argc, char **argv, std::istream &in, std::ostream &out, std::ostream &err);

} // namespace slipway::engine
