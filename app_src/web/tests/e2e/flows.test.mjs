// End-to-end flows in headless Debian chromium (playwright-core, explicit executablePath, no
// browser download) against the real API and linguistics services (started by e2e_backend.py; their
// URLs come in API_URL and LIN_URL). Run: node --test tests/e2e/flows.test.mjs
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { deflateSync, crc32 } from "node:zlib";
import { chromium } from "playwright-core";
import { startServer } from "./server.mjs";

const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const ARTIFACTS = process.env.E2E_ARTIFACTS ?? path.join(WEB, "test-artifacts");
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const ACCESS_SECONDS = Number(process.env.ACCESS_TOKEN_SECONDS ?? "8");
const AXE = path.join(WEB, "node_modules/axe-core/axe.min.js");
const RUN = Date.now().toString(36);
const TITLE = `Lighthouse${RUN}`;
// The test accounts' password: generated per run, never a literal in the repository.
const PASSWORD = randomBytes(18).toString("base64url");
const STEP_TIMEOUT = { timeout: 20000 };

mkdirSync(ARTIFACTS, { recursive: true });

/** A w×h RGB PNG with a vertical gradient (a real image for the cover and avatar uploads). */
function png(w, h, [r0, g0, b0], [r1, g1, b1]) {
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y += 1) {
    const f = y / (h - 1);
    raw[y * (w * 3 + 1)] = 0;
    for (let x = 0; x < w; x += 1) {
      const o = y * (w * 3 + 1) + 1 + x * 3;
      raw[o] = r0 + (r1 - r0) * f;
      raw[o + 1] = g0 + (g1 - g0) * f;
      raw[o + 2] = b0 + (b1 - b0) * f;
    }
  }
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}
const COVER = path.join(ARTIFACTS, "cover.png");
const AVATAR = path.join(ARTIFACTS, "avatar.png");
writeFileSync(COVER, png(160, 220, [20, 60, 130], [230, 150, 60]));
writeFileSync(AVATAR, png(96, 96, [120, 30, 90], [250, 220, 120]));

let browser;
let front;
const state = {};

async function newPage(viewport = { width: 1100, height: 900 }) {
  const context = await browser.newContext({ viewport, reducedMotion: "reduce" });
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT.timeout);
  const log = { refresh: [], batch: 0, logins: 0, errors: [], pairs: [], logoutBearer: null };
  page.on("request", (r) => {
    if (new URL(r.url()).pathname === "/api/logout") log.logoutBearer = r.headers().authorization?.slice(7) ?? null;
  });
  page.on("response", async (r) => {
    const url = new URL(r.url());
    if (url.pathname === "/api/refresh") {
      log.refresh.push(r.status());
      if (r.ok()) log.pairs.push(await r.json().catch(() => null));
    }
    if (url.pathname === "/api/lin/sentiment/batch") log.batch += 1;
  });
  page.on("framenavigated", (f) => {
    if (f === page.mainFrame() && new URL(f.url()).pathname === "/login") log.logins += 1;
  });
  page.on("pageerror", (e) => log.errors.push(String(e)));
  return { context, page, log };
}

