// @vitest-environment node
/**
 * Video watch percentage through the generic ingest: the documented example is a valid ingest
 * request, and the report rows map to exactly that (so the docs cannot drift from the mapping).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { IngestEvent, IngestEventsRequest } from '../../../server/contract/ingest';
import { videoEvents, type ViewerRow } from '../../../server/connectors/video';
import { fixture } from './helpers';

const doc = readFileSync(new URL('../../../docs/connectors/video.md', import.meta.url), 'utf8');
const example = JSON.parse(/```json\n([\s\S]*?)```/.exec(doc)![1]!) as { events: unknown[] };

describe('video watch percentage', () => {
  it('the documented request is valid for the generic ingest', () => {
    expect(IngestEventsRequest.safeParse(example).success).toBe(true);
    for (const e of example.events) expect(IngestEvent.safeParse(e).success).toBe(true);
  });
  it('the report rows map to the documented events', () => {
    const report = JSON.parse(fixture('video/brightcove-viewer-report.json')) as { items: ViewerRow[] };
    const events = videoEvents('brightcove', '1234567890001', '2024-06-11', report.items);
    expect(events[0]).toEqual(example.events[0]);
    expect(events[1]).toMatchObject({ lead: { email: 'sato@example.co.jp' }, meta: { watchedPercent: 12.5 } });
  });
  it.each([
    [86.44, 86.4], [120, 100], [-3, 0],
  ])('%s %% is stored as %s', (raw, stored) => {
    expect(videoEvents('b', 'a', '2024-06-11', [{ video: 'v', viewer: 'x1', video_percent_viewed: raw }])[0]).toMatchObject({
      lead: { externalId: 'x1' }, meta: { watchedPercent: stored },
    });
  });
});
