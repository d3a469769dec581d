// One job: read the original, find what it is, make its outputs in one decode, check them, upload
// them and report. Every failure ends in a report with a code Kura translates for its users.
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { PeakCollector } from "./peaks.mjs";
import { probe, stillOrientation } from "./probe.mjs";
import { audioCommand, isHeif, PROFILE_VERSION, sourceFrames, stillCommand, videoCommand } from "./profiles.mjs";
import { runTool, ToolError } from "./tools.mjs";
import { downloadSource, readHead, report, TransferError, uploadOutput } from "./transfer.mjs";
import { startRelay } from "./relay.mjs";

/** A failure with the code Kura shows; `retryable` when trying again later may succeed. */
export class JobFailure extends Error {
  constructor(code, detail, retryable = false) {
    super(detail);
    this.code = code;
    this.retryable = retryable;
  }
}

const CONTENT_TYPES = {
  proxy: "video/mp4",
  poster: "image/jpeg",
  thumbnail: "image/jpeg",
  filmstrip: "image/jpeg",
  waveform: "application/json",
  preview: "image/jpeg",
};

async function tool(code, name, args, options) {
  try {
    return await runTool(name, args, options);
  } catch (error) {
    if (options?.signal?.aborted) throw error;
    if (error instanceof ToolError) throw new JobFailure(code, `${name} could not read the file (${error.message.slice(0, 300)})`);
    throw new JobFailure("transcoder_error", `${name} could not be started: ${String(error)}`, true);
  }
}

/** Probes an output before it is sent: the proxy must be H.264 at the source's rate with as many frames. */
async function checkProxy(file, summary, signal) {
  const proxy = await probe(file, { signal });
  const expected = summary.video;
  const frames = sourceFrames(summary);
  const sameRate = proxy.video?.rate?.num === expected.rate.num && proxy.video?.rate?.den === expected.rate.den;
  if (proxy.video?.codec !== "h264" || !sameRate) {
    throw new JobFailure(
      "proxy_check_failed",
      `the proxy is ${proxy.video?.codec} at ${JSON.stringify(proxy.video?.rate)}, expected h264 at ${expected.rate.num}/${expected.rate.den}`,
    );
  }
  // A variable-rate source gains or loses frames on its way to a constant rate; a constant one must not.
  if (expected.constantRate && frames !== null && proxy.video.frames !== frames) {
    throw new JobFailure("proxy_check_failed", `the proxy has ${proxy.video.frames} frames, the source ${frames}`);
  }
  return { width: proxy.video.width, height: proxy.video.height, frames: proxy.video.frames, rate: proxy.video.rate, hasAudio: proxy.audio !== null };
}

async function imageSize(file, signal) {
  const s = await probe(file, { signal });
  return { width: s.video?.width ?? null, height: s.video?.height ?? null };
}

/**
 * Makes the outputs in `dir`; returns their files and what the player needs to know of each.
 * ffmpeg reads the original through the loopback relay (relay.mjs) while it decodes, so reading
 * and transcoding overlap; only a HEIF still is copied to disk first, for heif-convert.
 */
async function makeOutputs(job, dir, signal, lap = () => {}) {
  const head = await readHead(job.source.url, job.source.size, 64, { signal });
  const relay = await startRelay(job.source.url, job.source.size, { signal });
  try {
    return await makeOutputsFrom(relay.url, job, head, dir, signal, lap);
  } finally {
    await relay.close();
  }
}

async function makeOutputsFrom(source, job, head, dir, signal, lap) {
  let input = source;
  let summary;
  if (isHeif(head)) {
    // Debian's ffmpeg cannot read HEIF; libheif decodes it with its rotation and mirroring applied.
    const local = path.join(dir, "source");
    await downloadSource(job.source.url, local, job.source.size, { signal });
    input = path.join(dir, "upright.png");
    await tool("decode_failed", "heif-convert", [local, input], { signal });
    summary = { ...(await probe(input, { signal })), formatName: "heif", kind: "image" };
  } else {
    try {
      summary = await probe(source, { signal });
    } catch (error) {
      if (signal?.aborted) throw error;
      if (error instanceof ToolError && /HTTP error|Server returned/i.test(error.stderr))
        throw new JobFailure("transfer_failed", "the original could not be read", true);
      throw new JobFailure("unrecognized_format", "ffprobe does not recognise this file as audio, video or an image");
    }
  }
  lap("probeMs");
  const files = Object.fromEntries(
    Object.keys(CONTENT_TYPES).map((name) => [name, path.join(dir, `${name}.${name === "waveform" ? "json" : name === "proxy" ? "mp4" : "jpg"}`)]),
  );
  if (summary.kind === "video") {
    if (!summary.video.rate) throw new JobFailure("unsupported_format", "the video's frame rate cannot be read");
    const command = videoCommand(summary, input, files);
    await tool("decode_failed", "ffmpeg", command.args, { signal });
    lap("ffmpegMs");
    const proxy = await checkProxy(files.proxy, summary, signal);
    const strip = await imageSize(files.filmstrip, signal);
    return {
      summary,
      outputs: {
        proxy: { file: files.proxy, meta: proxy },
        poster: { file: files.poster, meta: { frame: command.posterFrame, ...(await imageSize(files.poster, signal)) } },
        thumbnail: { file: files.thumbnail, meta: await imageSize(files.thumbnail, signal) },
        filmstrip: {
          file: files.filmstrip,
          meta: { ...command.filmstrip, tileWidth: strip.width / command.filmstrip.columns, tileHeight: strip.height / command.filmstrip.rows },
        },
      },
    };
  }
  if (summary.kind === "audio") {
    const command = audioCommand(summary, input, files);
    const peaks = new PeakCollector(command.peaks);
    await tool("decode_failed", "ffmpeg", command.args, { signal, onStdout: (chunk) => peaks.push(chunk) });
    await writeFile(files.waveform, JSON.stringify(peaks.result()));
    const proxy = await probe(files.proxy, { signal });
    return {
      summary,
      outputs: {
        proxy: { file: files.proxy, contentType: "audio/mp4", meta: { codec: proxy.audio?.codec ?? null, durationSeconds: proxy.durationSeconds } },
        waveform: {
          file: files.waveform,
          meta: { length: peaks.data.length / 2, samplesPerPeak: command.peaks.samplesPerPeak, sampleRate: command.peaks.sampleRate },
        },
      },
    };
  }
  if (summary.kind === "image") {
    const orientation = input === source ? await stillOrientation(source, { signal }) : 1;
    await tool("decode_failed", "ffmpeg", stillCommand(input, files, { orientation }).args, { signal });
    return {
      summary: { ...summary, orientation },
      outputs: {
        preview: { file: files.preview, meta: await imageSize(files.preview, signal) },
        thumbnail: { file: files.thumbnail, meta: await imageSize(files.thumbnail, signal) },
      },
    };
  }
  throw new JobFailure("no_media_streams", "the file has no audio, video or picture in it");
}

