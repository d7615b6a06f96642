import type { Locator, Page } from 'playwright-core';

/** What the tests do on the chat page, by role and label (as a keyboard or screen-reader user finds it). */
export class ChatPageDriver {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  get input(): Locator {
    return this.page.getByRole('textbox', { name: 'Message' });
  }

  get answers(): Locator {
    return this.page.locator('article.entry-assistant');
  }

  get userMessages(): Locator {
    return this.page.locator('article.entry-user:not([data-state="queued"]) .user-bubble');
  }

  get connection(): Locator {
    return this.page.getByTestId('connection-label');
  }

  /** Opens the page (a conversation when `convId` is given) and waits for the composer. */
  async open(baseUrl: string, convId?: string): Promise<void> {
    await this.page.goto(`${baseUrl}/${convId ? `?conv=${encodeURIComponent(convId)}` : ''}`);
    await this.input.waitFor();
  }

  /** Types a prompt and presses Enter. */
  async send(prompt: string): Promise<void> {
    await this.input.fill(prompt);
    await this.input.press('Enter');
  }

  /** The conversation id in the URL. */
  convId(): string {
    const id = new URL(this.page.url()).searchParams.get('conv');
    if (!id) throw new Error(`no conversation id in ${this.page.url()}`);
    return id;
  }

  /** Waits until no answer streams and the Stop button is gone. */
  async waitIdle(timeout = 20_000): Promise<void> {
    await this.page.waitForFunction(
      () =>
        document.querySelector('article.entry-assistant[data-streaming="true"]') === null &&
        document.querySelector('button.stop-button') === null &&
        document.querySelectorAll('article.entry-assistant').length > 0,
      undefined,
      { timeout },
    );
  }

  /** Waits until the latest answer shows at least `length` characters while still streaming. */
  async waitStreamingText(length: number, timeout = 10_000): Promise<void> {
    await this.page.waitForFunction(
      (minimum) => {
        const answer = document.querySelector('article.entry-assistant[data-streaming="true"] .markdown');
        return (answer?.textContent?.length ?? 0) >= minimum;
      },
      length,
      { timeout },
    );
  }

  /** The text of the last answer. */
  async lastAnswerText(): Promise<string> {
    return (await this.answers.last().locator('.markdown').textContent()) ?? '';
  }
}
