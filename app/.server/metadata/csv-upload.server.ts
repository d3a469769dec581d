import { fail } from "../http/errors.server";
import { readBodyWithin } from "../http/validation.server";
import { refuseLargeFile } from "./csv-import.server";
import { METADATA_CSV_LIMITS } from "~/schemas/metadata-csv";

/**
 * The file of an import request (POST …/assets/metadata-import): the body itself (`text/csv`,
 * `text/plain` or `application/octet-stream`), or the `file` field of a `multipart/form-data`
 * body, as a browser form or `curl -F file=@…` sends it. Either way the body is read under a
 * ceiling while it streams, so an oversized upload is a 413 and never held whole.
 */

/** Room for a multipart body's boundaries, part headers and small fields beside the file. */
const MULTIPART_OVERHEAD = 64 * 1024;

export async function csvOfRequest(request: Request): Promise<Uint8Array> {
  const type = request.headers.get("Content-Type") ?? "";
  if (/^multipart\/form-data\s*(;|$)/i.test(type)) {
    const body = await readBodyWithin(request, METADATA_CSV_LIMITS.maxBytes + MULTIPART_OVERHEAD);
    let form: FormData;
    try {
      form = await new Response(body, { headers: { "Content-Type": type } }).formData();
    } catch {
      fail("bad_request", "The multipart body could not be read.");
    }
    const file = form.get("file");
    if (file === null || typeof file === "string") fail("bad_request", "The form has no file in its `file` field.", { reason: "required" });
    refuseLargeFile(file.size);
    return new Uint8Array(await file.arrayBuffer());
  }
  if (!/^(text\/csv|text\/plain|application\/octet-stream)\s*(;|$)/i.test(type)) {
    fail("bad_request", "Send the CSV as the body (Content-Type: text/csv) or as the `file` field of a multipart/form-data body.");
  }
  return readBodyWithin(request, METADATA_CSV_LIMITS.maxBytes);
}
