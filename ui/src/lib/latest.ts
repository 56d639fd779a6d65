// Sequence-numbered requests where only the newest answer counts: a render answered late (after a
// newer one was shown) is dropped so the preview never goes back in time.
export class LatestOnly<I, O> {
  private issued = 0;
  private shown = 0;

  constructor(
    private readonly run: (input: I) => Promise<O>,
    private readonly onResult: (output: O, seq: number) => void,
    private readonly onError: (error: unknown, seq: number) => void = () => {},
  ) {}

  /**
   * Starts a request and returns its sequence number; with `later`, the request takes its number
   * now and starts when `later` calls back (after the next paint, say).
   */
  request(input: I, later?: (start: () => void) => void): number {
    const seq = ++this.issued;
    if (later) later(() => this.start(input, seq));
    else this.start(input, seq);
    return seq;
  }

  private start(input: I, seq: number): void {
    this.run(input).then(
      (out) => {
        if (seq <= this.shown) return; // stale
        this.shown = seq;
        this.onResult(out, seq);
      },
      (err) => {
        if (seq <= this.shown) return;
        this.onError(err, seq);
      },
    );
  }

  /** The next sequence number `request` will use. */
  get nextSeq(): number {
    return this.issued + 1;
  }

  get lastShown(): number {
    return this.shown;
  }
}
