/**
 * Re-scores a whole organisation (or one team) in pages, one transaction per page, so decay
 * reaches the feed on a schedule and a rule change reaches every lead. Pages keep the embedded
 * engine's single connection free between them for requests.
 */
import type { Deps } from './context';
import { rescoreLeads } from './rescore';
import { loadRuleBook } from './rules-store';

const PAGE = 500;

/** Returns how many leads moved in the feed. `team` '' = every team. */
export async function rescoreAll(deps: Deps, orgId: string, team = ''): Promise<number> {
  let after = '';
  let moved = 0;
  const book = await loadRuleBook(deps.db, orgId);
  for (;;) {
    let q = deps.db.selectFrom('leads').select('id').where('org_id', '=', orgId).where('id', '>', after).orderBy('id').limit(PAGE);
    if (team !== '') q = q.where('team', '=', team);
    const ids = (await q.execute()).map((r) => r.id);
    if (ids.length === 0) return moved;
    after = ids[ids.length - 1] ?? after;
    const now = deps.clock();
    // No new events: leads with a running state are scored from it, the others in full.
    const r = await deps.db.transaction().execute((tx) => rescoreLeads(tx, orgId, ids, now, book, new Map()));
    if (r.seq !== undefined) {
      moved += r.changed.length;
      deps.notifier.emit({ orgId, leadIds: r.changed, seq: r.seq });
    }
  }
}

export async function rescoreEveryOrg(deps: Deps): Promise<number> {
  const orgs = await deps.db.selectFrom('orgs').select('id').execute();
  let moved = 0;
  for (const o of orgs) moved += await rescoreAll(deps, o.id);
  return moved;
}
