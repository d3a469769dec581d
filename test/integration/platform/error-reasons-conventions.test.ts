import { describe, expect, it } from "vitest";
import { apiError, fail } from "~/.server/http/errors.server";
import { reasonsOf } from "~/.server/http/reasons.server";
import { REASON_MESSAGES } from "~/.server/ui/reason-messages.server";
import { toFormError } from "~/.server/ui/forms.server";
import { MESSAGES } from "~/i18n/messages";
import { ERROR_REASONS } from "~/schemas/error-reasons";

/**
 * Errors by code, not by prose (issue #10): no code under app/ chooses what
 * to show by reading an error's English `message`, whether with a RegExp,
 * a string comparison or a table keyed by messages. Errors carry a reason
 * (app/schemas/error-reasons.ts) and the UI maps reasons to message keys.
 */

const sources = import.meta.glob<string>(["../../../app/**/*.{ts,tsx}", "../../../app/.server/**/*.{ts,tsx}"], {
  query: "?raw",
  import: "default",
  eager: true,
});

/** An expression that reads a message: `message`, `e.message`, `body.error?.message`, … */
const MSG = String.raw`[\w$.?!\]\[]*\bmessage\b`;

const RULES: [string, RegExp][] = [
  ["a RegExp tested against a message", new RegExp(String.raw`\.(test|exec)\(\s*${MSG}`)],
  ["a message matched against a RegExp or searched", new RegExp(String.raw`\bmessage\??\.(match|matchAll|search|includes|startsWith|endsWith|indexOf)\(`)],
  ["a message compared with a literal", new RegExp(String.raw`\bmessage\s*[!=]==?\s*["'\`]|["'\`]\s*[!=]==?\s*${MSG}`)],
  ["a table keyed by messages", new RegExp(String.raw`(hasOwn|hasOwnProperty)\([^)]*\bmessage\)|\w\[\s*${MSG}\s*\]`)],
  ["a switch over messages", new RegExp(String.raw`switch\s*\(\s*${MSG}\s*\)`)],
];

/** `typeof x.message === "string"` checks a type, not the text. */
const TYPE_CHECK = /typeof\s+[\w$.?!\][]+\s*[!=]==?\s*["'][a-z]+["']/g;

/**
 * Files that read a message for something other than UI text, each with why.
 * Keep this list short: a new entry needs a reason that no error code exists.
 */
const ALLOWED: Record<string, string> = {
  // Recognises the gate statement's own RAISE(ABORT) text in a D1 error (D1 errors carry no code);
  // it decides whether a batch was refused by the credential gate, never what a page shows.
  "app/.server/auth/credential-gate.server.ts": "D1 errors have no code",
};

/** Lines that break a rule, as "path:line: rule". */
function offences(path: string, text: string): string[] {
  const file = path.replace(/^(\.\.\/)+/, "");
  if (Object.hasOwn(ALLOWED, file)) return [];
  return text.split("\n").flatMap((line, i) => {
    const code = line.replace(TYPE_CHECK, "");
    return RULES.filter(([, re]) => re.test(code)).map(([rule]) => `${file}:${i + 1}: ${rule}`);
  });
}

describe("errors by code, not by prose", () => {
  it("scans the app's sources", () => {
    expect(Object.keys(sources).length).toBeGreaterThan(100);
    expect(Object.keys(sources).some((p) => p.endsWith("/.server/ui/forms.server.ts"))).toBe(true);
  });

  it("the rules catch what they are for", () => {
    const samples = [
      "if (/link is invalid/i.test(message)) return x;",
      "const m = re.exec(body.error?.message ?? '');",
      'if (error.message === "Unknown role.") return y;',
      "if (Object.hasOwn(TABLE, message)) return z;",
      "return TABLE[e.message];",
      "if (message.startsWith('Must be one of')) return w;",
    ];
    for (const s of samples) expect(offences("sample.ts", s), s).not.toEqual([]);
    expect(offences("sample.ts", "const body = { error: { code, message } };")).toEqual([]);
    expect(offences("sample.ts", 'if (typeof body.error?.message === "string") message = body.error.message;')).toEqual([]);
  });

  it("no code under app/ matches an error's message to choose what to show", () => {
    const found = Object.entries(sources).flatMap(([path, text]) => offences(path, text));
    expect(found).toEqual([]);
  });
});

describe("reasons", () => {
  it("are a closed union: a misspelt reason or a missing param does not type-check", () => {
    const typos = () => {
      // @ts-expect-error: not a reason
      fail("conflict", "x", { reason: "last_admn" });
      // @ts-expect-error: ip_lockout needs the IP
      fail("conflict", "x", { reason: "ip_lockout" });
    };
    expect(typeof typos).toBe("function");
  });

  it("each has a message key with a text in ja and en", () => {
    for (const reason of ERROR_REASONS) {
      const key = REASON_MESSAGES[reason];
      expect(MESSAGES.en[key], reason).toBeTruthy();
      expect(MESSAGES.ja[key], reason).toBeTruthy();
    }
  });

  it("travel beside the Response: the body is the contract's, the form shows the reason's text", async () => {
    const res = apiError("conflict", "Whatever the English says.", { reason: "ip_lockout", params: { ip: "192.0.2.7" } });
    expect(await res.clone().json()).toEqual({ error: { code: "conflict", message: "Whatever the English says." } });
    expect(reasonsOf(res).because).toEqual({ reason: "ip_lockout", params: { ip: "192.0.2.7" } });
    expect((await toFormError(res)).message).toEqual({ key: "err.lockout", params: { ip: "192.0.2.7" } });

    const invalid = apiError("validation_failed", "The request body is not valid.", {
      fields: [{ path: "password", message: "Anything.", reason: "password_too_common" }],
    });
    expect(await invalid.clone().json()).toEqual({
      error: { code: "validation_failed", message: "The request body is not valid.", details: [{ path: "password", message: "Anything." }] },
    });
    expect((await toFormError(invalid)).fields).toEqual({ password: { key: "v.password.tooCommon" } });
  });
});
