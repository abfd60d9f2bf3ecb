// `resync_required` against a real chatd whose sockets may queue only one frame: a burst
// overflows it, the client reloads (onResync, reading with min_position) and resumes from the
// position the server named; frames after it arrive again, so what the reloads showed and what
// the feed said since cover every dialog of the burst.
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
  // Every dialog the client knows of: from a reload's list, or from a frame after it.
  const known = new Set();
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
      for (const d of list.data.items) known.add(d.id);
      reloads.push({ position, dialogs: list.data.items.length, sent });
    },
  }).start();
  feed.on("*", (f) => {
    const id = f.data?.dialog?.id ?? f.data?.dialog_id;
    if (id) known.add(id);
  });
  t.after(() => feed.stop()); // also when an assertion fails: a running feed keeps node alive
  await until(() => feed.connected, 5000, "the feed to open");
  await Promise.all(Array.from({ length: 40 }, (_, n) => inbound(chatd.base, transport, `c${n}`, `burst ${n}`, n)));
  await until(() => reloads.length > 0, 10000, "a resync");
  assert.ok(reloads[0].position, "the server names where to resume");
  assert.ok(comparePositions(reloads[0].sent, reloads[0].position) >= 0, "the reload read with min_position at least that position");
  await until(() => feed.position && comparePositions(feed.position, reloads[0].position) >= 0, 10000, "the feed to resume");
  // The resync may come before any dialog exists (the burst's customers are written first, and
  // an admin is told of each): whatever one reload showed, the frames and reloads after it
  // bring the rest.
  await until(() => known.size === 40, 10000, "all 40 dialogs known").catch((e) => {
    throw new Error(`${e.message}: ${known.size} known, reloads ${JSON.stringify(reloads)}`);
  });
  const listed = await api.GET("/api/v1/dialogs");
  assert.deepEqual(new Set(listed.data.items.map((d) => d.id)), known, "the dialogs known are the dialogs there are");
  feed.stop();
});
