// Where the session's tokens live. Only these two keys are ever removed on logout: the theme stays.
const ACCESS = "sinpluma.accessToken";
const REFRESH = "sinpluma.refreshToken";

export function createTokenStore(storage = globalThis.localStorage) {
  return {
    get access() {
      return storage.getItem(ACCESS);
    },
    get refresh() {
      return storage.getItem(REFRESH);
    },
    save({ access_token, refresh_token }) {
      storage.setItem(ACCESS, access_token);
      storage.setItem(REFRESH, refresh_token);
    },
    clear() {
      storage.removeItem(ACCESS);
      storage.removeItem(REFRESH);
    },
  };
}

/** The claims of a JWT (unverified: the server verifies; the SPA only reads who is logged in). */
export function decodeClaims(token) {
  if (!token) return null;
  try {
    const part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const json = new TextDecoder().decode(Uint8Array.from(atob(part), (c) => c.charCodeAt(0)));
    return JSON.parse(json);
  } catch {
    return null;
  }
}
