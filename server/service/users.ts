/** People and their tokens: create (token shown once), revoke, authenticate, first admin. */
import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { Database, Role } from '../db/schema';
import { hashesEqual, hashToken, newId, newToken } from '../auth/tokens';
import type { Session, UserCtx } from './context';
import { feedPositionOf } from './leads';
import { orgVersionSql, teamVersionSql } from './rules-store';

export const ROLES = ['rep', 'manager', 'admin', 'ingest'] as const;

export const NewUser = z.object({
  name: z.string().trim().min(1).max(200),
  email: z.email().max(320),
  role: z.enum(ROLES),
  team: z.string().trim().min(1).max(100).optional(),
});
export type NewUser = z.infer<typeof NewUser>;

export const PublicUser = z.object({
  id: z.string(), name: z.string(), email: z.string(), role: z.enum(ROLES), team: z.string().optional(),
});
export type PublicUser = z.infer<typeof PublicUser>;

export const DEFAULT_ORG = 'default';

export class DuplicateEmailError extends Error {}

const toPublic = (u: { id: string; name: string; email: string; role: Role; team: string | null }): PublicUser => ({
  id: u.id, name: u.name, email: u.email, role: u.role, ...(u.team ? { team: u.team } : {}),
});

export async function ensureOrg(db: Kysely<Database>, orgId: string, now: number): Promise<void> {
  await db.insertInto('orgs').values({ id: orgId, name: orgId, created_at: now }).onConflict((oc) => oc.column('id').doNothing()).execute();
}

export async function createUser(db: Kysely<Database>, orgId: string, input: NewUser, now: number, token = newToken()): Promise<{ user: PublicUser; token: string }> {
  const id = newId('u_');
  return db.transaction().execute(async (tx) => {
    const clash = await tx.selectFrom('users').select('id').where('org_id', '=', orgId).where((eb) => eb(eb.fn('lower', ['email']), '=', input.email.toLowerCase())).executeTakeFirst();
    if (clash) throw new DuplicateEmailError(`a user with email ${input.email} exists`);
    await tx.insertInto('users').values({ org_id: orgId, id, name: input.name, email: input.email, role: input.role, team: input.team ?? null, created_at: now }).execute();
    await tx.insertInto('tokens').values({ id: newId('t_'), org_id: orgId, user_id: id, hash: hashToken(token), created_at: now, revoked_at: null }).execute();
    return { user: toPublic({ id, name: input.name, email: input.email, role: input.role, team: input.team ?? null }), token };
  });
}

export async function issueToken(db: Kysely<Database>, orgId: string, userId: string, now: number): Promise<string | undefined> {
  const user = await db.selectFrom('users').select('id').where('org_id', '=', orgId).where('id', '=', userId).executeTakeFirst();
  if (!user) return undefined;
  const token = newToken();
  await db.insertInto('tokens').values({ id: newId('t_'), org_id: orgId, user_id: userId, hash: hashToken(token), created_at: now, revoked_at: null }).execute();
  return token;
}

/** Revokes every live token of a user; undefined when there is no such user. */
export async function revokeTokens(db: Kysely<Database>, orgId: string, userId: string, now: number): Promise<number | undefined> {
  const user = await db.selectFrom('users').select('id').where('org_id', '=', orgId).where('id', '=', userId).executeTakeFirst();
  if (!user) return undefined;
  const r = await db.updateTable('tokens').set({ revoked_at: now }).where('org_id', '=', orgId).where('user_id', '=', userId).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function listUsers(db: Kysely<Database>, orgId: string): Promise<PublicUser[]> {
  const rows = await db.selectFrom('users').select(['id', 'name', 'email', 'role', 'team']).where('org_id', '=', orgId).orderBy('created_at').orderBy('id').execute();
  return rows.map(toPublic);
}

export async function findUserByEmail(db: Kysely<Database>, orgId: string, email: string): Promise<PublicUser | undefined> {
  const row = await db.selectFrom('users').select(['id', 'name', 'email', 'role', 'team']).where('org_id', '=', orgId)
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase())).executeTakeFirst();
  return row ? toPublic(row) : undefined;
}

/**
 * The caller behind a token hash, or undefined for an unknown or revoked one; read on every
 * request, never cached, so a revocation holds from the next request on. The same statement
 * reads what nearly every read route needs next (the rule versions its policy is keyed on, the
 * feed's position): an idle poll is this one round trip.
 */
export async function sessionOf(db: Kysely<Database>, hash: string): Promise<Session | undefined> {
  const row = await db.selectFrom('tokens as t').innerJoin('users as u', (j) => j.onRef('u.org_id', '=', 't.org_id').onRef('u.id', '=', 't.user_id'))
    .innerJoin('orgs as o', 'o.id', 't.org_id')
    .select(['t.hash', 't.org_id', 'u.id', 'u.name', 'u.email', 'u.role', 'u.team', 'o.seq', 'o.created_at'])
    .select([teamVersionSql('t.org_id', 'u.team').as('team_rules'), orgVersionSql('t.org_id').as('org_rules')])
    .where('t.hash', '=', hash).where('t.revoked_at', 'is', null).executeTakeFirst();
  if (!row || !hashesEqual(row.hash, hash)) return undefined;
  return {
    user: { orgId: row.org_id, userId: row.id, name: row.name, email: row.email, role: row.role, team: row.team },
    rules: { team: Number(row.team_rules), org: Number(row.org_rules) },
    feed: feedPositionOf(row),
  };
}

/** The user behind a token, or undefined for an unknown, revoked or malformed one. */
export async function authenticate(db: Kysely<Database>, token: string): Promise<UserCtx | undefined> {
  return (await sessionOf(db, hashToken(token)))?.user;
}

/**
 * A database with no admin gets one: with `LEADLENS_ADMIN_TOKEN` as its token when set, else a
 * fresh token returned here for the caller to print once.
 */
export async function bootstrapAdmin(db: Kysely<Database>, orgId: string, now: number, envToken: string | undefined): Promise<{ token: string; generated: boolean } | undefined> {
  const admin = await db.selectFrom('users').select('id').where('org_id', '=', orgId).where('role', '=', 'admin').limit(1).executeTakeFirst();
  if (admin) return undefined;
  const token = envToken && envToken.length >= 32 ? envToken : newToken();
  await createUser(db, orgId, { name: 'Administrator', email: 'admin@leadlens.invalid', role: 'admin' }, now, token);
  return { token, generated: token !== envToken };
}
