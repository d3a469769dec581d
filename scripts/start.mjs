#!/usr/bin/env node
// `npm start`: build, migrate, serve on 127.0.0.1:8787 with a seeded demo.
import { build, DEMO_TENANT, DEMO_USERS, ensureDemoPassword, ensureDevVars, log, migrate, seedDemo, startWrangler } from "./lib.mjs";

const PORT = Number(process.env.PORT ?? 8787);
const token = ensureDevVars();
const demoPassword = ensureDemoPassword();
build();
migrate();
log(`starting wrangler dev on http://127.0.0.1:${PORT}`);
const server = await startWrangler({ port: PORT });
const seeded = await seedDemo(server.base, token, demoPassword);

log(`
  Kura is running.

    App            ${server.base}/
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
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
server.child.on("exit", (code) => process.exit(code ?? 0));
