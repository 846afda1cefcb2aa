/**
 * An editable list of leads (followed, muted): each with a Remove button that saves at once.
 * The preferences store ids; the names come from the background's cache, and a lead it does not
 * hold (not synced yet, out of scope) is shown by its id.
 */
import { useEffect, useRef } from 'preact/hooks';
import { t } from '../../utils/i18n';
import type { LeadNames } from '../../utils/messaging';
import { FieldError, type FieldIssue } from './common';

export interface LeadListProps {
  id: string;
  title: string;
  hint: string;
  leadIds: readonly string[];
  names?: LeadNames;
  /** The Remove button's accessible name, given the lead's name (or id): the visible text is "Remove". */
  removeLabel(name: string): string;
  issues: readonly FieldIssue[];
  onRemove(leadId: string): void;
}

export function LeadList({ id, title, hint, leadIds, names = {}, removeLabel, issues, onRemove }: LeadListProps) {
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
              {names[leadId] ? (
                <span class="lead-name">{names[leadId].name}{names[leadId].company ? <span class="muted"> {names[leadId].company}</span> : null}</span>
              ) : <code>{leadId}</code>}
              <button type="button" class="small" aria-label={removeLabel(names[leadId]?.name ?? leadId)}
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
