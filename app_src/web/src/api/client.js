// The one HTTP client of the SPA. Every request goes through `request`, which implements the
// token-refresh flow of app-spec flow 4:
//   - a 401 whose error message is exactly "Token has expired" pauses the requests (new requests
//     wait, the failed ones queue), starts ONE refresh (POST /api/refresh with the refresh token),
//     stores the rotated pair and replays every queued request with the new access token;
//   - only a refused refresh token (401/422 from /refresh) ends the session (onSessionEnded);
//   - a refresh that fails with a network error or a 5xx is retried with back-off, never a logout;
//     after the last attempt the waiting requests fail with a NetworkError and the tokens stay.

export const EXPIRED_MESSAGE = "Token has expired";

export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details ?? null;
  }
}

/** The request never got an answer (offline, DNS, connection refused, proxy down). */
export class NetworkError extends Error {
  constructor(cause) {
    super("network error");
    this.name = "NetworkError";
    this.cause = cause;
  }
}

/** The refresh token was refused: the user must log in again. */
export class SessionEndedError extends ApiError {
  constructor(status, code, message) {
    super(status, code ?? "session_ended", message ?? "session ended");
    this.name = "SessionEndedError";
  }
}

async function errorFrom(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    // not JSON (e.g. a proxy's HTML error page)
  }
  const error = body && typeof body === "object" ? body.error : null;
  if (error && typeof error === "object") {
    return new ApiError(response.status, error.code, error.message, error.details);
  }
  return new ApiError(response.status, "http_error", `HTTP ${response.status}`, null);
}

const defaultSleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * @param {object} options
 * @param {typeof fetch} [options.fetch]
 * @param {{access: string|null, refresh: string|null, save(pair): void, clear(): void}} options.tokens
 * @param {() => void} [options.onSessionEnded] called once per ended session (go to the login page)
 * @param {(pair) => void} [options.onTokens] called after every stored token pair
 * @param {string} [options.base] prefix of every path (relative, so one build serves any host)
 * @param {number} [options.refreshAttempts] attempts of a refresh that fails with a network error
 * @param {(attempt: number) => number} [options.retryDelay] milliseconds before attempt n+1
 */
export function createClient({
  fetch: fetchImpl = (...args) => globalThis.fetch(...args),
  tokens,
  onSessionEnded = () => {},
  onTokens = () => {},
  base = "/api",
  refreshAttempts = 6,
  retryDelay = (attempt) => Math.min(500 * 2 ** attempt, 8000),
  refreshTimeoutMs = 15000,
  sleep = defaultSleep,
  // Tabs share the token storage: a refresh holds this lock so two tabs never spend the same
  // refresh token (rotation would revoke the second). Default: the Web Locks API where present.
  lock = (fn) => (globalThis.navigator?.locks ? globalThis.navigator.locks.request("sinpluma.refresh", fn) : fn()),
} = {}) {
  let refreshing = null; // the one refresh in flight, shared by every waiting request

  async function send(path, { method = "GET", body, headers = {}, auth = true, signal }, token) {
    const sent = { ...headers };
    let payload = body;
    if (body !== undefined && !(body instanceof Blob) && !(body instanceof FormData)) {
      sent["Content-Type"] = "application/json";
      payload = JSON.stringify(body);
    } else if (body instanceof Blob && !sent["Content-Type"]) {
      sent["Content-Type"] = body.type || "application/octet-stream";
    }
    if (auth && token) sent.Authorization = `Bearer ${token}`;
    try {
      return await fetchImpl(base + path, { method, headers: sent, body: payload, signal });
    } catch (cause) {
      if (cause?.name === "AbortError") throw cause;
      throw new NetworkError(cause);
    }
  }

  async function refreshOnce(staleAccess) {
    // Another tab may have refreshed while this one waited for the lock: use its tokens.
    if (tokens.access && tokens.access !== staleAccess) return tokens.access;
    const refreshToken = tokens.refresh;
    if (!refreshToken) throw endSession(new SessionEndedError(401, "no_refresh_token", "not logged in"));
    for (let attempt = 0; ; attempt += 1) {
      let response;
      try {
        response = await fetchImpl(`${base}/refresh`, {
          method: "POST",
          headers: { Authorization: `Bearer ${refreshToken}` },
          signal: AbortSignal.timeout(refreshTimeoutMs), // a hung refresh must not hang every request
        });
      } catch (cause) {
        if (attempt + 1 >= refreshAttempts) throw new NetworkError(cause);
        await sleep(retryDelay(attempt));
        continue;
      }
      if (response.ok) {
        const pair = await response.json();
        tokens.save(pair);
        onTokens(pair);
        return pair.access_token;
      }
      if (response.status >= 500 || response.status === 429) {
        // 503: Redis or the database is briefly unavailable; the refresh token is still good.
        if (attempt + 1 >= refreshAttempts) throw await errorFrom(response);
        await sleep(retryDelay(attempt));
        continue;
      }
      const refused = await errorFrom(response);
      throw endSession(new SessionEndedError(refused.status, refused.code, refused.message));
    }
  }

  function endSession(error) {
    tokens.clear();
    onSessionEnded(error);
    return error;
  }

  /** Starts the refresh, or joins the one already in flight. */
  function refresh(staleAccess) {
    if (!refreshing) {
      refreshing = lock(() => refreshOnce(staleAccess)).finally(() => {
        refreshing = null;
      });
    }
    return refreshing;
  }

  async function request(path, options = {}) {
    const auth = options.auth ?? true;
    if (auth && refreshing) await refreshing.catch(() => {}); // paused while a refresh runs
    let token = auth ? tokens.access : null;
    let response = await send(path, options, token);
    if (auth && response.status === 401 && token) {
      const error = await errorFrom(response.clone());
      if (error.message !== EXPIRED_MESSAGE) throw error;
      // Another request may have refreshed already while this one was in flight.
      if (tokens.access && tokens.access !== token) token = tokens.access;
      else token = await refresh(token);
      response = await send(path, options, token);
    }
    if (!response.ok) throw await errorFrom(response);
    if (response.status === 204) return null;
    const type = response.headers.get("Content-Type") || "";
    return type.includes("json") ? response.json() : response.text();
  }

  /** Revoke both tokens on the server (the access token names its refresh token), then forget them. */
  async function logout() {
    try {
      if (tokens.access || tokens.refresh) await request("/logout", { method: "POST" });
    } finally {
      tokens.clear();
    }
  }

  return {
    request,
    logout,
    get: (path, options) => request(path, { ...options, method: "GET" }),
    post: (path, body, options) => request(path, { ...options, method: "POST", body }),
    put: (path, body, options) => request(path, { ...options, method: "PUT", body }),
    patch: (path, body, options) => request(path, { ...options, method: "PATCH", body }),
    del: (path, options) => request(path, { ...options, method: "DELETE" }),
  };
}
