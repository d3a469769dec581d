// Waveform peaks from decoded mono 16-bit samples, in the shape of BBC audiowaveform's JSON
// (version 2, 8 bits): min/max pairs, each of `samplesPerPeak` samples at `sampleRate`.

export class PeakCollector {
  constructor({ sampleRate, samplesPerPeak }) {
    this.sampleRate = sampleRate;
    this.samplesPerPeak = samplesPerPeak;
    this.data = [];
    this.min = 0;
    this.max = 0;
    this.count = 0;
    this.carry = null;
  }

  /** Takes stdout chunks as they come; a sample may be split across two chunks. */
  push(chunk) {
    let bytes = chunk;
    if (this.carry) {
      bytes = Buffer.concat([this.carry, chunk]);
      this.carry = null;
    }
    const whole = bytes.length - (bytes.length % 2);
    for (let i = 0; i < whole; i += 2) {
      const s = bytes.readInt16LE(i);
      if (this.count === 0 || s < this.min) this.min = s;
      if (this.count === 0 || s > this.max) this.max = s;
      if (++this.count === this.samplesPerPeak) this.flush();
    }
    if (whole < bytes.length) this.carry = bytes.subarray(whole);
  }

  flush() {
    if (this.count === 0) return;
    // 16-bit to 8-bit, rounding towards zero so silence stays 0.
    this.data.push(Math.trunc(this.min / 256), Math.trunc(this.max / 256));
    this.count = 0;
  }

  result() {
    this.flush();
    return {
      version: 2,
      channels: 1,
      sample_rate: this.sampleRate,
      samples_per_pixel: this.samplesPerPeak,
      bits: 8,
      length: this.data.length / 2,
      data: this.data,
    };
  }
}
