import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { rewritePrompt, rewriteWithLlm, type TLlmConfig } from "@/lib/draft";
import { parsePrompt, type TPromptRecipe } from "@/lib/prompt";
import { MIRAGE_TINY } from "./mirage-tiny";

function recipeOf(text: string): TPromptRecipe {
  const parsed = parsePrompt(text);
  if (!parsed.ok) throw new Error(`${text}: ${parsed.error.message}`);
  return parsed.recipe;
}

// A real OpenAI-compatible chat-completions server on 127.0.0.1, port chosen by
// the OS. Each test sets `reply` to decide what the next request gets, and reads
// `requests` to see what the client sent.
type TReply = (request: IncomingMessage, response: ServerResponse) => void;

interface TSeenRequest {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingMessage["headers"];
  body: unknown;
}

let server: Server;
let baseUrl: string;
let reply: TReply;
const requests: TSeenRequest[] = [];
const pending = new Set<ServerResponse>();

function completion(content: unknown): string {
  return JSON.stringify({
    id: "chatcmpl-test",
    object: "chat.completion",
    created: 0,
    model: "test-model",
    choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
  });
}

function sendJson(status: number, body: string): TReply {
  return (_request, response) => {
    response.writeHead(status, { "content-type": "application/json" });
    response.end(body);
  };
}

