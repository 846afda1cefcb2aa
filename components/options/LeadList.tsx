/**
 * An editable list of lead ids (followed, muted): each with a Remove button that saves at once.
 * Names are not stored with the preferences, so the ids are what we can show here.
 */
import { useEffect, useRef } from 'preact/hooks';
import { t } from '../../utils/i18n';
import { FieldError, type FieldIssue } from './common';

export interface LeadListProps {
  id: string;
  title: string;
  hint: string;
  leadIds: readonly string[];
  /** The Remove button's accessible name for one lead (it names the lead; the visible text is "Remove"). */
  removeLabel(leadId: string): string;
  issues: readonly FieldIssue[];
  onRemove(leadId: string): void;
}

export function LeadList({ id, title, hint, leadIds, removeLabel, issues, onRemove }: LeadListProps) {
  const headingId = `${id}-heading`;
  const root = useRef<HTMLDivElement>(null);
  // The removed row takes its button with it: keyboard focus moves to the next row's button (or
  // the heading when the list is empty) instead of falling back to the top of the page.
  const focusAfterRemoval = useRef<number | undefined>(undefined);
  useEffect(() => {
    const index = focusAfterRemoval.current;
    if (index === undefined || !root.current) return;
    focusAfterRemoval.current = undefined;
    const buttons = root.current.querySelectorAll<HTMLButtonElement>('li button');
    (buttons[Math.min(index, buttons.length - 1)] ?? root.current.querySelector<HTMLElement>('h3'))?.focus();
  }, [leadIds]);

  return (
    <div class="lead-list" ref={root}>
      <h3 id={headingId} tabIndex={-1}>{title}</h3>
      <p class="hint">{hint}</p>
      {leadIds.length === 0 ? (
        <p class="empty">{t('optionsLeadListEmpty')}</p>
      ) : (
        <ul aria-labelledby={headingId} data-testid={`${id}-list`}>
          {leadIds.map((leadId, index) => (
            <li key={leadId}>
              <code>{leadId}</code>
              <button type="button" class="small" aria-label={removeLabel(leadId)}
                onClick={() => { focusAfterRemoval.current = index; onRemove(leadId); }}>
                {t('optionsRemove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <FieldError id={`${id}-error`} issues={issues} />
    </div>
  );
}
