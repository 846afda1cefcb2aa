/**
 * Reading kintone field values as text, whatever the field type: strings as they are, numbers
 * from their string form, user/organisation pickers and creators by code or name, check boxes
 * and multi-selects joined. https://cybozu.dev/ja/kintone/docs/overview/field-types/
 */
import type { KintoneRecord } from './schema';

function text(value: unknown, prefer: 'name' | 'code'): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const parts = value.map((v) => text(v, prefer)).filter((v): v is string => v !== undefined);
    return parts.length ? parts.join(', ') : undefined;
  }
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return text(o[prefer] ?? o.name ?? o.code, prefer);
  }
  return undefined;
}

export function fieldText(record: KintoneRecord, code: string): string | undefined {
  return text(record[code]?.value, 'name');
}

/** Users: their code is their login name, which is usually their email. */
export function fieldCode(record: KintoneRecord, code: string): string | undefined {
  const v = record[code]?.value;
  return Array.isArray(v) ? text(v[0], 'code') : text(v, 'code');
}

export function recordId(record: KintoneRecord): string | undefined {
  return fieldText(record, '$id');
}

export function recordUrl(host: string, app: string, id: string): string {
  return `https://${host}/k/${app}/show#record=${id}`;
}

/** `https://example.cybozu.com/k/1/show#record=2` → host, app, record (guest spaces too). */
export function parseRecordUrl(url: string): { host: string; app: string; record: string } | undefined {
  let u: URL;
  try { u = new URL(url); } catch { return undefined; }
  const app = /\/k\/(?:guest\/\d+\/)?(\d+)\/show/.exec(u.pathname)?.[1];
  const record = /record=(\d+)/.exec(u.hash)?.[1];
  return app && record ? { host: u.host, app, record } : undefined;
}
