// The README's example, type-checked by `npm run typecheck` (part of the client's tests).
import { createClient, Feed } from "../src/index.js";

export async function desk(baseUrl: string, password: string): Promise<Feed> {
  const api = createClient({ baseUrl });
  const login = await api.logIn("admin", password);
  if (login.error) throw new Error(login.error.code);
  const list = await api.GET("/api/v1/dialogs", { query: { status: "open", limit: 50 } });
  for (const row of list.data?.items ?? []) console.log(row.customer?.name, row.unread_count);
  const feed = new Feed({ baseUrl, token: login.data.token, onResync: async () => void (await api.GET("/api/v1/dialogs")) });
  feed.on("message_new", (f) => console.log(f.data.message?.text, f.position));
  const first = list.data?.items[0];
  if (first) await api.POST("/api/v1/dialogs/{id}/messages", { params: { id: first.id }, body: { text: "Hello!" } });
  return feed.start();
}

// The types refuse what the API does not take (tsc fails if any of these compiles).
export async function refused(baseUrl: string): Promise<void> {
  const api = createClient({ baseUrl });
  // @ts-expect-error: no such path
  await api.GET("/api/v1/nope");
  // @ts-expect-error: a message needs its dialog's id
  await api.POST("/api/v1/dialogs/{id}/messages", { body: { text: "hi" } });
  // @ts-expect-error: `text` is a string
  await api.POST("/api/v1/dialogs/{id}/messages", { params: { id: "x" }, body: { text: 5 } });
  const feed = new Feed({ baseUrl, token: "t" });
  // @ts-expect-error: no such frame type
  feed.on("message_exploded", () => {});
}
