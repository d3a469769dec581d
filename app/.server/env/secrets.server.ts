import { decodeBase64 } from "@oslojs/encoding";
import type { KuraEnv } from "./env";
import { onePer } from "../memo.server";
import type { Logger } from "../http/logger.server";
import { transcoderTargetProblem } from "../media/transcoder-client.server";

/**
 * The secrets, checked once per isolate. A secret that is missing, still the
 * placeholder from `.dev.vars.example`, or malformed is *not used*: the
 * operator API refuses every call, two-factor enrolment answers 503, and the
 * status page's `configuration` component is not operational. (Started with
 * the example file copied as it is, Kura used to accept the example's
 * operator token and answer 500 at the first 2FA enrolment.)
 */
export type SecretName =
  "OPERATOR_TOKEN" | "DATA_ENCRYPTION_KEY" | "CERTIFICATE_SIGNING_KEY" | "MAIL_API_KEY" | "PUBLIC_BASE_URL" | "TRANSCODER_URL" | "TRANSCODER_SIGNING_KEY";
export type SecretProblem = { name: SecretName; problem: "missing" | "placeholder" | "malformed" | "weak" };
export type Secrets = {
  /** The operator API's bearer token, or null when it must not be accepted. */
  operatorToken: string | null;
  /** base64 of the 32-byte AES key for secrets at rest, or null. */
  dataEncryptionKey: string | null;
  problems: SecretProblem[];
};

export const MIN_OPERATOR_TOKEN_LENGTH = 32;

/** Words that only a template value contains; random secrets never do. */
const PLACEHOLDER_MARKERS = ["change-me", "changeme", "change_me", "replace-me", "replaceme", "placeholder", "example", "your-", "your_", "<", ">"];

function isPlaceholder(value: string): boolean {
  const lower = value.toLowerCase();
  return PLACEHOLDER_MARKERS.some((m) => lower.includes(m));
}

function checkOperatorToken(value: string | undefined): SecretProblem["problem"] | null {
  if (!value) return "missing";
  if (isPlaceholder(value)) return "placeholder";
  if (value.length < MIN_OPERATOR_TOKEN_LENGTH) return "weak";
  // A long run of few characters ("aaaa…", "0101…") is not a random token.
  if (new Set(value).size < 12) return "weak";
  return null;
}

function checkDataKey(value: string | undefined): SecretProblem["problem"] | null {
  if (!value) return "missing";
  if (isPlaceholder(value)) return "placeholder";
  let raw: Uint8Array;
  try {
    raw = decodeBase64(value.trim());
  } catch {
    return "malformed";
  }
  if (raw.length !== 32) return "malformed";
  if (new Set(raw).size < 8) return "weak";
  return null;
}

function parseSecrets(env: KuraEnv): Secrets {
  const problems: SecretProblem[] = [];
  const operator = checkOperatorToken(env.OPERATOR_TOKEN);
  if (operator) problems.push({ name: "OPERATOR_TOKEN", problem: operator });
  const dataKey = checkDataKey(env.DATA_ENCRYPTION_KEY);
  if (dataKey) problems.push({ name: "DATA_ENCRYPTION_KEY", problem: dataKey });
  // Without it a purge still runs; only its deletion certificate cannot be signed (answered 503).
  const signing = checkDataKey(env.CERTIFICATE_SIGNING_KEY);
  if (signing) problems.push({ name: "CERTIFICATE_SIGNING_KEY", problem: signing });
  if (env.MAIL_PROVIDER === "resend") {
    const mail = !env.MAIL_API_KEY ? "missing" : isPlaceholder(env.MAIL_API_KEY) ? "placeholder" : null;
    if (mail) problems.push({ name: "MAIL_API_KEY", problem: mail });
  }
  // Not a secret, but just as fatal: without it no e-mailed link can be built outside loopback development.
  if (env.KURA_ENV === "production" && !env.PUBLIC_BASE_URL) problems.push({ name: "PUBLIC_BASE_URL", problem: "missing" });
  // Without a transcoder no proxy, poster or preview is ever made (ADR 0030); where one is configured, its job URLs must be signable.
  if (env.KURA_ENV === "production" && !env.TRANSCODER_URL) problems.push({ name: "TRANSCODER_URL", problem: "missing" });
  if (env.TRANSCODER_URL) {
    const target = transcoderTargetProblem(env);
    if (target) problems.push({ name: "TRANSCODER_URL", problem: target });
    const transcoder = checkDataKey(env.TRANSCODER_SIGNING_KEY);
    if (transcoder) problems.push({ name: "TRANSCODER_SIGNING_KEY", problem: transcoder });
  }
  return {
    operatorToken: operator ? null : env.OPERATOR_TOKEN!,
    dataEncryptionKey: dataKey ? null : env.DATA_ENCRYPTION_KEY!.trim(),
    problems,
  };
}

export const readSecrets: (env: KuraEnv) => Secrets = onePer(parseSecrets);

/** Logs the problems (names and kinds, never values) once per isolate. */
export const logSecretProblemsOnce: (env: KuraEnv, logger: Logger) => void = (() => {
  const logged = new WeakSet<KuraEnv>();
  return (env, logger) => {
    if (logged.has(env)) return;
    logged.add(env);
    const { problems } = readSecrets(env);
    if (problems.length > 0) logger.error("configuration_problem", { problems: problems.map((p) => `${p.name}: ${p.problem}`).join(", ") });
  };
})();
