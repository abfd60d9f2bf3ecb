// `resync_required` against a real chatd whose sockets may queue only one frame: a burst
// overflows it, the client reloads (onResync, reading with min_position) and resumes from the
// position the server named; frames after it arrive again.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createClient, Feed, comparePositions } from "../src/index.js";
import { startChatd, inbound, until, PASSWORD } from "./support.mjs";

let chatd;
before(async () => {
  chatd = await startChatd({ config: "ws_queue = 1\n" });
});
after(async () => {
  await chatd?.stop();
});

test("a client too slow for its queue is told to resync, reloads, and goes on", async (t) => {
  const api = createClient({ baseUrl: chatd.base });
  await api.logIn("admin", PASSWORD);
  const channel = await api.POST("/api/v1/channels", { body: { type: "custom", name: "Burst" } });
  const transport = channel.data.transport_token;
  const reloads = [];
  const feed = new Feed({
    baseUrl: chatd.base,
    token: api.token,
    backoff: { initialMs: 50, maxMs: 200 },
    onResync: async (position) => {
      api.observe(position);
      const sent = api.minPosition;
      const list = await api.GET("/api/v1/dialogs");
      assert.equal(list.status, 200);
      assert.equal(new URL(list.response.url).searchParams.get("min_position"), sent);
      reloads.push({ position, dialogs: list.data.items.length, sent });
    },
  }).start();
  t.after(() => feed.stop()); // also when an assertion fails: a running feed keeps node alive
  await until(() => feed.connected, 5000, "the feed to open");
  await Promise.all(Array.from({ length: 40 }, (_, n) => inbound(chatd.base, transport, `c${n}`, `burst ${n}`, n)));
  await until(() => reloads.length > 0, 10000, "a resync");
  assert.ok(reloads[0].position, "the server names where to resume");
  assert.ok(comparePositions(reloads[0].sent, reloads[0].position) >= 0, "the reload read with min_position at least that position");
  assert.ok(reloads[0].dialogs >= 1);
  await until(() => feed.position && comparePositions(feed.position, reloads[0].position) >= 0, 10000, "the feed to resume");
  feed.stop();
});
