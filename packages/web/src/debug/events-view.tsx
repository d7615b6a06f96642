import { type JSX, useDeferredValue, useId, useMemo, useState } from 'react';
import { Icon } from '../shared/icon.js';
import type { DebugEntity, DebugEvent } from './debug-api.js';
import { formatPreciseClock } from './debug-format.js';
import { describeEntity, entityLabel, sortEntities } from './describe-entity.js';
import {
  countInferences,
  countTypes,
  describeEvent,
  type EventFilter,
  emptyEventFilter,
  entityIdsOfEvent,
  eventSeqsOfEntity,
  filterEvents,
  isFilterEmpty,
  noInference,
} from './filter-events.js';
import { IdChips, shortId } from './id-chip.js';
import { JsonBlock } from './json-view.js';

/** Rows rendered at first; more on request (a long conversation logs thousands of deltas). */
const pageSize = 300;

/** The colour family of an event type (`llm`, `tool`, `timeline`, ...). */
function eventFamily(type: string): string {
  if (type.startsWith('llm.thinking')) return 'thinking';
  return type.split('.')[0] ?? type;
}

function EventRow({
  event,
  convId,
  isOpen,
  isRelated,
  onToggle,
  inferenceLabel,
}: {
  event: DebugEvent;
  convId: string;
  isOpen: boolean;
  isRelated: boolean;
  onToggle(): void;
  inferenceLabel: string;
}): JSX.Element {
  const detailId = `event-${event.seq}-detail`;
  return (
    <li className="event-item" data-open={isOpen} data-related={isRelated} data-seq={event.seq}>
      <button type="button" className="event-row" aria-expanded={isOpen} aria-controls={detailId} onClick={onToggle}>
        <span className="event-seq">{event.seq}</span>
        <span className="event-time">{formatPreciseClock(event.createdAtMs)}</span>
        <span className="event-type" data-family={eventFamily(event.type)}>
          {event.type}
        </span>
        <span className="event-summary">{describeEvent(event) || <em>{shortId(event.id)}</em>}</span>
        {event.envelope ? null : (
          <span className="badge" data-level="error">
            malformed
          </span>
        )}
        <Icon name="chevron" size={14} className="event-chevron" />
      </button>
      {isOpen ? (
        <div className="event-detail" id={detailId}>
          <IdChips
            ids={[
              ['conv', convId],
              ['session', event.sessionId],
              ['inference', event.inferenceId],
              ['turn', event.turnId],
              ['seq', event.seq],
              ['id', event.id],
            ]}
          />
          {inferenceLabel ? <p className="debug-empty-note">{inferenceLabel}</p> : null}
          <JsonBlock value={event.frame} label={`Frame ${event.seq}`} />
        </div>
      ) : null}
    </li>
  );
}

function EntityCard({
  entity,
  isSelected,
  isRelated,
  onSelect,
}: {
  entity: DebugEntity;
  isSelected: boolean;
  isRelated: boolean;
  onSelect(): void;
}): JSX.Element {
  const role = entity.entity?.message?.role ?? '';
  return (
    <li>
      <button
        type="button"
        className="entity-card"
        aria-pressed={isSelected}
        data-related={isRelated}
        data-kind={entity.kind}
        data-role={role}
        onClick={onSelect}
      >
        <span className="entity-card-head">
          <span className="entity-kind">{entityLabel(entity)}</span>
          <span
            className="entity-version"
            title={`Created by seq ${entity.createdVersion}, last written by seq ${entity.version}`}
          >
            {entity.createdVersion && entity.createdVersion !== entity.version
              ? `seq ${entity.createdVersion}–${entity.version}`
              : `seq ${entity.version}`}
          </span>
        </span>
        <span className="entity-summary">{describeEntity(entity)}</span>
        <span className="entity-id">{shortId(entity.id, 12)}</span>
      </button>
    </li>
  );
}

/**
 * The ordered event log of a conversation with filters, beside the timeline entities those events
 * produced: selecting an entity highlights its events, selecting an event highlights its entities.
 */
