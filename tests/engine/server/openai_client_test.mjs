// slipway-engine driven by the official `openai` npm client: model list, completions, chat
// (plain and streamed with include_usage), reasoning_content under --reasoning-parser
// deepseek-r1, and the client's errors for a wrong key and an unknown model.
//
// Usage: node openai_client_test.mjs ENGINE_BINARY MODEL_DIR
// The openai package is loaded from $SLIPWAY_NODE_DIR/node_modules (tests/node).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const nodeDir = process.env.SLIPWAY_NODE_DIR || path.join(here, '..', '..', 'node');
const require = createRequire(path.join(nodeDir, 'package.json'));
const OpenAIModule = require('openai');
const OpenAI = OpenAIModule.OpenAI || OpenAIModule.default || OpenAIModule;

const [engineBinary, modelDir] = process.argv.slice(2);
if (!engineBinary || !modelDir) {
  console.error('usage: node openai_client_test.mjs ENGINE_BINARY MODEL_DIR');
  process.exit(2);
}

const KEY = 'sk-e2e';
const NAME = 'tiny-r1';

function startEngine() {
  const child = spawn(engineBinary, [
    '--model-path', modelDir, '--device', 'cpu', '--host', '127.0.0.1', '--port', '0',
    '--api-key', KEY, '--served-model-name', NAME, '--reasoning-parser', 'deepseek-r1',
    '--max-total-tokens', '8192', '--context-length', '1024',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const port = new Promise((resolve, reject) => {
    const onData = (d) => {
      log += d.toString();
      const m = log.match(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
      if (m) resolve(Number(m[1]));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`engine exited with ${code}:\n${log}`)));
  });
  return { child, port, log: () => log };
}

async function waitReady(port, deadlineMs) {
  const end = Date.now() + deadlineMs;
  while (Date.now() < end) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/health_generate`);
      if (r.status === 200) return;
    } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('engine not ready in time');
}

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

test('models.list names the served model', async (client) => {
  const page = await client.models.list();
  const ids = page.data.map((m) => m.id);
  assert.deepEqual(ids, [NAME]);
});

test('completions.create returns text and usage', async (client) => {
  const r = await client.completions.create({ model: NAME, prompt: 'Once upon a time', max_tokens: 5, temperature: 0, ignore_eos: true });
  assert.equal(r.object, 'text_completion');
  assert.equal(r.choices.length, 1);
  assert.equal(typeof r.choices[0].text, 'string');
  assert.equal(r.usage.completion_tokens, 5);
  assert.ok(r.usage.prompt_tokens > 0);
  const again = await client.completions.create({ model: NAME, prompt: 'Once upon a time', max_tokens: 5, temperature: 0, ignore_eos: true });
  assert.equal(again.choices[0].text, r.choices[0].text, 'greedy output is deterministic');
});

test('completions stream ends and matches the plain answer', async (client) => {
  const plain = await client.completions.create({ model: NAME, prompt: 'Hello', max_tokens: 6, temperature: 0, ignore_eos: true });
  const stream = await client.completions.create({ model: NAME, prompt: 'Hello', max_tokens: 6, temperature: 0, ignore_eos: true, stream: true });
  let text = '';
  let finish = null;
  for await (const chunk of stream) {
    for (const c of chunk.choices) {
      text += c.text;
      if (c.finish_reason) finish = c.finish_reason;
    }
  }
  assert.equal(text, plain.choices[0].text);
  assert.equal(finish, 'length');
});

test('chat streaming with include_usage and reasoning_content', async (client) => {
  const stream = await client.chat.completions.create({
    model: NAME, messages: [{ role: 'user', content: 'What is 2 + 2?' }],
    max_tokens: 12, temperature: 0, ignore_eos: true, stream: true, stream_options: { include_usage: true },
  });
  let reasoning = '';
  let content = '';
  let role = null;
  let finish = null;
  let usage = null;
  let chunks = 0;
  for await (const chunk of stream) {
    chunks += 1;
    assert.equal(chunk.object, 'chat.completion.chunk');
    if (chunk.usage) usage = chunk.usage;
    for (const c of chunk.choices) {
      if (c.delta.role) role = c.delta.role;
      if (c.delta.reasoning_content) reasoning += c.delta.reasoning_content;
      if (c.delta.content) content += c.delta.content;
      if (c.finish_reason) finish = c.finish_reason;
    }
  }
  assert.ok(chunks >= 3, `only ${chunks} chunks`);
  assert.equal(role, 'assistant');
  assert.equal(finish, 'length');
  assert.ok(usage, 'include_usage sends a usage chunk');
  assert.equal(usage.completion_tokens, 12);
  assert.equal(usage.total_tokens, usage.prompt_tokens + 12);
  // The noise model never writes </think>: everything is reasoning (R1 starts inside it).
  assert.equal(content, '');
  assert.ok(reasoning.length > 0);

  const plain = await client.chat.completions.create({
    model: NAME, messages: [{ role: 'user', content: 'What is 2 + 2?' }], max_tokens: 12, temperature: 0, ignore_eos: true,
  });
  assert.equal(plain.object, 'chat.completion');
  assert.equal(plain.choices[0].message.role, 'assistant');
  assert.equal(plain.choices[0].message.reasoning_content, reasoning.trim());
  assert.equal(plain.usage.completion_tokens, 12);
});

test('seeded sampling repeats', async (client) => {
  const ask = () => client.chat.completions.create({
    model: NAME, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }],
    max_tokens: 8, temperature: 0.9, top_p: 0.9, seed: 1234, ignore_eos: true,
  });
  const a = await ask();
  const b = await ask();
  assert.equal(a.choices[0].message.reasoning_content, b.choices[0].message.reasoning_content);
});

test('a wrong key is an AuthenticationError (401)', async (_client, port) => {
  const bad = new OpenAI({ apiKey: 'sk-wrong', baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0 });
  await assert.rejects(() => bad.models.list(), (e) => {
    assert.equal(e.status, 401);
    assert.ok(e instanceof OpenAI.AuthenticationError, e.constructor.name);
    assert.equal(e.code, 'invalid_api_key');
    return true;
  });
});

test('an unknown model is a NotFoundError (404)', async (client) => {
  await assert.rejects(() => client.chat.completions.create({ model: 'gpt-9', messages: [{ role: 'user', content: 'x' }] }),
    (e) => {
      assert.equal(e.status, 404);
      assert.ok(e instanceof OpenAI.NotFoundError, e.constructor.name);
      return true;
    });
});

test('an empty message list is a BadRequestError (400)', async (client) => {
  await assert.rejects(() => client.chat.completions.create({ model: NAME, messages: [] }), (e) => {
    assert.equal(e.status, 400);
    assert.ok(e instanceof OpenAI.BadRequestError, e.constructor.name);
    return true;
  });
});

const engine = startEngine();
let failed = 0;
try {
  const port = await engine.port;
  await waitReady(port, 30000);
  const client = new OpenAI({ apiKey: KEY, baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0, timeout: 30000 });
  for (const t of tests) {
    const start = Date.now();
    try {
      await t.fn(client, port);
      console.log(`ok   ${t.name} (${Date.now() - start} ms)`);
    } catch (e) {
      failed += 1;
      console.log(`FAIL ${t.name}: ${e.stack || e}`);
    }
  }
} catch (e) {
  failed += 1;
  console.log(`FAIL start-up: ${e.stack || e}\n${engine.log()}`);
} finally {
  engine.child.kill('SIGTERM');
}
console.log(failed ? `${failed} of ${tests.length} failed` : `all ${tests.length} passed`);
process.exit(failed ? 1 : 0);
