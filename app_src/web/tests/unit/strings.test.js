import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { catalogues, t } from "../../src/strings.js";

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../src");
const files = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : /\.jsx?$/.test(name) ? [full] : [];
  });

describe("strings", () => {
  it("fills placeholders and falls back to the key for unknown ones", () => {
    expect(t("pageOf", { page: 2, pages: 5 })).toBe("Page 2 of 5");
    expect(t("byAuthor")).toBe("by {name}");
    expect(t("no-such-key")).toBe("no-such-key");
  });

  it("has every key the screens use", () => {
    const used = new Set();
    for (const file of files(SRC)) {
      const source = readFileSync(file, "utf8");
      for (const [, key] of source.matchAll(/\bt\(\s*"(\w+)"/g)) used.add(key);
      for (const [, key] of source.matchAll(/label: "(\w+)"/g)) used.add(key);
    }
    expect(used.size).toBeGreaterThan(50);
    const missing = [...used].filter((key) => !(key in catalogues.en));
    expect(missing).toEqual([]);
  });
});
