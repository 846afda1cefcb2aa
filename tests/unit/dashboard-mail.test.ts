// @vitest-environment node
// Alert mail through a real SMTP server started here: one mail per need, none after hours,
// concurrent runs never double-send, and the link opens the right CRM record.
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallRow, NeedRow } from '../../server/dashboard/activity';
import { DEFAULT_ALERT_SETTINGS } from '../../server/dashboard/alerts';
import { createMailTransport, runAlerts, smtpConfigFromEnv, type AlertStore } from '../../server/dashboard/mail';
import { detectRecord } from '../../utils/crm/registry';
import type { CrmRef } from '../../utils/api/contract';
import { readMail, type ReadMail } from './mime-reader';

interface Received extends ReadMail { rcpt: string[] }
const inbox: Received[] = [];
let server: SMTPServer;
let port = 0;
const rejectRcpt = new Set<string>();

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onRcptTo(address, _session, cb) {
      cb(rejectRcpt.has(address.address) ? Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }) : undefined);
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        inbox.push({ ...readMail(Buffer.concat(chunks).toString('utf8')), rcpt: session.envelope.rcptTo.map((r) => r.address) });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const jst = (local: string): string => `${local}+09:00`;
const at = (local: string): number => Date.parse(jst(local));
const kintone: CrmRef = { crm: 'kintone', objectType: '12', recordId: '345', host: 'acme.cybozu.com' };
const salesforce: CrmRef = { crm: 'salesforce', objectType: 'Lead', recordId: '00Q5g00000AbCdEEAV', host: 'acme.lightning.force.com' };
const need = (leadId: string, local: string, refs: CrmRef[]): NeedRow =>
  ({ leadId, leadName: `山田 ${leadId}`, company: '株式会社テスト', ownerId: 'r1', needDetectedAt: jst(local), needReason: 'セミナー参加', crmRefs: refs });

/** A store with the database's semantics for claims: one row per key, first writer wins. */
function memoryStore(hotNeeds: () => NeedRow[], calls: () => CallRow[], settings = { ...DEFAULT_ALERT_SETTINGS, address: 'team@example.jp', ccOwner: true }) {
  const claimed = new Set<string>();
  const digests = new Map<string, number>();
  const store: AlertStore = {
    teamIds: async () => ['t1'],
    alertContext: async () => ({
      rule: { windowMinutes: 120, calendar: { start: '09:00', end: '19:00', days: [1, 2, 3, 4, 5], timeZone: 'Asia/Tokyo', closedDates: [], japaneseHolidays: true } },
      settings, hotNeeds: hotNeeds(), recentNeeds: hotNeeds(), calls: calls(), sentKeys: new Set(claimed),
      ownerEmails: new Map([['r1', 'sato@example.jp']]),
      lastDigest: [...digests].map(([date, ms]) => ({ date, at: ms })).pop(),
    }),
    claimAlert: async (_t, key) => (claimed.has(key) ? false : (claimed.add(key), true)),
    releaseAlert: async (_t, key) => void claimed.delete(key),
    claimDigest: async (_t, date, now) => (digests.has(date) ? false : (digests.set(date, now), true)),
    releaseDigest: async (_t, date) => void digests.delete(date),
  };
  return store;
}

