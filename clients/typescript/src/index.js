export { createClient } from "./client.js";
export { Feed, SESSION_ENDED, ACCESS_CHANGED } from "./feed.js";
export { comparePositions, laterPosition } from "./position.js";
