// Types for the Remix server build produced by `remix vite:build`.
declare module "*/build/server/index.js" {
  import type { ServerBuild } from "@remix-run/cloudflare";
  export const routes: ServerBuild["routes"];
  export const entry: ServerBuild["entry"];
  export const assets: ServerBuild["assets"];
}
