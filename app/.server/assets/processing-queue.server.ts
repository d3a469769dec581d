import type { KuraEnv } from "../env/env";
import type { Logger } from "../http/logger.server";

/**
 * Hand-off of asset processing (ADR 0009). With the ASSET_PROCESSING queue
 * bound (production, `wrangler dev`, tests) a message goes to the queue
 * consumer in workers/index.ts, which may run for minutes and is retried;
 * without it the work runs after the response via waitUntil.
 */
export type ProcessingMessage = { tenantId: string; assetId: string };

export async function enqueueProcessing(
  ctx: { env: KuraEnv; waitUntil: (p: Promise<unknown>) => void; logger: Logger },
  message: ProcessingMessage,
): Promise<void> {
  const queue = ctx.env.ASSET_PROCESSING;
  if (queue) {
    // A failed send is not the uploader's problem: the scheduled sweep re-queues assets left in `processing`.
    await queue.send(message).catch((error: unknown) => ctx.logger.error("processing_enqueue_failed", { ...message, error: String(error) }));
    return;
  }
  ctx.waitUntil(
    (async () => {
      const [{ dispatchTranscode }, { processAsset }] = await Promise.all([import("../media/jobs.server"), import("./processing.server")]);
      await Promise.allSettled([dispatchTranscode(ctx, message), processAsset(ctx.env, message, ctx.logger)]);
    })(),
  );
}
