// Shared by the cache and sync tests: a fresh database, lead builders and a write counter.
import type { LeadSummary } from '../../utils/api/contract';
import { openDb, type LeadLensDb } from '../../utils/db/schema';

let counter = 0;
export function freshDb(): { db: LeadLensDb; writes: () => number } {
  const db = openDb(`leadlens-test-${++counter}`);
  let writes = 0;
  // Counts every IndexedDB mutation (put, add, delete, deleteRange) Dexie sends down.
  db.use({
    stack: 'dbcore',
    name: 'write-counter',
    create: (down) => ({
      ...down,
      table: (name) => {
        const table = down.table(name);
        return { ...table, mutate: (req) => { writes++; return table.mutate(req); } };
      },
    }),
  });
  return { db, writes: () => writes };
}

export const NOW = Date.parse('2026-11-24T01:00:00.000Z'); // Tuesday 10:00 in Tokyo
export const MIN = 60_000;
export const iso = (ms: number) => new Date(ms).toISOString();

export function lead(id: string, extra: Partial<LeadSummary> = {}): LeadSummary {
  return {
    id, name: `Lead ${id}`, score: 50, scoreChange24h: 0, band: 'warm', stage: 'lead',
    owner: { id: 'u-sato', name: '佐藤 健' },
    crmRefs: [{ crm: 'salesforce', objectType: 'Lead', recordId: `00Q${id.padStart(15, '0')}` }],
    updatedAt: iso(NOW), ...extra,
  };
}
