/** What every benchmark shares: the clock, rounding, medians and the tables it prints. */

/** Milliseconds, high resolution. */
export const now = (): number => performance.now();

/** The middle value (the upper one of an even count). */
export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** `x` rounded to `digits` decimals, as a number for results.json. */
export const round = (x: number, digits = 2): number => Number(x.toFixed(digits));

/** Prints a Markdown table under `title`, columns padded to line up. */
export function table(title: string, head: string[], rows: Array<Array<string | number>>): void {
    const cells = [head, ...rows.map((r) => r.map(String))];
    const widths = head.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
    const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
    console.log(`\n${title}\n${line(head)}\n|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
    for (const r of cells.slice(1)) console.log(line(r));
}
