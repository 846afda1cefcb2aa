// Draws the LeadLens icon (a lens over a rising bar) at the sizes the manifest uses and writes
// public/icon/<size>.png (npx tsx tests/tools/make-icons.ts). Pure pixels + zlib, so no image toolchain is needed; run once and commit.
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

function png(size: number, pixel: (x: number, y: number) => [number, number, number, number]): Buffer {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel(x, y);
      raw.set([r, g, b, a], y * (size * 4 + 1) + 1 + x * 4);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0)),
  ]);
}

function icon(size: number): Buffer {
  const s = 4; // supersampling for smooth edges
  return png(size, (px, py) => {
    let r = 0, g = 0, b = 0, a = 0;
    for (let sy = 0; sy < s; sy++) {
      for (let sx = 0; sx < s; sx++) {
        const x = (px + (sx + 0.5) / s) / size, y = (py + (sy + 0.5) / s) / size;
        const corner = 0.22;
        const dx = Math.max(corner - x, x - (1 - corner), 0), dy = Math.max(corner - y, y - (1 - corner), 0);
        if (dx * dx + dy * dy > corner * corner) continue;
        let color: [number, number, number] = [0xd9, 0x48, 0x2b]; // warm red: "hot"
        const lens = Math.hypot(x - 0.44, y - 0.44);
        const onHandle = x > 0.58 && y > 0.58 && Math.abs((x - 0.58) - (y - 0.58)) < 0.07 && x < 0.84;
        if ((lens > 0.19 && lens < 0.27) || onHandle) color = [255, 255, 255];
        else if (lens <= 0.19) color = x > 0.36 && x < 0.5 && y > 0.44 - (x - 0.36) * 1.2 ? [255, 214, 102] : [0xf2, 0x8c, 0x6b];
        r += color[0]; g += color[1]; b += color[2]; a += 255;
      }
    }
    const n = s * s;
    return a === 0 ? [0, 0, 0, 0] : [Math.round(r / (a / 255)), Math.round(g / (a / 255)), Math.round(b / (a / 255)), Math.round(a / n)];
  });
}

mkdirSync('public/icon', { recursive: true });
for (const size of [16, 32, 48, 128]) writeFileSync(`public/icon/${size}.png`, icon(size));
console.log('wrote public/icon/{16,32,48,128}.png');
