/**
 * The manager's dashboard as a Fastify plugin: the web app under /app and its JSON API under
 * /app/api. Handlers only parse, check the role, ask the repository within the caller's scope
 * and hand rows to the pure computations next to this file.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { CALL_OUTCOMES, LOSS_REASONS } from '../../utils/api/contract';
import { errorMessageIn, HttpError } from '../errors';
import { localeFrom } from '../scoring/text';
import type { CallRow } from './activity';
import { AlertSettingsSchema } from './alerts';
import { toCsv } from './csv';
import { leadRecordUrl } from './links';
import { missedOf, needOutcomes, twoHourReport } from './response';
import type { DashboardRepo, PreviewLead, Scope, Viewer } from './repo';
import { TeamRulesSchema, diffRules, explainRules, previewRules, windowRuleOf, type TeamRules } from './rules';
import { SESSION_COOKIE, SESSION_HOURS, newApiToken, newSecret, readCookie, sessionCookie, sha256 } from './session';
import { searchNotes, vocReport } from './voc';
import { waitingNow } from './waiting';

export interface DashboardOptions {
  repo: DashboardRepo;
  /** The server's scorer: is this lead hot under these rules now? The preview must use the real one. */
  isHot: (lead: PreviewLead, rules: TeamRules, now: number) => boolean;
  /** The server's full rules schema (defaults to the dashboard's loose view of it). */
  rulesSchema?: z.ZodType<TeamRules>;
  clock?: () => number;
  /** Directory of the built web app (index.html + assets); without it only the API is served. */
  staticDir?: string;
  /** Mark the cookie Secure (behind https). */
  secureCookies?: boolean;
  /** A lead changed owner: the server pushes it to the extensions of both reps. */
  onLeadChanged?: (orgId: string, leadId: string) => void;
  /**
   * A team's rules were saved: the server re-scores that team's leads (as PUT /v1/admin/scoring
   * does), so bands, needs and cooldowns follow the new rules now, not at the next scheduled pass.
   * Answers how many leads moved.
   */
  onRulesSaved?: (orgId: string, team: string) => Promise<number>;
  /** The server's write-back outbox (admins see what went to the CRM / MA tool and retry failures). */
  outbox?: DashboardOutbox;
}

export type OutboxStatusName = 'pending' | 'sent' | 'failed';
export interface DashboardOutbox {
  targets(orgId: string): { id: string; vendor: string; kind: string }[];
  counts(orgId: string): Promise<Record<OutboxStatusName, number>>;
  list(orgId: string, status: OutboxStatusName | undefined, limit: number): Promise<unknown[]>;
  /** A failed delivery due again now; undefined when there is no such failed row. */
  retry(orgId: string, id: string, now: number): Promise<unknown>;
}

const DAY = 86_400_000;
const MAX_RANGE_DAYS = 400;

const isManager = (v: Viewer): boolean => v.role === 'manager' || v.role === 'admin';

