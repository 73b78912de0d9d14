import { describe, expect, it, vi } from "vitest";
import { createClient, NetworkError, SessionEndedError } from "../../src/api/client.js";

function memoryTokens(access, refresh) {
  const state = { access, refresh };
  return {
    get access() {
      return state.access;
    },
    get refresh() {
      return state.refresh;
    },
    save(pair) {
      state.access = pair.access_token;
      state.refresh = pair.refresh_token;
    },
    clear() {
      state.access = null;
      state.refresh = null;
    },
  };
}

const json = (status, body) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
const expired = () => json(401, { error: { code: "token_expired", message: "Token has expired", details: null } });
const revoked = () => json(401, { error: { code: "token_revoked", message: "Token has been revoked", details: null } });

/** A fake server: access tokens "A<n>" are valid only for the current n; refresh "R<n>" rotates. */
function fakeServer({ refreshBehaviour = [] } = {}) {
  let generation = 1;
  const calls = { refresh: 0, byPath: {} };
  const fetch = vi.fn(async (url, init) => {
    const path = url.replace(/^\/api/, "");
    const auth = init.headers?.Authorization ?? "";
    if (path === "/refresh") {
      calls.refresh += 1;
      const scripted = refreshBehaviour.shift();
      if (scripted === "network") throw new TypeError("Failed to fetch");
      if (scripted === "refused") return revoked();
      if (auth !== `Bearer R${generation}`) return revoked();
      await new Promise((r) => setTimeout(r, 5)); // the refresh takes a while: others pile up
      generation += 1;
      return json(200, { access_token: `A${generation}`, refresh_token: `R${generation}`, token_type: "Bearer", expires_in: 900 });
    }
    calls.byPath[path] = (calls.byPath[path] ?? []).concat(auth);
    if (auth !== `Bearer A${generation}`) return expired();
    return json(200, { path, token: auth });
  });
  return { fetch, calls };
}

