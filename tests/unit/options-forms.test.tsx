// The settings page's pure parts: the team policy form (fields → policy or errors in words, the
// administrator's fields laid over the rep's) and the "Test this URL" probe, as tables.
import { describe, expect, it } from 'vitest';
import en from '../../public/_locales/en/messages.json';
import { probeUrl } from '../../components/options/CrmSitesSection';
import { checkTeamPolicy, formOf, managedFields, POLL_RANGE, shownForm, type TeamPolicyForm } from '../../components/options/team-policy-form';
import { ADAPTERS } from '../../utils/crm/registry';
import { ADAPTER_EXAMPLES } from '../../utils/crm/examples';
import { renderText } from '../../utils/notify/text';
import { DEFAULT_TEAM_POLICY } from '../../utils/policy/cooldowns';
import type { ManagedPolicy } from '../../utils/preferences/managed';

const catalogue = en as Record<string, { message: string }>;
const translate = (key: string, subs: string[] = []) =>
  (catalogue[key]?.message ?? key).replace(/\$(\d)/g, (_, n: string) => subs[Number(n) - 1] ?? '');

const base = formOf(DEFAULT_TEAM_POLICY, 60);
const check = (patch: Partial<TeamPolicyForm>, managed: ManagedPolicy = {}) => {
  const result = checkTeamPolicy({ ...base, ...patch }, managed);
  return result.ok ? result : { ok: false as const, issues: result.issues.map((i) => [i.path, renderText(i.text, translate)]) };
};

describe('checkTeamPolicy', () => {
  it('accepts the defaults as they are shown', () => {
    expect(check({})).toEqual({ ok: true, policy: DEFAULT_TEAM_POLICY, pollSeconds: 60 });
  });

  it.each<[string, Partial<TeamPolicyForm>, [string, string][]]>([
    ['closing before opening', { end: '08:00' }, [['businessHours.end', 'Closing time must be later than Opening time.']]],
    ['closing equal to opening', { start: '10:00', end: '10:00' }, [['businessHours.end', 'Closing time must be later than Opening time.']]],
    ['an empty opening (no order error on top)', { start: '' }, [['businessHours.start', 'Opening time must be a time like 08:30.']]],
    ['no business days', { days: [] }, [['businessHours.days', 'Business days: choose days from Sunday to Saturday, each once.']]],
    ['an unknown zone', { timeZone: 'Tokyo' }, [['businessHours.timeZone', 'Business hours time zone must be a time zone such as Asia/Tokyo.']]],
    ['negative days after a loss', { lostCooldownDays: '-1' }, [['lostCooldownDays', 'Days without calls after a lost deal must be a whole number from 0 to 365.']]],
    ['a fraction of an hour', { recentCallHours: '1.5' }, [['recentCallHours', 'Hours to wait after a call must be a whole number from 0 to 720.']]],
    ['zero calls', { contactCapCalls: '0' }, [['contactCapCalls', 'Most calls per period must be a whole number from 1 to 100.']]],
    ['an empty period', { contactCapDays: '' }, [['contactCapDays', 'Period for the call limit (days) must be a whole number from 1 to 365.']]],
    ['a call window of letters', { callWindowMinutes: 'two hours' }, [['callWindowMinutes', 'Call deadline when the API gives none (business minutes) must be a whole number from 1 to 1440.']]],
    ['polling every 29 s', { pollSeconds: '29' }, [['pollSeconds', 'Check for changes every (seconds) must be a whole number from 30 to 3600.']]],
    ['polling every 2 hours', { pollSeconds: '7200' }, [['pollSeconds', 'Check for changes every (seconds) must be a whole number from 30 to 3600.']]],
    ['two problems at once', { end: '08:00', pollSeconds: '5' }, [
      ['businessHours.end', 'Closing time must be later than Opening time.'],
      ['pollSeconds', 'Check for changes every (seconds) must be a whole number from 30 to 3600.'],
    ]],
  ])('refuses %s', (_name, patch, issues) => {
    expect(check(patch)).toEqual({ ok: false, issues });
  });

  it.each<[string, Partial<TeamPolicyForm>]>([
    ['closing at 24:00', { end: '24:00' }],
    ['days out of order', { days: [5, 1, 3] }],
    ['polling at the minimum', { pollSeconds: String(POLL_RANGE[0]) }],
    ['a zone with spaces around it', { timeZone: ' Europe/Paris ' }],
  ])('accepts %s', (_name, patch) => {
    expect(check(patch).ok).toBe(true);
  });

  it('does not check or return the poll interval when the administrator set it', () => {
    expect(check({ pollSeconds: '1' }, { pollIntervalSeconds: 300 })).toEqual({ ok: true, policy: DEFAULT_TEAM_POLICY });
  });
});

describe('the administrator fields', () => {
  const managed: ManagedPolicy = {
    teamPolicy: { contactCapCalls: 5, businessHours: { start: '10:00', end: '17:00', days: [1, 2, 3], timeZone: 'Europe/Paris' } },
    pollIntervalSeconds: 600,
  };

  it('are shown over the rep\'s values, which stay underneath', () => {
    expect(shownForm(base, managed)).toEqual({
      ...base, contactCapCalls: '5', start: '10:00', end: '17:00', days: [1, 2, 3], timeZone: 'Europe/Paris', pollSeconds: '600',
    });
    expect(shownForm(base, {})).toEqual(base);
  });

  it('are known field by field', () => {
    const fields = managedFields(managed);
    expect([[...fields.numbers], fields.businessHours, fields.pollSeconds]).toEqual([['contactCapCalls'], true, true]);
    const none = managedFields({});
    expect([[...none.numbers], none.businessHours, none.pollSeconds]).toEqual([[], false, false]);
  });
});

describe('"Test this URL" (probeUrl)', () => {
  it.each(ADAPTERS.flatMap((adapter) => ADAPTER_EXAMPLES[adapter.id].examples.map((example) => [adapter.id, example.url, example.expect] as const)))(
    '%s recognises its own example %s',
    (id, url, expected) => {
      const probe = probeUrl(url);
      expect(probe?.kind === 'record' ? [probe.detection.adapter.id, probe.detection.record.objectType, probe.detection.record.recordId] : probe)
        .toEqual([id, expected.objectType, expected.recordId]);
    },
  );

  it.each(ADAPTERS.flatMap((adapter) => ADAPTER_EXAMPLES[adapter.id].nearMisses.map((url) => [adapter.id, url] as const)))(
    '%s: %s is not a record page',
    (_id, url) => {
      expect(probeUrl(url)).toEqual({ kind: 'none' });
    },
  );

  it.each<[string, ReturnType<typeof probeUrl>]>([
    ['', undefined],
    ['   ', undefined],
    ['https://', { kind: 'invalid' }],
    ['ftp://acme.lightning.force.com/lightning/r/Lead/00Q5g00000AbCdEEAV/view', { kind: 'invalid' }],
    ['https://example.com/', { kind: 'none' }],
  ])('%j → %j', (input, expected) => {
    expect(probeUrl(input)).toEqual(expected);
  });
});
