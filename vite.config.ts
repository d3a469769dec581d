import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";

declare module "@remix-run/cloudflare" {
  interface Future {
    v3_singleFetch: true;
  }
}

// The app is built by Vite and served by the Worker in workers/index.ts, which
// imports build/server/index.js. `vite dev` is not supported: Durable Objects
// need `wrangler dev` over the built app (see ../shared/STACK.md, README).
export default defineConfig({
  plugins: [
    remix({
      serverModuleFormat: "esm",
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_singleFetch: true,
        v3_lazyRouteDiscovery: false,
      },
    }),
    tsconfigPaths(),
  ],
  ssr: {
    target: "webworker",
    resolve: {
      conditions: ["workerd", "worker", "browser"],
      externalConditions: ["workerd", "worker"],
    },
  },
  build: {
    // wasm modules (argon2id) are bundled by wrangler, not by Vite.
    rollupOptions: { external: [/\.wasm$/] },
  },
});
