import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cricketBinary, cricketEnvironment, execCricket } from '../testing/cricket-binary.js';
import { TmuxSession } from '../testing/tmux-session.js';

// `cricket chat` in a real terminal (tmux): readline in raw mode, Ctrl+C as a key, not a signal.

let session: TmuxSession | undefined;

afterEach(async () => {
  await session?.kill();
  session = undefined;
});

describe('cricket chat in a terminal', { timeout: 120_000 }, () => {
  it('answers prompts typed at the prompt, stops an answer with Ctrl+C, and quits with Ctrl+C at the prompt', async () => {
    const db = join(await mkdtemp(join(tmpdir(), 'cricket-tty-')), 'chat.sqlite');
    session = await TmuxSession.start([process.execPath, cricketBinary, 'chat', '--db', db], cricketEnvironment());
    const banner = await session.waitFor(/you › $/m, 60_000);
    expect(banner).toContain('offline scripted engine');
    const convId = /conversation ([0-9a-f-]{36})/.exec(banner)?.[1] ?? '';

    await session.type('what is 2 + 2');
    const answered = await session.waitFor(/is \*\*4\*\*\.\nyou › $/m);
    expect(answered).toContain('→ calculator {"expression":"2 + 2"}');
    expect(answered).toContain('← calculator: {"expression":"2 + 2","result":4}');

    // A long answer, stopped while it streams: the partial text stays, the prompt comes back.
    await session.type('/long');
    await session.waitFor(/## Section 1/);
    await session.send('C-c');
    const stopped = await session.waitFor(/\[interrupted\]\nyou › $/m);
    expect(stopped).not.toContain('## Section 12');

    await session.send('C-c');
    await session.waitFor(/\[exit 0\]/);

    // The conversation was stored: both prompts, the finished and the interrupted answer.
    const entities = await execCricket(['timeline', 'entities', '--db', db, '--conv-id', convId, '--json']);
    expect(entities.code, entities.stderr).toBe(0);
    const summaries = (JSON.parse(entities.stdout) as { summary: string }[]).map((row) => row.summary);
    expect(summaries.filter((summary) => summary.startsWith('user: '))).toEqual(['user: what is 2 + 2', 'user: /long']);
    expect(summaries.some((summary) => summary.startsWith('assistant: # A long answer'))).toBe(true);
  });

  it('quits with /exit and with Ctrl+D', async () => {
    session = await TmuxSession.start(
      [process.execPath, cricketBinary, 'chat', '--memory', '--pace', '0'],
      cricketEnvironment(),
    );
    await session.waitFor(/you › $/m, 60_000);
    await session.type('hello');
    await session.waitFor(/You said: \*hello\*/);
    await session.type('/exit');
    await session.waitFor(/\[exit 0\]/);
    await session.kill();

    session = await TmuxSession.start(
      [process.execPath, cricketBinary, 'chat', '--memory', '--pace', '0'],
      cricketEnvironment(),
    );
    await session.waitFor(/you › $/m, 60_000);
    await session.send('C-d');
    await session.waitFor(/\[exit 0\]/);
  });
});
