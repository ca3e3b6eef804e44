/** A TCP port free right now, for a server a test or benchmark starts (the bot's webhook, a database). */
import { createServer } from "node:net";

/** A port nothing listens on, on `host` (every interface when absent). */
export function freePort(host?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}
