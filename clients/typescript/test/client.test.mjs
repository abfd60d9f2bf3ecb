// The client against a real chatd: log in, a customer writes through the transport API, the
// list shows it, a reply is sent and read back (read-your-writes), frames arrive live, and a
// cut connection resumes with nothing lost or duplicated.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createClient, Feed, comparePositions } from "../src/index.js";
import { startChatd, proxy, inbound, until, PASSWORD } from "./support.mjs";

let chatd;
before(async () => {
  chatd = await startChatd();
});
after(async () => {
  await chatd?.stop();
});

async function desk() {
  const api = createClient({ baseUrl: chatd.base });
  const login = await api.logIn("admin", PASSWORD);
  assert.equal(login.status, 200, JSON.stringify(login.error));
  const channel = await api.POST("/api/v1/channels", { body: { type: "custom", name: `Shop ${Math.random()}` } });
  assert.equal(channel.status, 201, JSON.stringify(channel.error));
  return { api, transport: channel.data.transport_token };
}

test("a realistic flow: log in, inbound, list, send, read your write, live frames", async (t) => {
  const { api, transport } = await desk();
  const feed = new Feed({ baseUrl: chatd.base, token: api.token }).start();
  t.after(() => feed.stop()); // also when an assertion fails: a running feed keeps node alive
  const frames = [];
  feed.on("*", (f) => frames.push(f));
  await until(() => feed.connected, 5000, "the feed to open");

  const received = await inbound(chatd.base, transport, "ann", "Where is my kettle?", 1);
  // The integration's write happened elsewhere: count its position, so the list includes it.
  api.observe(received.position);
  const list = await api.GET("/api/v1/dialogs", { query: { status: "open" } });
  assert.equal(list.status, 200);
  const row = list.data.items.find((r) => r.id === received.dialog_id);
  assert.ok(row, "the new dialog is listed");
  assert.equal(row.last_message.text, "Where is my kettle?");

  const sent = await api.POST("/api/v1/dialogs/{id}/messages", { params: { id: row.id }, body: { text: "It ships today" } });
  assert.equal(sent.status, 201, JSON.stringify(sent.error));
  assert.equal(api.minPosition, sent.data.position, "the write's position is remembered");
  const timeline = await api.GET("/api/v1/dialogs/{id}/timeline", { params: { id: row.id } });
  assert.ok(
    timeline.data.items.some((e) => e.message?.id === sent.data.id),
    "a read after a write sees the write (min_position sent)",
  );
  const refused = await api.POST("/api/v1/dialogs/{id}/messages", { params: { id: row.id }, body: { text: "" } });
  assert.equal(refused.status, 422);
  assert.equal(refused.error.code, "empty_message");

  await until(() => frames.some((f) => f.type === "message_new" && f.data.message?.id === sent.data.id), 5000, "our message live");
  assert.ok(frames.some((f) => f.type === "message_new" && f.data.message?.text === "Where is my kettle?"));
  feed.stop();
});

test("a connection cut mid-stream resumes with every frame once, in order", async (t) => {
  const { api, transport } = await desk();
  const relay = await proxy(chatd.base);
  const states = [];
  const feed = new Feed({ baseUrl: relay.base, token: api.token, backoff: { initialMs: 50, maxMs: 200 }, onState: (s) => states.push(s) }).start();
  t.after(() => {
    feed.stop();
    relay.close();
  });
  const texts = [];
  const positions = [];
  const all = [];
  feed.on("message_new", (f) => {
    texts.push(f.data.message.text);
    positions.push(f.position);
  });
  feed.on("*", (f) => all.push(f));
  await until(() => feed.connected, 5000, "the feed to open");
  const total = 60;
  for (let n = 0; n < total; n++) {
    await inbound(chatd.base, transport, `chat-${n % 5}`, `message ${n}`, n);
    if (n === 20 || n === 40) {
      // The network drops mid-stream (twice, each time on a live connection).
      await until(() => feed.connected, 5000, "the feed to be connected");
      relay.cut();
    }
  }
  await until(() => texts.length >= total, 15000, `${total} messages (have ${texts.length})`);
  await new Promise((r) => setTimeout(r, 300)); // anything duplicated would arrive by now
  assert.deepEqual(texts, Array.from({ length: total }, (_, n) => `message ${n}`), "every message once, in order");
  for (let i = 1; i < positions.length; i++) assert.equal(comparePositions(positions[i - 1], positions[i]), -1);
  // One event's frames share its position: each message's row update arrives with it, once.
  const keys = all.map((f) => `${f.type}@${f.position}@${JSON.stringify(f.data)}`);
  assert.equal(new Set(keys).size, keys.length, "no frame twice");
  for (const p of positions) assert.ok(all.some((f) => f.type === "dialog_updated" && f.position === p), `dialog_updated at ${p}`);
  assert.ok(states.filter((s) => s === "open").length >= 3, `reconnected after each cut: ${states}`);
});

test("a write after a write sends the first's position (R38)", async () => {
  const seen = [];
  const api = createClient({
    baseUrl: chatd.base,
    fetch: (url, init) => {
      seen.push(`${init?.method ?? "GET"} ${url}`);
      return fetch(url, init);
    },
  });
  assert.equal((await api.logIn("admin", PASSWORD)).status, 200);
  const tag = await api.POST("/api/v1/tags", { body: { name: `vip ${Math.random()}`, color: "red" } });
  assert.equal(tag.status, 201, JSON.stringify(tag.error));
  const group = await api.POST("/api/v1/groups", { body: { name: `g ${Math.random()}`, rights: [] } });
  assert.equal(group.status, 201, JSON.stringify(group.error));
  const last = seen.at(-1);
  assert.ok(last.startsWith("POST ") && last.includes(`min_position=${tag.data.position}`), last);
});
