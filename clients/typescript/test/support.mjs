// A real chatd for the client's tests: `chatd serve` on port 0 with a temp data dir (the binary
// from CHATD_BIN, else the workspace's debug build), and a TCP proxy in front of it whose
// connections the tests can cut, as a network failure would.
import { spawn } from "node:child_process";
import { mkdtemp, writeFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import net from "node:net";

export const PASSWORD = "client-tests-password";
const BIN = process.env.CHATD_BIN ?? new URL("../../../target/debug/chatd", import.meta.url).pathname;

export async function startChatd({ config = "" } = {}) {
  const dir = await mkdtemp(join(tmpdir(), "chatd-client-"));
  if (config) await writeFile(join(dir, "chatd.toml"), config);
  const child = spawn(BIN, ["serve", "--listen", "127.0.0.1:0", "--data-dir", dir], {
    env: { ...process.env, CHATD_ADMIN_PASSWORD: PASSWORD, CHATD_LOG: "warn" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout });
  let base;
  for await (const line of lines) {
    const m = line.match(/^chatd listening on (http:\/\/\S+)/);
    if (m) base = m[1];
    if (line.trim().startsWith("ready:")) break;
  }
  if (!base) throw new Error("chatd did not start");
  return {
    base,
    async stop() {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A TCP proxy to `base`; `cut()` destroys every connection through it. */
export async function proxy(base) {
  const target = new URL(base);
  const sockets = new Set();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => {});
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return {
    base: `http://127.0.0.1:${server.address().port}`,
    cut() {
      for (const s of sockets) s.destroy();
    },
    close() {
      this.cut();
      server.close();
    },
  };
}

/** The integration delivers a customer message through the transport API. */
export async function inbound(base, transportToken, chat, text, n) {
  const r = await fetch(`${base}/api/transport/v1/messages`, {
    method: "POST",
    headers: { "x-transport-token": transportToken, "content-type": "application/json" },
    body: JSON.stringify({
      external_chat_id: chat,
      customer: { external_id: `u-${chat}`, name: `Customer ${chat}` },
      message: { external_id: `m-${chat}-${n}`, text },
    }),
  });
  if (!r.ok) throw new Error(`inbound: ${r.status} ${await r.text()}`);
  return r.json();
}

/** Wait until `check()` is truthy (polling), or fail after `ms`. */
export async function until(check, ms = 15000, what = "condition") {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const v = await check();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}
