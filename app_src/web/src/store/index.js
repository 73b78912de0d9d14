import { configureStore, createEntityAdapter, createSlice } from "@reduxjs/toolkit";
import { decodeClaims } from "../api/tokens.js";
import { storedTheme } from "../lib/themes.js";

function userFrom(accessToken) {
  const claims = decodeClaims(accessToken);
  if (!claims) return null;
  return { id: Number(claims.sub ?? claims.id), firstName: claims.fname, lastName: claims.lname };
}

const authSlice = createSlice({
  name: "auth",
  initialState: { user: null, notice: null },
  reducers: {
    loggedIn(state, action) {
      state.user = userFrom(action.payload);
      state.notice = null;
    },
    loggedOut(state) {
      state.user = null;
    },
    sessionEnded(state) {
      state.user = null;
      state.notice = "sessionEnded";
    },
    noticeShown(state) {
      state.notice = null;
    },
  },
});

const themeSlice = createSlice({
  name: "theme",
  initialState: { name: typeof localStorage === "undefined" ? "light" : storedTheme() },
  reducers: {
    themeChosen(state, action) {
      state.name = action.payload;
    },
  },
});

// Works the SPA has seen (browse, detail, just created or edited): flow 1's "the SPA updates its store".
const worksAdapter = createEntityAdapter();
const worksSlice = createSlice({
  name: "works",
  initialState: worksAdapter.getInitialState(),
  reducers: {
    worksReceived: worksAdapter.upsertMany,
    workSaved: worksAdapter.upsertOne,
    workRemoved: worksAdapter.removeOne,
  },
});

export const { loggedIn, loggedOut, sessionEnded, noticeShown } = authSlice.actions;
export const { themeChosen } = themeSlice.actions;
export const { worksReceived, workSaved, workRemoved } = worksSlice.actions;
export const selectWork = (state, id) => state.works.entities[id];

export function makeStore(accessToken) {
  const store = configureStore({
    reducer: { auth: authSlice.reducer, theme: themeSlice.reducer, works: worksSlice.reducer },
  });
  if (accessToken) store.dispatch(loggedIn(accessToken));
  return store;
}
