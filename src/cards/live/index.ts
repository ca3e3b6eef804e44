/**
 * Live cards: one message per chat and comune, edited in place as the count moves (engine.ts), the laps
 * over a comune's followers that coalesce changes (lap.ts), and what the engine is given (types.ts).
 */
export { LiveCards } from "./engine.js";
export { advanceLap, extendLap, type Lap, newLap } from "./lap.js";
export * from "./types.js";
