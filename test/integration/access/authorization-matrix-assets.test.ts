/** The authorization matrix, part 2: every Assets API operation × every principal (rows in test/support/matrix.ts). */
import { describe } from "vitest";
import { isAssetApiRow, matrixTests, ROWS } from "../../support/matrix";

describe("authorization matrix: Assets API", () => {
  matrixTests(ROWS.filter(isAssetApiRow), "mxa");
});
