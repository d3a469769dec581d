/**
 * Structured JSON logs, one object per line (Workers Logs indexes them).
 * Values under keys that look like credentials are replaced before printing:
 * passwords, tokens, TOTP secrets and cookies never reach a log line.
 */
const SECRET_KEY = /pass(word)?|token|secret|otp|authorization|cookie|recovery|api[-_]?key|signature/i;

export type LogFields = Record<string, unknown>;
export type Logger = {
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
};

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return "[depth]";
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = SECRET_KEY.test(k) ? "[redacted]" : redact(v, depth + 1);
    }
    return out;
  }
  return value;
}

export function createLogger(base: LogFields, sink: (line: string) => void = console.log): Logger {
  const write = (level: string, msg: string, fields?: LogFields) =>
    sink(
      JSON.stringify({
        level,
        time: new Date().toISOString(),
        msg,
        ...(redact(base) as LogFields),
        ...(fields ? (redact(fields) as LogFields) : {}),
      }),
    );
  return {
    info: (msg, fields) => write("info", msg, fields),
    warn: (msg, fields) => write("warn", msg, fields),
    error: (msg, fields) => write("error", msg, fields),
  };
}
