import type { JSX } from 'react';
import { Icon, type IconName } from '../shared/icon.js';

/** A starter prompt on the welcome screen. */
export interface ExamplePrompt {
  title: string;
  prompt: string;
  icon: IconName;
}

/** The starters: each shows one thing the chat can do (a tool call, reasoning, a long stream, code). */
export const examplePrompts: readonly ExamplePrompt[] = [
  { title: 'Call a tool', prompt: 'What is 12 * (3 + 4)?', icon: 'tool' },
  { title: 'Show the reasoning', prompt: '/think Why is the sky blue?', icon: 'brain' },
  { title: 'Stream a long answer', prompt: '/long', icon: 'chat' },
  { title: 'Write some code', prompt: 'Write a TypeScript function that debounces another function.', icon: 'spark' },
];

/**
 * The empty conversation: what Cricket is, and example prompts that send on click. With the offline
 * engine it says so, since its answers come from built-in rules rather than a model.
 */
export function Welcome({
  onPick,
  isOfflineEngine,
}: {
  onPick(prompt: string): void;
  isOfflineEngine: boolean;
}): JSX.Element {
  return (
    <section className="welcome" aria-labelledby="welcome-title">
      <div className="welcome-mark" aria-hidden="true">
        <Icon name="spark" size={26} />
      </div>
      <h1 id="welcome-title" className="welcome-title">
        What can I help with?
      </h1>
      <p className="welcome-lead">
        Answers stream as they are written, every tool call is shown, and the conversation survives reloads and
        reconnects.
      </p>
      {isOfflineEngine ? (
        <p className="welcome-note">
          <span className="badge badge-offline">offline demo engine</span>
          No model is connected: answers come from built-in demo rules.
        </p>
      ) : null}
      <ul className="example-grid" aria-label="Example prompts">
        {examplePrompts.map((example) => (
          <li key={example.prompt}>
            <button type="button" className="example-card" onClick={() => onPick(example.prompt)}>
              <span className="example-icon" aria-hidden="true">
                <Icon name={example.icon} size={16} />
              </span>
              <span className="example-title">{example.title}</span>
              <span className="example-prompt">{example.prompt}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