/** axe-core on the current screen: no serious or critical violation. */
async function axe(page, screen) {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 5).join(", ")}`);
  });
  assert.deepEqual(violations, [], `axe on ${screen}:\n${violations.join("\n")}`);
}

async function noHorizontalScroll(page, screen) {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  assert.ok(scroll <= width, `${screen}: the page is ${scroll} px wide in a ${width} px viewport`);
}

async function tokensOf(page) {
  return page.evaluate(() => ({ access: localStorage.getItem("sinpluma.accessToken"), refresh: localStorage.getItem("sinpluma.refreshToken") }));
}

async function apiJson(page, method, url, token, body) {
  return page.evaluate(
    async ({ method, url, token, body }) => {
      const headers = token ? { Authorization: `Bearer ${token}` } : {};
      if (body) headers["Content-Type"] = "application/json";
      const r = await fetch(url, { method, headers, body: body ? JSON.stringify(body) : undefined });
      return { status: r.status, body: await r.json().catch(() => null) };
    },
    { method, url, token, body },
  );
}

/** What another tab of the SPA does: refresh (rotating the pair in the shared storage), use the new access token. */
async function otherTabAccess(page) {
  const { refresh } = await tokensOf(page);
  const pair = await apiJson(page, "POST", "/api/refresh", refresh);
  assert.equal(pair.status, 200, JSON.stringify(pair.body));
  await page.evaluate((p) => {
    localStorage.setItem("sinpluma.accessToken", p.access_token);
    localStorage.setItem("sinpluma.refreshToken", p.refresh_token);
  }, pair.body);
  return pair.body.access_token;
}

async function waitSaved(page) {
  await page.locator('.save-status[data-status="saved"]').waitFor();
}

async function typeInEditor(page, text) {
  await page.locator(".editable").click();
  await page.keyboard.press("Control+End");
  await page.keyboard.type(text, { delay: 2 });
}

before(async () => {
  assert.ok(process.env.API_URL && process.env.LIN_URL, "API_URL and LIN_URL must name the running services");
  front = await startServer({ dist: path.join(WEB, "dist"), apiUrl: process.env.API_URL, linUrl: process.env.LIN_URL });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
});

after(async () => {
  await browser?.close();
  front?.server.close();
});

describe("Sin Pluma in a real browser", { concurrency: 1 }, () => {
  it("registers a writer, logs out and logs in again", async () => {
    const a = await newPage();
    state.a = a;
    const { page } = a;
    const scripts = [];
    page.on("response", (r) => r.url().endsWith(".js") && scripts.push(new URL(r.url()).pathname));
    await page.goto(`${front.url}/register`);
    await page.getByRole("heading", { name: "Create an account" }).waitFor();
    assert.ok(scripts.length >= 1 && scripts.every((s) => !s.includes("EditorScreen")), `first screen loaded ${scripts}`);
    await axe(page, "register");
    state.writer = `ada_${RUN}`;
    await page.getByLabel("User name").fill(state.writer);
    await page.getByLabel("E-mail").fill(`${state.writer}@example.org`);
    await page.getByLabel("First name").fill("Ada");
    await page.getByLabel("Last name").fill("Lovelace");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.waitForURL(/\/works$/);
    await page.getByRole("button", { name: "Log out" }).click();
    await page.waitForURL(/\/login$/);
    await axe(page, "login");
    await page.getByLabel("User name").fill(state.writer);
    await page.getByLabel("Password").fill("wrong password");
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByRole("alert").filter({ hasText: "Wrong user name or password." }).waitFor();
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL(/\/works$/);
    await page.getByRole("link", { name: "My profile" }).waitFor();
  });

  it("creates a work with a cover", async () => {
    const { page } = state.a;
    await page.getByRole("link", { name: "New work" }).click();
    await page.getByLabel("Title").fill(TITLE);
    const genre = page.getByLabel("Genre");
    await genre.locator("option").nth(1).waitFor({ state: "attached" });
    await genre.selectOption({ index: 1 });
    await page.getByLabel("Synopsis").fill("A keeper of a lonely lighthouse writes letters to the sea.");
    await page.getByLabel("Tags (comma-separated)").fill("sea, letters");
    await page.getByLabel(/Cover image/).setInputFiles(COVER);
    await axe(page, "work form");
    await page.getByRole("button", { name: "Save" }).click();
    await page.waitForURL(/\/works\/\d+$/);
    state.workId = Number(page.url().split("/").pop());
    const cover = page.getByRole("img", { name: `Cover of ${TITLE}` });
    await cover.waitFor();
    await page.waitForFunction((el) => el.complete && el.naturalWidth === 160, await cover.elementHandle());
    await page.getByText("This work has no pages yet.").waitFor();
  });

  it("browses works page by page and lists search hits in the API's relevance order", async () => {
    const { page } = state.a;
    const genre = (await apiJson(page, "GET", `/api/notebooks/${state.workId}`)).body.genre.id;
    for (let i = 1; i <= 12; i += 1) {
      const synopsis = i % 3 === 0 ? `Harbor${RUN} harbor${RUN} at dawn, the harbor${RUN} again.` : `A story about the harbor${RUN}, number ${i}.`;
      // a fresh token each time: twelve writes on a busy machine can outlast one 8-second token
      const made = await apiJson(page, "POST", "/api/notebooks", await otherTabAccess(page), { title: `Tale ${i}`, synopsis, genre_id: genre });
      assert.equal(made.status, 201, JSON.stringify(made.body));
    }
    await page.goto(`${front.url}/works`);
    await page.getByText("Page 1 of 2").waitFor();
    assert.equal(await page.locator(".work-card").count(), 12);
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByText("Page 2 of 2").waitFor();
    await page.getByRole("link", { name: TITLE }).waitFor(); // the oldest work is last
    await page.getByRole("button", { name: "Previous" }).click();
    await page.getByText("Page 1 of 2").waitFor();
    await page.getByLabel(/Search works/).fill(`harbor${RUN}`);
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await page.getByRole("heading", { name: `Results for “harbor${RUN}”` }).waitFor();
    await page.getByText("Page 1 of 2").waitFor({ state: "detached" }); // the browse results are gone
    await page.locator(".work-card").first().waitFor();
    const shown = await page.locator(".work-card-title").allTextContents();
    const ranked = (await apiJson(page, "GET", `/api/search?q=harbor${RUN}&per_page=12`)).body.items.map((w) => w.title);
    assert.deepEqual(shown, ranked);
    assert.equal(shown.length, 12);
    await page.getByLabel(/Search works/).fill(`nothing${RUN}`);
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await page.getByText(`No work matches “nothing${RUN}”.`).waitFor();
    await axe(page, "search without results");
  });

  it("writes two pages with formatting; autosave stores them", async () => {
    const { page } = state.a;
    state.pages = [];
    const texts = [
      ["The keeper", "I love the quiet mornings by the sea. The light is beautiful and warm. "],
      ["The storm", "The storm was horrible and I hated every minute of it. But the letters were wonderful. "],
    ];
    for (const [title, text] of texts) {
      await page.goto(`${front.url}/works/${state.workId}`);
      await page.getByRole("button", { name: "Add a page" }).click();
      await page.waitForURL(/\/pages\/\d+\/edit$/);
      state.pages.push(Number(page.url().split("/").at(-2)));
      await page.getByLabel("Page title").fill(title);
      await page.getByRole("button", { name: "Heading", exact: true }).waitFor();
      await typeInEditor(page, text);
      await page.keyboard.press("Enter");
      await page.keyboard.press("Control+b");
      await page.keyboard.type("Signed, the keeper.", { delay: 2 });
      await page.keyboard.press("Control+b");
      await waitSaved(page);
    }
    const stored = await apiJson(page, "GET", `/api/pages/${state.pages[0]}`);
    assert.equal(stored.status, 200);
    assert.equal(stored.body.title, "The keeper");
    const flat = JSON.stringify(stored.body.content);
    assert.match(flat, /I love the quiet mornings by the sea\./);
    assert.ok(stored.body.content.some((block) => block.children.some((leaf) => leaf.bold && leaf.text === "Signed, the keeper.")), flat);
  });

  it("analyzes a page: one batch request, inline highlights, a legend, nothing saved into the document", async () => {
    const { page, log } = state.a;
    await page.goto(`${front.url}/pages/${state.pages[1]}/edit`);
    await page.locator(".editable").waitFor();
    const versionBefore = (await apiJson(page, "GET", `/api/pages/${state.pages[1]}`)).body.version;
    const before = log.batch;
    await page.getByRole("button", { name: "Analyze" }).click();
    await page.locator('.editable [data-sentiment="positive"]').first().waitFor();
    await page.locator('.editable [data-sentiment="negative"]').first().waitFor();
    assert.equal(log.batch - before, 1, "one batch request for the page");
    const negative = await page.locator('.editable [data-sentiment="negative"]').allTextContents();
    assert.ok(negative.join(" ").includes("horrible"), `negative highlights: ${negative}`);
    await page.getByRole("heading", { name: "Legend" }).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, "editor-highlights.png"), fullPage: true });
    for (const theme of ["light", "dark", "sepia"]) {
      await page.getByLabel("Theme").selectOption(theme);
      await axe(page, `editor with highlights (${theme})`);
      if (theme !== "light") await page.screenshot({ path: path.join(ARTIFACTS, `editor-highlights-${theme}.png`) });
    }
    await page.getByLabel("Theme").selectOption("light");
    await page.waitForTimeout(1500); // longer than the autosave delay: nothing may be saved by analyzing
    const stored = await apiJson(page, "GET", `/api/pages/${state.pages[1]}`);
    const flat = JSON.stringify(stored.body.content);
    assert.doesNotMatch(flat, /sentiment|positive|negative|highlight/, flat);
    assert.equal(stored.body.version, versionBefore, "analyzing saved nothing");
    // Editing the text removes the (now stale) highlights.
    await typeInEditor(page, " More.");
    await page.getByText("Highlights were removed because the text changed.").waitFor();
    assert.equal(await page.locator(".editable [data-sentiment]").count(), 0);
    await waitSaved(page);
  });

  it("reads the work page by page with next and previous", async () => {
    const { page } = state.a;
    await page.goto(`${front.url}/works/${state.workId}`);
    await page.getByRole("link", { name: "The keeper", exact: true }).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, "work-page.png"), fullPage: true });
    await axe(page, "work page (owner)");
    await page.getByRole("link", { name: "The keeper", exact: true }).click();
    await page.getByRole("heading", { name: "The keeper", level: 1 }).waitFor();
    await page.getByText("I love the quiet mornings by the sea.").waitFor();
    await axe(page, "reader");
    await page.getByRole("link", { name: /Next page/ }).click();
    await page.getByRole("heading", { name: "The storm", level: 1 }).waitFor();
    await page.getByText(/The storm was horrible/).waitFor();
    assert.equal(await page.getByRole("link", { name: /Next page/ }).count(), 0, "the last page has no next link");
    await page.getByRole("link", { name: /Previous page/ }).click();
    await page.getByRole("heading", { name: "The keeper", level: 1 }).waitFor();
    // The writer's screens on a 360 px phone as well.
    await page.setViewportSize({ width: 360, height: 740 });
    await noHorizontalScroll(page, "reader");
    await page.goto(`${front.url}/pages/${state.pages[1]}/edit`);
    await page.locator(".editable").waitFor();
    await noHorizontalScroll(page, "editor");
    await page.goto(`${front.url}/works/${state.workId}/edit`);
    await page.getByLabel("Title").waitFor();
    await noHorizontalScroll(page, "work form");
    await axe(page, "work form (edit)");
    await page.setViewportSize({ width: 1100, height: 900 });
  });

  it("a second reader on a 360 px phone finds the work by search and follows it, using only the keyboard", async () => {
    const b = await newPage({ width: 360, height: 740 });
    state.b = b;
    const { page } = b;
    const reader = `bea_${RUN}`;
    await page.goto(`${front.url}/login`);
    const made = await apiJson(page, "POST", "/api/register", null, {
      user_name: reader,
      email: `${reader}@example.org`,
      first_name: "Bea",
      last_name: "Reader",
      password: PASSWORD,
    });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    await noHorizontalScroll(page, "login");
    const focusField = async (name) => {
      for (let i = 0; i < 30; i += 1) {
        await page.keyboard.press("Tab");
        if (await page.evaluate((n) => document.activeElement?.getAttribute("name") === n, name)) return;
      }
      assert.fail(`Tab never reached the field ${name}`);
    };
    await focusField("user_name");
    await page.keyboard.type(reader);
    await page.keyboard.press("Tab");
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/works$/);
    await noHorizontalScroll(page, "browse");
    await axe(page, "browse");
    await focusField("q");
    await page.keyboard.type(TITLE.slice(0, 10).toLowerCase());
    await page.keyboard.press("Enter");
    await page.waitForURL(/\?q=/);
    const hit = page.getByRole("link", { name: TITLE });
    await hit.waitFor();
    await noHorizontalScroll(page, "search results");
    await axe(page, "search results");
    await hit.focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(new RegExp(`/works/${state.workId}$`));
    const follow = page.getByRole("button", { name: "Follow", exact: true });
    await follow.waitFor();
    await noHorizontalScroll(page, "work page");
    await axe(page, "work page (reader)");
    assert.equal(await page.getByRole("button", { name: "Add a page" }).count(), 0, "no owner controls for a reader");
    assert.equal(await page.getByRole("link", { name: "Edit work" }).count(), 0, "no owner controls for a reader");
    await follow.focus();
    await page.keyboard.press("Enter");
    await page.getByRole("button", { name: "Unfollow" }).waitFor();
    await page.getByText("1 follower", { exact: true }).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, "work-page-360px.png"), fullPage: true });
    await page.getByRole("link", { name: "My profile" }).click();
    await page.getByRole("heading", { name: "Followed works" }).waitFor();
    await page.locator("section", { has: page.getByRole("heading", { name: "Followed works" }) }).getByRole("link", { name: TITLE }).waitFor();
    await noHorizontalScroll(page, "profile");
    await axe(page, "profile (reader)");
    await page.goto(`${front.url}/pages/${state.pages[1]}/edit`);
    await page.getByRole("alert").filter({ hasText: "You are not allowed to do this." }).waitFor();
    state.readerName = reader;
  });

  it("shows the login page when the refresh token itself is refused, then returns to the screen", async () => {
    const { page, log } = state.b;
    await page.goto(`${front.url}/works/${state.workId}`);
    await page.getByRole("button", { name: "Unfollow" }).waitFor();
    // Another device spends the stored refresh token (rotation): the one this tab holds is now revoked.
    const { access, refresh } = await tokensOf(page);
    assert.equal((await apiJson(page, "POST", "/api/refresh", refresh)).status, 200);
    const exp = JSON.parse(Buffer.from(access.split(".")[1], "base64url").toString()).exp;
    const wait = exp * 1000 - Date.now() + 1200;
    if (wait > 0) await page.waitForTimeout(wait);
    const logins = log.logins;
    await page.getByRole("button", { name: "Unfollow" }).click(); // 401 expired → refresh → 401 revoked
    await page.waitForURL(/\/login$/);
    await page.getByRole("alert").filter({ hasText: "Your session has ended. Please log in again." }).waitFor();
    assert.equal(log.logins, logins + 1);
    assert.deepEqual(await tokensOf(page), { access: null, refresh: null });
    await page.getByLabel("User name").fill(state.readerName);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL(new RegExp(`/works/${state.workId}$`));
    await page.getByRole("button", { name: "Unfollow" }).waitFor(); // the follow was not lost
  });

  it("refreshes an expired access token without the user noticing", async () => {
    const { page, log } = state.a;
    await page.goto(`${front.url}/works/${state.workId}`);
    await page.getByRole("link", { name: "My profile" }).click();
    await page.getByRole("heading", { name: "Ada Lovelace", exact: true }).waitFor();
    const { access: old } = await tokensOf(page);
    const exp = JSON.parse(Buffer.from(old.split(".")[1], "base64url").toString()).exp;
    const wait = exp * 1000 - Date.now() + 1200;
    if (wait > 0) await page.waitForTimeout(wait); // the access token is now expired
    const refreshesBefore = log.refresh.length;
    const loginsBefore = log.logins;
    await page.getByLabel(/New avatar/).setInputFiles(AVATAR); // PUT /users/me/avatar: 401 expired → refresh → replay
    await page.getByText("Avatar updated.").waitFor();
    await page.getByRole("img", { name: "Avatar of Ada Lovelace" }).waitFor();
    await axe(page, "profile (owner)");
    const refreshes = log.refresh.slice(refreshesBefore);
    assert.ok(refreshes.length >= 1 && refreshes.every((s) => s === 200), `refresh statuses: ${refreshes}`);
    assert.equal(log.logins, loginsBefore, "the login page never appeared");
    const now = await tokensOf(page);
    assert.notEqual(now.access, old, "a new access token was stored");
    // An autosave after another expiry works the same way.
    await page.goto(`${front.url}/pages/${state.pages[0]}/edit`);
    await page.locator(".editable").waitFor();
    await page.waitForTimeout(ACCESS_SECONDS * 1000 + 1000);
    await typeInEditor(page, " The sea was calm.");
    await waitSaved(page);
    assert.equal(log.logins, loginsBefore, "the login page never appeared");
    assert.deepEqual(log.errors, [], "no uncaught errors in the page");
  });

  it("analysis of a long page stays responsive", async () => {
    const { page, log } = state.a;
    const sentences = ["The harbour was lovely and calm.", "The night was cold, dark and miserable."];
    const content = Array.from({ length: 300 }, (_, i) => ({
      type: "paragraph",
      children: [{ text: `${i + 1}. ${sentences[0]} ${sentences[1]} ` }, { text: "Still here.", bold: true }],
    }));
    const made = await apiJson(page, "POST", `/api/notebooks/${state.workId}/pages`, await otherTabAccess(page), { title: "Long", content });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    await page.goto(`${front.url}/pages/${made.body.id}/edit`);
    await page.locator(".editable").waitFor();
    await page.getByText("300. The harbour").waitFor();
    const batches = log.batch;
    await page.evaluate(() => {
      window.__frames = { last: performance.now(), maxGap: 0, on: true };
      const tick = (now) => {
        const f = window.__frames;
        f.maxGap = Math.max(f.maxGap, now - f.last);
        f.last = now;
        if (f.on) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    const started = Date.now();
    await page.getByRole("button", { name: "Analyze" }).click();
    await page.getByText("Only the first 500 sentences were analyzed.").waitFor({ timeout: 30000 });
    const elapsed = Date.now() - started;
    const maxGap = await page.evaluate(() => {
      window.__frames.on = false;
      return window.__frames.maxGap;
    });
    const highlighted = await page.locator(".editable [data-sentiment]").count();
    console.log(`long page: 300 paragraphs, the first 500 sentences analyzed in one request, ${highlighted} highlighted spans, ${elapsed} ms, longest frame gap ${Math.round(maxGap)} ms`);
    assert.equal(log.batch - batches, 1, "one batch request for the page");
    assert.ok(highlighted >= 500, `${highlighted} highlighted spans`);
    assert.ok(maxGap < 2000, `the page froze for ${Math.round(maxGap)} ms`);
    await page.locator(".editable").click();
    await page.keyboard.press("Control+End");
    await page.keyboard.type(" Typing still works.");
    await page.getByText("Highlights were removed because the text changed.").waitFor();
    await waitSaved(page);
  });

  it("a save that conflicts (409) keeps the writer's text until the writer decides", async () => {
    const { page } = state.a;
    await page.goto(`${front.url}/pages/${state.pages[0]}/edit`);
    await page.locator(".editable").waitFor();
    // Another tab saves the page first: the editor's version is now stale.
    const current = await apiJson(page, "GET", `/api/pages/${state.pages[0]}`);
    const elsewhere = [{ type: "paragraph", children: [{ text: "Written in another tab." }] }];
    const other = await apiJson(page, "PATCH", `/api/pages/${state.pages[0]}`, await otherTabAccess(page), { content: elsewhere, version: current.body.version });
    assert.equal(other.status, 200, JSON.stringify(other.body));
    await typeInEditor(page, " Mine, not lost.");
    await page.getByRole("heading", { name: "This page was changed elsewhere" }).waitFor();
    assert.match(await page.locator(".editable").innerText(), /Mine, not lost\./);
    const during = await apiJson(page, "GET", `/api/pages/${state.pages[0]}`);
    assert.deepEqual(during.body.content, elsewhere, "nothing was overwritten without asking");
    await axe(page, "editor with a conflict");
    await page.getByRole("button", { name: "Save my version over theirs" }).click();
    await waitSaved(page);
    const stored = await apiJson(page, "GET", `/api/pages/${state.pages[0]}`);
    assert.match(JSON.stringify(stored.body.content), /Mine, not lost\./);
    // A second conflict, this time resolved by loading the other version (after confirming).
    const theirs = [{ type: "paragraph", children: [{ text: "Their final version." }] }];
    const again = await apiJson(page, "PATCH", `/api/pages/${state.pages[0]}`, await otherTabAccess(page), { content: theirs, version: stored.body.version });
    assert.equal(again.status, 200, JSON.stringify(again.body));
    await typeInEditor(page, " Draft to discard.");
    await page.getByRole("heading", { name: "This page was changed elsewhere" }).waitFor();
    page.once("dialog", (dialog) => dialog.accept());
    await page.getByRole("button", { name: "Discard my changes and load the saved version" }).click();
    await page.locator(".editable", { hasText: "Their final version." }).waitFor();
    assert.doesNotMatch(await page.locator(".editable").innerText(), /Draft to discard/);
    await waitSaved(page);
  });

  it("logs out: both old tokens are refused afterwards", async () => {
    const { page, log } = state.a;
    await page.goto(`${front.url}/works`);
    await page.getByRole("button", { name: "Log out" }).waitFor();
    let old = await tokensOf(page);
    await page.getByRole("button", { name: "Log out" }).click();
    await page.waitForURL(/\/login$/);
    assert.deepEqual(await tokensOf(page), { access: null, refresh: null });
    if (log.logoutBearer !== old.access) {
      // the access token had expired: the SPA refreshed first and logged out with the new pair
      const pair = log.pairs.findLast((p) => p?.access_token === log.logoutBearer);
      assert.ok(pair, "logout used a token the SPA got from /refresh");
      old = { access: pair.access_token, refresh: pair.refresh_token };
    }
    const exp = JSON.parse(Buffer.from(old.access.split(".")[1], "base64url").toString()).exp;
    const me = await apiJson(page, "GET", "/api/users/me", old.access);
    assert.equal(me.status, 401);
    if (Date.now() / 1000 < exp - 1) assert.equal(me.body.error.code, "token_revoked", JSON.stringify(me.body));
    const refreshed = await apiJson(page, "POST", "/api/refresh", old.refresh);
    assert.equal(refreshed.status, 401);
    assert.equal(refreshed.body.error.code, "token_revoked", JSON.stringify(refreshed.body));
    assert.equal(await page.evaluate(() => localStorage.getItem("sinpluma.theme")), "light", "logout keeps the theme");
    await state.a.context.close();
    await state.b.context.close();
  });
});