beforeAll(async () => {
  server = createServer((request, response) => {
    let raw = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => (raw += chunk));
    request.on("end", () => {
      let body: unknown = null;
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
      requests.push({ method: request.method, url: request.url, headers: request.headers, body });
      pending.add(response);
      response.on("close", () => pending.delete(response));
      reply(request, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}/v1`;
});

afterAll(async () => {
  for (const response of pending) response.destroy();
  // fetch keeps connections alive; close them rather than wait for their idle timeout.
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  requests.length = 0;
  reply = sendJson(200, completion("a red house and a moon"));
});

const config = (extra: Partial<TLlmConfig> = {}): TLlmConfig => ({ baseUrl, model: "test-model", timeoutMs: 2000, ...extra });

describe("rewriteWithLlm against a local chat-completions server", () => {
  it("uses the LLM's rewrite, keeps the parameters and reports what changed", async () => {
    reply = sendJson(200, completion("a red house and a moon under a night sky"));
    const current = recipeOf("a red house --ar 16:9 --seed 3 --draft --no text");
    const result = await rewriteWithLlm(current, "add a moon and make it night", config(), { vocabulary: MIRAGE_TINY });
    expect(result.source).toBe("llm");
    expect(result.understood).toBe(true);
    expect(result.prompt).toBe("a red house and a moon under a night sky --ar 16:9 --seed 3 --draft --no text");
    expect(result.recipe).toEqual({ ...current, prompt: "a red house and a moon under a night sky" });
    expect(result.changes).toEqual([{ kind: "added", text: "and a moon under a night sky" }]);
    expect(result.intents).toEqual(["add", "background"]);
    expect(result.fallbackReason).toBeUndefined();
  });

  it("speaks the protocol: POST {baseUrl}/chat/completions with model, messages and temperature 0", async () => {
    await rewriteWithLlm(recipeOf("a red house"), "add a moon", config({ baseUrl: `${baseUrl}/` }), { vocabulary: MIRAGE_TINY });
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request?.method).toBe("POST");
    expect(request?.url).toBe("/v1/chat/completions");
    expect(request?.headers["content-type"]).toBe("application/json");
    const body = request?.body as { model: string; temperature: number; messages: Array<{ role: string; content: string }> };
    expect(body.model).toBe("test-model");
    expect(body.temperature).toBe(0);
    expect(body.messages.map((message) => message.role)).toEqual(["system", "user"]);
    expect(body.messages[1]?.content).toContain("Current prompt: a red house");
    expect(body.messages[1]?.content).toContain("Change: add a moon");
  });

  it("sends the API key as a bearer token, and no Authorization header without one", async () => {
    await rewriteWithLlm(recipeOf("a red house"), "add a moon", config({ apiKey: "sk-test-123" }), { vocabulary: MIRAGE_TINY });
    expect(requests[0]?.headers.authorization).toBe("Bearer sk-test-123");
    await rewriteWithLlm(recipeOf("a red house"), "add a moon", config(), { vocabulary: MIRAGE_TINY });
    expect(requests[1]?.headers.authorization).toBeUndefined();
  });

  it("accepts --ar and --no from the reply but no other parameter", async () => {
    reply = sendJson(200, completion("```\na red house --ar 9:16 --no clouds --seed 99 --chaos 50\n```"));
    const current = recipeOf("a red house --seed 3 --draft");
    const result = await rewriteWithLlm(current, "make it tall, no clouds", config(), { vocabulary: MIRAGE_TINY });
    expect(result.source).toBe("llm");
    expect(result.prompt).toBe("a red house --ar 9:16 --seed 3 --draft --no clouds");
    expect(result.changes).toEqual([
      { kind: "replaced", text: "--ar 1:1", with: "--ar 9:16" },
      { kind: "added", text: "--no clouds" },
    ]);
  });

  // Every failure gives exactly what the rules give, marked with why.
  const FALLBACKS: Array<[string, () => TReply, string | RegExp]> = [
    ["a 500", () => sendJson(500, JSON.stringify({ error: { message: "boom" } })), "HTTP 500"],
    ["a 401", () => sendJson(401, JSON.stringify({ error: { message: "bad key" } })), "HTTP 401"],
    ["garbage JSON", () => sendJson(200, "{not json"), "request failed"],
    ["JSON without choices", () => sendJson(200, JSON.stringify({ hello: "world" })), "no message content in the reply"],
    ["a non-string content", () => sendJson(200, completion(42)), "no message content in the reply"],
    ["an empty reply", () => sendJson(200, completion("   ")), "empty reply"],
    ["an unknown parameter", () => sendJson(200, completion("a red house --bogus 3")), /^reply does not parse/],
    ["an out-of-range parameter", () => sendJson(200, completion("a red house --ar 10:1")), /^reply does not parse/],
    ["a control character", () => sendJson(200, completion("a red\u0000 house")), /^reply does not parse/],
    ["only parameters", () => sendJson(200, completion("--ar 16:9")), /^reply does not parse/],
    ["a reply over 2000 characters", () => sendJson(200, completion("a red house ".repeat(200))), "reply too long"],
    ["an unchanged prompt", () => sendJson(200, completion("a red house")), "reply did not change the prompt"],
    ["a dropped connection", () => (request) => request.socket.destroy(), "request failed"],
  ];

  it.each(FALLBACKS)("falls back to the rules on %s", async (_name, makeReply, reason) => {
    reply = makeReply();
    const current = recipeOf("a red house --seed 7 --draft");
    const result = await rewriteWithLlm(current, "add a moon", config(), { vocabulary: MIRAGE_TINY });
    expect(result.source).toBe("rules");
    expect(result.fallbackReason).toMatch(reason);
    const { fallbackReason: _reason, ...rules } = result;
    expect(rules).toEqual(rewritePrompt(current, "add a moon", { vocabulary: MIRAGE_TINY }));
    expect(result.prompt).toBe("a red house and a moon --seed 7 --draft");
  });

  it("falls back when the server is slower than the timeout", async () => {
    reply = (_request, response) => {
      const timer = setTimeout(() => sendJson(200, completion("a blue house"))(_request, response), 2000);
      response.on("close", () => clearTimeout(timer));
    };
    const started = performance.now();
    const result = await rewriteWithLlm(recipeOf("a red house"), "add a moon", config({ timeoutMs: 150 }), { vocabulary: MIRAGE_TINY });
    expect(performance.now() - started).toBeLessThan(1500);
    expect(result.source).toBe("rules");
    expect(result.fallbackReason).toBe("timed out");
    expect(result.prompt).toBe("a red house and a moon");
  });

  it("falls back when the headers arrive in time but the body does not", async () => {
    reply = (_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.write('{"choices": [');
    };
    const result = await rewriteWithLlm(recipeOf("a red house"), "add a moon", config({ timeoutMs: 150 }), { vocabulary: MIRAGE_TINY });
    expect(result.source).toBe("rules");
    expect(result.fallbackReason).toBe("timed out");
  });

  it("falls back when nothing listens at the address", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const result = await rewriteWithLlm(recipeOf("a red house"), "add a moon", config({ baseUrl: `http://127.0.0.1:${port}/v1` }), { vocabulary: MIRAGE_TINY });
    expect(result.source).toBe("rules");
    expect(result.prompt).toBe("a red house and a moon");
  });

  it("times out even with a fetch that ignores the abort signal", async () => {
    const stuck: typeof fetch = () => new Promise<Response>(() => undefined);
    const result = await rewriteWithLlm(recipeOf("a red house"), "add a moon", config({ timeoutMs: 100 }), { fetch: stuck, vocabulary: MIRAGE_TINY });
    expect(result.source).toBe("rules");
    expect(result.fallbackReason).toBe("timed out");
  });

  it("does not call the LLM for an empty message", async () => {
    const result = await rewriteWithLlm(recipeOf("a red house"), "  ", config(), { vocabulary: MIRAGE_TINY });
    expect(requests).toHaveLength(0);
    expect(result.understood).toBe(false);
    expect(result.source).toBe("rules");
  });
});

describe("rewriteWithLlm: structured edits (the rules' edit model as JSON)", () => {
  const HOUSE = "a red house --seed 7 --draft";

  it("asks for the edit schema and applies a valid structured edit through the rules' path", async () => {
    reply = sendJson(200, completion(JSON.stringify({ edits: [{ kind: "colour", target: "house", colour: "blue" }, { kind: "background", id: "night" }] })));
    const result = await rewriteWithLlm(recipeOf(HOUSE), "blue house at night", config(), { vocabulary: MIRAGE_TINY });
    expect(result.source).toBe("llm");
    expect(result.prompt).toBe("a blue house, under a night sky with stars --seed 7 --draft");
    expect(result.intents).toEqual(["change-attribute", "background"]);
    const body = requests[0]?.body as { response_format: { type: string; json_schema: { name: string; schema: { required: string[] } } } };
    expect(body.response_format.type).toBe("json_schema");
    expect(body.response_format.json_schema.name).toBe("draft_edit");
    expect(body.response_format.json_schema.schema.required).toEqual(["edits"]);
  });

  it("passes an undo or a question back through, changing nothing", async () => {
    reply = sendJson(200, completion(JSON.stringify({ undo: "first", edits: [] })));
    const undo = await rewriteWithLlm(recipeOf(HOUSE), "take me back to the start", config(), { vocabulary: MIRAGE_TINY });
    expect(undo).toMatchObject({ source: "llm", undo: { to: "first" }, prompt: HOUSE });
    const clarify = { question: "Which one?", readings: [{ label: "Red", message: "make it red" }, { label: "Blue", message: "make it blue" }] };
    reply = sendJson(200, completion(JSON.stringify({ clarify, edits: [] })));
    const asked = await rewriteWithLlm(recipeOf(HOUSE), "change the colour", config(), { vocabulary: MIRAGE_TINY });
    expect(asked).toMatchObject({ source: "llm", understood: false, clarify, prompt: HOUSE });
  });

  const INVALID: Array<[string, unknown, RegExp]> = [
    ["an unknown kind", { edits: [{ kind: "explode" }] }, /does not fit the schema/],
    ["a colour the model does not know", { edits: [{ kind: "colour", target: "main", colour: "octarine" }] }, /unknown colour/],
    ["an unknown style axis", { edits: [{ kind: "style", axis: "loudness", pole: "positive" }] }, /unknown style axis/],
    ["a parameter smuggled into text", { edits: [{ kind: "add", text: "a moon --ar 99:1" }] }, /does not fit the schema/],
    ["no edits", { edits: [] }, /no edits/],
    ["a thing that is not in the prompt", { edits: [{ kind: "colour", target: "boat", colour: "blue" }] }, /could not be applied/],
    ["broken JSON", "{ edits: [", /not valid JSON/],
  ];
  it.each(INVALID)("falls back to the rules on %s", async (_name, json, reason) => {
    reply = sendJson(200, completion(typeof json === "string" ? json : JSON.stringify(json)));
    const current = recipeOf(HOUSE);
    const result = await rewriteWithLlm(current, "add a moon", config(), { vocabulary: MIRAGE_TINY });
    expect(result.source).toBe("rules");
    expect(result.fallbackReason).toMatch(reason);
    expect(result.prompt).toBe("a red house and a moon --seed 7 --draft");
  });
});
