/** The authorization matrix, part 4: every share and share-guest API operation × every principal (rows in test/support/matrix.ts). */
import { describe } from "vitest";
import { isSharingApiRow, matrixTests, ROWS } from "../../support/matrix";

describe("authorization matrix: Sharing API", () => {
  matrixTests(ROWS.filter(isSharingApiRow), "mxs");
});
