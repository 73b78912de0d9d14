// The SPA's one client instance and the API's endpoints as functions (paths relative to /api).
import { createClient } from "./client.js";
import { createTokenStore } from "./tokens.js";

export const tokens = createTokenStore();
const listeners = { sessionEnded: () => {}, tokens: () => {} };

export const client = createClient({
  tokens,
  base: "/api",
  onSessionEnded: (error) => listeners.sessionEnded(error),
  onTokens: (pair) => listeners.tokens(pair),
});

export function onSession({ ended, refreshed }) {
  if (ended) listeners.sessionEnded = ended;
  if (refreshed) listeners.tokens = refreshed;
}

const q = (params) => {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") search.set(k, v);
  const s = search.toString();
  return s ? `?${s}` : "";
};

/** The URL of an image the API names (its URLs are relative to the API root). */
export const apiUrl = (path) => (path ? `/api${path}` : null);

export const api = {
  register: (body) => client.post("/register", body, { auth: false }),
  login: (user_name, password) => client.post("/login", { user_name, password }, { auth: false }),
  logout: () => client.logout(),
  me: () => client.get("/users/me"),
  user: (id) => client.get(`/users/${id}`, { auth: false }),
  userWorks: (id, page = 1) => client.get(`/users/${id}/notebooks${q({ page, per_page: 50 })}`, { auth: false }),
  userFollows: (id, page = 1) => client.get(`/users/${id}/follows${q({ page, per_page: 50 })}`, { auth: false }),
  uploadAvatar: (file) => client.put("/users/me/avatar", file),
  genres: () => client.get("/genres?per_page=100", { auth: false }),
  works: (page = 1, perPage = 12) => client.get(`/notebooks${q({ page, per_page: perPage })}`, { auth: false }),
  search: (text, page = 1, perPage = 12) => client.get(`/search${q({ q: text, page, per_page: perPage })}`, { auth: false }),
  work: (id) => client.get(`/notebooks/${id}`, { auth: false }),
  createWork: (body) => client.post("/notebooks", body),
  updateWork: (id, body) => client.patch(`/notebooks/${id}`, body),
  deleteWork: (id) => client.del(`/notebooks/${id}`),
  uploadCover: (id, file) => client.put(`/notebooks/${id}/cover`, file),
  async contents(id) {
    const items = [];
    for (let page = 1; ; page += 1) {
      const batch = await client.get(`/notebooks/${id}/pages${q({ page, per_page: 100 })}`, { auth: false });
      items.push(...batch.items);
      if (items.length >= batch.total || batch.items.length === 0) return items;
    }
  },
  addPage: (workId, body) => client.post(`/notebooks/${workId}/pages`, body),
  page: (id) => client.get(`/pages/${id}`, { auth: false }),
  savePage: (id, body) => client.patch(`/pages/${id}`, body),
  followStatus: (id) => client.get(`/notebooks/${id}/follow`),
  follow: (id) => client.put(`/notebooks/${id}/follow`),
  unfollow: (id) => client.del(`/notebooks/${id}/follow`),
  /** One batch request for the sentences of a page: [{key, sentence}] → [{key, sentiment, score}]. */
  sentiment: (items) => client.post("/lin/sentiment/batch", { items }, { auth: false }),
};
