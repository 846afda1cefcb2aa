/**
 * Alert mail: what a mail says (pure, ja and en) and sending it over SMTP with nodemailer. Each
 * need is claimed in the store before its mail goes out, so two server processes, a retry or a
 * restart never mail the same need twice; a failed send releases the claim for the next run.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import { z } from 'zod';
import type { NeedRow } from './activity';
import { decideAlerts, digestContent, digestDue, type AlertMail, type AlertSettings } from './alerts';
import type { WindowRule } from './calendar';
import { leadRecordUrl } from './links';
import { needOutcomes, type NeedOutcome } from './response';
import type { CallRow } from './activity';

export const SmtpConfigSchema = z.object({
  /** smtp://user:pass@host:587 or smtps://host:465 (nodemailer's connection URL). */
  url: z.string().regex(/^smtps?:\/\//, 'smtp:// or smtps:// URL'),
  from: z.string().min(3),
});
export type SmtpConfig = z.infer<typeof SmtpConfigSchema>;

/** SMTP settings from the server's environment; undefined when alert mail is not configured. */
export function smtpConfigFromEnv(env: Readonly<Record<string, string | undefined>>): SmtpConfig | undefined {
  if (!env.LEADLENS_SMTP_URL) return undefined;
  return SmtpConfigSchema.parse({ url: env.LEADLENS_SMTP_URL, from: env.LEADLENS_MAIL_FROM ?? 'LeadLens <leadlens@localhost>' });
}

export const createMailTransport = (config: SmtpConfig): Transporter => nodemailer.createTransport(config.url);

export interface ComposedMail {
  subject: string;
  text: string;
}

type Locale = AlertSettings['locale'];

const minutesText = (ms: number, locale: Locale): string => {
  const m = Math.max(0, Math.round(ms / 60_000));
  const h = Math.floor(m / 60);
  if (locale === 'ja') return h > 0 ? `${h} 時間 ${m % 60} 分` : `${m} 分`;
  return h > 0 ? `${h} h ${m % 60} min` : `${m} min`;
};

const leadLine = (need: NeedRow): string => (need.company ? `${need.leadName} (${need.company})` : need.leadName);

export function composeAlert(mail: AlertMail, locale: Locale): ComposedMail {
  const link = leadRecordUrl(mail.need.crmRefs ?? []);
  const left = minutesText(mail.timeLeftMs, locale);
  if (locale === 'ja') {
    return {
      subject: `【LeadLens】未架電のホットリード: ${mail.need.leadName}（残り ${left}）`,
      text: [
        'ホットリードがまだ架電されていません。',
        '',
        `リード: ${leadLine(mail.need)}`,
        `理由: ${mail.need.needReason ?? '—'}`,
        `架電期限まで: 残り ${left}`,
        link ? `CRM で開く: ${link}` : 'CRM のレコードへのリンクはありません。',
        '',
        'このメールは LeadLens が 1 件のニーズにつき 1 回だけ送ります。',
      ].join('\n'),
    };
  }
  return {
    subject: `[LeadLens] Hot lead not called yet: ${mail.need.leadName} (${left} left)`,
    text: [
      'A hot lead has not been called yet.',
      '',
      `Lead: ${leadLine(mail.need)}`,
      `Why: ${mail.need.needReason ?? '—'}`,
      `Time left in the call window: ${left}`,
      link ? `Open in the CRM: ${link}` : 'No link to the CRM record.',
      '',
      'LeadLens sends this mail once per need.',
    ].join('\n'),
  };
}

export function composeDigest(date: string, missed: readonly NeedOutcome[], waiting: number, locale: Locale): ComposedMail {
  const lines = missed.map((o) => {
    const link = leadRecordUrl(o.need.crmRefs ?? []);
    return `- ${leadLine(o.need)}: ${o.need.needReason ?? '—'}${link ? `\n  ${link}` : ''}`;
  });
  if (locale === 'ja') {
    return {
      subject: `【LeadLens】${date} のまとめ: 期限切れ ${missed.length} 件、架電待ち ${waiting} 件`,
      text: [`前回のまとめ以降、2 時間以内に架電されなかったニーズ: ${missed.length} 件`, ...lines, '', `いま架電待ちのホットリード: ${waiting} 件`].join('\n'),
    };
  }
  return {
    subject: `[LeadLens] Digest for ${date}: ${missed.length} missed, ${waiting} waiting`,
    text: [`Needs not called within the window since the last digest: ${missed.length}`, ...lines, '', `Hot leads waiting for a call now: ${waiting}`].join('\n'),
  };
}

/** What the alert run needs from storage, per team. */
export interface AlertStore {
  teamIds(): Promise<string[]>;
  alertContext(teamId: string, now: number): Promise<{
    rule: WindowRule;
    settings: AlertSettings;
    /** The current need of each lead that is hot now, with its CRM refs. */
    hotNeeds: NeedRow[];
    /** Needs whose windows may have closed since the last digest (for the digest). */
    recentNeeds: NeedRow[];
    calls: CallRow[];
    sentKeys: Set<string>;
    ownerEmails: Map<string, string>;
    lastDigest?: { date: string; at: number };
  }>;
  /** true when this process won the right to mail this need (a unique row). */
  claimAlert(teamId: string, key: string, now: number): Promise<boolean>;
  releaseAlert(teamId: string, key: string): Promise<void>;
  claimDigest(teamId: string, date: string, now: number): Promise<boolean>;
  releaseDigest(teamId: string, date: string): Promise<void>;
}

export interface AlertRunResult {
  sent: string[];
  failed: { key: string; error: string }[];
  digests: string[];
}

/** One pass over every team: instant mails for needs past the delay, and the digest when due. */
export async function runAlerts(store: AlertStore, transport: Transporter, from: string, now: number): Promise<AlertRunResult> {
  const result: AlertRunResult = { sent: [], failed: [], digests: [] };
  for (const teamId of await store.teamIds()) {
    const ctx = await store.alertContext(teamId, now);
    const mails = decideAlerts({
      hotNeeds: ctx.hotNeeds, calls: ctx.calls, rule: ctx.rule, settings: ctx.settings,
      alreadySent: ctx.sentKeys, ownerEmail: (id) => ctx.ownerEmails.get(id), now,
    });
    for (const mail of mails) {
      if (!(await store.claimAlert(teamId, mail.key, now))) continue;
      try {
        await transport.sendMail({ from, to: mail.to, cc: mail.cc, ...composeAlert(mail, ctx.settings.locale) });
        result.sent.push(mail.key);
      } catch (error) {
        await store.releaseAlert(teamId, mail.key);
        result.failed.push({ key: mail.key, error: error instanceof Error ? error.message : String(error) });
      }
    }
    const date = digestDue(now, ctx.lastDigest?.date, ctx.settings, ctx.rule);
    if (date !== undefined && (await store.claimDigest(teamId, date, now))) {
      const outcomes = needOutcomes(ctx.recentNeeds, ctx.calls, ctx.rule, now);
      const missed = digestContent(outcomes, ctx.lastDigest?.at ?? now - 24 * 3_600_000, now);
      const waiting = needOutcomes(ctx.hotNeeds, ctx.calls, ctx.rule, now).filter((o) => o.status === 'waiting').length;
      try {
        await transport.sendMail({ from, to: ctx.settings.address, ...composeDigest(date, missed, waiting, ctx.settings.locale) });
        result.digests.push(`${teamId}:${date}`);
      } catch (error) {
        await store.releaseDigest(teamId, date);
        result.failed.push({ key: `digest:${teamId}:${date}`, error: error instanceof Error ? error.message : String(error) });
      }
    }
  }
  return result;
}
