/**
 * The delivery engine: drains the durable outbox under Telegram's limits.
 *
 * Every (bulletin, chat) pair is a row in the store before anything is sent, and a row leaves the
 * store only once its outcome is recorded. After a crash the next run picks up whatever is left:
 * nobody misses a bulletin, and at most the sends in flight at the crash go out twice.
 * Per chat, bulletins go out in publication order (a chat's next bulletin waits for the previous one).
 *
 * The outbox has a second kind of row: a copy already delivered, to edit (a newsroom correction) or
 * to delete (a withdrawal). Those go through the same pacer, one at a time per chat like sends, and
 * ahead of the sends of a push still running: a correction should not wait for a long push to end.
 *
 * The engine (engine.ts): its loop, its slots and its sends; what a failure does (failures.ts), the
 * reports of finished pushes and amendments (reports.ts), the rendered texts (render-cache.ts), what it
 * is given and counts (types.ts).
 */
export { DeliveryEngine } from "./engine.js";
export type { EngineOptions, EngineStats } from "./types.js";
