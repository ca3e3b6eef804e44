/** Child process entry: runs one benchmark task in a fresh process and sends back its figures. */
type TaskFn = (params: never) => Promise<unknown>;

const tasks: Record<string, () => Promise<TaskFn>> = {
  "push.ours": async () => (await import("./push.js")).pushOurs as TaskFn,
  "push.naive": async () => (await import("./push.js")).pushNaive as TaskFn,
  "push.throttler": async () => (await import("./push.js")).pushThrottler as TaskFn,
  "overhead.engineOnly": async () => (await import("./overhead.js")).engineOnly as TaskFn,
  "overhead.clientOnly": async () => (await import("./overhead.js")).clientOnly as TaskFn,
  commands: async () => (await import("./commands.js")).commandsTask as TaskFn,
  "scale.lookup": async () => (await import("./scale.js")).lookupTask as TaskFn,
  "scale.store": async () => (await import("./scale.js")).storeTask as TaskFn,
  "scale.idle": async () => (await import("./scale.js")).idleTask as TaskFn,
  "rush.contender": async () => (await import("./rush.js")).rushContender as TaskFn,
  "feed.cycle": async () => (await import("./feed.js")).feedCycleTask as TaskFn,
  "feed.reference": async () => (await import("./feed.js")).feedReferenceTask as TaskFn,
  "livecards.contender": async () => (await import("./livecards.js")).cardsContender as TaskFn,
  "livecards.charts": async () => (await import("./livecards.js")).chartSendTask as TaskFn,
};

process.once("message", async (m: { task: string; params: unknown }) => {
  try {
    const load = tasks[m.task];
    if (!load) throw new Error(`unknown task ${m.task}`);
    const fn = await load();
    const result = await fn(m.params as never);
    process.send?.({ ok: true, result }, () => process.exit(0));
  } catch (err) {
    process.send?.({ ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }, () =>
      process.exit(1),
    );
  }
});
