/**
 * Resumable positions (a pull's cursor, an import's line) in a small JSON file, written by
 * rename so a crash mid-write keeps the previous position. The server may pass its own
 * database-backed StateStore instead; nothing here assumes a single process beyond the file.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { StateStore } from './types';

export class FileStateStore implements StateStore {
  private cache: Record<string, string> | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly path: string) {}

  private async load(): Promise<Record<string, string>> {
    if (this.cache) return this.cache;
    try {
      this.cache = JSON.parse(await readFile(this.path, 'utf8')) as Record<string, string>;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      this.cache = {};
    }
    return this.cache;
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.load())[key];
  }

  async set(key: string, value: string): Promise<void> {
    const data = await this.load();
    data[key] = value;
    const body = JSON.stringify(data, null, 2);
    // Serialised: two pulls finishing together never interleave their writes.
    this.writing = this.writing.then(async () => {
      await mkdir(dirname(this.path), { recursive: true });
      const tmp = `${this.path}.${process.pid}.tmp`;
      await writeFile(tmp, body);
      await rename(tmp, this.path);
    });
    await this.writing;
  }
}

export class MemoryStateStore implements StateStore {
  readonly data = new Map<string, string>();
  async get(key: string) { return this.data.get(key); }
  async set(key: string, value: string) { this.data.set(key, value); }
}
