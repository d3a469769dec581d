/** The authorization matrix, part 3: every button of every UI form × every principal (rows in test/support/matrix.ts). */
import { describe } from "vitest";
import { isUiRow, matrixTests, ROWS } from "../../support/matrix";

describe("authorization matrix: UI forms", () => {
  matrixTests(ROWS.filter(isUiRow), "mxu");
});
