import { describe, expect, it } from 'vitest';
import { hourFolder, objectKey, positionTag } from './object-key.js';

describe('object keys', () => {
  it('use the UTC hour folders YYYY/MM/DD/HH/', () => {
    expect(hourFolder(Date.UTC(2026, 0, 2, 3, 59, 59, 999))).toBe('2026/01/02/03/');
    expect(hourFolder(Date.UTC(2026, 11, 31, 23, 0))).toBe('2026/12/31/23/');
    expect(hourFolder(Date.UTC(2027, 0, 1, 0, 0))).toBe('2027/01/01/00/');
  });
  it('are <prefix>YYYY/MM/DD/HH/<name>-<n><extension>', () => {
    expect(objectKey({ prefix: 'out/', time: Date.UTC(2026, 4, 6, 7), name: 'DEST', n: 'p-0' })).toBe('out/2026/05/06/07/DEST-p-0');
    expect(objectKey({ prefix: '', time: Date.UTC(2026, 4, 6, 7), name: 'DEST', n: '1', extension: '.json' })).toBe('2026/05/06/07/DEST-1.json');
  });
});

describe('position tags', () => {
  it('keep a short, key-safe token as it is', () => {
    expect(positionTag('ckpt-42')).toBe('ckpt-42');
    expect(positionTag('shard-0001.4959_12')).toBe('shard-0001.4959_12');
  });
  it('hash tokens with unsafe characters or too long, the same way every time', () => {
    const token = '{"shardId-000":"4959:12","shardId-001":"4960:0"}';
    expect(positionTag(token)).toMatch(/^[0-9a-f]{32}$/);
    expect(positionTag(token)).toBe(positionTag(String(token)));
    expect(positionTag(token)).not.toBe(positionTag(token.replace('12', '13')));
    expect(positionTag(`shardId-000.${'4'.repeat(56)}`)).toMatch(/^[0-9a-f]{32}$/); // longer than 64
    expect(positionTag('..')).toMatch(/^[0-9a-f]{32}$/);
    expect(positionTag('a/b')).toMatch(/^[0-9a-f]{32}$/);
  });
});