const RangeQuery = z.object({
  granularity: z.enum(['day', 'week']).default('week'),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  team: z.string().max(100).optional(),
  rep: z.string().max(200).optional(),
  q: z.string().max(200).optional(),
  lang: z.enum(['ja', 'en']).default('ja'),
});
type RangeQuery = z.infer<typeof RangeQuery>;

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new HttpError(400, 'invalid_request', `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
  }
  return r.data;
}

function rangeOf(q: RangeQuery, now: number): { from: number; to: number } {
  const to = q.to ? Date.parse(q.to) : now;
  const from = q.from ? Date.parse(q.from) : to - 56 * DAY;
  if (!(from < to) || to - from > MAX_RANGE_DAYS * DAY) throw new HttpError(400, 'invalid_range', `from must be before to, at most ${MAX_RANGE_DAYS} days`);
  return { from, to };
}

/** The team whose rules and numbers a viewer works with: a manager their own, an admin the one asked for. */
function teamOf(v: Viewer, asked: string | undefined): string {
  return v.role === 'admin' ? (asked ?? v.team ?? '') : (v.team ?? '');
}

/** The viewer's scope: a rep only their own leads, a manager their team, an admin a team or everything. */
function scopeOf(v: Viewer, q: { team?: string; rep?: string }): Scope {
  if (v.role === 'rep') {
    if (q.rep !== undefined && q.rep !== v.userId) throw new HttpError(403, 'forbidden', 'reps see only their own numbers');
    return { orgId: v.orgId, ownerId: v.userId };
  }
  const base: Scope = v.role === 'admin' ? (q.team !== undefined ? { orgId: v.orgId, team: q.team || null } : { orgId: v.orgId }) : { orgId: v.orgId, team: v.team };
  return q.rep !== undefined ? { ...base, ownerId: q.rep } : base;
}

const CSV_HEADERS = {
  ja: ['日時', '担当', 'リード', '結果', '失注理由', 'メモ'],
  en: ['Time', 'Rep', 'Lead', 'Outcome', 'Loss reason', 'Note'],
} as const;
const OUTCOME_WORDS: Record<'ja' | 'en', Record<(typeof CALL_OUTCOMES)[number], string>> = {
  ja: { connected: '通話', no_answer: '不在', busy: '話し中', gatekeeper: '受付ブロック', meeting_set: 'アポ獲得', lost: '失注', complaint: 'クレーム' },
  en: { connected: 'Connected', no_answer: 'No answer', busy: 'Busy', gatekeeper: 'Gatekeeper', meeting_set: 'Meeting set', lost: 'Lost', complaint: 'Complaint' },
};
const REASON_WORDS: Record<'ja' | 'en', Record<(typeof LOSS_REASONS)[number], string>> = {
  ja: { price: '価格', timing: '時期', competitor: '競合', no_need: 'ニーズなし', other: 'その他' },
  en: { price: 'Price', timing: 'Timing', competitor: 'Competitor', no_need: 'No need', other: 'Other' },
};

const localTime = (ms: number, timeZone: string): string =>
  new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).format(ms);

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json; charset=utf-8', '.map': 'application/json; charset=utf-8',
};
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export async function dashboardPlugin(app: FastifyInstance, opts: DashboardOptions): Promise<void> {
  const { repo } = opts;
  const clock = opts.clock ?? Date.now;
  const rulesSchema = opts.rulesSchema ?? TeamRulesSchema;

  // The dashboard signs in with its own session cookie: the API's bearer-token check (a route
  // config the host server reads) does not apply to these routes.
  app.addHook('onRoute', (route) => {
    route.config = { ...(route.config as object | undefined), auth: false } as typeof route.config;
  });

  app.setErrorHandler((error, req, reply) => {
    if (error instanceof HttpError) return reply.code(error.status).send({ error: { code: error.code, message: errorMessageIn(error.message, localeFrom(req.headers['accept-language'])) } });
    const status = (error as { statusCode?: number }).statusCode;
    const message = error instanceof Error ? error.message : String(error);
    if (status !== undefined && status >= 400 && status < 500) return reply.code(status).send({ error: { code: 'bad_request', message } });
    app.log.error(error);
    return reply.code(500).send({ error: { code: 'internal', message: 'internal error' } });
  });

  // Writes come only from our own page: JSON bodies (a cross-site form cannot send them without
  // a preflight) and, when the browser says where it comes from, our own origin.
  app.addHook('onRequest', async (req) => {
    if (req.method === 'GET' || req.method === 'HEAD') return;
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== 'null') {
      let host: string | undefined;
      try {
        host = new URL(origin).host;
      } catch {
        host = undefined;
      }
      if (host !== req.headers.host) throw new HttpError(403, 'cross_origin', 'cross-origin request refused');
    }
    if (req.method !== 'DELETE' && !(req.headers['content-type'] ?? '').startsWith('application/json')) {
      throw new HttpError(415, 'json_only', 'send application/json');
    }
  });

  async function viewer(req: FastifyRequest): Promise<Viewer> {
    const sid = readCookie(req.headers.cookie, SESSION_COOKIE);
    const v = sid ? await repo.sessionViewer(sha256(sid), clock()) : undefined;
    if (!v) throw new HttpError(401, 'signed_out', 'sign in again');
    return v;
  }
  async function manager(req: FastifyRequest): Promise<Viewer> {
    const v = await viewer(req);
    if (!isManager(v)) throw new HttpError(403, 'forbidden', 'managers and admins only');
    return v;
  }

  /** The signed-in user, with the team's time zone: the app shows every time on the team's clock. */
  async function userView(v: Viewer) {
    const { rules } = await repo.rules(v.orgId, v.team ?? '');
    return { id: v.userId, name: v.name, email: v.email, role: v.role, team: v.team, timeZone: rules.businessHours.timeZone };
  }

  // --- Sign-in -------------------------------------------------------------------------------

  app.post('/app/api/session', async (req, reply) => {
    const { token } = parse(z.object({ token: z.string().min(10).max(512) }), req.body);
    const now = clock();
    const v = await repo.userByTokenHash(sha256(token.trim()), now);
    if (!v) throw new HttpError(401, 'bad_token', 'this token is not valid (revoked or mistyped)');
    if (v.role === 'ingest') throw new HttpError(403, 'forbidden', 'connector tokens cannot sign in');
    const sid = newSecret();
    await repo.createSession(sha256(sid), v, now, now + SESSION_HOURS * 3_600_000);
    reply.header('set-cookie', sessionCookie(sid, SESSION_HOURS * 3600, opts.secureCookies ?? false));
    return { user: await userView(v) };
  });

  app.delete('/app/api/session', async (req, reply) => {
    const sid = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (sid) await repo.deleteSession(sha256(sid));
    reply.header('set-cookie', sessionCookie('', 0, opts.secureCookies ?? false));
    return { ok: true };
  });

  app.get('/app/api/me', async (req) => ({ user: await userView(await viewer(req)) }));

  // --- Two-hour response -----------------------------------------------------------------------

  app.get('/app/api/response', async (req) => {
    const v = await viewer(req);
    const q = parse(RangeQuery, req.query);
    const now = clock();
    const { from, to } = rangeOf(q, now);
    const scope = scopeOf(v, q);
    const { rules } = await repo.rules(v.orgId, teamOf(v, q.team));
    const rule = windowRuleOf(rules);
    const [needs, calls, names] = await Promise.all([repo.needs(scope, from, to), repo.calls(scope, from, now), repo.userNames(v.orgId)]);
    const report = twoHourReport(needOutcomes(needs, calls, rule, now), q.granularity, rules.businessHours.timeZone);
    return {
      windowMinutes: rules.callWindowMinutes,
      // A rep's own rows only: the team's totals include other reps' numbers.
      team: v.role === 'rep' ? [] : report.team,
      reps: report.reps.map((r) => ({ ...r, repName: names.get(r.repId ?? '') ?? r.repId })),
    };
  });

  app.get('/app/api/response/missed', async (req) => {
    const v = await viewer(req);
    const q = parse(RangeQuery.extend({ rep: z.string().min(1).max(200) }), req.query);
    const now = clock();
    const { from, to } = rangeOf(q, now);
    const scope = scopeOf(v, q);
    const { rules } = await repo.rules(v.orgId, teamOf(v, q.team));
    const outcomes = needOutcomes(await repo.needs(scope, from, to), await repo.calls(scope, from, now), windowRuleOf(rules), now);
    return {
      missed: missedOf(outcomes, q.rep).map((o) => ({
        leadId: o.need.leadId, leadName: o.need.leadName, company: o.need.company, needReason: o.need.needReason,
        needDetectedAt: new Date(o.needMs).toISOString(), windowEndsAt: new Date(o.windowEndsAt).toISOString(),
        status: o.status, firstCallAt: o.firstCallAt !== undefined ? new Date(o.firstCallAt).toISOString() : undefined,
        minutesToFirstCall: o.minutesToFirstCall, link: leadRecordUrl(o.need.crmRefs ?? []),
      })),
    };
  });

  // --- Waiting now ---------------------------------------------------------------------------------

  app.get('/app/api/waiting', async (req) => {
    const v = await viewer(req);
    const q = parse(RangeQuery, req.query);
    const now = clock();
    const scope = scopeOf(v, q);
    const { rules } = await repo.rules(v.orgId, teamOf(v, q.team));
    const [hot, names] = await Promise.all([repo.hotNeeds(scope), repo.userNames(v.orgId)]);
    const calls = await repo.calls(scope, now - 30 * DAY, now);
    return {
      now: new Date(now).toISOString(),
      waiting: waitingNow(hot, calls, windowRuleOf(rules), now).map((w) => ({
        leadId: w.need.leadId, leadName: w.need.leadName, company: w.need.company,
        ownerId: w.need.ownerId, ownerName: w.need.ownerId ? names.get(w.need.ownerId) : undefined,
        needReason: w.need.needReason, needDetectedAt: w.need.needDetectedAt,
        windowEndsAt: new Date(w.windowEndsAt).toISOString(), timeLeftMs: w.timeLeftMs, link: leadRecordUrl(w.need.crmRefs ?? []),
      })),
    };
  });

  app.post<{ Params: { id: string } }>('/app/api/leads/:id/reassign', async (req) => {
    const v = await manager(req);
    const { to } = parse(z.object({ to: z.string().min(1).max(200) }), req.body);
    const scope = scopeOf(v, {});
    // The new owner must be someone this manager manages (or anyone in the organisation for an admin).
    const target = (await repo.users(scope)).find((u) => u.id === to && (u.role === 'rep' || u.role === 'manager'));
    if (!target) throw new HttpError(404, 'user_not_found', 'no such rep in your team');
    const result = await repo.reassign(scope, req.params.id, to, v.userId, clock());
    if (result !== 'ok') throw new HttpError(404, result, result === 'lead_not_found' ? 'no such lead in your team' : 'no such rep in your team');
    opts.onLeadChanged?.(v.orgId, req.params.id);
    return { ok: true };
  });

  // --- Voice of the customer -----------------------------------------------------------------------

  async function vocCalls(v: Viewer, q: RangeQuery): Promise<{ calls: CallRow[]; from: number; to: number; timeZone: string }> {
    const { from, to } = rangeOf(q, clock());
    const { rules } = await repo.rules(v.orgId, teamOf(v, q.team));
    return { calls: await repo.calls(scopeOf(v, q), from, to), from, to, timeZone: rules.businessHours.timeZone };
  }

  app.get('/app/api/voc', async (req) => {
    const v = await viewer(req);
    const q = parse(RangeQuery, req.query);
    const { calls, from, to, timeZone } = await vocCalls(v, q);
    return vocReport(calls, q.granularity, timeZone, from, to);
  });

  app.get('/app/api/voc/notes', async (req) => {
    const v = await viewer(req);
    const q = parse(RangeQuery, req.query);
    const { calls } = await vocCalls(v, q);
    const names = await repo.userNames(v.orgId);
    const found = searchNotes(calls, q.q ?? '');
    return {
      total: found.length,
      notes: found.slice(0, 200).map((c) => ({ ...c, actorName: names.get(c.actorId) ?? c.actorId })),
    };
  });

  app.get('/app/api/voc/export.csv', async (req, reply) => {
    const v = await viewer(req);
    const q = parse(RangeQuery, req.query);
    const { calls, timeZone } = await vocCalls(v, q);
    const names = await repo.userNames(v.orgId);
    const rows = (q.q ? searchNotes(calls, q.q) : [...calls].sort((a, b) => Date.parse(b.at) - Date.parse(a.at)))
      .map((c) => [localTime(Date.parse(c.at), timeZone), names.get(c.actorId) ?? c.actorId, c.leadName ?? c.leadId,
        OUTCOME_WORDS[q.lang][c.outcome], c.lossReason ? REASON_WORDS[q.lang][c.lossReason] : '', c.note ?? '']);
    reply.header('content-type', 'text/csv; charset=utf-8');
    reply.header('content-disposition', `attachment; filename="leadlens-voc-${localTime(clock(), timeZone).slice(0, 10)}.csv"`);
    return toCsv(CSV_HEADERS[q.lang], rows);
  });

  // --- Scoring rules ---------------------------------------------------------------------------------

  const TeamQuery = z.object({ team: z.string().max(100).optional() });

  app.get('/app/api/rules', async (req) => {
    const v = await viewer(req);
    const team = teamOf(v, parse(TeamQuery, req.query).team);
    const { version, rules } = await repo.rules(v.orgId, team);
    return {
      team, version, rules, explanation: explainRules(rules),
      audit: isManager(v) ? await repo.rulesAudit(v.orgId, team, 50) : [],
    };
  });

  app.post('/app/api/rules/preview', async (req) => {
    const v = await manager(req);
    const body = parse(z.object({ team: z.string().max(100).optional(), rules: z.unknown() }), req.body);
    const proposed = parse(rulesSchema, body.rules);
    const team = teamOf(v, body.team);
    const now = clock();
    const [{ rules: current }, leads] = await Promise.all([repo.rules(v.orgId, team), repo.previewLeads(v.orgId, team)]);
    const p = previewRules(leads, current, proposed, (lead, rules) => opts.isHot(lead, rules, now));
    const show = (l: PreviewLead) => ({ id: l.id, name: l.name, company: l.company, ownerName: l.ownerName });
    return { ...p, examplesMore: p.examplesMore.map(show), examplesFewer: p.examplesFewer.map(show), changes: diffRules(current, proposed), explanation: explainRules(proposed) };
  });

  app.put('/app/api/rules', async (req) => {
    const v = await manager(req);
    const body = parse(z.object({ team: z.string().max(100).optional(), baseVersion: z.number().int().min(0), rules: z.unknown() }), req.body);
    const proposed = parse(rulesSchema, body.rules);
    const team = teamOf(v, body.team);
    const { rules: current } = await repo.rules(v.orgId, team);
    const changes = diffRules(current, proposed);
    if (changes.length === 0) return { version: body.baseVersion, changes };
    const version = await repo.saveRules(v.orgId, team, body.baseVersion, proposed, changes, v.userId, clock());
    if (version === false) throw new HttpError(409, 'stale', 'someone saved these rules meanwhile: reload and try again');
    const rescored = opts.onRulesSaved ? await opts.onRulesSaved(v.orgId, team) : undefined;
    return { version, changes, ...(rescored !== undefined ? { rescored } : {}) };
  });

  app.get('/app/api/alerts', async (req) => {
    const v = await manager(req);
    return { settings: await repo.alertSettings(v.orgId, teamOf(v, parse(TeamQuery, req.query).team)) };
  });

  app.put('/app/api/alerts', async (req) => {
    const v = await manager(req);
    const body = parse(z.object({ team: z.string().max(100).optional(), settings: AlertSettingsSchema }), req.body);
    await repo.saveAlertSettings(v.orgId, teamOf(v, body.team), body.settings);
    return { settings: body.settings };
  });

  // --- Users and tokens ----------------------------------------------------------------------------------

  async function admin(req: FastifyRequest): Promise<Viewer> {
    const v = await viewer(req);
    if (v.role !== 'admin') throw new HttpError(403, 'forbidden', 'admins only');
    return v;
  }

  app.get('/app/api/outbox', async (req) => {
    const v = await admin(req);
    const q = parse(z.object({ status: z.enum(['pending', 'sent', 'failed']).optional() }), req.query);
    const ob = opts.outbox;
    if (!ob) return { targets: [], counts: { pending: 0, sent: 0, failed: 0 }, items: [] };
    return { targets: ob.targets(v.orgId), counts: await ob.counts(v.orgId), items: await ob.list(v.orgId, q.status, 200) };
  });

  app.post<{ Params: { id: string } }>('/app/api/outbox/:id/retry', async (req) => {
    const v = await admin(req);
    const item = await opts.outbox?.retry(v.orgId, req.params.id, clock());
    if (!item) throw new HttpError(404, 'not_found', 'no failed delivery with this id');
    return { item };
  });

  app.get('/app/api/users', async (req) => {
    const v = await manager(req);
    return { users: await repo.users(scopeOf(v, parse(TeamQuery, req.query))) };
  });

  app.post('/app/api/users', async (req, reply) => {
    const v = await manager(req);
    const body = parse(z.object({
      name: z.string().trim().min(1).max(200), email: z.email().max(320),
      role: z.enum(['rep', 'manager', 'admin']).default('rep'), team: z.string().max(100).nullable().optional(),
    }), req.body);
    // A manager adds reps to their own team; only an admin adds managers, admins or other teams.
    if (v.role === 'manager' && body.role !== 'rep') throw new HttpError(403, 'forbidden', 'only an admin adds managers');
    const team = v.role === 'manager' ? v.team : (body.team ?? v.team);
    const created = await repo.addUser(v.orgId, { name: body.name, email: body.email, role: body.role, team }, clock());
    if (created === 'email_taken') throw new HttpError(409, 'email_taken', 'a user with this email exists');
    return reply.code(201).send({ id: created.id });
  });

  async function managedUser(v: Viewer, userId: string) {
    const user = (await repo.users(scopeOf(v, {}))).find((u) => u.id === userId);
    if (!user || (v.role === 'manager' && user.role !== 'rep' && user.id !== v.userId)) throw new HttpError(404, 'user_not_found', 'no such user in your team');
    return user;
  }

  app.delete<{ Params: { id: string } }>('/app/api/users/:id', async (req) => {
    const v = await manager(req);
    if (req.params.id === v.userId) throw new HttpError(400, 'self', 'you cannot remove yourself');
    await managedUser(v, req.params.id);
    await repo.removeUser(v.orgId, req.params.id, clock());
    return { ok: true };
  });

  app.post<{ Params: { id: string } }>('/app/api/users/:id/tokens', async (req, reply) => {
    const v = await manager(req);
    await managedUser(v, req.params.id);
    const token = newApiToken();
    const { id } = await repo.addToken(v.orgId, req.params.id, sha256(token), clock());
    // The only time the token exists outside the user's hands: never stored, never logged.
    return reply.code(201).header('cache-control', 'no-store').send({ id, token });
  });

  app.delete<{ Params: { id: string } }>('/app/api/tokens/:id', async (req) => {
    const v = await manager(req);
    const tokenOwner = (await repo.users(scopeOf(v, {}))).find((u) => u.tokens.some((t) => t.id === req.params.id));
    if (!tokenOwner) throw new HttpError(404, 'token_not_found', 'no such token in your team');
    await managedUser(v, tokenOwner.id);
    await repo.revokeToken(v.orgId, req.params.id, clock());
    return { ok: true };
  });

  // --- The web app ----------------------------------------------------------------------------------------

  if (opts.staticDir !== undefined) {
    const dir = opts.staticDir;
    // Only files that exist at start are served: no path from the URL ever reaches the file system.
    const files = new Map<string, { body: Buffer; type: string }>();
    for (const name of await readdir(dir, { recursive: true })) {
      const ext = name.slice(name.lastIndexOf('.'));
      const type = CONTENT_TYPES[ext];
      if (type) files.set(name.split('\\').join('/'), { body: await readFile(join(dir, name)), type });
    }
    const send = (reply: FastifyReply, name: string) => {
      const file = files.get(name);
      if (!file) return reply.code(404).send({ error: { code: 'not_found', message: 'not found' } });
      return reply.header('content-type', file.type).header('content-security-policy', CSP)
        .header('x-content-type-options', 'nosniff').header('referrer-policy', 'no-referrer')
        .header('cache-control', name === 'index.html' ? 'no-cache' : 'public, max-age=3600').send(file.body);
    };
    app.get('/app', async (_req, reply) => reply.redirect('/app/'));
    app.get<{ Params: { '*': string } }>('/app/*', async (req, reply) => {
      const path = req.params['*'];
      if (path.startsWith('api/')) return reply.code(404).send({ error: { code: 'not_found', message: 'no such route' } });
      return send(reply, files.has(path) ? path : 'index.html');
    });
  }
}

