/**
 * How much memory the emulator's request log may hold. A parsed JSON body costs far more than its
 * text (a body of `[{},{},...]` takes about 20 times its size once parsed), so the log counts values,
 * not only bytes: a body of too many values is kept as a placeholder, and the oldest records go once
 * the whole log would pass its budget.
 */

/** The most JSON values one recorded body may hold; a larger one is kept as a placeholder. */
export const MAX_BODY_VALUES = 20_000;
/** Roughly what one parsed JSON value costs in memory, in bytes. */
const BYTES_PER_VALUE = 64;

/** How many JSON values `value` holds, counting at most `cap + 1` (iterative: a deep body cannot overflow the stack). */
export function jsonValues(value: unknown, cap = MAX_BODY_VALUES): number {
    let count = 0;
    const stack: unknown[] = [value];
    while (stack.length && count <= cap) {
        const v = stack.pop();
        count++;
        if (v && typeof v === "object")
            stack.push(...(Array.isArray(v) ? v : Object.values(v)).slice(0, cap + 1 - count));
    }
    return count;
}

/** What a recorded body is taken to cost: its text, plus its parsed values. */
export function bodyWeight(rawBytes: number, values: number): number {
    return rawBytes + values * BYTES_PER_VALUE;
}
