/** Admin routes: people and tokens, scoring rules. */
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { requireRole } from '../app';
import { HttpError, notFound } from '../errors';
import { ScoringRules } from '../scoring/rules';
import { rescoreAll } from '../service/rescore-all';
import { latestRules } from '../service/rules-store';
import { createUser, DuplicateEmailError, issueToken, listUsers, NewUser, revokeTokens } from '../service/users';
import { parseWith } from './parse';

const UserId = z.object({ id: z.string().min(1).max(100) });
const TeamQuery = z.object({ team: z.string().min(1).max(100).optional() });
export const ScoringUpdate = z.object({ team: z.string().min(1).max(100).optional(), rules: ScoringRules });

export const adminRoutes: FastifyPluginAsync = async (app) => {
  const deps = app.leadlens.deps;

  app.get('/v1/admin/users', async (req) => {
    const admin = requireRole(req, ['admin']);
    return { users: await listUsers(deps.db, admin.orgId) };
  });

  app.post('/v1/admin/users', async (req, reply) => {
    const admin = requireRole(req, ['admin']);
    const input = parseWith(NewUser, req.body);
    try {
      return reply.code(201).send(await createUser(deps.db, admin.orgId, input, deps.clock()));
    } catch (e) {
      if (e instanceof DuplicateEmailError) throw new HttpError(409, 'conflict', e.message);
      throw e;
    }
  });

  app.post('/v1/admin/users/:id/tokens', async (req, reply) => {
    const admin = requireRole(req, ['admin']);
    const { id } = parseWith(UserId, req.params);
    const token = await issueToken(deps.db, admin.orgId, id, deps.clock());
    if (!token) throw notFound('no such user');
    return reply.code(201).send({ token });
  });

  app.delete('/v1/admin/users/:id/tokens', async (req) => {
    const admin = requireRole(req, ['admin']);
    const { id } = parseWith(UserId, req.params);
    const revoked = await revokeTokens(deps.db, admin.orgId, id, deps.clock());
    if (revoked === undefined) throw notFound('no such user');
    return { revoked };
  });

  app.get('/v1/admin/scoring', async (req) => {
    const admin = requireRole(req, ['admin']);
    const { team } = parseWith(TeamQuery, req.query);
    const current = await latestRules(deps.db, admin.orgId, team ?? '');
    return { team: team ?? null, ...current };
  });

  app.put('/v1/admin/scoring', async (req) => {
    const admin = requireRole(req, ['admin']);
    const { team, rules } = parseWith(ScoringUpdate, req.body);
    const key = team ?? '';
    const version = await deps.db.transaction().execute(async (tx) => {
      const top = await tx.selectFrom('scoring_rules').select(({ fn }) => fn.max('version').as('v')).where('org_id', '=', admin.orgId).where('team', '=', key).executeTakeFirst();
      const next = (top?.v ?? 0) + 1;
      await tx.insertInto('scoring_rules').values({ org_id: admin.orgId, team: key, version: next, rules: JSON.stringify(rules), created_at: deps.clock(), created_by: admin.userId }).execute();
      return next;
    });
    const rescored = await rescoreAll(deps, admin.orgId, key);
    return { team: team ?? null, version, rescored };
  });
};
