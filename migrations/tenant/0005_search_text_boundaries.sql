-- The search text gains a copy with a boundary mark (U+E000) around every character, so that
-- one- and two-character terms use the trigram index too (app/.server/assets/search-text.server.ts,
-- ADR 0010). New rows get it from searchTextOf. This gives it to rows written before, and the
-- assets_fts_au trigger re-indexes each of them.
UPDATE `assets` SET `search_text` = `search_text` || char(10) || (
  WITH RECURSIVE `marked`(`i`, `text`) AS (
    SELECT 0, char(57344)
    UNION ALL
    SELECT `i` + 1, `text` || substr(`assets`.`search_text`, `i` + 1, 1) || char(57344)
    FROM `marked` WHERE `i` < length(`assets`.`search_text`)
  )
  SELECT `text` FROM `marked` ORDER BY `i` DESC LIMIT 1
)
WHERE instr(`search_text`, char(57344)) = 0;