describe("refresh interceptor", () => {
  it("refreshes exactly once when several parallel requests meet an expired token, and replays them all", async () => {
    const server = fakeServer();
    const tokens = memoryTokens("A0", "R1"); // A0 is stale: the server is at generation 1
    const onSessionEnded = vi.fn();
    const client = createClient({ fetch: server.fetch, tokens, onSessionEnded, sleep: async () => {} });

    const paths = ["/a", "/b", "/c", "/d", "/e"];
    const results = await Promise.all(paths.map((p) => client.get(p)));

    expect(server.calls.refresh).toBe(1);
    expect(results.map((r) => r.path)).toEqual(paths);
    for (const r of results) expect(r.token).toBe("Bearer A2");
    expect(tokens.access).toBe("A2");
    expect(tokens.refresh).toBe("R2"); // rotated pair stored
    expect(onSessionEnded).not.toHaveBeenCalled();
  });

  it("holds requests started during the refresh and sends them with the new token only", async () => {
    const server = fakeServer();
    const tokens = memoryTokens("A0", "R1");
    const client = createClient({ fetch: server.fetch, tokens, sleep: async () => {} });
    const first = client.get("/first");
    await new Promise((r) => setTimeout(r, 1)); // the refresh is now in flight
    const late = client.get("/late");
    await Promise.all([first, late]);
    expect(server.calls.refresh).toBe(1);
    expect(server.calls.byPath["/late"]).toEqual(["Bearer A2"]);
  });

  it("sends the user to the login page only when the refresh token itself is refused", async () => {
    const server = fakeServer({ refreshBehaviour: ["refused"] });
    const tokens = memoryTokens("A0", "R1");
    const onSessionEnded = vi.fn();
    const client = createClient({ fetch: server.fetch, tokens, onSessionEnded, sleep: async () => {} });

    const outcomes = await Promise.allSettled([client.get("/a"), client.get("/b")]);

    expect(server.calls.refresh).toBe(1);
    for (const o of outcomes) expect(o.reason).toBeInstanceOf(SessionEndedError);
    expect(onSessionEnded).toHaveBeenCalledTimes(1);
    expect(tokens.access).toBeNull();
    expect(tokens.refresh).toBeNull();
  });

  it("retries a refresh that fails with a network error and does not log out", async () => {
    const server = fakeServer({ refreshBehaviour: ["network", "network"] });
    const tokens = memoryTokens("A0", "R1");
    const onSessionEnded = vi.fn();
    const sleep = vi.fn(async () => {});
    const client = createClient({ fetch: server.fetch, tokens, onSessionEnded, sleep });

    const results = await Promise.all([client.get("/a"), client.get("/b")]);

    expect(server.calls.refresh).toBe(3); // two failures, then the one that worked
    expect(sleep).toHaveBeenCalledTimes(2);
    expect(results.map((r) => r.token)).toEqual(["Bearer A2", "Bearer A2"]);
    expect(onSessionEnded).not.toHaveBeenCalled();
  });

  it("keeps the tokens when the network stays down: the requests fail with a network error", async () => {
    const server = fakeServer({ refreshBehaviour: ["network", "network", "network"] });
    const tokens = memoryTokens("A0", "R1");
    const onSessionEnded = vi.fn();
    const client = createClient({ fetch: server.fetch, tokens, onSessionEnded, refreshAttempts: 3, sleep: async () => {} });

    await expect(client.get("/a")).rejects.toBeInstanceOf(NetworkError);
    expect(onSessionEnded).not.toHaveBeenCalled();
    expect(tokens.refresh).toBe("R1");
  });

  it("uses the tokens another tab stored while this tab waited for the refresh lock", async () => {
    const server = fakeServer();
    const tokens = memoryTokens("A0", "R1");
    // The other tab refreshes first (rotating R1) and stores its pair before our lock is granted.
    const lock = async (fn) => {
      await server.fetch("/api/refresh", { headers: { Authorization: "Bearer R1" } });
      tokens.save({ access_token: "A2", refresh_token: "R2" });
      return fn();
    };
    const onSessionEnded = vi.fn();
    const client = createClient({ fetch: server.fetch, tokens, lock, onSessionEnded, sleep: async () => {} });
    const result = await client.get("/a");
    expect(result.token).toBe("Bearer A2");
    expect(server.calls.refresh).toBe(1); // only the other tab's: R1 was not spent twice
    expect(onSessionEnded).not.toHaveBeenCalled();
  });

  it("treats a refresh that hangs as a network error and retries it", async () => {
    let refreshes = 0;
    const fetch = vi.fn((url, init) => {
      if (url.endsWith("/refresh")) {
        refreshes += 1;
        if (refreshes === 1) {
          return new Promise((_, reject) => init.signal.addEventListener("abort", () => reject(new DOMException("timed out", "TimeoutError"))));
        }
        return Promise.resolve(json(200, { access_token: "A2", refresh_token: "R2", token_type: "Bearer", expires_in: 900 }));
      }
      return Promise.resolve(init.headers.Authorization === "Bearer A2" ? json(200, { ok: true }) : expired());
    });
    const tokens = memoryTokens("A1", "R1");
    const client = createClient({ fetch, tokens, refreshTimeoutMs: 20, sleep: async () => {} });
    expect(await client.get("/a")).toEqual({ ok: true });
    expect(refreshes).toBe(2);
  });

  it("does not refresh on other 401s (a revoked access token is an error, not a refresh)", async () => {
    const fetch = vi.fn(async () => revoked());
    const tokens = memoryTokens("A1", "R1");
    const client = createClient({ fetch, tokens, sleep: async () => {} });
    await expect(client.get("/x")).rejects.toMatchObject({ status: 401, code: "token_revoked" });
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it("logout posts /logout with the access token (revoking both tokens) and forgets them", async () => {
    const fetch = vi.fn(async () => json(200, { message: "logged out" }));
    const tokens = memoryTokens("A1", "R1");
    const client = createClient({ fetch, tokens });
    await client.logout();
    expect(fetch).toHaveBeenCalledWith("/api/logout", expect.objectContaining({ method: "POST", headers: { Authorization: "Bearer A1" } }));
    expect(tokens.access).toBeNull();
    expect(tokens.refresh).toBeNull();
  });
});
