import type { MessageKey } from "~/i18n/messages";
import type { ErrorCode } from "~/schemas/error-codes";

export type Params = Record<string, string | number>;

/** A message the browser translates: a message key, or raw text (already safe to show). */
export type UiText = { key: MessageKey; params?: Params } | { text: string };

export type FormError = {
  code: ErrorCode | "unknown";
  message: UiText;
  /** field path → message */
  fields: Record<string, UiText>;
};

export type FormFailure = { ok: false; form: string; error: FormError; values: Record<string, string> };
export type FormSuccess = { ok: true; form: string; notice?: UiText };
