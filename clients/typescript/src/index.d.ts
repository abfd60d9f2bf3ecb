export { createClient } from "./client.js";
export type { Client, ClientOptions, Answer, Init, Problem, SuccessOf, PathsWith } from "./client.js";
export { Feed, SESSION_ENDED, ACCESS_CHANGED } from "./feed.js";
export type { Frame, FrameType, FrameOf, FeedOptions } from "./feed.js";
export { comparePositions, laterPosition } from "./position.js";
export type { paths, components, operations } from "./schema.js";
