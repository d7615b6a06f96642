import { ToolError } from '../errors/tool-error.js';
import type { ToolDefinition } from './tool-definition.js';

/**
 * The tools available to an inference, by name. Iteration order is registration order, so the
 * tools advertised to a model are stable across calls (providers cache prompts by prefix).
 */
export class ToolRegistry {
  readonly #tools = new Map<string, ToolDefinition>();

  constructor(tools: Iterable<ToolDefinition> = []) {
    for (const tool of tools) this.register(tool);
  }

  /** Adds a tool; throws `ToolError` (`tool-registration-invalid`) when the name is already taken. */
  register(tool: ToolDefinition): this {
    if (!tool.name) throw new ToolError('tool-registration-invalid', 'tool name is empty');
    if (this.#tools.has(tool.name)) {
      throw new ToolError('tool-registration-invalid', `tool ${tool.name} is already registered`);
    }
    this.#tools.set(tool.name, tool as ToolDefinition);
    return this;
  }

  /** The tool, or throws `ToolError` (`tool-not-found`). */
  get(name: string): ToolDefinition {
    const tool = this.#tools.get(name);
    if (!tool) throw new ToolError('tool-not-found', `tool not found: ${name}`, { blame: 'provider' });
    return tool;
  }

  /** True when a tool of that name is registered. */
  has(name: string): boolean {
    return this.#tools.has(name);
  }

  /** Removes a tool; throws `ToolError` (`tool-not-found`) when missing. */
  unregister(name: string): void {
    if (!this.#tools.delete(name)) throw new ToolError('tool-not-found', `tool not found: ${name}`);
  }

  /** All tools, in registration order. */
  list(): ToolDefinition[] {
    return [...this.#tools.values()];
  }

  /** Number of tools. */
  get size(): number {
    return this.#tools.size;
  }

  /** A copy that can be changed independently. */
  clone(): ToolRegistry {
    return new ToolRegistry(this.#tools.values());
  }

  /** A new registry with this one's tools and `other`'s; `other` wins on name conflicts. */
  merge(other: ToolRegistry): ToolRegistry {
    const merged = new ToolRegistry();
    for (const tool of this.#tools.values()) if (!other.has(tool.name)) merged.register(tool);
    for (const tool of other.list()) merged.register(tool);
    return merged;
  }

  /**
   * The tools that may be advertised and executed under `allowed` (null/undefined = all), in
   * registration order.
   */
  allowed(allowed: readonly string[] | null | undefined): ToolDefinition[] {
    if (!allowed) return this.list();
    const names = new Set(allowed);
    return this.list().filter((tool) => names.has(tool.name));
  }
}
