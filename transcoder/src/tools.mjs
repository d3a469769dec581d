// Running ffmpeg, ffprobe and heif-convert as child processes.
import { spawn } from "node:child_process";

/** A tool that exited non-zero; `stderr` is its last lines (never file bytes: stdout is not kept here). */
export class ToolError extends Error {
  constructor(tool, exitCode, stderr) {
    super(`${tool} exited with ${exitCode}: ${stderr.trim().split("\n").slice(-3).join(" | ")}`);
    this.tool = tool;
    this.exitCode = exitCode;
    this.stderr = stderr;
  }
}

const STDERR_KEPT = 8 * 1024;

/**
 * Runs `tool` to completion. stdout is collected (ffprobe's JSON) unless `onStdout` takes it as it
 * comes (decoded audio for waveform peaks). An abort signal kills the process.
 */
export function runTool(tool, args, { signal, onStdout, cwd } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    const out = [];
    let stderr = "";
    child.stdout.on("data", (chunk) => (onStdout ? onStdout(chunk) : out.push(chunk)));
    child.stderr.on("data", (chunk) => {
      // The signed URLs' tokens never reach a log or a report.
      stderr = (stderr + chunk).replace(/token=[^&\s'"]+/g, "token=…").slice(-STDERR_KEPT);
    });
    const abort = () => child.kill("SIGKILL");
    signal?.addEventListener("abort", abort, { once: true });
    child.on("error", (error) => {
      signal?.removeEventListener("abort", abort);
      reject(error);
    });
    child.on("close", (code, killed) => {
      signal?.removeEventListener("abort", abort);
      if (code === 0) resolve({ stdout: Buffer.concat(out).toString("utf8"), stderr });
      else reject(new ToolError(tool, code ?? killed, stderr));
    });
  });
}
