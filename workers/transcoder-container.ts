import { Container } from "@cloudflare/containers";
import type { KuraEnv } from "../app/.server/env/env";

/**
 * The transcoder (transcoder/, ADR 0030) as a Cloudflare Container: a container-enabled Durable
 * Object running transcoder/Dockerfile. The Worker talks to it with the same HTTP contract as to a
 * transcoder at a URL (app/.server/media/transcoder-client.server.ts); only the way there differs.
 * Used where TRANSCODER_URL is "container"; `wrangler dev` and the tests never start it
 * (`dev.enable_containers = false`), so machines without Docker run the local process instead.
 */
export class TranscoderContainer extends Container<KuraEnv> {
  override defaultPort = 8080;
  // Idle instances stop; the next job starts one again (a cold start of a few seconds).
  override sleepAfter = "10m";
  // The container reads the original and writes its outputs through Kura's signed URLs on the
  // public origin, so it needs outbound access.
  override enableInternet = true;

  constructor(ctx: ConstructorParameters<typeof Container<KuraEnv>>[0], env: KuraEnv) {
    super(ctx, env);
    this.envVars = { TRANSCODER_TOKEN: env.TRANSCODER_TOKEN ?? "", MAX_JOBS: "1" };
  }

  /**
   * A job runs for minutes without a request reaching this object, so "no activity" is not "idle":
   * the container stops only when its own /health says nothing runs or waits.
   */
  override async onActivityExpired(): Promise<void> {
    if (!this.ctx.container?.running) return;
    const busy = await this.containerFetch("http://transcoder/health")
      .then((response) => response.json<{ running?: number; waiting?: number }>())
      .then((health) => (health.running ?? 0) + (health.waiting ?? 0) > 0)
      .catch(() => false);
    if (!busy) await this.stop();
  }
}
