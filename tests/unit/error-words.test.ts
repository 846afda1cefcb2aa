// Errors are kinds with parameters; the words are the UI's, in the reader's language. Each kind
// the client and the sync engine return is worded from both catalogues; the expected sentences
// are written out by hand.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorText, type ApiError, type StorageError } from '../../utils/api/errors';
import { substitute } from '../../utils/i18n';
import en from '../../public/_locales/en/messages.json';
import ja from '../../public/_locales/ja/messages.json';

const words = (catalogue: Record<string, { message: string } | undefined>, error: ApiError | StorageError | { kind: string; message: string }) => {
  const { key, params } = errorText(error, (ms) => new Date(ms).toISOString().slice(11, 16));
  const entry = catalogue[key];
  if (!entry) throw new Error(`missing ${key}`);
  return substitute(entry.message, params);
};
const asOf = Date.parse('2026-11-24T09:05:00Z');

describe('error words', () => {
  it.each<[ApiError | StorageError | { kind: string; message: string }, string, string]>([
    [{ kind: 'unauthorized', status: 401, detail: 'token revoked', message: 'x' }, 'The scoring API rejected the token: token revoked', 'スコアリングAPIがトークンを拒否しました: token revoked'],
    [{ kind: 'unauthorized', status: 403, message: 'x' }, 'The scoring API rejected the token', 'スコアリングAPIがトークンを拒否しました'],
    [{ kind: 'rate_limited', status: 429, retryAfterMs: 3000, message: 'x' }, 'The scoring API asked us to slow down', 'スコアリングAPIから間隔を空けるよう求められました'],
    [{ kind: 'rate_limited', status: 503, message: 'x' }, 'The scoring API is temporarily unavailable', 'スコアリングAPIは一時的に利用できません'],
    [{ kind: 'server', status: 502, message: 'x' }, 'The scoring API failed with HTTP 502', 'スコアリングAPIがエラーを返しました (HTTP 502)'],
    [{ kind: 'server', status: 500, detail: 'db down', message: 'x' }, 'The scoring API failed with HTTP 500: db down', 'スコアリングAPIがエラーを返しました (HTTP 500: db down)'],
    [{ kind: 'unreachable', url: 'https://api.example.jp', message: 'x' }, 'Cannot reach https://api.example.jp (offline, or CORS not allowed)', 'https://api.example.jp に接続できません (オフライン、またはCORSが許可されていません)'],
    [{ kind: 'timeout', timeoutMs: 15_000, message: 'x' }, 'The scoring API did not answer within 15 s', 'スコアリングAPIが 15 秒以内に応答しませんでした'],
    [{ kind: 'bad_shape', issues: ['a', 'b', 'c', 'd', 'e'], message: 'x' }, 'The scoring API answered in an unexpected shape: a; b; c (+2 more)', 'スコアリングAPIの応答の形式が想定と異なります: a; b; c (+2 more)'],
    [{ kind: 'config', reason: 'not_a_url', value: 'api.test', message: 'x' }, '"api.test" is not a URL. Use the form https://scoring.example.com', '「api.test」はURLではありません。https://scoring.example.com の形式で入力してください'],
    [{ kind: 'config', reason: 'not_http', value: 'ftp:', message: 'x' }, 'The Scoring API URL must start with https:// (got ftp:)', 'スコアリングAPIのURLは https:// で始めてください (ftp: でした)'],
    [{ kind: 'config', reason: 'no_token', message: 'x' }, 'Enter the API token.', 'APIトークンを入力してください。'],
    [{ kind: 'storage', asOf, message: 'x' }, 'The browser is out of storage space for LeadLens: older lead details were removed; the lead list is kept as of 09:05', 'ブラウザの保存領域が不足しています。古いリード詳細を削除し、リード一覧は 09:05 時点のものを保持しています'],
    // A sync state's stored error: worded from the error it wraps, with the server's detail.
    [{ kind: 'rate_limited', message: 'x', at: asOf, error: { kind: 'rate_limited', status: 503, detail: 'maintenance', message: 'x' } } as { kind: string; message: string }, 'The scoring API is temporarily unavailable: maintenance', 'スコアリングAPIは一時的に利用できません: maintenance'],
    // Stored by the previous version: a kind and an English sentence only.
    [{ kind: 'unreachable', message: 'Cannot reach https://old.example (offline, or CORS not allowed)' }, 'Cannot reach https://old.example (offline, or CORS not allowed)', 'Cannot reach https://old.example (offline, or CORS not allowed)'],
  ])('%j', (error, english, japanese) => {
    expect(words(en, error)).toBe(english);
    expect(words(ja, error)).toBe(japanese);
  });
});

describe('catalogues Chrome can load', () => {
  // JSON keeps the last of two equal keys without a word: a new message must not shadow an old one.
  it.each(['en', 'ja'])('%s: every message key once', (lang) => {
    const raw = readFileSync(join(import.meta.dirname, `../../public/_locales/${lang}/messages.json`), 'utf8');
    const keys = [...raw.matchAll(/^ {2}"([^"]+)": \{/gm)].map((m) => m[1]);
    expect(keys.filter((key, i) => keys.indexOf(key) !== i)).toEqual([]);
    expect(keys.length).toBe(Object.keys(JSON.parse(raw) as object).length);
  });

  // Chrome reads "$1$" as a named placeholder and refuses to load the whole extension.
  it.each([['en', en], ['ja', ja]] as const)('%s: no positional substitution directly followed by $', (_lang, catalogue) => {
    const bad = Object.entries(catalogue as Record<string, { message: string }>).filter(([, entry]) => /\$[1-9]\$/.test(entry.message.replace(/\$\$/g, ''))).map(([key]) => key);
    expect(bad).toEqual([]);
  });
});
