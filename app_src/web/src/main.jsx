import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { Provider } from "react-redux";
import { BrowserRouter } from "react-router";
import { onSession, tokens } from "./api/api.js";
import App from "./App.jsx";
import { applyTheme } from "./lib/themes.js";
import { loggedIn, makeStore, sessionEnded } from "./store/index.js";
import "./styles.css";

const store = makeStore(tokens.access);
applyTheme(store.getState().theme.name);
onSession({
  ended: () => store.dispatch(sessionEnded()),
  refreshed: (pair) => store.dispatch(loggedIn(pair.access_token)),
});

createRoot(document.getElementById("root")).render(
  <StrictMode>
    <Provider store={store}>
      <BrowserRouter>
        <App />
      </BrowserRouter>
    </Provider>
  </StrictMode>,
);
