// The quotes the service hands out, one per day of the year.
export const quotes: readonly string[] = [
  "Build once, run anywhere the image goes.",
  "What the final stage does not copy, it does not carry.",
  "A cache hit is a step you never wait for.",
  "Ship the program, not the workshop it was built in.",
];

export function quoteFor(day: Date): string {
  const start = Date.UTC(day.getUTCFullYear(), 0, 1);
  const n = Math.floor((day.getTime() - start) / 86_400_000);
  return quotes[n % quotes.length];
}
