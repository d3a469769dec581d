/** The parts of smpte-timecode 1.3 that Kura uses (the package ships no types). */
declare module "smpte-timecode" {
  interface Timecode {
    frameCount: number;
    hours: number;
    minutes: number;
    seconds: number;
    frames: number;
    dropFrame: boolean;
    toString(): string;
  }
  function Timecode(timeCode: number | string, frameRate: [number, number], dropFrame: boolean): Timecode;
  export default Timecode;
}
