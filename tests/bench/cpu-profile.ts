import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

/**
 * BENCH_STAGES_PROFILE=<dir>: a CPU profile of this process from now until `stop`, written as
 * <dir>/<name>.cpuprofile (open it in Chrome's DevTools). Without the variable, nothing happens.
 */
export async function startCpuProfile(): Promise<{ stop(name: string): Promise<void> }> {
  const dir = process.env.BENCH_STAGES_PROFILE;
  if (!dir) return { stop: async () => undefined };
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop(name) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
      session.disconnect();
    },
  };
}