describe('alert mail over SMTP', () => {
  it('reads its SMTP settings from the environment', () => {
    expect(smtpConfigFromEnv({})).toBeUndefined();
    expect(smtpConfigFromEnv({ LEADLENS_SMTP_URL: 'smtp://h:25', LEADLENS_MAIL_FROM: 'a@b.jp' })).toEqual({ url: 'smtp://h:25', from: 'a@b.jp' });
    expect(() => smtpConfigFromEnv({ LEADLENS_SMTP_URL: 'http://h' })).toThrow();
  });

  it('one mail per missed need, none outside business hours, the link opens the record', async () => {
    inbox.length = 0;
    const transport = createMailTransport({ url: `smtp://127.0.0.1:${port}`, from: 'leadlens@example.jp' });
    let hot = [need('N1', '2026-11-26T13:30:00', [kintone]), need('N2', '2026-11-26T13:45:00', [salesforce])];
    const calls: CallRow[] = [];
    const store = memoryStore(() => hot, () => calls);
    const from = 'LeadLens <leadlens@example.jp>';

    // 14:00: N1 has waited 30 min, N2 15 min. Two processes run at once: still one mail.
    const [a, b] = await Promise.all([runAlerts(store, transport, from, at('2026-11-26T14:00:00')), runAlerts(store, transport, from, at('2026-11-26T14:00:00'))]);
    expect([...a.sent, ...b.sent]).toHaveLength(1);
    expect(inbox).toHaveLength(1);
    const first = inbox[0]!;
    expect(first.rcpt.sort()).toEqual(['sato@example.jp', 'team@example.jp']);
    expect(first.subject).toBe('【LeadLens】未架電のホットリード: 山田 N1（残り 1 時間 30 分）');
    expect(first.text).toContain('リード: 山田 N1 (株式会社テスト)');
    expect(first.text).toContain('理由: セミナー参加');
    const link = /https:\/\/\S+/.exec(first.text)?.[0];
    expect(detectRecord(link ?? '')?.record).toMatchObject({ crm: 'kintone', objectType: '12', recordId: '345' });

    // Again at 14:05: nothing new (N1 already mailed, N2 not yet 30 min).
    expect((await runAlerts(store, transport, from, at('2026-11-26T14:05:00'))).sent).toEqual([]);
    // N2 is called at 14:10: no mail for it ever.
    calls.push({ id: 'c1', leadId: 'N2', actorId: 'r1', at: jst('2026-11-26T14:10:00'), outcome: 'connected' });
    expect((await runAlerts(store, transport, from, at('2026-11-26T14:20:00'))).sent).toEqual([]);

    // A need at 18:45 waits past closing: nothing at 19:20, nothing on Saturday.
    hot = [...hot, need('N3', '2026-11-26T18:45:00', [salesforce])];
    expect((await runAlerts(store, transport, from, at('2026-11-26T19:20:00'))).sent).toEqual([]);
    expect((await runAlerts(store, transport, from, at('2026-11-28T10:00:00'))).sent).toEqual([]);
    expect(inbox).toHaveLength(1);

    // N4 arrives Friday 10:00 and is mailed at 10:30, linking to the Salesforce record.
    hot = [need('N4', '2026-11-27T10:00:00', [salesforce])];
    expect((await runAlerts(store, transport, from, at('2026-11-27T10:30:00'))).sent).toHaveLength(1);
    expect(inbox).toHaveLength(2);
    const link4 = /https:\/\/\S+/.exec(inbox[1]!.text)?.[0];
    expect(detectRecord(link4 ?? '')?.record).toMatchObject({ crm: 'salesforce', objectType: 'Lead', recordId: '00Q5g00000AbCdEEAV' });
    transport.close();
  });

  it('a refused send is retried on the next run, then sent once', async () => {
    inbox.length = 0;
    rejectRcpt.add('team@example.jp');
    const transport = createMailTransport({ url: `smtp://127.0.0.1:${port}`, from: 'x@example.jp' });
    const store = memoryStore(() => [need('R1', '2026-11-26T10:00:00', [kintone])], () => [], { ...DEFAULT_ALERT_SETTINGS, address: 'team@example.jp', ccOwner: false });
    const failed = await runAlerts(store, transport, 'x@example.jp', at('2026-11-26T10:40:00'));
    expect(failed.sent).toEqual([]);
    expect(failed.failed).toHaveLength(1);
    rejectRcpt.clear();
    expect((await runAlerts(store, transport, 'x@example.jp', at('2026-11-26T10:45:00'))).sent).toHaveLength(1);
    expect((await runAlerts(store, transport, 'x@example.jp', at('2026-11-26T10:50:00'))).sent).toEqual([]);
    expect(inbox).toHaveLength(1);
    transport.close();
  });

  it('the daily digest goes out once, in English when the team says so', async () => {
    inbox.length = 0;
    const transport = createMailTransport({ url: `smtp://127.0.0.1:${port}`, from: 'x@example.jp' });
    const needs = [need('D1', '2026-11-25T10:00:00', [kintone]), need('D2', '2026-11-25T15:00:00', [salesforce])];
    const store = memoryStore(() => needs, () => [], { ...DEFAULT_ALERT_SETTINGS, address: 'team@example.jp', instant: false, digest: true, locale: 'en' });
    await runAlerts(store, transport, 'x@example.jp', at('2026-11-26T08:00:00'));
    expect(inbox).toHaveLength(0);
    const run = await runAlerts(store, transport, 'x@example.jp', at('2026-11-26T08:30:00'));
    expect(run.digests).toEqual(['t1:2026-11-26']);
    await runAlerts(store, transport, 'x@example.jp', at('2026-11-26T09:00:00'));
    expect(inbox).toHaveLength(1);
    expect(inbox[0]!.subject).toBe('[LeadLens] Digest for 2026-11-26: 2 missed, 0 waiting');
    expect(inbox[0]!.text).toContain('https://acme.cybozu.com/k/12/show#record=345');
    transport.close();
  });
});
