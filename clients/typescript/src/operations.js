// Generated from api-schema/openapi.json by clients/typescript/scripts/generate.mjs (make client).
// Do not edit by hand.

/** GET paths (templates) that take `min_position`: the client adds it after a write. */
export const MIN_POSITION_PATHS = new Set([
  "/api/bot/v1/dialogs",
  "/api/v1/bots",
  "/api/v1/channels",
  "/api/v1/channels/{id}/templates",
  "/api/v1/customers/{id}",
  "/api/v1/dialogs",
  "/api/v1/dialogs/facets",
  "/api/v1/dialogs/unread-count",
  "/api/v1/dialogs/{id}",
  "/api/v1/dialogs/{id}/attachments",
  "/api/v1/dialogs/{id}/scheduled",
  "/api/v1/dialogs/{id}/timeline",
  "/api/v1/groups",
  "/api/v1/me",
  "/api/v1/mentions",
  "/api/v1/orders",
  "/api/v1/quick-replies",
  "/api/v1/settings/calendar",
  "/api/v1/settings/time-limits",
  "/api/v1/tags",
  "/api/v1/users"
]);
