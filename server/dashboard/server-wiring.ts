/**
 * The dashboard mounted on the LeadLens server: the Kysely repository over the server's tables,
 * the server's own scorer, rules schema, default rules and reason words, reassignments pushed
 * to the extensions through the server's change notifier, and the alert-mail job. main.ts and
 * the integration test build it the same way.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { scoreLead, type LeadEvent, type LeadProfile } from '../scoring/model';
import { DEFAULT_RULES, ScoringRules } from '../scoring/rules';
import { render, type Locale, type Text } from '../scoring/text';
import type { Database } from '../db/schema';
import { counts as outboxCounts, list as outboxList, retryNow } from '../connectors/writeback/store';
import { KyselyDashboardRepo, migrateDashboard as migrate, type DashboardDb } from './kysely-repo';
import { createMailTransport, runAlerts, type AlertRunResult, type SmtpConfig } from './mail';
import { dashboardPlugin } from './plugin';
import { rescoreAll } from '../service/rescore-all';
import type { PreviewLead } from './repo';
import type { TeamRules } from './rules';

/** The dashboard's own migrations, after the server's (its tables read the server's). */
export const migrateDashboard = (db: Kysely<Database>): Promise<void> => migrate(db as Kysely<unknown>);

/** Where `npm run build:app` writes the web app (web/build.ts; not imported here: it loads the bundler). */
export const APP_DIST = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '.output', 'dashboard');

const isText = (v: unknown): v is Text => typeof v === 'object' && v !== null && typeof (v as { key?: unknown }).key === 'string';

/** The server's rules over the dashboard's view of them: what the preview and the report read. */
const serverRulesSchema = ScoringRules as unknown as z.ZodType<TeamRules>;

/** Hot under these rules now, by the server's scoring model (the preview must agree with the feed). */
export function isHotByServer(lead: PreviewLead, rules: TeamRules, now: number): boolean {
  const data = lead.data as { profile?: LeadProfile; events?: LeadEvent[] };
  const parsed = ScoringRules.safeParse({ ...DEFAULT_RULES, ...rules });
  if (!parsed.success) return false;
  return scoreLead(data.profile ?? {}, data.events ?? [], now, parsed.data).band === 'hot';
}

export interface ServerDashboardOptions {
  clock?: () => number;
  /** The built web app; defaults to `npm run build:app`'s output when it exists. */
  staticDir?: string;
  secureCookies?: boolean;
  /** The language of need reasons in reports and mail (the stored reason is locale-neutral). */
  locale?: Locale;
}

export interface ServerDashboard {
  repo: KyselyDashboardRepo;
  /** Give to buildApp's `plugins`. */
  plugin: (app: FastifyInstance) => Promise<void>;
  /** Give to buildApp's `onTokenUsed`: "last synced" on the users screen. */
  tokenUsed: (orgId: string, tokenHash: string, now: number) => Promise<void>;
  /** The web app served under /app, when built. */
  staticDir: string | undefined;
}

export function serverDashboard(db: Kysely<Database>, opts: ServerDashboardOptions = {}): ServerDashboard {
  const ddb = db as unknown as Kysely<DashboardDb>;
  const locale = opts.locale ?? 'ja';
  const repo = new KyselyDashboardRepo(ddb, {
    defaultRules: DEFAULT_RULES as unknown as TeamRules,
    reasonText: (reason) => (isText(reason) ? render(reason, locale) : typeof reason === 'string' ? reason : undefined),
  });
  const staticDir = opts.staticDir ?? (existsSync(APP_DIST) ? APP_DIST : undefined);

  const plugin = async (app: FastifyInstance): Promise<void> => {
    const { notifier } = app.leadlens;
    // Needs are kept as they are detected, not only when someone opens the report: a need
    // replaced before then would otherwise be missing from the two-hour numbers.
    const recording = new Map<string, Promise<void>>();
    const again = new Set<string>();
    const record = (orgId: string): void => {
      if (recording.has(orgId)) {
        again.add(orgId);
        return;
      }
      const run = repo.recordNeeds(orgId)
        .catch((err: unknown) => app.log.warn({ err }, 'recording needs failed'))
        .finally(() => {
          recording.delete(orgId);
          if (again.delete(orgId)) record(orgId);
        });
      recording.set(orgId, run);
    };
    const unsubscribe = notifier.subscribe((change) => record(change.orgId));
    app.addHook('onClose', async () => {
      unsubscribe();
      again.clear();
      await Promise.all(recording.values());
    });

    await app.register(dashboardPlugin, {
      repo,
      isHot: isHotByServer,
      rulesSchema: serverRulesSchema,
      ...(opts.clock ? { clock: opts.clock } : {}),
      ...(staticDir ? { staticDir } : {}),
      ...(opts.secureCookies ? { secureCookies: true } : {}),
      outbox: {
        targets: (orgId) => (app.leadlens.deps.outbox?.targets ?? []).filter((t) => t.orgId === orgId).map((t) => ({ id: t.id, vendor: t.vendor, kind: t.kind })),
        counts: (orgId) => outboxCounts(db, orgId),
        list: (orgId, status, limit) => outboxList(db, orgId, status, limit),
        retry: async (orgId, id, now) => {
          const item = await retryNow(db, orgId, id, now);
          if (item) app.leadlens.deps.outbox?.queued();
          return item;
        },
      },
      onRulesSaved: (orgId, team) => rescoreAll(app.leadlens.deps, orgId, team),
      // After the reassignment committed: the push stream tells the old and the new owner.
      onLeadChanged: (orgId, leadId) => {
        void ddb.selectFrom('leads').select('seq').where('org_id', '=', orgId).where('id', '=', leadId).executeTakeFirst()
          .then((row) => { if (row) notifier.emit({ orgId, leadIds: [leadId], seq: Number(row.seq) }); })
          .catch((err: unknown) => app.log.warn({ err }, 'change notification after reassign failed'));
      },
    });
  };

  const tokenUsed = async (orgId: string, tokenHash: string, now: number): Promise<void> => {
    const token = await ddb.selectFrom('tokens').select('id').where('org_id', '=', orgId).where('hash', '=', tokenHash).executeTakeFirst();
    if (token) await repo.markTokenUsed(orgId, token.id, now);
  };

  return { repo, plugin, tokenUsed, staticDir };
}

/** The alert-mail job: one pass a minute, never two at once; `stop` waits for a running pass. */
export function startAlertJob(repo: KyselyDashboardRepo, smtp: SmtpConfig, log: { warn: (obj: object, msg: string) => void }, clock: () => number = Date.now, everyMs = 60_000): { stop: () => Promise<void> } {
  const transport = createMailTransport(smtp);
  let running: Promise<AlertRunResult | void> | undefined;
  const timer = setInterval(() => {
    running ??= runAlerts(repo, transport, smtp.from, clock())
      .then((r) => { if (r.failed.length > 0) log.warn({ failed: r.failed }, 'some alert mails failed; retried next minute'); })
      .catch((err: unknown) => log.warn({ err }, 'alert run failed'))
      .finally(() => (running = undefined));
  }, everyMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
      transport.close();
    },
  };
}
