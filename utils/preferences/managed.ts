/**
 * Enterprise policy: what an administrator pushes through chrome.storage.managed (Windows GPO,
 * macOS profiles, Google Admin console) to every rep's browser. Read-only for the extension.
 * The manifest points Chrome at public/managed_schema.json (`storage.managed_schema`), which must
 * list every key below: a test checks that they agree.
 * https://developer.chrome.com/docs/extensions/reference/manifest/storage
 *
 * Admins make mistakes too: each field is validated on its own, a bad one is dropped and
 * reported, the rest applies. `loadManagedPolicy` never throws and answers {} where there is no
 * managed storage (Firefox without an enterprise policy rejects the call; tests have no policy).
 */
import { browser } from 'wxt/browser';
import { storage } from 'wxt/utils/storage';
import { z } from 'zod';
import { TeamPolicySchema } from '../policy/schema';

export const MAX_CUSTOM_RULES = 100;

/**
 * A rule for an in-house CRM (the generic adapter). Only `pattern` is required here; the other
 * fields belong to the rule adapter, which validates them itself: we pass them through as long
 * as they are strings.
 */
export const ManagedCustomRule = z
  .object({ pattern: z.string().min(1).max(2048) })
  .catchall(z.string().max(2048));
export type ManagedCustomRule = z.infer<typeof ManagedCustomRule>;

/** Team policy fields an admin may pin: any of the options page's team policy fields (the same
 *  schema, utils/policy/schema.ts), each whole (business hours come as one object). */
export const ManagedTeamPolicy = TeamPolicySchema.partial();
export type ManagedTeamPolicy = z.infer<typeof ManagedTeamPolicy>;

export const ManagedPolicy = z.object({
  /** Scoring API URL, fixed for the whole company. */
  apiUrl: z.url({ protocol: /^https?$/ }).optional(),
  customRules: z.array(ManagedCustomRule).max(MAX_CUSTOM_RULES).optional(),
  teamPolicy: ManagedTeamPolicy.optional(),
  /** How often the background polls for changes. */
  pollIntervalSeconds: z.int().min(30).max(3600).optional(),
});
export type ManagedPolicy = z.infer<typeof ManagedPolicy>;

export interface DroppedPolicyField {
  path: string;
  message: string;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function describe(error: z.ZodError): string {
  return error.issues.map((i) => i.message).join('; ');
}

/** Field by field (team policy one level deeper, rules one by one); unknown keys are ignored. */
export function parseManagedPolicy(raw: unknown): { policy: ManagedPolicy; dropped: DroppedPolicyField[] } {
  const dropped: DroppedPolicyField[] = [];
  if (!isPlainObject(raw)) {
    if (raw !== undefined && raw !== null) dropped.push({ path: '', message: 'not an object' });
    return { policy: {}, dropped };
  }
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(ManagedPolicy.shape)) {
    const value = raw[key];
    if (value === undefined) continue;
    const parsed = (schema as z.ZodType).safeParse(value);
    if (parsed.success) {
      out[key] = parsed.data;
      continue;
    }
    if (key === 'customRules' && Array.isArray(value)) {
      const rules: ManagedCustomRule[] = [];
      value.forEach((rule, index) => {
        const r = ManagedCustomRule.safeParse(rule);
        if (r.success && rules.length < MAX_CUSTOM_RULES) rules.push(r.data);
        else dropped.push({ path: `customRules.${index}`, message: r.success ? 'too many rules' : describe(r.error) });
      });
      out[key] = rules;
      continue;
    }
    if (key === 'teamPolicy' && isPlainObject(value)) {
      const team: Record<string, unknown> = {};
      for (const [field, fieldSchema] of Object.entries(ManagedTeamPolicy.shape)) {
        const r = (fieldSchema as z.ZodType).safeParse(value[field]);
        if (r.success) {
          if (r.data !== undefined) team[field] = r.data;
        } else {
          dropped.push({ path: `teamPolicy.${field}`, message: describe(r.error) });
        }
      }
      out[key] = team;
      continue;
    }
    dropped.push({ path: key, message: describe(parsed.error) });
  }
  const policy = ManagedPolicy.safeParse(out);
  return policy.success ? { policy: policy.data, dropped } : { policy: {}, dropped: [...dropped, { path: '', message: describe(policy.error) }] };
}

export type ManagedReader = () => Promise<unknown>;

const readManagedArea: ManagedReader = async () => {
  const area = browser.storage?.managed;
  return area ? await area.get(null) : {};
};

/**
 * The admin's policy, {} when there is none or managed storage is unavailable. Invalid fields are
 * left out and passed to `onDropped` (for the options page and the log). Never throws.
 */
export async function loadManagedPolicy(
  read: ManagedReader = readManagedArea,
  onDropped?: (dropped: DroppedPolicyField[]) => void,
): Promise<ManagedPolicy> {
  let raw: unknown;
  try {
    raw = await read();
  } catch {
    // Firefox: "Managed storage manifest not found" when no policy is installed.
    return {};
  }
  const { policy, dropped } = parseManagedPolicy(raw);
  if (dropped.length > 0) onDropped?.(dropped);
  return policy;
}

/** The managed policy as last read, kept for the next start of the worker (admin settings, no secret). */
export const seenManagedItem = storage.defineItem<unknown>('local:managedPolicySeen', { fallback: null });

export interface ManagedCopy {
  getValue(): Promise<unknown>;
  setValue(value: ManagedPolicy): Promise<void>;
}

/**
 * The managed policy for the decisions a cached lookup and the badge make (the team policy in
 * force), without waiting for managed storage at a browser start: Chromium answers
 * storage.managed only once its policy service is up, two seconds and more after the start
 * (measured: npm run bench, coldStart), and the first panel waited for it. Until the live read
 * (`live`) has answered, the copy it stored the last time answers; the live answer then replaces
 * the copy, and `changed` is called when it differs, so whatever was decided from the copy is
 * decided again. With no copy yet (the first start ever) the live read is awaited. Once the live
 * read has answered, every call is `live()` (the caller's memo, reset when the policy changes).
 * The connection (API URL) does not use this: a request waits for the live policy.
 */
export function managedAtBoot(live: () => Promise<ManagedPolicy>, copy: ManagedCopy, changed: () => void): () => Promise<ManagedPolicy> {
  let settled = false;
  const stored = copy.getValue().then((raw) => (raw === null || raw === undefined ? undefined : parseManagedPolicy(raw).policy), () => undefined);
  const first = live().then(async (policy) => {
    settled = true;
    const before = await stored;
    if (JSON.stringify(before) !== JSON.stringify(policy)) {
      // A failed write only costs the next start its head start.
      await copy.setValue(policy).catch(() => undefined);
      if (before !== undefined) changed();
    }
    return policy;
  }, (error: unknown) => {
    settled = true;
    throw error;
  });
  first.catch(() => undefined); // the callers see a failure; nobody awaiting it is no error
  return () => (settled ? live() : Promise.race([first, stored.then((policy) => policy ?? first)]));
}
