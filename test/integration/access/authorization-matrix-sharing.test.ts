/** The authorization matrix, part 4: every share and share-guest API operation and share form button × every principal (rows in test/support/matrix.ts). */
import { describe } from "vitest";
import { isSharingRow, matrixTests, ROWS } from "../../support/matrix";

describe("authorization matrix: Sharing", () => {
  matrixTests(ROWS.filter(isSharingRow), "mxs");
});
