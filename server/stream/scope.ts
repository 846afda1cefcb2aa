/**
 * Which connected users a change reaches: the same rule as the change feed's scope — their own
 * leads, their team's unowned stock, the leads they follow, the team for a manager, everything
 * for an admin — plus the leads that just left their scope (a reassignment must reach the rep
 * who loses the lead, so it leaves their badge). Pure, so it is tested as a table.
 */
import type { UserCtx } from '../service/context';

export interface ChangedLeadRow {
  id: string;
  owner_id: string | null;
  team: string | null;
  prev_owner_id: string | null;
  prev_team: string | null;
}

type Who = Pick<UserCtx, 'userId' | 'role' | 'team'>;

function ownedOrStock(user: Who, owner: string | null, team: string | null): boolean {
  return owner === user.userId || (owner === null && user.team !== null && team === user.team);
}

export function changeReaches(user: Who, lead: ChangedLeadRow, followed: boolean): boolean {
  switch (user.role) {
    case 'admin':
      return true;
    case 'manager':
      return followed || (user.team !== null && (lead.team === user.team || lead.prev_team === user.team));
    case 'rep':
      return followed || ownedOrStock(user, lead.owner_id, lead.team) || ownedOrStock(user, lead.prev_owner_id, lead.prev_team);
    default:
      return false; // ingest tokens read nothing
  }
}
