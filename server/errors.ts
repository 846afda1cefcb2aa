/** An error with an HTTP status and a stable code, answered as { error: { code, message } }. */
export class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

export const notFound = (what: string): HttpError => new HttpError(404, 'not_found', what);

/**
 * The server's sentences in Japanese, chosen per request by Accept-Language: a Japanese
 * extension shows them after its own sentence, so an English tail would break the line.
 * Keyed by the English sentence (the one place it is written); a sentence made at run time
 * (a zod issue path, a size) stays English, for the developers who read it.
 */
const JA: Record<string, string> = {
  'missing or invalid bearer token': 'トークンがないか、無効です',
  'too many requests for this token': 'このトークンからの要求が多すぎます',
  'no lead behind that id': 'このIDの見込み客は見つかりません',
  'no lead behind that record': 'このレコードに紐づく見込み客は見つかりません',
  'cursor is not valid': 'カーソルが無効です',
  'timelineCursor is not valid': 'タイムラインのカーソルが無効です',
  'give crm, objectType and recordId (and host), or email': 'crm・objectType・recordId（と host）、または email を指定してください',
  'this Idempotency-Key was used with a different body': 'この Idempotency-Key は別の内容で使われています',
  'send an Idempotency-Key header': 'Idempotency-Key ヘッダーを付けてください',
  'send application/json': 'application/json で送ってください',
  'request body too large': '要求の本文が大きすぎます',
  'internal server error': 'サーバー内部のエラーです',
  'no such user': 'そのユーザーは見つかりません',
  'no failed delivery with this id': 'このIDの失敗した書き戻しは見つかりません',
  'reps see only their own numbers': '営業担当者が見られるのは自分の数字だけです',
  'cross-origin request refused': '別オリジンからの要求は受け付けません',
  'sign in again': 'もう一度サインインしてください',
  'managers and admins only': 'マネージャーと管理者だけが使えます',
  'this token is not valid (revoked or mistyped)': 'このトークンは無効です（取り消し済みか入力ミス）',
  'connector tokens cannot sign in': '連携用トークンではサインインできません',
  'no such rep in your team': 'チームにその営業担当者はいません',
  'no such lead in your team': 'チームにその見込み客はいません',
  'someone saved these rules meanwhile: reload and try again': 'その間に別の人がルールを保存しました。再読み込みしてやり直してください',
  'admins only': '管理者だけが使えます',
  'only an admin adds managers': 'マネージャーを追加できるのは管理者だけです',
  'a user with this email exists': 'このメールアドレスのユーザーはすでにいます',
  'no such user in your team': 'チームにそのユーザーはいません',
  'you cannot remove yourself': '自分自身は削除できません',
  'no such token in your team': 'チームにそのトークンはありません',
};

const ROLE_JA: Record<string, string> = { rep: '営業担当者', manager: 'マネージャー', admin: '管理者', ingest: '連携用' };

/** The role sentence is the one made at run time that a rep can meet. */
export const forbiddenRolesMessage = (roles: readonly string[]): string => `this needs a ${roles.join(' or ')} token`;

export function errorMessageIn(message: string, locale: 'ja' | 'en'): string {
  if (locale === 'en') return message;
  const fixed = JA[message];
  if (fixed) return fixed;
  const roles = /^this needs a (.+) token$/.exec(message)?.[1];
  if (roles) return `${roles.split(' or ').map((r) => ROLE_JA[r] ?? r).join('または')}のトークンが必要です`;
  return message;
}
