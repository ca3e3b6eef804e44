/**
 * docs/deploy.md is what someone putting the bot on Telegram reads: it must walk them through BotFather
 * (inline mode, groups, privacy mode), the newsroom's numeric ids, the Node version, systemd and a webhook
 * behind a reverse proxy; README's short section links there.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const deploy = readFileSync("docs/deploy.md", "utf8");
const readme = readFileSync("README.md", "utf8");

describe("docs/deploy.md", () => {
  it.each([
    ["BotFather", /@BotFather/],
    ["creating the bot", /\/newbot/],
    ["inline mode", /\/setinline/],
    ["groups", /\/setjoingroups/],
    ["privacy mode and plain questions in groups", /\/setprivacy[\s\S]*mention/],
    ["the newsroom's numeric ids", /ADMIN_IDS[\s\S]*admin command refused/],
    ["Node 20", /Node\.js 20/],
    ["a systemd unit", /\[Service\][\s\S]*ExecStart=/],
    ["nginx", /```nginx[\s\S]*proxy_pass http:\/\/127\.0\.0\.1:8080/],
    ["Caddy", /reverse_proxy 127\.0\.0\.1:8080/],
    ["the webhook's variables", /WEBHOOK_URL=https:[\s\S]*WEBHOOK_SECRET=/],
  ])("covers %s", (_what, pattern) => {
    expect(deploy).toMatch(pattern);
  });

  it("README's 'Put it on Telegram' stays short and links there", () => {
    const section = readme.slice(readme.indexOf("## Put it on Telegram"), readme.indexOf("## Commands"));
    expect(section).toContain("(docs/deploy.md)");
    expect(section.split("\n").length).toBeLessThan(15);
  });
});
