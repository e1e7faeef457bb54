import { CreateBucketCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createS3Client } from '../../src/sinks/s3-sink.js';
import { startRadosgw, type RadosgwInstance } from './radosgw.js';

/** Live (non-zombie) processes started with `dir`'s ceph.conf. */
function daemonsOf(dir: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      const zombie = /^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (!zombie && cmdline.includes(`${dir}/ceph.conf`) && !cmdline.includes('start.sh')) found.push(cmdline.split(' ')[0]);
    } catch {
      // the process ended while we looked
    }
  }
  return found.sort();
}

describe('the radosgw test harness', () => {
  const started: RadosgwInstance[] = [];
  afterAll(async () => {
    await Promise.all(started.map((s) => s.stop()));
  });

  it('runs two independent instances side by side and stops each completely', async () => {
    const [a, b] = await Promise.all([startRadosgw(), startRadosgw()]);
    started.push(a, b);
    expect(a.endpoint).not.toBe(b.endpoint);
    expect(a.dir).not.toBe(b.dir);
    expect(daemonsOf(a.dir)).toEqual(['ceph-mon', 'ceph-osd', 'radosgw']);
    const client = (s: RadosgwInstance) => createS3Client({ endpoint: s.endpoint, region: s.region, credentials: { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey } });
    const [ca, cb] = [client(a), client(b)];
    try {
      await ca.send(new CreateBucketCommand({ Bucket: 'only-in-a' }));
      await cb.send(new CreateBucketCommand({ Bucket: 'only-in-b' }));
      expect((await ca.send(new ListBucketsCommand({}))).Buckets?.map((x) => x.Name)).toEqual(['only-in-a']);
      expect((await cb.send(new ListBucketsCommand({}))).Buckets?.map((x) => x.Name)).toEqual(['only-in-b']);
    } finally {
      ca.destroy();
      cb.destroy();
    }
    await a.stop();
    expect(existsSync(a.dir)).toBe(false);
    expect(daemonsOf(a.dir)).toEqual([]);
    // b is untouched by a's stop
    expect(daemonsOf(b.dir)).toEqual(['ceph-mon', 'ceph-osd', 'radosgw']);
    await b.stop();
    expect(daemonsOf(b.dir)).toEqual([]);
  });

  it('fails loudly, with the reason, when it cannot start', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      await expect(startRadosgw({ port })).rejects.toThrow(new RegExp(`radosgw did not start[\\s\\S]*port ${port} on 127.0.0.1 is already in use`));
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
