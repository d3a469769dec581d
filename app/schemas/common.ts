import { z } from "zod";
import { ERROR_STATUS } from "./error-codes";

export const ErrorBodySchema = z.object({
  error: z.object({
    code: z.enum(Object.keys(ERROR_STATUS) as [keyof typeof ERROR_STATUS, ...(keyof typeof ERROR_STATUS)[]]),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});

export const LimitSchema = z.coerce.number().int().min(1).max(200).default(50).describe("Page size (default 50, max 200)");

export const CursorSchema = z.string().min(1).max(512).optional().describe("Opaque cursor from nextCursor");

export const PageQuerySchema = z.object({ limit: LimitSchema, cursor: CursorSchema });

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}
