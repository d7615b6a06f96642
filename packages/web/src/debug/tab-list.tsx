import type { JSX, KeyboardEvent, ReactNode } from 'react';

/** One tab of a {@link TabList}. */
export interface TabItem<T extends string> {
  id: T;
  label: ReactNode;
  /** Shown as a small count after the label. */
  count?: number;
  disabled?: boolean;
}

/** Id of the panel a {@link TabList} controls (render it with `role="tabpanel"`). */
export function tabPanelId(idPrefix: string): string {
  return `${idPrefix}-panel`;
}

/** Id of one tab, for the panel's `aria-labelledby`. */
export function tabId(idPrefix: string, id: string): string {
  return `${idPrefix}-tab-${id.replace(/[^a-zA-Z0-9_-]/g, '_')}`;
}

/**
 * An accessible tab row (WAI-ARIA tabs pattern): one tab stop, arrow keys / Home / End move between
 * the enabled tabs and select them.
 */
export function TabList<T extends string>({
  items,
  selected,
  onSelect,
  label,
  idPrefix,
  className,
}: {
  items: TabItem<T>[];
  selected: T | undefined;
  onSelect(id: T): void;
  label: string;
  idPrefix: string;
  className?: string;
}): JSX.Element {
  const enabled = items.filter((item) => !item.disabled);
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = enabled.findIndex((item) => item.id === selected);
    let next: TabItem<T> | undefined;
    if (event.key === 'ArrowRight' || event.key === 'ArrowDown') next = enabled[(index + 1) % enabled.length];
    else if (event.key === 'ArrowLeft' || event.key === 'ArrowUp')
      next = enabled[(index - 1 + enabled.length) % enabled.length];
    else if (event.key === 'Home') next = enabled[0];
    else if (event.key === 'End') next = enabled.at(-1);
    if (!next) return;
    event.preventDefault();
    onSelect(next.id);
    document.getElementById(tabId(idPrefix, next.id))?.focus();
  };
  const focusable = selected !== undefined && enabled.some((item) => item.id === selected) ? selected : enabled[0]?.id;
  return (
    <div role="tablist" aria-label={label} className={`debug-tabs ${className ?? ''}`} onKeyDown={onKeyDown}>
      {items.map((item) => (
        <button
          key={item.id}
          type="button"
          role="tab"
          id={tabId(idPrefix, item.id)}
          className="debug-tab"
          aria-selected={item.id === selected}
          aria-controls={tabPanelId(idPrefix)}
          tabIndex={item.id === focusable ? 0 : -1}
          disabled={item.disabled}
          onClick={() => onSelect(item.id)}
        >
          {item.label}
          {item.count !== undefined ? <span className="debug-tab-count">{item.count}</span> : null}
        </button>
      ))}
    </div>
  );
}
