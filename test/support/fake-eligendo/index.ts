/** The fake Ministry feed: server, scripted election, simulated nights. */
export * from "./election.js";
export * from "./night.js";
export * from "./server.js";
