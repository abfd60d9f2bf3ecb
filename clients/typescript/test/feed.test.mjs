// The feed's rules on a scripted WebSocket: duplicates and replays are dropped, live-only frames
// (no part) pass, 4401 stops, 4403 and drops reconnect with since=<last position>&part=<part>.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Feed } from "../src/index.js";

function scripted() {
  const sockets = [];
  class FakeSocket {
    constructor(url) {
      this.url = new URL(url);
      this.readyState = 0;
      sockets.push(this);
      queueMicrotask(() => {
        this.readyState = 1;
        this.onopen?.();
      });
    }
    send() {}
    close(code = 1000) {
      if (this.readyState === 3) return;
      this.readyState = 3;
      queueMicrotask(() => this.onclose?.({ code, reason: "" }));
    }
    frame(type, position, part = position == null ? undefined : 0, data = {}) {
      this.onmessage({ data: JSON.stringify({ type, position, part, data }) });
    }
    serverClose(code) {
      this.readyState = 3;
      this.onclose({ code, reason: "" });
    }
  }
  return { FakeSocket, sockets };
}

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

test("frames once each, resumed after the last frame delivered, live-only frames pass through", async () => {
  const { FakeSocket, sockets } = scripted();
  const feed = new Feed({ baseUrl: "http://chatd.test", token: "t", WebSocket: FakeSocket, backoff: { initialMs: 1, maxMs: 2 } }).start();
  const seen = [];
  feed.on("*", (f) => seen.push(`${f.type}@${f.position}`));
  await tick();
  assert.equal(sockets[0].url.searchParams.get("since"), null);
  assert.equal(sockets[0].url.searchParams.get("token"), "t");
  sockets[0].frame("message_new", "5", 0);
  sockets[0].frame("dialog_updated", "5", 1); // the same change's second frame
  sockets[0].frame("typing", null);
  sockets[0].frame("dialog_updated", "5", null); // a waiting level crossed: live only
  sockets[0].frame("message_new", "5", 0); // a duplicate
  sockets[0].frame("message_new", "7", 0);
  sockets[0].serverClose(1006); // the network went away between two frames of one change
  await tick(20);
  assert.equal(sockets.length, 2);
  assert.equal(sockets[1].url.searchParams.get("since"), "7");
  assert.equal(sockets[1].url.searchParams.get("part"), "0");
  sockets[1].frame("message_new", "7", 0); // an overlap
  sockets[1].frame("dialog_updated", "7", 1); // the rest of the cut change
  sockets[1].frame("dialog_updated", "9", 0);
  sockets[1].frame("message_new", "5", 0); // a stray from before
  assert.deepEqual(seen, ["message_new@5", "dialog_updated@5", "typing@null", "dialog_updated@5", "message_new@7", "dialog_updated@7", "dialog_updated@9"]);
  assert.equal(feed.position, "9");
  sockets[1].serverClose(1006);
  await tick(20);
  assert.equal(sockets[2].url.searchParams.get("since"), "9");
  assert.equal(sockets[2].url.searchParams.get("part"), "0");
  feed.stop();
});

test("started with since, nothing of that change comes again and the first reconnection has no part", async () => {
  const { FakeSocket, sockets } = scripted();
  const feed = new Feed({ baseUrl: "http://chatd.test", token: "t", since: "12", WebSocket: FakeSocket, backoff: { initialMs: 1, maxMs: 2 } }).start();
  const seen = [];
  feed.on("*", (f) => seen.push(`${f.type}@${f.position}`));
  await tick();
  assert.equal(sockets[0].url.searchParams.get("since"), "12");
  assert.equal(sockets[0].url.searchParams.get("part"), null);
  sockets[0].frame("dialog_updated", "12", 1);
  sockets[0].frame("message_new", "13", 0);
  assert.deepEqual(seen, ["message_new@13"]);
  feed.stop();
});

test("4401 stops for good; 4403 reconnects at once", async () => {
  const { FakeSocket, sockets } = scripted();
  const closed = [];
  const feed = new Feed({ baseUrl: "http://chatd.test", token: "t", WebSocket: FakeSocket, backoff: { initialMs: 10000 }, onClosed: (c) => closed.push(c) }).start();
  await tick();
  sockets[0].serverClose(4403);
  await tick(10);
  assert.equal(sockets.length, 2, "access changed: reconnect without back-off");
  sockets[1].serverClose(4401);
  await tick(10);
  assert.deepEqual(closed, [4401]);
  assert.equal(sockets.length, 2, "session ended: no reconnection");
});

test("resync_required waits for the reload, then resumes from the server's position", async () => {
  const { FakeSocket, sockets } = scripted();
  let release;
  const reloaded = new Promise((r) => (release = r));
  const asked = [];
  const feed = new Feed({
    baseUrl: "http://chatd.test",
    token: "t",
    since: "3",
    WebSocket: FakeSocket,
    onResync: async (p) => {
      asked.push(p);
      await reloaded;
    },
  }).start();
  await tick();
  assert.equal(sockets[0].url.searchParams.get("since"), "3");
  sockets[0].frame("resync_required", "40");
  await tick(10);
  assert.deepEqual(asked, ["40"]);
  assert.equal(sockets.length, 1, "no reconnection before the reload is done");
  release();
  await tick(10);
  assert.equal(sockets.length, 2);
  assert.equal(sockets[1].url.searchParams.get("since"), "40");
  feed.stop();
});
