import { describe, expect, it } from 'vitest';
import { connectionItem, loadConnection } from '../../utils/settings';

describe('loadConnection', () => {
  it.each([
    ['nothing saved', null, undefined, null],
    ['no token yet', { apiUrl: 'https://api.test', token: '' }, undefined, null],
    ['the saved connection', { apiUrl: 'https://api.test', token: 't' }, undefined, { apiUrl: 'https://api.test', token: 't' }],
    ["the administrator's URL wins", { apiUrl: 'https://mine.test', token: 't' }, 'https://admin.test/', { apiUrl: 'https://admin.test', token: 't' }],
    ["the administrator's URL with the rep's token only", { apiUrl: '', token: 't' }, 'https://admin.test', { apiUrl: 'https://admin.test', token: 't' }],
    ['a corrupt stored value', { apiUrl: 42 }, undefined, null],
  ] as const)('%s', async (_name, stored, adminUrl, expected) => {
    await connectionItem.setValue(stored as never);
    expect(await loadConnection(async () => adminUrl)).toEqual(expected);
  });
});