/** What Kura may learn of the source (technical metadata it could not read itself); never file bytes. */
function technicalOf(summary) {
  const v = summary.video;
  const a = summary.audio;
  return {
    kind: summary.kind,
    container: summary.formatName,
    durationSeconds: summary.kind === "image" ? null : summary.durationSeconds,
    bitRate: summary.bitRate,
    width: v?.width ?? null,
    height: v?.height ?? null,
    videoCodec: summary.kind === "video" ? v.codec : null,
    frameRate: summary.kind === "video" && v.rate ? v.rate : null,
    frames: summary.kind === "video" ? sourceFrames(summary) : null,
    startTimecode: summary.kind === "video" ? v.timecode : null,
    audioCodec: a?.codec ?? null,
    audioChannels: a?.channels ?? null,
    audioSampleRate: a?.sampleRate ?? null,
  };
}

/**
 * Runs `job` to its end. `heartbeatMs` apart, Kura hears that it is still working; a 409 from the
 * callback (a newer attempt took over, or the asset is gone) stops the work at once.
 */
export async function runJob(job, { workDir, heartbeatMs = 10_000, log = () => {} }) {
  const controller = new AbortController();
  const { signal } = controller;
  const dir = await mkdtemp(path.join(workDir, "job-"));
  let stage = "reading";
  const timings = {};
  let mark = performance.now();
  const lap = (name) => {
    const now = performance.now();
    timings[name] = Math.round(now - mark);
    mark = now;
  };
  const beat = async () => {
    const current = await report(job.callback, { event: "working", stage }, { signal }).catch(() => true);
    if (!current) controller.abort();
  };
  const timer = setInterval(() => void beat(), heartbeatMs);
  try {
    if (!(await report(job.callback, { event: "working", stage }, { signal }))) return "superseded";
    stage = "transcoding";
    const made = await makeOutputs(job, dir, signal, lap);
    lap("checkMs");
    stage = "storing";
    const outputs = {};
    for (const [name, output] of Object.entries(made.outputs)) {
      const url = job.outputs[name];
      if (!url) continue;
      const contentType = output.contentType ?? CONTENT_TYPES[name];
      const size = await uploadOutput(url, output.file, contentType, { signal });
      const local = (await stat(output.file)).size;
      if (size !== local) throw new TransferError(`Kura stored ${size} bytes of ${name}, not ${local}`);
      outputs[name] = { size, contentType, ...output.meta };
    }
    lap("storeMs");
    await report(job.callback, { event: "ready", profile: PROFILE_VERSION, technical: technicalOf(made.summary), outputs }, { signal });
    lap("reportMs");
    log("job_timings", { jobId: job.jobId, attempt: job.attempt, ...timings });
    return "ready";
  } catch (error) {
    if (signal.aborted) return "superseded";
    const failure =
      error instanceof JobFailure
        ? error
        : error instanceof TransferError
          ? new JobFailure("transfer_failed", error.message, true)
          : new JobFailure("transcoder_error", String(error?.message ?? error), true);
    log("job_failed", { jobId: job.jobId, attempt: job.attempt, code: failure.code, detail: failure.message });
    await report(job.callback, { event: "failed", code: failure.code, detail: failure.message.slice(0, 500), retryable: failure.retryable }).catch((e) =>
      log("report_failed", { jobId: job.jobId, error: String(e) }),
    );
    return "failed";
  } finally {
    clearInterval(timer);
    await rm(dir, { recursive: true, force: true });
  }
}
