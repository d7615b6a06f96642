import type { JSX } from 'react';
import { Icon } from '../shared/icon.js';
import { useNow } from '../shared/use-now.js';
import { useToast } from './debug-toast.js';
import { IdChip } from './id-chip.js';
import type { StepModeState } from './use-step-mode.js';

const pausePhaseLabels: Record<string, string> = {
  after_inference: 'After the engine call',
  after_tools: 'After the tool calls',
};

/**
 * Step-mode controls of a conversation: the on/off switch and the pending pauses, each with a
 * Continue button and the time left before it continues by itself.
 */
export function StepModePanel({ step }: { step: StepModeState }): JSX.Element {
  const toast = useToast();
  const now = useNow(1000, step.pauses.length > 0);
  const onContinue = async (pauseId: string) => {
    if (await step.continuePause(pauseId)) toast('Continued the inference');
  };
  return (
    <section className="step-panel" data-enabled={step.isEnabled} aria-labelledby="step-panel-title">
      <div className="step-panel-head">
        <div>
          <h3 id="step-panel-title">Step mode</h3>
          <p className="muted-note">
            {step.isEnabled
              ? 'Inferences of this conversation stop after each engine call and each tool batch.'
              : 'Pause inferences after each engine call and tool batch to inspect them.'}
          </p>
        </div>
        <button
          type="button"
          role="switch"
          className="step-switch"
          aria-checked={step.isEnabled}
          aria-label="Step mode"
          disabled={step.isBusy}
          onClick={() => void step.setEnabled(!step.isEnabled)}
        >
          <span className="step-switch-track" aria-hidden="true">
            <span className="step-switch-thumb" />
          </span>
          <span>{step.isEnabled ? 'On' : 'Off'}</span>
        </button>
      </div>
      {step.error ? (
        <p className="debug-alert" role="alert">
          {step.error}
        </p>
      ) : null}
      {step.pauses.length > 0 ? (
        <ul className="pause-list" aria-label="Pending pauses">
          {step.pauses.map((pause) => {
            const secondsLeft = Math.max(0, Math.ceil((pause.deadline_ms - now) / 1000));
            const pendingTools = pause.extra.pending_tools;
            return (
              <li key={pause.pause_id} className="pause-item">
                <span className="pulse-dot" aria-hidden="true" />
                <div className="pause-text">
                  <strong>{pausePhaseLabels[pause.phase] ?? pause.phase}</strong>
                  <span>
                    {pause.summary}
                    {typeof pendingTools === 'number'
                      ? ` · ${pendingTools} tool ${pendingTools === 1 ? 'call' : 'calls'} pending`
                      : ''}
                  </span>
                  <span className="pause-meta">
                    <IdChip label="pause" value={pause.pause_id} />
                    <span>continues by itself in {secondsLeft} s</span>
                  </span>
                </div>
                <button
                  type="button"
                  className="primary-button"
                  disabled={step.isBusy}
                  onClick={() => void onContinue(pause.pause_id)}
                >
                  <Icon name="send" size={14} />
                  Continue
                </button>
              </li>
            );
          })}
        </ul>
      ) : step.isEnabled ? (
        <p className="debug-empty-note">
          No inference is paused. Send a message to this conversation to step through it.
        </p>
      ) : null}
      {step.otherPauses > 0 ? (
        <p className="debug-empty-note">
          {step.otherPauses} {step.otherPauses === 1 ? 'pause is' : 'pauses are'} waiting in other conversations.
        </p>
      ) : null}
    </section>
  );
}