export function EventsView({
  convId,
  events,
  entities,
  timelineVersion,
  inferenceNumbers,
}: {
  convId: string;
  events: readonly DebugEvent[];
  entities: readonly DebugEntity[];
  timelineVersion: number;
  /** Inference id → its number on the Turns tab, for labels. */
  inferenceNumbers: ReadonlyMap<string, number>;
}): JSX.Element {
  const [filter, setFilter] = useState<EventFilter>(emptyEventFilter);
  const [openSeq, setOpenSeq] = useState<number | undefined>(undefined);
  const [entityId, setEntityId] = useState<string | undefined>(undefined);
  const [onlyRelated, setOnlyRelated] = useState(false);
  const [shown, setShown] = useState(pageSize);
  const deferredText = useDeferredValue(filter.text);
  const searchId = useId();
  const inferenceSelectId = useId();
  const onlyRelatedId = useId();

  const types = useMemo(() => countTypes(events), [events]);
  const inferences = useMemo(() => countInferences(events), [events]);
  const sortedEntities = useMemo(() => sortEntities(entities), [entities]);
  const selectedEntity = sortedEntities.find((entity) => entity.id === entityId);
  const relatedSeqs = useMemo(
    () => (selectedEntity ? eventSeqsOfEntity(selectedEntity, events) : new Set<number>()),
    [selectedEntity, events],
  );
  const openEvent = openSeq === undefined ? undefined : events.find((event) => event.seq === openSeq);
  const relatedEntityIds = useMemo(
    () => (openEvent ? entityIdsOfEvent(openEvent, entities) : new Set<string>()),
    [openEvent, entities],
  );
  const filtered = useMemo(() => {
    const list = filterEvents(events, { ...filter, text: deferredText });
    return onlyRelated && selectedEntity ? list.filter((event) => relatedSeqs.has(event.seq)) : list;
  }, [events, filter, deferredText, onlyRelated, selectedEntity, relatedSeqs]);

  // Selecting an entity brings the first of its events into view (once, not on every poll).
  const selectEntity = (entity: DebugEntity) => {
    if (entity.id === entityId) {
      setEntityId(undefined);
      return;
    }
    setEntityId(entity.id);
    const first = Math.min(...eventSeqsOfEntity(entity, events));
    if (!Number.isFinite(first)) return;
    requestAnimationFrame(() =>
      document
        .querySelector(`.event-item[data-seq="${first}"]`)
        ?.scrollIntoView?.({ block: 'nearest', behavior: 'smooth' }),
    );
  };

  const toggleType = (type: string) =>
    setFilter((current) => ({
      ...current,
      types: current.types.includes(type) ? current.types.filter((item) => item !== type) : [...current.types, type],
    }));
  const inferenceLabel = (id: string) => {
    if (id === noInference) return 'Outside any inference';
    const number = inferenceNumbers.get(id);
    return number ? `Inference ${number} · ${shortId(id)}` : `Inference ${shortId(id)}`;
  };
  const hasFilter = !isFilterEmpty(filter) || (onlyRelated && selectedEntity !== undefined);

  return (
    <div className="events-view">
      <section className="event-log" aria-labelledby="event-log-title">
        <div className="panel-heading">
          <h3 id="event-log-title">Event log</h3>
          <span className="panel-heading-note" aria-live="polite">
            {hasFilter ? `${filtered.length} of ${events.length} events` : `${events.length} events`}
          </span>
        </div>
        <div className="event-filters">
          <div className="event-filter-row">
            <div className="search-field">
              <svg className="icon" width={14} height={14} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                <path
                  d="M11 18a7 7 0 1 0 0-14 7 7 0 0 0 0 14zM20 20l-4-4"
                  fill="none"
                  stroke="currentColor"
                  strokeWidth={2}
                  strokeLinecap="round"
                />
              </svg>
              <label htmlFor={searchId} className="visually-hidden">
                Search events
              </label>
              <input
                id={searchId}
                type="search"
                placeholder="Search type, ids, payload…"
                value={filter.text}
                onChange={(event) => setFilter((current) => ({ ...current, text: event.target.value }))}
              />
            </div>
            <label htmlFor={inferenceSelectId} className="visually-hidden">
              Inference
            </label>
            <select
              id={inferenceSelectId}
              value={filter.inferenceId}
              onChange={(event) => setFilter((current) => ({ ...current, inferenceId: event.target.value }))}
            >
              <option value="">All inferences</option>
              {inferences.map((facet) => (
                <option key={facet.value} value={facet.value}>
                  {`${inferenceLabel(facet.value)} (${facet.count})`}
                </option>
              ))}
            </select>
            {hasFilter ? (
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  setFilter(emptyEventFilter);
                  setOnlyRelated(false);
                }}
              >
                Clear filters
              </button>
            ) : null}
          </div>
          <fieldset className="type-chips">
            <legend className="visually-hidden">Event types</legend>
            {types.map((facet) => (
              <button
                key={facet.value}
                type="button"
                className="type-chip"
                data-family={eventFamily(facet.value)}
                aria-pressed={filter.types.includes(facet.value)}
                onClick={() => toggleType(facet.value)}
              >
                {facet.value}
                <span className="type-chip-count">{facet.count}</span>
              </button>
            ))}
          </fieldset>
          {selectedEntity ? (
            <div className="entity-focus">
              <span>
                Highlighting {relatedSeqs.size} {relatedSeqs.size === 1 ? 'event' : 'events'} of{' '}
                <strong>{entityLabel(selectedEntity)}</strong> <code>{shortId(selectedEntity.id, 12)}</code>
              </span>
              <label className="debug-check" htmlFor={onlyRelatedId}>
                <input
                  id={onlyRelatedId}
                  type="checkbox"
                  checked={onlyRelated}
                  onChange={(event) => setOnlyRelated(event.target.checked)}
                />
                Only these
              </label>
              <button type="button" className="link-button" onClick={() => setEntityId(undefined)}>
                Clear
              </button>
            </div>
          ) : null}
        </div>
        {events.length === 0 ? (
          <p className="debug-empty-note">No events recorded for this conversation yet.</p>
        ) : filtered.length === 0 ? (
          <p className="debug-empty-note">No events match these filters.</p>
        ) : (
          <ol className="event-list" aria-label="Events">
            {filtered.slice(0, shown).map((event) => (
              <EventRow
                key={event.seq}
                event={event}
                convId={convId}
                isOpen={event.seq === openSeq}
                isRelated={relatedSeqs.has(event.seq)}
                onToggle={() => setOpenSeq(event.seq === openSeq ? undefined : event.seq)}
                inferenceLabel={event.inferenceId ? inferenceLabel(event.inferenceId) : ''}
              />
            ))}
          </ol>
        )}
        {filtered.length > shown ? (
          <button type="button" className="secondary-button show-more" onClick={() => setShown(shown + pageSize)}>
            Show {Math.min(pageSize, filtered.length - shown)} more of {filtered.length - shown}
          </button>
        ) : null}
      </section>
      <section className="entity-panel" aria-labelledby="entity-panel-title">
        <div className="panel-heading">
          <h3 id="entity-panel-title">Timeline</h3>
          <span className="panel-heading-note">
            {entities.length} {entities.length === 1 ? 'entity' : 'entities'} · version {timelineVersion}
          </span>
        </div>
        {openEvent && relatedEntityIds.size > 0 ? (
          <p className="debug-empty-note">
            Seq {openEvent.seq} wrote{' '}
            {relatedEntityIds.size === 1 ? 'the highlighted entity' : `${relatedEntityIds.size} highlighted entities`}.
          </p>
        ) : (
          <p className="debug-empty-note">Select an entity to highlight the events that produced it.</p>
        )}
        {sortedEntities.length === 0 ? (
          <p className="debug-empty-note">The timeline of this conversation is empty.</p>
        ) : (
          <ol className="entity-list" aria-label="Timeline entities">
            {sortedEntities.map((entity) => (
              <EntityCard
                key={entity.id}
                entity={entity}
                isSelected={entity.id === entityId}
                isRelated={relatedEntityIds.has(entity.id)}
                onSelect={() => selectEntity(entity)}
              />
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}
