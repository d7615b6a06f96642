// @vitest-environment jsdom
import type { ProfileSummary } from '@cricket/protocol';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ProfileSelect, profileOptionLabel } from './profile-select.js';

afterEach(cleanup);

const profiles: ProfileSummary[] = [
  { slug: 'default', default_prompt: '', provider: 'scripted', model: 'scripted-demo', offline: true, available: true },
  {
    slug: 'openai',
    default_prompt: '',
    provider: 'openai',
    model: 'gpt-5',
    available: false,
    reason: 'OPENAI_API_KEY is not set',
  },
];

describe('ProfileSelect', () => {
  it('lists profiles, disabling unavailable ones with the reason', () => {
    render(<ProfileSelect profiles={profiles} value="default" onChange={() => undefined} isBusy={false} />);
    const options = screen.getAllByRole('option') as HTMLOptionElement[];
    expect(options.map((option) => option.textContent)).toEqual([
      'default · demo',
      'openai · gpt-5 (unavailable: OPENAI_API_KEY is not set)',
    ]);
    expect(options[1]?.disabled).toBe(true);
  });

  it('reports the chosen slug', () => {
    const onChange = vi.fn();
    render(
      <ProfileSelect
        profiles={[...profiles, { slug: 'fast', default_prompt: '', model: 'm2' }]}
        value="default"
        onChange={onChange}
        isBusy={false}
      />,
    );
    fireEvent.change(screen.getByRole('combobox', { name: 'Profile' }), { target: { value: 'fast' } });
    expect(onChange).toHaveBeenCalledWith('fast');
  });

  it('labels profiles without engine details by slug', () => {
    expect(profileOptionLabel({ slug: 'bare', default_prompt: '' })).toBe('bare');
  });
});
