/** D1 reports constraint failures only in the message text (also on `cause`). */
export function isUniqueViolation(error: unknown): boolean {
  const text = String((error as { cause?: unknown } | null)?.cause ?? "") + String(error);
  return /UNIQUE constraint failed/i.test(text);
}
