/**
 * Stream tickets: a WebSocket from a browser cannot carry an Authorization header, and a token
 * in a URL ends up in proxy logs. So the extension trades its token for a ticket that lives a
 * minute and opens one socket. Tickets live in the database, so any instance behind the load
 * balancer can take the socket; taking one deletes it in the same statement (single use).
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { hashToken } from '../auth/tokens';
import type { Database } from '../db/schema';
import type { UserCtx } from '../service/context';

export const TICKET_TTL_MS = 60_000;

export async function issueTicket(db: Kysely<Database>, user: UserCtx, now: number): Promise<{ ticket: string; expiresAt: string }> {
  const ticket = randomBytes(32).toString('base64url');
  await db.deleteFrom('stream_tickets').where('expires_at', '<', now).execute();
  await db.insertInto('stream_tickets').values({
    hash: hashToken(ticket), org_id: user.orgId, user_id: user.userId, expires_at: now + TICKET_TTL_MS,
  }).execute();
  return { ticket, expiresAt: new Date(now + TICKET_TTL_MS).toISOString() };
}

/** The user a live ticket was issued to, consuming it; undefined if unknown, used or expired. */
export async function takeTicket(db: Kysely<Database>, ticket: string, now: number): Promise<UserCtx | undefined> {
  if (ticket.length < 16 || ticket.length > 100) return undefined;
  const taken = await db.deleteFrom('stream_tickets').where('hash', '=', hashToken(ticket)).returning(['org_id', 'user_id', 'expires_at']).executeTakeFirst();
  if (!taken || taken.expires_at < now) return undefined;
  const user = await db.selectFrom('users').select(['id', 'name', 'email', 'role', 'team'])
    .where('org_id', '=', taken.org_id).where('id', '=', taken.user_id).executeTakeFirst();
  // A token revoked after the ticket was issued still ends here: no live token, no socket.
  const live = await db.selectFrom('tokens').select('id').where('org_id', '=', taken.org_id).where('user_id', '=', taken.user_id).where('revoked_at', 'is', null).executeTakeFirst();
  if (!user || !live) return undefined;
  return { orgId: taken.org_id, userId: user.id, name: user.name, email: user.email, role: user.role, team: user.team };
}
