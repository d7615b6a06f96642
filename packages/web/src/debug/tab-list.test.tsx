// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { TabList } from './tab-list.js';

afterEach(cleanup);

type Tab = 'a' | 'b' | 'c' | 'd';

function Harness() {
  const [selected, setSelected] = useState<Tab>('a');
  return (
    <TabList<Tab>
      idPrefix="test"
      label="Phases"
      selected={selected}
      onSelect={setSelected}
      items={[
        { id: 'a', label: 'A', count: 1 },
        { id: 'b', label: 'B', disabled: true },
        { id: 'c', label: 'C' },
        { id: 'd', label: 'D' },
      ]}
    />
  );
}

const selectedName = () =>
  screen.getAllByRole('tab').find((tab) => tab.getAttribute('aria-selected') === 'true')?.textContent;

describe('TabList', () => {
  it('has one tab stop and moves with the arrow keys, Home and End, skipping disabled tabs', () => {
    render(<Harness />);
    expect(screen.getAllByRole('tab').map((tab) => tab.tabIndex)).toEqual([0, -1, -1, -1]);
    const list = screen.getByRole('tablist', { name: 'Phases' });
    fireEvent.keyDown(list, { key: 'ArrowRight' });
    expect(selectedName()).toBe('C');
    expect(document.activeElement?.textContent).toBe('C');
    fireEvent.keyDown(list, { key: 'End' });
    expect(selectedName()).toBe('D');
    fireEvent.keyDown(list, { key: 'ArrowRight' });
    expect(selectedName()).toBe('A1');
    fireEvent.keyDown(list, { key: 'ArrowLeft' });
    expect(selectedName()).toBe('D');
    fireEvent.keyDown(list, { key: 'Home' });
    expect(selectedName()).toBe('A1');
    expect(screen.getByRole('tab', { name: 'B' }).hasAttribute('disabled')).toBe(true);
  });
});
