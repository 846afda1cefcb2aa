/**
 * The panel's left edge: drag it, or focus it and use the arrow keys (← wider, → narrower,
 * Shift for bigger steps, Home / End for the narrowest / widest). `onResize(width, false)`
 * follows the drag live; `onResize(width, true)` is the width to remember. Only a real user
 * resizes: untrusted pointer and key events are ignored.
 */
import { useRef } from 'preact/hooks';
import { t } from '../../utils/i18n';
import { keyedWidth, PANEL_WIDTH, withinWidth } from '../../utils/panel-width';
import { isTrustedEvent, type TrustCheck } from './format';

export interface ResizeHandleProps {
  width: number;
  /** The widest the window allows now (maxWidth of the viewport). */
  max: number;
  onResize(width: number, commit: boolean): void;
  isTrusted?: TrustCheck;
}

export function ResizeHandle({ width, max, onResize, isTrusted = isTrustedEvent }: ResizeHandleProps) {
  const drag = useRef<{ x: number; width: number; last: number } | undefined>(undefined);

  const down = (event: PointerEvent) => {
    if (!isTrusted(event) || event.button !== 0) return;
    event.preventDefault();
    (event.currentTarget as HTMLElement).setPointerCapture?.(event.pointerId);
    drag.current = { x: event.clientX, width, last: width };
  };
  const move = (event: PointerEvent) => {
    const d = drag.current;
    if (!d || !isTrusted(event)) return;
    // The panel is on the right: moving the edge left widens it.
    d.last = withinWidth(d.width + d.x - event.clientX, max);
    onResize(d.last, false);
  };
  const up = (event: PointerEvent) => {
    const d = drag.current;
    drag.current = undefined;
    if (d && isTrusted(event)) onResize(d.last, true);
  };
  const key = (event: KeyboardEvent) => {
    if (!isTrusted(event)) return;
    const next = keyedWidth(event.key, width, max, event.shiftKey);
    if (next === undefined) return;
    event.preventDefault();
    onResize(next, true);
  };

  return (
    <div class="resize" role="separator" aria-orientation="vertical" tabIndex={0} data-testid="panel-resize"
      aria-label={t('panelResize')} aria-valuemin={PANEL_WIDTH.min} aria-valuemax={max} aria-valuenow={width}
      onPointerDown={down} onPointerMove={move} onPointerUp={up} onPointerCancel={up} onKeyDown={key} />
  );
}
