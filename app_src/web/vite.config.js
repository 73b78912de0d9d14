import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    assetsDir: "assets", // hashed names: assets/<name>-<hash>.js
  },
  test: {
    include: ["tests/unit/**/*.test.js"],
    environment: "node",
  },
});
