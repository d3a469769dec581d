#!/usr/bin/env node
// `npm start`: build, migrate, serve on 127.0.0.1:8787 with a seeded demo.
import { build, DEMO_TENANT, DEMO_USERS, devVar, ensureDemoPassword, ensureDevVars, log, migrate, seedDemo, startTranscoder, startWrangler } from "./lib.mjs";

const PORT = Number(process.env.PORT ?? 8787);
const TRANSCODER_PORT = Number(process.env.TRANSCODER_PORT ?? 8790);
const token = ensureDevVars();
const demoPassword = ensureDemoPassword();
build();
migrate();
log(`starting the transcoder (ffmpeg) on http://127.0.0.1:${TRANSCODER_PORT}`);
const transcoder = await startTranscoder({ port: TRANSCODER_PORT, token: devVar("TRANSCODER_TOKEN") });
log(`starting wrangler dev on http://127.0.0.1:${PORT}`);
const server = await startWrangler({
  port: PORT,
  // The transcoder reads originals and stores outputs through this origin (ADR 0030).
  vars: { TRANSCODER_URL: transcoder.base, PUBLIC_BASE_URL: `http://127.0.0.1:${PORT}` },
});
const seeded = await seedDemo(server.base, token, demoPassword);

log(`
  Kura is running.

    App            ${server.base}/
    Transcoder     ${transcoder.base}/health (proxies, posters and previews; ffmpeg)
    Service status ${server.base}/status
    Status (JSON)  ${server.base}/api/v1/status
    OpenAPI        ${server.base}/api/v1/openapi.json

  Sign in at ${server.base}/login with tenant "${DEMO_TENANT}" (${seeded === "created" ? "just created" : "already present"}):
${DEMO_USERS.map((u) => `    ${u.email.padEnd(26)} ${(u.projectRole ?? u.tenantRole).padEnd(14)} password: ${demoPassword}`).join("\n")}
  (The password is DEMO_PASSWORD in .dev.vars. The same logins work on the API: POST /api/v1/auth/login.)
  Mail the app sends (setup and reset links) is in the outbox: GET /api/v1/operator/outbox.
  Operator API: the token is OPERATOR_TOKEN in .dev.vars, e.g.
    curl -H "Authorization: Bearer $(grep ^OPERATOR_TOKEN= .dev.vars | cut -d= -f2-)" ${server.base}/api/v1/operator/tenants
  Operator console: ${server.base}/operator (its own accounts with 2FA; create the first one at
    ${server.base}/operator/setup with OPERATOR_TOKEN as the bootstrap token, then enrol an authenticator app).

  Press Ctrl+C to stop.
`);

const stop = () => {
  server.stop();
  transcoder.stop();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
server.child.on("exit", (code) => {
  transcoder.stop();
  process.exit(code ?? 0);
});
transcoder.child.on("exit", (code) => log(`the transcoder stopped (${code}); new uploads wait, queued, until it runs again`));
