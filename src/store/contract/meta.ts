/** Key/value settings the bot keeps between runs (the current election, the data pack's history). */
export interface MetaRepository {
  getMeta(key: string): Promise<string | undefined>;
  setMeta(key: string, value: string): Promise<void>;
}
