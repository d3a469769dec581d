import { describe, expect, it } from "vitest";
import { auditActionLabel, capabilityLabel } from "~/i18n/labels";
import { LOCALES } from "~/i18n/locale";
import { MESSAGE_AREAS, MESSAGES } from "~/i18n/messages";
import { AUDIT_ACTIONS } from "~/policy/audit-actions";
import { CAPABILITIES } from "~/policy/capabilities";

/** Messages live in one module per area (app/i18n/messages/*.ts); these are the promises the index makes. */
describe("messages by area", () => {
  it("every area has the same keys in Japanese and English, none empty", () => {
    for (const [area, { en, ja }] of Object.entries(MESSAGE_AREAS)) {
      expect(Object.keys(ja).sort(), area).toEqual(Object.keys(en).sort());
      for (const [key, text] of [...Object.entries(en), ...Object.entries(ja)]) expect(text.trim(), `${area}: ${key}`).not.toBe("");
    }
  });

  it("no key is defined by two areas (a later spread would silently win)", () => {
    const seen = new Map<string, string>();
    for (const [area, { en }] of Object.entries(MESSAGE_AREAS)) {
      for (const key of Object.keys(en)) {
        expect(seen.get(key), `${key} in ${area} and ${seen.get(key)}`).toBeUndefined();
        seen.set(key, area);
      }
    }
    expect(seen.size).toBe(Object.keys(MESSAGES.en).length);
    expect(Object.keys(MESSAGES.ja).sort()).toEqual(Object.keys(MESSAGES.en).sort());
  });

  it("placeholders are the same in both languages", () => {
    const names = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(MESSAGES.en) as (keyof typeof MESSAGES.en)[]) {
      expect(names(MESSAGES.ja[key]), key).toEqual(names(MESSAGES.en[key]));
    }
  });

  it("every capability and every audit action has a label in both languages", () => {
    for (const locale of LOCALES) {
      for (const capability of CAPABILITIES) expect(capabilityLabel(capability, locale), `${locale} ${capability}`).not.toBe("");
      for (const action of AUDIT_ACTIONS) expect(auditActionLabel(action, locale), `${locale} ${action}`).not.toBe(action);
    }
    expect(capabilityLabel("asset.view", "ja")).toBe("アセットとメタデータの閲覧");
    expect(auditActionLabel("auth.login", "en")).toBe("Signed in");
    // An action Kura does not know is shown by its key.
    expect(auditActionLabel("something.new", "ja")).toBe("something.new");
  });
});
