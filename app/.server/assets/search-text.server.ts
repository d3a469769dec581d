/**
 * What `q` searches, and how short terms use the same index (ADR 0010).
 *
 * The FTS5 trigram tokenizer indexes every run of three characters, so a
 * term of one or two characters (渋谷, 夜) cannot be looked up in it and
 * would need a scan of the project. So the search text holds the plain
 * text and, after it, a copy with a boundary mark around every character:
 * "渋谷" → "␟渋␟谷␟". In that copy a two-character term becomes the
 * five-character run "␟渋␟谷␟", and a single character the three-character
 * run "␟夜␟", both ordinary trigram lookups. The copy can only match
 * characters that are adjacent in the plain text, so results are the same
 * as a substring scan's.
 */

/** A private-use code point: NFKC keeps it, and it is taken out of user text and queries. */
export const BOUNDARY = "\uE000";
const BOUNDARIES = /\uE000/g;

/** Terms shorter than this use the boundary-marked copy. */
export const TRIGRAM = 3;

function marked(text: string): string {
  return `${BOUNDARY}${[...text].join(BOUNDARY)}${BOUNDARY}`;
}

/** The stored search text: NFKC, lower case, then the boundary-marked copy. */
export function searchTextFrom(parts: readonly string[]): string {
  const plain = parts.join("\n").normalize("NFKC").toLowerCase().replace(BOUNDARIES, "");
  return `${plain}\n${marked(plain)}`;
}

/** A query's terms: NFKC, lower case, split on white space, at most ten. */
export function searchTerms(q: string): string[] {
  return q.normalize("NFKC").toLowerCase().replace(BOUNDARIES, "").split(/\s+/).filter(Boolean).slice(0, 10);
}

/** The FTS5 phrase for a term: quoted (inner quotes doubled, so no query syntax gets through), short terms boundary-marked. */
export function termPhrase(term: string): string {
  const text = [...term].length < TRIGRAM ? marked(term) : term;
  return `"${text.replace(/"/g, '""')}"`;
}
