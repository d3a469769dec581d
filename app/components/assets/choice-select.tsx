import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";

/**
 * A select over a fixed list (asset kinds, colour labels) with a first
 * choice for "any"/"none"; each option is labelled by its message key.
 */
export function ChoiceSelect({
  id,
  name,
  defaultValue,
  first,
  choices,
  keyPrefix,
}: {
  id: string;
  name: string;
  defaultValue: string;
  first: { value: string; key: MessageKey };
  choices: readonly string[];
  /** e.g. "browse.color" for "browse.color.red". */
  keyPrefix: string;
}) {
  const t = useT();
  return (
    <select id={id} name={name} defaultValue={defaultValue} key={defaultValue}>
      <option value={first.value}>{t(first.key)}</option>
      {choices.map((c) => (
        <option key={c} value={c}>
          {t(`${keyPrefix}.${c}` as MessageKey)}
        </option>
      ))}
    </select>
  );
}
