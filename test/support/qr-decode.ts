import jsQR from "jsqr";

/**
 * Reads a QR code back from the SVG the share screens draw (`viewBox="0 0 size size"` and one path
 * of axis-aligned rectangles): the path is parsed as SVG path data (M, m, H, h, V, v, Z, z), each
 * subpath's box painted black on white at `scale` pixels a module, and the picture handed to jsQR,
 * a decoder that knows nothing of how the code was made. Null when nothing decodes.
 */
export function decodeQrPath(path: string, size: number, scale = 4): string | null {
  const width = size * scale;
  const pixels = new Uint8ClampedArray(width * width * 4).fill(255);
  const paint = (x0: number, y0: number, x1: number, y1: number) => {
    for (let y = Math.min(y0, y1) * scale; y < Math.max(y0, y1) * scale; y++) {
      for (let x = Math.min(x0, x1) * scale; x < Math.max(x0, x1) * scale; x++) {
        const i = (y * width + x) * 4;
        pixels[i] = pixels[i + 1] = pixels[i + 2] = 0;
      }
    }
  };
  const tokens = path.match(/[MmHhVvZz]|-?\d+(?:\.\d+)?/g) ?? [];
  let x = 0;
  let y = 0;
  let box: number[] | null = null;
  const grow = () => {
    box = box ? [Math.min(box[0]!, x), Math.min(box[1]!, y), Math.max(box[2]!, x), Math.max(box[3]!, y)] : [x, y, x, y];
  };
  for (let i = 0; i < tokens.length; i++) {
    const op = tokens[i]!;
    const next = () => Number(tokens[++i]);
    if (op === "M") [x, y] = [next(), next()];
    else if (op === "m") [x, y] = [x + next(), y + next()];
    else if (op === "H") x = next();
    else if (op === "h") x += next();
    else if (op === "V") y = next();
    else if (op === "v") y += next();
    else if (op === "Z" || op === "z") {
      if (box) paint(box[0]!, box[1]!, box[2]!, box[3]!);
      box = null;
      continue;
    } else throw new Error(`unexpected path token ${op}`);
    grow();
  }
  return jsQR(pixels, width, width)?.data ?? null;
}
