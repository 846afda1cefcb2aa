/**
 * kintone webhook notifications and the admin's mapping of apps to LeadLens.
 * https://jp.cybozu.help/k/en/user/app_settings/set_webhook/webhook_notification.html
 * The record object is the REST API's record format (field code → { type, value }).
 */
import { z } from 'zod';
import { ConnectorBase } from '../module';

export const KintoneField = z.object({ type: z.string(), value: z.unknown() });
export const KintoneRecord = z.record(z.string(), KintoneField);
export type KintoneRecord = z.infer<typeof KintoneRecord>;

const App = z.object({ id: z.string().min(1), name: z.string().optional() });

export const RecordNotification = z.object({
  id: z.string().min(1),
  type: z.enum(['ADD_RECORD', 'UPDATE_RECORD', 'UPDATE_STATUS']),
  app: App,
  record: KintoneRecord,
  recordTitle: z.string().optional(),
  url: z.string().min(1),
});

// The documentation spells the deletion fields both `deletedBy`/`deletedAt` and `deleteBy`/`deleteAt`.
export const DeleteNotification = z.object({
  id: z.string().min(1),
  type: z.literal('DELETE_RECORD'),
  app: App,
  recordId: z.string().min(1),
});

export const CommentNotification = z.object({
  id: z.string().min(1),
  type: z.literal('ADD_RECORD_COMMENT'),
  app: App,
  recordId: z.string().min(1),
  comment: z.object({
    id: z.string().min(1),
    text: z.string(),
    createdAt: z.iso.datetime({ offset: true }),
    creator: z.object({ code: z.string(), name: z.string() }).optional(),
  }),
  url: z.string().optional(),
});

export const KintoneNotification = z.discriminatedUnion('type', [RecordNotification, DeleteNotification, CommentNotification]);
export type KintoneNotification = z.infer<typeof KintoneNotification>;

const FieldCode = z.string().min(1);
const STAGES = ['lead', 'process', 'sleep', 'churn'] as const;

/** An app that holds people: each record is one lead. */
export const LeadsApp = z.object({
  app: z.string().regex(/^\d+$/, 'the app id (a number)'),
  target: z.literal('leads'),
  fields: z.object({
    /** One code, or several joined by a space (姓 + 名). */
    name: z.union([FieldCode, z.array(FieldCode).min(1)]),
    company: FieldCode.optional(),
    email: FieldCode.optional(),
    phone: FieldCode.optional(),
    ownerEmail: FieldCode.optional(),
    team: FieldCode.optional(),
    jobTitle: FieldCode.optional(),
    employees: FieldCode.optional(),
    /** A field (often the process management status) and how its values read as our stages. */
    stage: z.object({ field: FieldCode, values: z.record(z.string(), z.enum(STAGES)) }).optional(),
  }),
});

/** An app that holds touchpoints (visits, seminar attendance, …): each record is one event. */
export const ActivitiesApp = z.object({
  app: z.string().regex(/^\d+$/, 'the app id (a number)'),
  target: z.literal('activities'),
  fields: z.object({
    /** How a record names its lead: an email field, or a field holding the leads app's record number. */
    lead: z.union([
      z.object({ email: FieldCode }),
      z.object({ externalId: FieldCode }),
      z.object({ leadsApp: z.string().regex(/^\d+$/), recordNumber: FieldCode }),
    ]),
    type: z.union([
      z.object({ fixed: z.string().min(1).max(64) }),
      z.object({ field: FieldCode, values: z.record(z.string(), z.string().min(1).max(64)), otherwise: z.string().min(1).max(64).optional() }),
    ]),
    /** Default: the record's creation time (作成日時). */
    at: FieldCode.default('作成日時'),
    title: FieldCode.optional(),
    detail: FieldCode.optional(),
    url: FieldCode.optional(),
  }),
});

export const AppMapping = z.discriminatedUnion('target', [LeadsApp, ActivitiesApp]);
export type AppMapping = z.infer<typeof AppMapping>;

export const KintonePull = z.object({
  enabled: z.boolean().default(false),
  /** An API token with view permission on every mapped app (comma-join several apps' tokens). */
  apiToken: z.string().min(1),
  intervalSeconds: z.number().int().min(60).default(300),
  /** The update-time field's code (更新日時 in Japanese apps, Updated_datetime in English ones). */
  updatedField: FieldCode.default('更新日時'),
  /** First run only: take records updated since then (ISO); absent = all records. */
  since: z.iso.datetime({ offset: true }).optional(),
  /** Tests and on-premise proxies; default https://<host>. */
  baseUrl: z.url().optional(),
});
export type KintonePull = z.infer<typeof KintonePull>;

export const KintoneConfig = ConnectorBase.extend({
  /** The tenant, e.g. example.cybozu.com: notifications from another host are rejected. */
  host: z.string().regex(/^[a-z0-9.-]+(:\d+)?$/i, 'a host name such as example.cybozu.com'),
  /** kintone signs nothing, so the URL carries this secret: long and random. */
  urlSecret: z.string().min(24, 'at least 24 characters (the URL is the only credential)').regex(/^[A-Za-z0-9_-]+$/),
  apps: z.array(AppMapping).min(1),
  pull: KintonePull.optional(),
}).superRefine((c, ctx) => {
  const seen = new Set<string>();
  for (const a of c.apps) {
    if (seen.has(a.app)) ctx.addIssue({ code: 'custom', message: `app ${a.app} is mapped twice`, path: ['apps'] });
    seen.add(a.app);
  }
});
export type KintoneConfig = z.infer<typeof KintoneConfig>;
