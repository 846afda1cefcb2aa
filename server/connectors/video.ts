/**
 * On-demand video viewing (Brightcove-style reports, one row per video and viewer) → generic
 * ingest events `video_watched` with meta.watchedPercent, which the scoring reads (≥ 80 %
 * watched is a hot signal). No connector of its own: the admin's job posts these to
 * /v1/ingest/events; this function is the documented mapping, tested with the docs' example.
 * One event per viewer, video and report day: the day's report re-run is a duplicate.
 */
import type { IngestEvent } from '../contract/ingest';

export type ViewerRow = { video: string; 'video.name'?: string; viewer: string; video_percent_viewed: number };

export function videoEvents(source: string, account: string, day: string, rows: readonly ViewerRow[]): IngestEvent[] {
  return rows.map((r) => {
    const percent = Math.min(100, Math.max(0, Math.round(r.video_percent_viewed * 10) / 10));
    const viewer = r.viewer.trim();
    return {
      id: `${source}:${account}:${r.video}:${viewer.toLowerCase()}:${day}`,
      lead: viewer.includes('@') ? { email: viewer } : { externalId: viewer },
      type: 'video_watched',
      // The report covers the day; its end is when the viewing is known to have happened by.
      at: `${day}T23:59:59+09:00`,
      ...(r['video.name'] ? { title: r['video.name'] } : {}),
      channel: source,
      meta: { watchedPercent: percent, videoId: r.video },
    };
  });
}
