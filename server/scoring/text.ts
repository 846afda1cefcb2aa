/**
 * Words the scoring model produces (factor labels, need reasons, cooldown messages, titles of
 * events the server writes), kept as locale-neutral descriptors { key, params } so they are
 * stored once and rendered in ja or en per request (Accept-Language). Params ending in `At`
 * are epoch ms shown in the team's zone (`tz`); `ageMs` is a duration.
 */
export type Locale = 'ja' | 'en';

export interface Text {
  key: string;
  params?: Record<string, string | number>;
}

/** ja when the client prefers Japanese over English, else en (the default). */
export function localeFrom(acceptLanguage: string | undefined): Locale {
  if (!acceptLanguage) return 'en';
  let best: { locale: Locale; q: number } | undefined;
  for (const part of acceptLanguage.split(',')) {
    const [tag = '', ...attrs] = part.trim().split(';');
    const q = Number(attrs.find((a) => a.trim().startsWith('q='))?.trim().slice(2) ?? 1);
    const lang = tag.trim().toLowerCase().split('-')[0];
    if ((lang === 'ja' || lang === 'en') && Number.isFinite(q) && q > 0 && (!best || q > best.q)) best = { locale: lang, q };
  }
  return best?.locale ?? 'en';
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** 2026-11-30 09:00, 24-hour in both languages; the zone in the reader's words (JST / 日本標準時). */
function formatAt(ms: number, tz: string, locale: Locale): string {
  const f = new Intl.DateTimeFormat(locale === 'ja' ? 'ja-JP' : 'en-CA', {
    // Japanese has no short zone names of its own: 'short' gives JST, 'long' 日本標準時.
    timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: locale === 'ja' ? 'long' : 'short',
  });
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(ms)) p[part.type] = part.value;
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute} ${p.timeZoneName ?? ''}`.trim();
}

function formatAge(ms: number, locale: Locale): string {
  if (ms < HOUR_MS) {
    const m = Math.max(1, Math.floor(ms / 60_000));
    return locale === 'ja' ? `${m}分前` : `${m} min ago`;
  }
  if (ms < 2 * DAY_MS) {
    const h = Math.floor(ms / HOUR_MS);
    return locale === 'ja' ? `${h}時間前` : `${h} h ago`;
  }
  const d = Math.floor(ms / DAY_MS);
  return locale === 'ja' ? `${d}日前` : `${d} days ago`;
}

const BEHAVIOUR: Record<string, [en: string, ja: string]> = {
  email_open: ['Email opens', 'メール開封'],
  email_click: ['Email clicks', 'メール内クリック'],
  web_visit: ['Web visits', 'Web訪問'],
  key_page: ['Key pages (pricing, case studies)', '重要ページ(料金・事例)'],
  download: ['Downloads', '資料ダウンロード'],
  seminar_registered: ['Seminar registrations', 'セミナー申込'],
  seminar_attended: ['Seminars attended', 'セミナー参加'],
  video_watched: ['Videos watched', '動画視聴'],
  form_submit: ['Inquiry forms', '問い合わせフォーム'],
  survey_answered: ['Survey answers', 'アンケート回答'],
  line_message: ['LINE messages', 'LINEメッセージ'],
  sms: ['SMS replies', 'SMS返信'],
};

const ONE_EVENT: Record<string, [en: string, ja: string]> = {
  email_open: ['Email open', 'メール開封'],
  email_click: ['Email click', 'メール内クリック'],
  web_visit: ['Web visit', 'Web訪問'],
  key_page: ['Key page', '重要ページ'],
  download: ['Download', '資料ダウンロード'],
  seminar_registered: ['Seminar registration', 'セミナー申込'],
  seminar_attended: ['Seminar', 'セミナー'],
  video_watched: ['Video', '動画'],
  form_submit: ['Form', 'フォーム'],
  survey_answered: ['Survey answer', 'アンケート回答'],
  line_message: ['LINE message', 'LINEメッセージ'],
  sms: ['SMS', 'SMS'],
};

/** The event types named in words of their own (others read as their code): every one can be in a need reason. */
export const NAMED_EVENT_TYPES: readonly string[] = Object.keys(ONE_EVENT);

const OUTCOMES: Record<string, [en: string, ja: string]> = {
  connected: ['connected', '本人と通話'],
  no_answer: ['no answer', '不在'],
  busy: ['busy', '話し中'],
  gatekeeper: ['stopped at reception', '受付ブロック'],
  meeting_set: ['meeting set', 'アポ獲得'],
  lost: ['lost', '失注'],
  complaint: ['complaint', 'クレーム'],
};

const LOSS: Record<string, [en: string, ja: string]> = {
  price: ['price', '価格'],
  timing: ['timing', '時期'],
  competitor: ['competitor', '競合'],
  no_need: ['no need', 'ニーズなし'],
  other: ['other', 'その他'],
};

const TITLE_FIT: Record<string, [en: string, ja: string]> = {
  decision_maker: ['Decision maker', '決裁者'],
  manager: ['Manager', '管理職'],
};

const WEEKDAY = { en: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'], ja: ['日', '月', '火', '水', '木', '金', '土'] };

/** A value this server does not know (a newer connector's) reads as its code in English, generically in Japanese. */
const pick = (table: Record<string, [string, string]>, key: string, locale: Locale): string => {
  const hit = table[key];
  if (hit) return hit[locale === 'ja' ? 1 : 0];
  return locale === 'ja' ? 'その他' : key.replace(/_/g, ' ');
};

type Params = Record<string, string | number>;

const str = (p: Params, k: string): string => String(p[k] ?? '');
const num = (p: Params, k: string): number => Number(p[k] ?? 0);

/** Renders a descriptor; an unknown key renders as the key itself rather than failing. */
export function render(text: Text, locale: Locale): string {
  const p = text.params ?? {};
  const ja = locale === 'ja';
  const tz = str(p, 'tz') || 'Asia/Tokyo';
  const at = (k: string): string => formatAt(num(p, k), tz, locale);
  switch (text.key) {
    case 'factor.behavior':
      return pick(BEHAVIOUR, str(p, 'type'), locale);
    case 'factor.recently_lost': {
      const d = num(p, 'days');
      if (ja) return d === 0 ? '本日失注' : `${d}日前に失注`;
      return `Lost ${d === 0 ? 'today' : `${d} day${d === 1 ? '' : 's'} ago`}`;
    }
    case 'factor.calls':
      return ja ? `${num(p, 'days')}日間で${num(p, 'count')}回架電` : `${num(p, 'count')} calls in ${num(p, 'days')} days`;
    case 'factor.company_size': {
      const min = num(p, 'min');
      const max = p.max === undefined ? undefined : num(p, 'max');
      const fmt = (n: number): string => n.toLocaleString('en-US');
      if (ja) return `従業員数 ${fmt(min)}${max === undefined ? '名以上' : `〜${fmt(max)}名`}`;
      return `Company size ${fmt(min)}${max === undefined ? '+' : `–${fmt(max)}`}`;
    }
    case 'factor.title':
      return `${pick(TITLE_FIT, str(p, 'label'), locale)} (${str(p, 'title')})`;
    case 'need.seminar_attended':
      return ja ? `セミナー参加: ${str(p, 'title')}` : `Attended seminar: ${str(p, 'title')}`;
    case 'need.video_watched':
      return ja ? `動画を${num(p, 'percent')}%視聴: ${str(p, 'title')}` : `Watched ${num(p, 'percent')}% of video: ${str(p, 'title')}`;
    case 'need.form_submit':
      // The form's title often starts with お問い合わせ itself: quote it rather than prefix it.
      return ja ? `「${str(p, 'title')}」の問い合わせフォーム送信` : `Inquiry form: ${str(p, 'title')}`;
    case 'need.score':
      return ja
        ? `${pick(ONE_EVENT, str(p, 'type'), locale)}「${str(p, 'title')}」でスコアが${num(p, 'score')}(ホット)に到達`
        : `Score reached ${num(p, 'score')} (hot) after ${pick(ONE_EVENT, str(p, 'type'), locale)}: ${str(p, 'title')}`;
    case 'need.score_penalty_expired':
      return ja ? `減点期間が終わりスコアが${num(p, 'score')}(ホット)に到達` : `Score reached ${num(p, 'score')} (hot) as a penalty expired`;
    case 'cooldown.do_not_call':
      return ja ? `${at('complaintAt')}にクレーム(${str(p, 'title')}): 架電禁止。` : `Complaint on ${at('complaintAt')} (${str(p, 'title')}): do not call.`;
    case 'cooldown.recently_lost': {
      const reason = p.lossReason === undefined ? '' : ja ? `(${pick(LOSS, str(p, 'lossReason'), locale)})` : ` (${pick(LOSS, str(p, 'lossReason'), locale)})`;
      return ja
        ? `${formatAge(num(p, 'ageMs'), locale)}に失注${reason}: ${at('untilAt')}まで架電しないでください。`
        : `Lost ${formatAge(num(p, 'ageMs'), locale)}${reason}: no calls until ${at('untilAt')}.`;
    }
    case 'cooldown.recent_call':
      return ja
        ? `${formatAge(num(p, 'ageMs'), locale)}に架電済み: 先方の依頼がなければ${at('untilAt')}までお待ちください。`
        : `Called ${formatAge(num(p, 'ageMs'), locale)}: wait until ${at('untilAt')} unless they asked for it.`;
    case 'cooldown.contact_cap':
      return ja
        ? `直近${num(p, 'days')}日間で${num(p, 'count')}回架電: ${at('untilAt')}まで控えてください。`
        : `${num(p, 'count')} calls in the last ${num(p, 'days')} days: avoid another until ${at('untilAt')}.`;
    case 'cooldown.quiet_hours': {
      const days = str(p, 'days').split(',').filter(Boolean).map((d) => WEEKDAY[locale][Number(d)] ?? d).join(ja ? '・' : ', ');
      const next = p.untilAt === undefined ? (ja ? '未定' : 'none scheduled') : at('untilAt');
      return ja
        ? `営業時間外(${days} ${str(p, 'start')}〜${str(p, 'end')}、休業日を除く): 次の営業開始 ${next}。`
        : `Outside business hours (${days} ${str(p, 'start')}–${str(p, 'end')}, closed days excepted): next opening ${next}.`;
    }
    case 'event.call': {
      const outcome = pick(OUTCOMES, str(p, 'outcome'), locale);
      const loss = p.lossReason === undefined ? '' : ja ? `(${pick(LOSS, str(p, 'lossReason'), locale)})` : ` (${pick(LOSS, str(p, 'lossReason'), locale)})`;
      return ja ? `架電: ${outcome}${loss}` : `Call: ${outcome}${loss}`;
    }
    case 'event.generic':
      return pick(ONE_EVENT, str(p, 'type'), locale);
    case 'writeback.by':
      return ja ? `LeadLens から記録(担当: ${str(p, 'actor')})` : `Logged in LeadLens by ${str(p, 'actor')}`;
    case 'writeback.recycle':
      return ja ? `ナーチャリングへ戻す: ${str(p, 'track')}(${str(p, 'frequency')})` : `Back to nurture: ${str(p, 'track')} (${str(p, 'frequency')})`;
    default:
      return text.key;
  }
}
